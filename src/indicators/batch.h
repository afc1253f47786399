// Batch forms of the indicators: a whole series in, one output per input out (NaN during
// warm-up), for research, reports, tests and the `indicators` command.
//
// Each batch function runs the streaming object the engine uses (the running-sum ones —
// SMA, STDDEV, Bollinger — the same operations over the input array, as TA-Lib does), so
// the two forms give identical numbers; tests check that bit for bit on every oracle file.
// Inputs are checked in the same pass: a NaN or infinite value (or a non-positive price
// where the formula needs prices) is an error naming the index, and no output is returned.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/kline.h"
#include "indicators/indicator_set.h"

namespace winiswin::indicators {

using Series = std::vector<double>;

struct MacdSeries {
  Series macd, signal, histogram;
};
struct BollingerSeries {
  Series upper, middle, lower, width;
};
// Caller-owned output columns, each as long as the input; `width` may be left empty
// when it is not wanted (TA-Lib's BBANDS has no width).
struct BollingerOutput {
  std::span<double> upper, middle, lower, width;
};
struct DirectionalSeries {
  Series plus_di, minus_di, adx;
};
struct OhlcvColumns {
  Series open, high, low, close, volume;
};

Result<Series> ema(std::span<const double> values, int period);
Result<Series> sma(std::span<const double> values, int period);
// Into caller-owned buffers (as long as the input): no allocation, as TA-Lib is called.
Status ema(std::span<const double> values, int period, std::span<double> out);
Status sma(std::span<const double> values, int period, std::span<double> out);
Status stddev(std::span<const double> values, int period, std::span<double> out);
Status bollinger(std::span<const double> close, int period, double deviations, const BollingerOutput& out);
Result<Series> rsi(std::span<const double> close, int period);
Result<MacdSeries> macd(std::span<const double> close, int fast, int slow, int signal);
Result<BollingerSeries> bollinger(std::span<const double> close, int period, double deviations);
Result<Series> stddev(std::span<const double> values, int period);
Result<Series> true_range(std::span<const double> high, std::span<const double> low, std::span<const double> close);
Result<Series> atr(std::span<const double> high, std::span<const double> low, std::span<const double> close, int period);
Result<Series> natr(std::span<const double> high, std::span<const double> low, std::span<const double> close, int period);
Result<DirectionalSeries> directional(std::span<const double> high, std::span<const double> low,
                                      std::span<const double> close, int period);
Result<Series> ema_slope(std::span<const double> close, int ema_period, int lookback);
Result<Series> percent_rank(std::span<const double> values, int window);

// Kline columns as doubles, the explicit boundary from fixed point.
OhlcvColumns to_columns(const KlineSeries& series);

// Every indicator of the set, one column per entry of `IndicatorSet::column_names()`.
struct IndicatorTable {
  std::array<std::string, kColumnCount> names;
  std::vector<IndicatorValues> rows;  // one per bar
  std::vector<std::int64_t> gaps_before;  // missing bars before each bar (0 almost always)
};
Result<IndicatorTable> compute_indicators(const KlineSeries& series, const IndicatorConfig& config = {});

}  // namespace winiswin::indicators
