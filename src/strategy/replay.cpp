#include "strategy/replay.h"

#include <algorithm>

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
  // The series' bars in close-time order; bars closing at the same time go in together.
  const auto next_close = [&](const KlineSeries& series, std::size_t next) {
    return next < series.bars.size() ? series.bars[next].close_time : Timestamp::max();
  };
  const auto take = [&](const KlineSeries& series, std::size_t& next, Timestamp close) -> const Kline* {
    return next_close(series, next) == close ? &series.bars[next++] : nullptr;
  };
  for (;;) {
    const Timestamp close = std::min({next_close(hour_, hour_next_), next_close(quarter_, quarter_next_), next_close(five_, five_next_)});
    if (close >= time) return Ok{};
    ClosedBars bars;
    bars.hour = take(hour_, hour_next_, close);
    bars.quarter = take(quarter_, quarter_next_, close);
    bars.five = take(five_, five_next_, close);
    if (auto status = state_->on_closed(bars); !status) return status;
  }
}

}  // namespace winiswin::strategy
