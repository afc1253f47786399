// Exponential and simple moving averages, streaming, O(1) per value.
//
// EMA(p): k = 2/(p+1). The first value, at the p-th input, is the simple mean of the
// first p inputs (summed left to right, then divided by p); after that
//   ema = (x − ema)·k + ema            (TA-Lib's operation order, bit-exact)
// SMA(p): TA-Lib's running sum: sum += x; out = sum/p; sum −= the oldest of the window.
#pragma once

#include <vector>

#include "indicators/ring_buffer.h"
#include "indicators/talib_rules.h"

namespace winiswin::indicators {

class Ema {
 public:
  explicit Ema(int period) : period_(period), k_(2.0 / static_cast<double>(period + 1)) {}

  void update(double x) {
    if (count_ < period_) {
      seed_sum_ += x;
      if (++count_ == period_) value_ = seed_sum_ / static_cast<double>(period_);
      return;
    }
    value_ = ((x - value_) * k_) + value_;
  }
  [[nodiscard]] bool ready() const { return count_ >= period_; }
  [[nodiscard]] double value() const { return ready() ? value_ : kNotReady; }
  [[nodiscard]] int period() const { return period_; }

 private:
  int period_;
  double k_;
  int count_ = 0;
  double seed_sum_ = 0.0;
  double value_ = 0.0;
};

// The window of the last p inputs for running-sum indicators (SMA, Bollinger, STDDEV):
// `push` stores x and returns the oldest value of the window it completes, the one that
// leaves the running sums after this output. Cheaper than RingBuffer on this hot path:
// no size bookkeeping once full.
class SlidingWindow {
 public:
  explicit SlidingWindow(int period) : values_(static_cast<std::size_t>(period)) {}

  // Returns true once the window holds `period` values; `oldest` is then set.
  bool push(double x, double& oldest) {
    values_[head_] = x;
    head_ = head_ + 1 == values_.size() ? 0 : head_ + 1;
    if (filled_ < values_.size() && ++filled_ < values_.size()) return false;
    oldest = values_[head_];
    return true;
  }

 private:
  std::vector<double> values_;
  std::size_t head_ = 0;
  std::size_t filled_ = 0;
};

class Sma {
 public:
  explicit Sma(int period) : period_(static_cast<double>(period)), window_(period) {}

  void update(double x) {
    sum_ += x;
    double oldest = 0.0;
    if (!window_.push(x, oldest)) return;
    value_ = sum_ / period_;
    sum_ -= oldest;  // the value that leaves the window with the next input
    ready_ = true;
  }
  [[nodiscard]] bool ready() const { return ready_; }
  [[nodiscard]] double value() const { return ready_ ? value_ : kNotReady; }

 private:
  double period_;
  SlidingWindow window_;
  double sum_ = 0.0;
  double value_ = 0.0;
  bool ready_ = false;
};

}  // namespace winiswin::indicators
