#include "indicators/batch.h"

#include <cmath>

#include <fmt/format.h>

namespace winiswin::indicators {
namespace {

Status check_values(std::span<const double> values, const char* name, bool must_be_positive) {
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    const double value = values[idx];
    if (!std::isfinite(value) || (must_be_positive && value <= 0.0)) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("{}[{}] = {} is not a {}number", name, idx, value, must_be_positive ? "positive " : "finite "));
    }
  }
  return Ok{};
}

Status check_prices(std::span<const double> high, std::span<const double> low, std::span<const double> close) {
  if (high.size() != low.size() || high.size() != close.size()) {
    return make_error(ErrorCode::kInvalidArgument, "high, low and close differ in length");
  }
  if (auto status = check_values(high, "high", true); !status) return status;
  if (auto status = check_values(low, "low", true); !status) return status;
  return check_values(close, "close", true);
}

Status check_period(int period, int minimum = 1) {
  if (period < minimum) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("period {} must be at least {}", period, minimum));
  }
  return Ok{};
}

// Feeds each value to a streaming indicator and records what `read` says after it.
template <typename Indicator, typename Read>
Series run_single(std::span<const double> values, Indicator indicator, Read read) {
  Series out(values.size());
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    indicator.update(values[idx]);
    out[idx] = read(indicator);
  }
  return out;
}

}  // namespace

Result<Series> ema(std::span<const double> values, int period) {
  if (auto status = check_period(period); !status) return status.error();
  if (auto status = check_values(values, "value", false); !status) return status.error();
  return run_single(values, Ema(period), [](const Ema& x) { return x.value(); });
}

Result<Series> sma(std::span<const double> values, int period) {
  if (auto status = check_period(period); !status) return status.error();
  if (auto status = check_values(values, "value", false); !status) return status.error();
  return run_single(values, Sma(period), [](const Sma& x) { return x.value(); });
}

Result<Series> rsi(std::span<const double> close, int period) {
  if (auto status = check_period(period, 2); !status) return status.error();
  if (auto status = check_values(close, "close", true); !status) return status.error();
  return run_single(close, Rsi(period), [](const Rsi& x) { return x.value(); });
}

Result<Series> stddev(std::span<const double> values, int period) {
  if (auto status = check_period(period, 2); !status) return status.error();
  if (auto status = check_values(values, "value", false); !status) return status.error();
  return run_single(values, StdDev(period), [](const StdDev& x) { return x.value(); });
}

Result<Series> ema_slope(std::span<const double> close, int ema_period, int lookback) {
  if (auto status = check_period(ema_period); !status) return status.error();
  if (auto status = check_period(lookback); !status) return status.error();
  if (auto status = check_values(close, "close", true); !status) return status.error();
  return run_single(close, EmaSlope(ema_period, lookback), [](const EmaSlope& x) { return x.value(); });
}

Result<Series> percent_rank(std::span<const double> values, int window) {
  if (auto status = check_period(window); !status) return status.error();
  if (auto status = check_values(values, "value", false); !status) return status.error();
  return run_single(values, PercentRank(window), [](const PercentRank& x) { return x.value(); });
}

Result<MacdSeries> macd(std::span<const double> close, int fast, int slow, int signal) {
  if (auto status = check_period(fast); !status) return status.error();
  if (fast >= slow) return make_error(ErrorCode::kInvalidArgument, "MACD fast period must be below the slow period");
  if (auto status = check_period(signal); !status) return status.error();
  if (auto status = check_values(close, "close", true); !status) return status.error();
  MacdSeries out{Series(close.size()), Series(close.size()), Series(close.size())};
  Macd indicator(fast, slow, signal);
  for (std::size_t idx = 0; idx < close.size(); ++idx) {
    indicator.update(close[idx]);
    out.macd[idx] = indicator.macd();
    out.signal[idx] = indicator.signal();
    out.histogram[idx] = indicator.histogram();
  }
  return out;
}

Result<BollingerSeries> bollinger(std::span<const double> close, int period, double deviations) {
  if (auto status = check_period(period, 2); !status) return status.error();
  if (auto status = check_values(close, "close", true); !status) return status.error();
  BollingerSeries out{Series(close.size()), Series(close.size()), Series(close.size()), Series(close.size())};
  Bollinger indicator(period, deviations);
  for (std::size_t idx = 0; idx < close.size(); ++idx) {
    indicator.update(close[idx]);
    out.upper[idx] = indicator.upper();
    out.middle[idx] = indicator.middle();
    out.lower[idx] = indicator.lower();
    out.width[idx] = indicator.width();
  }
  return out;
}

Result<Series> true_range(std::span<const double> high, std::span<const double> low, std::span<const double> close) {
  if (auto status = check_prices(high, low, close); !status) return status.error();
  Series out(close.size(), kNotReady);
  for (std::size_t idx = 1; idx < close.size(); ++idx) out[idx] = true_range(high[idx], low[idx], close[idx - 1]);
  return out;
}

namespace {
template <typename Read>
Result<Series> run_atr(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                       int period, Read read) {
  if (auto status = check_period(period); !status) return status.error();
  if (auto status = check_prices(high, low, close); !status) return status.error();
  Series out(close.size());
  Atr indicator(period);
  for (std::size_t idx = 0; idx < close.size(); ++idx) {
    indicator.update(high[idx], low[idx], close[idx]);
    out[idx] = read(indicator);
  }
  return out;
}
}  // namespace

Result<Series> atr(std::span<const double> high, std::span<const double> low, std::span<const double> close, int period) {
  return run_atr(high, low, close, period, [](const Atr& x) { return x.value(); });
}

Result<Series> natr(std::span<const double> high, std::span<const double> low, std::span<const double> close, int period) {
  return run_atr(high, low, close, period, [](const Atr& x) { return x.natr(); });
}

Result<DirectionalSeries> directional(std::span<const double> high, std::span<const double> low,
                                      std::span<const double> close, int period) {
  if (auto status = check_period(period, 2); !status) return status.error();
  if (auto status = check_prices(high, low, close); !status) return status.error();
  DirectionalSeries out{Series(close.size()), Series(close.size()), Series(close.size())};
  DirectionalMovement indicator(period);
  for (std::size_t idx = 0; idx < close.size(); ++idx) {
    indicator.update(high[idx], low[idx], close[idx]);
    out.plus_di[idx] = indicator.plus_di();
    out.minus_di[idx] = indicator.minus_di();
    out.adx[idx] = indicator.adx();
  }
  return out;
}

OhlcvColumns to_columns(const KlineSeries& series) {
  OhlcvColumns columns;
  for (Series* column : {&columns.open, &columns.high, &columns.low, &columns.close, &columns.volume}) {
    column->reserve(series.bars.size());
  }
  for (const Kline& bar : series.bars) {
    columns.open.push_back(bar.open.to_double());
    columns.high.push_back(bar.high.to_double());
    columns.low.push_back(bar.low.to_double());
    columns.close.push_back(bar.close.to_double());
    columns.volume.push_back(bar.volume.to_double());
  }
  return columns;
}

Result<IndicatorTable> compute_indicators(const KlineSeries& series, const IndicatorConfig& config) {
  IndicatorSet set(series.interval, config);
  IndicatorTable table;
  table.names = set.column_names();
  table.rows.reserve(series.bars.size());
  table.gaps_before.reserve(series.bars.size());
  for (std::size_t bar_idx = 0; bar_idx < series.bars.size(); ++bar_idx) {
    auto report = set.update(series.bars[bar_idx]);
    if (!report) return report.error().with_context(fmt::format("{} bar {}", series.symbol, bar_idx));
    table.rows.push_back(set.values());
    table.gaps_before.push_back(report->missing_bars);
  }
  return table;
}

}  // namespace winiswin::indicators
