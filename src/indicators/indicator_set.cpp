#include "indicators/indicator_set.h"

#include <cmath>

#include <fmt/format.h>

namespace winiswin::indicators {

IndicatorSet::IndicatorSet(Interval interval, const IndicatorConfig& config)
    : interval_ms_(duration_ms(interval)),
      config_(config),
      emas_{Ema(config.ema_periods[0]), Ema(config.ema_periods[1]), Ema(config.ema_periods[2]),
            Ema(config.ema_periods[3])},
      sma_(config.sma_period),
      rsi_(config.rsi_period),
      macd_(config.macd_fast, config.macd_slow, config.macd_signal),
      bollinger_(config.bollinger_period, config.bollinger_deviations),
      width_rank_(config.bollinger_width_rank_window),
      atr_(config.atr_period),
      directional_(config.adx_period),
      stddev_(config.stddev_period),
      slope_(config.slope_ema_period, config.slope_lookback),
      volume_mean_(config.volume_mean_period),
      return_stddev_(config.return_stddev_period) {
  const ColumnSet& c = config.columns;
  updated_.emas = {c.has(Column::kEma0), c.has(Column::kEma1), c.has(Column::kEma2), c.has(Column::kEma3)};
  updated_.sma = c.has(Column::kSma);
  updated_.rsi = c.has(Column::kRsi);
  updated_.macd = c.has_any({Column::kMacd, Column::kMacdSignal, Column::kMacdHist});
  updated_.width_rank = c.has(Column::kBbWidthRank);
  updated_.bands = updated_.width_rank || c.has_any({Column::kBbUpper, Column::kBbMiddle, Column::kBbLower, Column::kBbWidth});
  updated_.atr = c.has_any({Column::kTrueRange, Column::kAtr, Column::kNatr});
  updated_.directional = c.has_any({Column::kAdx, Column::kPlusDi, Column::kMinusDi});
  updated_.stddev = c.has(Column::kStdDev);
  updated_.slope = c.has(Column::kEmaSlope);
  updated_.volume_mean = c.has(Column::kVolumeMean);
  updated_.return_stddev = c.has(Column::kReturnStdDev);
}

Result<UpdateReport> IndicatorSet::update(const Kline& bar) {
  if (bars_seen_ > 0 && bar.open_time <= last_open_time_) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("bar at {} is not after the previous bar at {}", format_utc(bar.open_time),
                                  format_utc(last_open_time_)));
  }
  if (!bar.open.is_positive() || !bar.high.is_positive() || !bar.low.is_positive() || !bar.close.is_positive() ||
      bar.high < bar.low || bar.volume.is_negative()) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("bar at {} is invalid: open {} high {} low {} close {} volume {}",
                                  format_utc(bar.open_time), bar.open.to_string(), bar.high.to_string(),
                                  bar.low.to_string(), bar.close.to_string(), bar.volume.to_string()));
  }
  UpdateReport report;
  if (bars_seen_ > 0) {
    const std::int64_t step = to_ms(bar.open_time) - to_ms(last_open_time_);
    report.missing_bars = step == interval_ms_ ? 0 : step / interval_ms_ - 1;  // no division for adjacent bars
  }
  last_open_time_ = bar.open_time;
  update_values(bar.high.to_double(), bar.low.to_double(), bar.close.to_double(), bar.volume.to_double());
  return report;
}

void IndicatorSet::update_values(double high, double low, double close, double volume) {
  const Updated& u = updated_;
  for (std::size_t idx = 0; idx < emas_.size(); ++idx) {
    if (u.emas[idx]) emas_[idx].update(close);
  }
  if (u.sma) sma_.update(close);
  if (u.stddev) stddev_.update(close);
  if (u.return_stddev && bars_seen_ > 0) return_stddev_.update(std::log(close / previous_close_));
  if (u.rsi) rsi_.update(close);
  if (u.macd) macd_.update(close);
  if (u.bands) {
    bollinger_.update(close);
    if (u.width_rank && bollinger_.ready()) width_rank_.update(bollinger_.width());
  }
  if (u.atr) atr_.update(high, low, close);
  if (u.directional) directional_.update(high, low, close);
  if (u.slope) slope_.update(close);
  if (u.volume_mean) volume_mean_.update(volume);
  previous_close_ = close;
  ++bars_seen_;
}

IndicatorValues IndicatorSet::values() const {
  IndicatorValues out;
  for (std::size_t column = 0; column < kColumnCount; ++column) out[column] = value(static_cast<Column>(column));
  return out;
}

std::array<std::string, kColumnCount> IndicatorSet::column_names() const {
  const IndicatorConfig& c = config_;
  return {fmt::format("ema{}", c.ema_periods[0]),
          fmt::format("ema{}", c.ema_periods[1]),
          fmt::format("ema{}", c.ema_periods[2]),
          fmt::format("ema{}", c.ema_periods[3]),
          fmt::format("sma{}", c.sma_period),
          fmt::format("rsi{}", c.rsi_period),
          "macd",
          "macd_signal",
          "macd_hist",
          "bb_upper",
          "bb_middle",
          "bb_lower",
          "bb_width",
          fmt::format("bb_width_rank{}", c.bollinger_width_rank_window),
          "trange",
          fmt::format("atr{}", c.atr_period),
          fmt::format("natr{}", c.atr_period),
          fmt::format("adx{}", c.adx_period),
          fmt::format("plus_di{}", c.adx_period),
          fmt::format("minus_di{}", c.adx_period),
          fmt::format("stddev{}", c.stddev_period),
          fmt::format("ema{}_slope{}", c.slope_ema_period, c.slope_lookback),
          fmt::format("volume_mean{}", c.volume_mean_period),
          fmt::format("return_stddev{}", c.return_stddev_period)};
}

}  // namespace winiswin::indicators
