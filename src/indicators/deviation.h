// Rolling standard deviations and Bollinger Bands, O(1) per value.
//
// TA-Lib computes the population variance from running sums, E[x²] − E[x]², and outputs
// a deviation of exactly 0 when that is below 1e-14. We replicate the formula (a two-pass
// variance would differ by up to 3e-7 relative because of the cancellation).
//   StdDev(p):   t1 += x; t2 += x²; var = t2/p − (t1/p)²; then the oldest leaves both sums.
//   Bollinger(p, k): middle = SMA(p) (running sum); var = t2/p − middle²; dev = √var;
//                upper = middle + dev·k, lower = middle − dev·k;
//                width = (upper − lower) / middle (a fraction of price).
#pragma once

#include <cmath>

#include "indicators/moving_average.h"

namespace winiswin::indicators {

class StdDev {
 public:
  explicit StdDev(int period) : period_(static_cast<double>(period)), window_(period) {}

  void update(double x) {
    sum_ += x;
    sum_squares_ += x * x;
    double oldest = 0.0;
    if (!window_.push(x, oldest)) return;
    const double mean = sum_ / period_;
    const double mean_square = sum_squares_ / period_;
    sum_ -= oldest;
    sum_squares_ -= oldest * oldest;
    variance_ = mean_square - mean * mean;
    ready_ = true;
  }
  [[nodiscard]] bool ready() const { return ready_; }
  // TA-Lib STDDEV: 0 below the epsilon.
  [[nodiscard]] double value() const {
    if (!ready_) return kNotReady;
    return is_talib_zero_or_negative(variance_) ? 0.0 : std::sqrt(variance_);
  }
  // Without TA-Lib's absolute epsilon, for series of small numbers (returns): √max(var, 0).
  [[nodiscard]] double value_unclamped() const { return ready_ ? std::sqrt(variance_ > 0 ? variance_ : 0.0) : kNotReady; }

 private:
  double period_;
  SlidingWindow window_;
  double sum_ = 0.0;
  double sum_squares_ = 0.0;
  double variance_ = 0.0;
  bool ready_ = false;
};

class Bollinger {
 public:
  Bollinger(int period, double deviations)
      : period_(static_cast<double>(period)), deviations_(deviations), window_(period) {}

  // The middle band is TA-Lib's SMA (sum += x; out = sum/p; sum −= oldest); the squares
  // run alongside in their own sum, as in TA_INT_stddev_using_precalc_ma.
  void update(double close) {
    sum_ += close;
    sum_squares_ += close * close;
    double oldest = 0.0;
    if (!window_.push(close, oldest)) return;
    middle_ = sum_ / period_;
    sum_ -= oldest;
    double mean_square = sum_squares_ / period_;
    sum_squares_ -= oldest * oldest;
    mean_square -= middle_ * middle_;
    const double deviation = is_talib_zero_or_negative(mean_square) ? 0.0 : std::sqrt(mean_square);
    const double offset = deviation * deviations_;
    upper_ = middle_ + offset;
    lower_ = middle_ - offset;
    ready_ = true;
  }
  [[nodiscard]] bool ready() const { return ready_; }
  [[nodiscard]] double upper() const { return ready_ ? upper_ : kNotReady; }
  [[nodiscard]] double middle() const { return ready_ ? middle_ : kNotReady; }
  [[nodiscard]] double lower() const { return ready_ ? lower_ : kNotReady; }
  [[nodiscard]] double width() const { return ready_ ? (upper_ - lower_) / middle_ : kNotReady; }

 private:
  double period_;
  double deviations_;
  SlidingWindow window_;
  double sum_ = 0.0;
  double sum_squares_ = 0.0;
  double middle_ = 0.0;
  double upper_ = 0.0;
  double lower_ = 0.0;
  bool ready_ = false;
};

}  // namespace winiswin::indicators
