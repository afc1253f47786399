// What the report draws of a run's equity, gathered as the run goes in memory that does not
// grow with its length: the equity and the drawdown as downsampled series (see
// downsampled_series.h), each calendar month's last equity (the monthly table), the deepest
// drawdown periods and the daily returns' distribution and rolling Sharpe.
//
// Drawdown is measured as the metrics measure it (metrics.h): the starting equity is the
// first peak, and a point's drawdown is 1 − equity / running peak, drawn in percent (≤ 0).
// Every point's drawdown passes through the downsampler, which keeps each bucket's lowest,
// so the deepest drawn value is −100 × the metrics' max drawdown.
//
// Months: a point at the 5m close t stands for [t − 5m, t) (metrics.h), so it belongs to the
// month of t − 1 ms — the close at 00:00 on the 1st ends the previous month.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/time.h"
#include "journal/records.h"
#include "report/daily_returns.h"
#include "report/downsampled_series.h"
#include "report/drawdown_periods.h"

namespace winiswin::report {

class EquityCurve {
 public:
  static constexpr std::size_t kFineFactor = 8;
  explicit EquityCurve(double starting_equity, std::size_t max_buckets = DownsampledSeries::kDefaultMaxBuckets);

  // Points in increasing time, as the backtest records them.
  void add(const journal::EquityPoint& point);

  [[nodiscard]] double starting_equity() const { return starting_equity_; }
  // Each drawn point tagged with its trading state (risk::TradingState as int): the state
  // timeline at the drawn points (a state that came and went within one bucket is not seen).
  [[nodiscard]] const DownsampledSeries& equity() const { return equity_; }
  // The same equity at kFineFactor times the buckets: what the chart shows when zoomed in
  // (its whole at ~4 × 8,192 points: ~0.8 MB of the page at most).
  [[nodiscard]] const DownsampledSeries& equity_detail() const { return detail_; }
  [[nodiscard]] const DownsampledSeries& drawdown() const { return drawdown_; }  // percent, ≤ 0
  // "YYYY-MM" → the equity at the month's last point, for months with at least one point.
  [[nodiscard]] const std::map<std::string, double>& month_end() const { return month_end_; }
  [[nodiscard]] const DrawdownPeriods& drawdown_periods() const { return periods_; }
  [[nodiscard]] const DailyReturns& daily_returns() const { return daily_; }
  [[nodiscard]] std::optional<Timestamp> first_time() const { return first_; }
  [[nodiscard]] std::optional<Timestamp> last_time() const { return last_; }

 private:
  double starting_equity_;
  double peak_;
  DownsampledSeries equity_, detail_, drawdown_;
  std::map<std::string, double> month_end_;
  DrawdownPeriods periods_;
  DailyReturns daily_;
  std::optional<Timestamp> first_, last_;
};

// The month ("YYYY-MM") a point at the close `time` stands for.
std::string month_of_close(Timestamp time);

}  // namespace winiswin::report
