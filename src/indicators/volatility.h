// True range, ATR and NATR (Wilder), as TA-Lib computes them.
//   TR_t  = max(high_t − low_t, |close_{t−1} − high_t|, |close_{t−1} − low_t|)   (from the 2nd bar)
//   ATR   = mean of the first p TRs (at bar p), then (ATR·(p−1) + TR) / p
//   NATR  = (ATR / close)·100, 0 when close is below 1e-14
#pragma once

#include <cmath>

#include "indicators/talib_rules.h"

namespace winiswin::indicators {

inline double true_range(double high, double low, double previous_close) {
  double greatest = high - low;
  const double to_high = std::fabs(previous_close - high);
  if (to_high > greatest) greatest = to_high;
  const double to_low = std::fabs(previous_close - low);
  if (to_low > greatest) greatest = to_low;
  return greatest;
}

class Atr {
 public:
  explicit Atr(int period) : period_(period) {}

  void update(double high, double low, double close) {
    if (count_ == 0) {
      previous_close_ = close;
      count_ = 1;
      return;
    }
    true_range_ = true_range(high, low, previous_close_);
    previous_close_ = close;
    const auto period = static_cast<double>(period_);
    if (count_ <= period_) {
      sum_ += true_range_;
      if (count_++ == period_) value_ = sum_ / period;
    } else {
      value_ = ((value_ * (period - 1)) + true_range_) / period;
    }
    natr_ = is_talib_zero(close) ? 0.0 : (value_ / close) * 100.0;
  }
  [[nodiscard]] bool ready() const { return count_ > period_; }
  [[nodiscard]] double value() const { return ready() ? value_ : kNotReady; }
  [[nodiscard]] double natr() const { return ready() ? natr_ : kNotReady; }
  // The latest true range (from the second bar on).
  [[nodiscard]] double last_true_range() const { return count_ > 1 ? true_range_ : kNotReady; }

 private:
  int period_;
  int count_ = 0;
  double previous_close_ = 0.0;
  double true_range_ = 0.0;
  double sum_ = 0.0;
  double value_ = 0.0;
  double natr_ = 0.0;
};

}  // namespace winiswin::indicators
