#include "report/daily_returns.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace winiswin::report {
namespace {
constexpr std::int64_t kDayMs = 86'400'000;
}  // namespace

DailyReturns::DailyReturns(double starting_equity, std::size_t max_buckets) : previous_end_(starting_equity), sharpe_(max_buckets) {}

int DailyReturns::bin_of(double daily_return) {
  const double index = std::floor(daily_return / kBinWidth) + kBins / 2;
  return static_cast<int>(std::clamp(index, 0.0, static_cast<double>(kBins - 1)));
}

double DailyReturns::Window::sharpe() const {
  double sum = 0, squares = 0;
  for (const double r : returns) sum += r, squares += r * r;
  const double count = static_cast<double>(returns.size());
  const double mean = sum / count, sd = std::sqrt(std::max(0.0, squares / count - mean * mean));
  return sd > 0 ? mean / sd * std::sqrt(365.0) : 0.0;
}

void DailyReturns::add(Timestamp time, double equity) {
  const std::int64_t day = (to_ms(time) - 1) / kDayMs;  // the day the 5 minutes before `time` are in
  if (day_ != INT64_MIN && day != day_) close_day();
  day_ = day;
  day_equity_ = equity;
  day_time_ = to_ms(time) / 1000;
}

void DailyReturns::close_day() {
  const double daily = previous_end_ > 0 ? day_equity_ / previous_end_ - 1.0 : 0.0;
  previous_end_ = day_equity_;
  ++histogram_[static_cast<std::size_t>(bin_of(daily))];
  window_.returns.push_back(daily);
  if (window_.returns.size() > kRollingDays) window_.returns.pop_front();
  if (window_.returns.size() == kRollingDays) sharpe_.add(SeriesPoint{day_time_, window_.sharpe()});
}

DailyReturns::Histogram DailyReturns::histogram() const {
  if (day_ == INT64_MIN) return histogram_;
  DailyReturns finished = *this;
  finished.close_day();
  return finished.histogram_;
}

DownsampledSeries DailyReturns::rolling_sharpe() const {
  if (day_ == INT64_MIN) return sharpe_;
  DailyReturns finished = *this;
  finished.close_day();
  return finished.sharpe_;
}

}  // namespace winiswin::report
