#include "strategy/replay.h"

#include <fmt/format.h>

#include "data/resample.h"

namespace winiswin::strategy {

SymbolReplay::SymbolReplay(std::string symbol, KlineSeries hour, KlineSeries quarter, KlineSeries five)
    : hour_(std::move(hour)), quarter_(std::move(quarter)), five_(std::move(five)),
      state_(std::make_unique<SymbolState>(std::move(symbol))) {}

Result<SymbolReplay> SymbolReplay::create(std::string symbol, KlineSeries hour, KlineSeries quarter, KlineSeries five) {
  if (hour.interval != Interval::k1h || quarter.interval != Interval::k15m || five.interval != Interval::k5m) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: replay needs 1h, 15m and 5m bars, got {}, {} and {}", symbol, name_of(hour.interval),
                                  name_of(quarter.interval), name_of(five.interval)));
  }
  return SymbolReplay(std::move(symbol), std::move(hour), std::move(quarter), std::move(five));
}

Result<SymbolReplay> SymbolReplay::from_fine(const KlineSeries& fine) {
  WINISWIN_TRY(ResampleResult five, resample(fine, Interval::k5m));
  WINISWIN_TRY(ResampleResult quarter, resample(five.series, Interval::k15m));
  WINISWIN_TRY(ResampleResult hour, resample(quarter.series, Interval::k1h));
  return create(fine.symbol, std::move(hour.series), std::move(quarter.series), std::move(five.series));
}

Status SymbolReplay::advance_to(Timestamp time) {
  const auto feed = [&](const KlineSeries& series, std::size_t& next, TimeframeState& frame) -> Status {
    while (next < series.bars.size() && series.bars[next].close_time < time) {
      if (auto status = frame.update(series.bars[next]); !status) {
        return status.error().with_context(fmt::format("{} {}", state_->symbol, name_of(series.interval)));
      }
      ++next;
    }
    return Ok{};
  };
  if (auto status = feed(hour_, hour_next_, state_->hour); !status) return status;
  if (auto status = feed(quarter_, quarter_next_, state_->quarter); !status) return status;
  return feed(five_, five_next_, state_->five);
}

}  // namespace winiswin::strategy
