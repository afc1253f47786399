#include "data/kline_validation.h"

#include <algorithm>

#include <fmt/format.h>

namespace winiswin {

std::optional<std::string> find_bar_problem(const Kline& bar, Interval interval, KlineFields fields) {
  if (!bar.open.is_positive() || !bar.high.is_positive() || !bar.low.is_positive() || !bar.close.is_positive()) {
    return fmt::format("prices must be positive (open {} high {} low {} close {})", bar.open.to_string(),
                       bar.high.to_string(), bar.low.to_string(), bar.close.to_string());
  }
  if (bar.high < std::max(bar.open, bar.close) || bar.low > std::min(bar.open, bar.close) || bar.low > bar.high) {
    return fmt::format("OHLC inconsistent: open {} high {} low {} close {}", bar.open.to_string(), bar.high.to_string(),
                       bar.low.to_string(), bar.close.to_string());
  }
  if (bar.volume.is_negative()) return fmt::format("negative volume {}", bar.volume.to_string());
  const std::int64_t length = duration_ms(interval);
  if (to_ms(bar.open_time) % length != 0) {
    return fmt::format("open time {} is not aligned to the {} interval", to_ms(bar.open_time), name_of(interval));
  }
  if (to_ms(bar.close_time) != to_ms(bar.open_time) + length - 1) {
    return fmt::format("close time {} is not open time {} + {} − 1 ms", to_ms(bar.close_time), to_ms(bar.open_time),
                       name_of(interval));
  }
  if (fields == KlineFields::kFull) {
    if (bar.quote_volume.is_negative() || bar.trades < 0 || bar.taker_buy_volume.is_negative() ||
        bar.taker_buy_quote_volume.is_negative()) {
      return std::string("negative quote volume, trade count or taker volume");
    }
    if (bar.taker_buy_volume > bar.volume || bar.taker_buy_quote_volume > bar.quote_volume) {
      return fmt::format("taker buy volume {} / {} exceeds total {} / {}", bar.taker_buy_volume.to_string(),
                         bar.taker_buy_quote_volume.to_string(), bar.volume.to_string(), bar.quote_volume.to_string());
    }
  }
  return std::nullopt;
}

std::optional<std::string> find_order_problem(const Kline& previous, const Kline& bar) {
  if (bar.open_time > previous.open_time) return std::nullopt;
  return fmt::format("open time {} ({}) does not increase (previous bar {} ({}))", to_ms(bar.open_time),
                     format_utc(bar.open_time), to_ms(previous.open_time), format_utc(previous.open_time));
}

Status validate_series(const KlineSeries& series, const std::string& source) {
  for (std::size_t bar_idx = 0; bar_idx < series.bars.size(); ++bar_idx) {
    const Kline& bar = series.bars[bar_idx];
    auto problem = find_bar_problem(bar, series.interval, series.fields);
    if (!problem && bar_idx > 0) problem = find_order_problem(series.bars[bar_idx - 1], bar);
    if (problem) return make_error(ErrorCode::kParse, fmt::format("{}: bar {}: {}", source, bar_idx, *problem));
  }
  return Ok{};
}

}  // namespace winiswin
