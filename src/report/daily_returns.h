// The run's daily returns, gathered point by point in bounded memory: their distribution (a
// fixed histogram) and the rolling Sharpe ratio over the last kRollingDays days (a series,
// downsampled like the equity).
//
// A day is a UTC calendar day; a point at the 5m close t belongs to the day of t − 1 ms (the
// close at 00:00 ends the previous day). A day's return is its last equity over the previous
// day's with data (the starting equity before the first) − 1. The last day counts as finished
// when the results are read.
//
//   rolling Sharpe   mean / sd of the last kRollingDays daily returns × √365 (rf = 0; 0 when
//                    sd is 0), drawn at each day's last point once kRollingDays days are in
#pragma once

#include <array>
#include <cstdint>
#include <deque>

#include "core/time.h"
#include "report/downsampled_series.h"

namespace winiswin::report {

class DailyReturns {
 public:
  static constexpr int kRollingDays = 30;
  static constexpr double kBinWidth = 0.005;  // 0.5 % of equity per bin
  static constexpr int kBins = 40;            // −10 % … +10 %; the outer bins hold everything beyond
  using Histogram = std::array<std::int64_t, kBins>;

  DailyReturns(double starting_equity, std::size_t max_buckets);
  void add(Timestamp time, double equity);  // in time order

  [[nodiscard]] Histogram histogram() const;
  [[nodiscard]] DownsampledSeries rolling_sharpe() const;
  // The return range of bin `index`, as fractions: [low, high).
  static double bin_low(int index) { return (index - kBins / 2) * kBinWidth; }
  static int bin_of(double daily_return);

 private:
  struct Window {
    std::deque<double> returns;
    [[nodiscard]] double sharpe() const;
  };
  void close_day();

  double previous_end_;  // equity at the end of the last finished day
  std::int64_t day_ = INT64_MIN;
  double day_equity_ = 0;
  std::int64_t day_time_ = 0;  // the day's last point, seconds
  Histogram histogram_{};
  Window window_;
  DownsampledSeries sharpe_;
};

}  // namespace winiswin::report
