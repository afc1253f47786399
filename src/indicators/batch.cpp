#include "indicators/batch.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace winiswin::indicators {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The slow path after a failed check: finds and names the first bad value.
Error bad_value(std::span<const double> values, const char* name, bool must_be_positive) {
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    const double value = values[idx];
    if (!std::isfinite(value) || (must_be_positive && value <= 0.0)) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}[{}] = {} is not a {}number", name, idx, value,
                                                                 must_be_positive ? "positive " : "finite "));
    }
  }
  return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: bad value", name));
}

// NaN fails every comparison, so one expression rejects NaN, ±inf and (optionally) ≤ 0.
inline bool acceptable(double value, double floor) { return (value > floor) & (value < kInfinity); }

Status check_output(std::span<const double> values, std::span<double> out) {
  if (out.size() != values.size()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("output holds {} values for {} inputs", out.size(), values.size()));
  }
  return Ok{};
}

Status check_period(int period, int minimum = 1) {
  if (period < minimum) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("period {} must be at least {}", period, minimum));
  }
  return Ok{};
}

// Runs a one-input streaming indicator over `values`. Validation is fused into the
// computing loop: that loop is bound by the indicator's dependency chain, so the extra
// comparisons are free, where a separate pass would cost a quarter of an EMA.
template <typename Indicator, typename Read>
Result<Series> run_single(std::span<const double> values, const char* name, bool positive, Indicator indicator,
                          Read read) {
  Series out(values.size());
  const double floor = positive ? 0.0 : -kInfinity;
  bool all_good = true;
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    const double value = values[idx];
    all_good &= acceptable(value, floor);
    indicator.update(value);
    out[idx] = read(indicator);
  }
  if (!all_good) return bad_value(values, name, positive);
  return out;
}

// The same for high/low/close indicators: `step(idx)` updates and records one bar.
template <typename Step>
Status run_hlc(std::span<const double> high, std::span<const double> low, std::span<const double> close, Step step) {
  if (high.size() != low.size() || high.size() != close.size()) {
    return make_error(ErrorCode::kInvalidArgument, "high, low and close differ in length");
  }
  bool all_good = true;
  for (std::size_t idx = 0; idx < close.size(); ++idx) {
    all_good &= acceptable(high[idx], 0.0) & acceptable(low[idx], 0.0) & acceptable(close[idx], 0.0);
    step(idx);
  }
  if (all_good) return Ok{};
  for (const auto& [values, name] : {std::pair{high, "high"}, std::pair{low, "low"}, std::pair{close, "close"}}) {
    for (const double value : values) {
      if (!acceptable(value, 0.0)) return bad_value(values, name, true);
    }
  }
  return Ok{};
}

}  // namespace

// EMA's operations exactly as Ema performs them, without its per-value state checks. A
// NaN input makes every later EMA NaN, and ±inf does too once a finite value follows
// ((x − inf)·k + inf is NaN), so the last value is finite exactly when every input was.
Status ema(std::span<const double> values, int period, std::span<double> out) {
  if (auto status = check_period(period); !status) return status;
  if (auto status = check_output(values, out); !status) return status;
  const auto length = static_cast<std::size_t>(period);
  if (values.size() < length) {
    std::fill(out.begin(), out.end(), kNotReady);
    return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); })
               ? Status(Ok{})
               : Status(bad_value(values, "value", false));
  }
  double sum = 0.0;
  for (std::size_t idx = 0; idx < length; ++idx) {
    sum += values[idx];
    out[idx] = kNotReady;
  }
  const double k = 2.0 / static_cast<double>(period + 1);
  double average = sum / static_cast<double>(period);
  out[length - 1] = average;
  for (std::size_t idx = length; idx < values.size(); ++idx) {
    average = ((values[idx] - average) * k) + average;
    out[idx] = average;
  }
  if (!std::isfinite(average)) return bad_value(values, "value", false);
  return Ok{};
}

Result<Series> ema(std::span<const double> values, int period) {
  Series out(values.size());
  if (auto status = ema(values, period, out); !status) return status.error();
  return out;
}

// The running-sum indicators read their trailing value straight from the input, as
// TA-Lib does, instead of keeping a window: the same operations in the same order as
// Sma/StdDev/Bollinger (tests pin batch == streaming bit for bit), one memory stream less.
// They need no per-value check either: a NaN or ±inf input poisons the running sum for
// good (NaN stays NaN; inf − inf is NaN), so the inputs are all finite exactly when the
// last sum is — one test at the end instead of one per value.
namespace {

// Calls emit(idx, sum, sum_squares_or_0) for idx ≥ p−1 with the window sums *including*
// x[idx]; the trailing value leaves the sums after emit, exactly like the streaming form.
// Returns whether every input was finite.
template <bool kSquares, typename Emit>
bool run_window(std::span<const double> values, int period, Emit emit) {
  const std::size_t length = static_cast<std::size_t>(period);
  double sum = 0.0, squares = 0.0;
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    const double x = values[idx];
    sum += x;
    if constexpr (kSquares) squares += x * x;
    if (idx + 1 < length) continue;
    emit(idx, sum, squares);
    const double trailing = values[idx + 1 - length];
    sum -= trailing;
    if constexpr (kSquares) squares -= trailing * trailing;
  }
  return std::isfinite(sum) && std::isfinite(squares);
}

void fill_warm_up(std::span<double> out, int period) {
  const std::size_t warm_up = std::min(out.size(), static_cast<std::size_t>(period - 1));
  std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(warm_up), kNotReady);
}

}  // namespace

Status sma(std::span<const double> values, int period, std::span<double> out) {
  if (auto status = check_period(period); !status) return status;
  if (auto status = check_output(values, out); !status) return status;
  fill_warm_up(out, period);
  const auto divisor = static_cast<double>(period);
  if (!run_window<false>(values, period, [&](std::size_t idx, double sum, double) { out[idx] = sum / divisor; })) {
    return bad_value(values, "value", false);
  }
  return Ok{};
}

Result<Series> sma(std::span<const double> values, int period) {
  Series out(values.size());
  if (auto status = sma(values, period, out); !status) return status.error();
  return out;
}

Status stddev(std::span<const double> values, int period, std::span<double> out) {
  if (auto status = check_period(period, 2); !status) return status;
  if (auto status = check_output(values, out); !status) return status;
  fill_warm_up(out, period);
  const auto divisor = static_cast<double>(period);
  const bool all_finite = run_window<true>(values, period, [&](std::size_t idx, double sum, double squares) {
    const double mean = sum / divisor;
    const double variance = squares / divisor - mean * mean;
    out[idx] = is_talib_zero_or_negative(variance) ? 0.0 : std::sqrt(variance);
  });
  if (!all_finite) return bad_value(values, "value", false);
  return Ok{};
}

Result<Series> stddev(std::span<const double> values, int period) {
  Series out(values.size());
  if (auto status = stddev(values, period, out); !status) return status.error();
  return out;
}

Status bollinger(std::span<const double> close, int period, double deviations, const BollingerOutput& out) {
  if (auto status = check_period(period, 2); !status) return status;
  const bool with_width = !out.width.empty();
  for (const std::span<double> column : {out.upper, out.middle, out.lower}) {
    if (auto status = check_output(close, column); !status) return status;
    fill_warm_up(column, period);
  }
  if (with_width) {
    if (auto status = check_output(close, out.width); !status) return status;
    fill_warm_up(out.width, period);
  }
  const auto divisor = static_cast<double>(period);
  const bool all_finite = run_window<true>(close, period, [&](std::size_t idx, double sum, double squares) {
    const double middle = sum / divisor;
    const double mean_square = squares / divisor - middle * middle;
    const double offset = (is_talib_zero_or_negative(mean_square) ? 0.0 : std::sqrt(mean_square)) * deviations;
    const double upper = middle + offset;
    const double lower = middle - offset;
    out.middle[idx] = middle;
    out.upper[idx] = upper;
    out.lower[idx] = lower;
    if (with_width) out.width[idx] = (upper - lower) / middle;
  });
  if (!all_finite) return bad_value(close, "close", false);
  return Ok{};
}

Result<BollingerSeries> bollinger(std::span<const double> close, int period, double deviations) {
  BollingerSeries out{Series(close.size()), Series(close.size()), Series(close.size()), Series(close.size())};
  if (auto status = bollinger(close, period, deviations, BollingerOutput{out.upper, out.middle, out.lower, out.width});
      !status) {
    return status.error();
  }
  return out;
}

Result<Series> rsi(std::span<const double> close, int period) {
  if (auto status = check_period(period, 2); !status) return status.error();
  return run_single(close, "close", true, Rsi(period), [](const Rsi& x) { return x.value(); });
}

Result<Series> ema_slope(std::span<const double> close, int ema_period, int lookback) {
  if (auto status = check_period(ema_period); !status) return status.error();
  if (auto status = check_period(lookback); !status) return status.error();
  return run_single(close, "close", true, EmaSlope(ema_period, lookback), [](const EmaSlope& x) { return x.value(); });
}

Result<Series> percent_rank(std::span<const double> values, int window) {
  if (auto status = check_period(window); !status) return status.error();
  return run_single(values, "value", false, PercentRank(window), [](const PercentRank& x) { return x.value(); });
}

Result<MacdSeries> macd(std::span<const double> close, int fast, int slow, int signal) {
  if (auto status = check_period(fast); !status) return status.error();
  if (fast >= slow) return make_error(ErrorCode::kInvalidArgument, "MACD fast period must be below the slow period");
  if (auto status = check_period(signal); !status) return status.error();
  MacdSeries out{Series(close.size()), Series(close.size()), Series(close.size())};
  Macd indicator(fast, slow, signal);
  bool all_good = true;
  for (std::size_t idx = 0; idx < close.size(); ++idx) {
    all_good &= acceptable(close[idx], 0.0);
    indicator.update(close[idx]);
    out.macd[idx] = indicator.macd();
    out.signal[idx] = indicator.signal();
    out.histogram[idx] = indicator.histogram();
  }
  if (!all_good) return bad_value(close, "close", true);
  return out;
}

Result<Series> true_range(std::span<const double> high, std::span<const double> low, std::span<const double> close) {
  Series out(close.size(), kNotReady);
  auto status = run_hlc(high, low, close, [&](std::size_t idx) {
    if (idx > 0) out[idx] = true_range(high[idx], low[idx], close[idx - 1]);
  });
  if (!status) return status.error();
  return out;
}

namespace {
template <typename Read>
Result<Series> run_atr(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                       int period, Read read) {
  if (auto status = check_period(period); !status) return status.error();
  Series out(close.size());
  Atr indicator(period);
  auto status = run_hlc(high, low, close, [&](std::size_t idx) {
    indicator.update(high[idx], low[idx], close[idx]);
    out[idx] = read(indicator);
  });
  if (!status) return status.error();
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
  DirectionalSeries out{Series(close.size()), Series(close.size()), Series(close.size())};
  DirectionalMovement indicator(period);
  auto status = run_hlc(high, low, close, [&](std::size_t idx) {
    indicator.update(high[idx], low[idx], close[idx]);
    out.plus_di[idx] = indicator.plus_di();
    out.minus_di[idx] = indicator.minus_di();
    out.adx[idx] = indicator.adx();
  });
  if (!status) return status.error();
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
