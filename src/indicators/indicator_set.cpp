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
      return_stddev_(config.return_stddev_period) {}

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
  if (config_.extras) {
    for (Ema& ema : emas_) ema.update(close);
    sma_.update(close);
    stddev_.update(close);
    if (bars_seen_ > 0) return_stddev_.update(std::log(close / previous_close_));
  } else {
    emas_[1].update(close);
  }
  rsi_.update(close);
  macd_.update(close);
  bollinger_.update(close);
  if (bollinger_.ready()) width_rank_.update(bollinger_.width());
  atr_.update(high, low, close);
  directional_.update(high, low, close);
  slope_.update(close);
  volume_mean_.update(volume);
  previous_close_ = close;
  ++bars_seen_;
}

IndicatorValues IndicatorSet::values() const {
  IndicatorValues out;
  values_into(out);
  return out;
}

void IndicatorSet::values_into(IndicatorValues& out) const {
  for (std::size_t column = 0; column < kColumnCount; ++column) out[column] = value(static_cast<Column>(column));
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
