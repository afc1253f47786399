#include "report/equity_curve.h"

#include <algorithm>

namespace winiswin::report {

std::string month_of_close(Timestamp time) { return format_utc(time - Milliseconds{1}).substr(0, 7); }

EquityCurve::EquityCurve(double starting_equity, std::size_t max_buckets)
    : starting_equity_(starting_equity),
      peak_(starting_equity),
      equity_(max_buckets),
      detail_(kFineFactor * max_buckets),
      drawdown_(max_buckets),
      periods_(starting_equity),
      daily_(starting_equity, max_buckets) {}

void EquityCurve::add(const journal::EquityPoint& point) {
  const std::int64_t seconds = to_ms(point.time) / 1000;
  peak_ = std::max(peak_, point.equity);
  const double drawdown = peak_ > 0 ? 1.0 - point.equity / peak_ : 0.0;  // as MetricsBuilder::equity
  equity_.add(SeriesPoint{seconds, point.equity, static_cast<int>(point.state)});
  detail_.add(SeriesPoint{seconds, point.equity, static_cast<int>(point.state)});
  drawdown_.add(SeriesPoint{seconds, -100.0 * drawdown});
  month_end_[month_of_close(point.time)] = point.equity;
  periods_.add(point.time, point.equity);
  daily_.add(point.time, point.equity);
  if (!first_) first_ = point.time;
  last_ = point.time;
}

}  // namespace winiswin::report
