// RSI with Wilder smoothing, exactly as TA-Lib computes it.
//   change_t = close_t − close_{t−1}; gain = max(change, 0), loss = max(−change, 0)
//   seed (at the p-th change): avg_gain, avg_loss = simple means of the first p changes
//   then avg = (avg·(p−1) + x) / p, and RSI = 100·(avg_gain / (avg_gain + avg_loss)),
//   0 when avg_gain + avg_loss is below 1e-14.
// First value at input index p (it needs p changes).
#pragma once

#include "indicators/talib_rules.h"

namespace winiswin::indicators {

class Rsi {
 public:
  explicit Rsi(int period) : period_(period) {}

  void update(double close) {
    if (count_ == 0) {
      previous_ = close;
      count_ = 1;
      return;
    }
    const double change = close - previous_;
    previous_ = close;
    const auto period = static_cast<double>(period_);
    if (count_ <= period_) {  // seeding: plain sums of the first p changes
      if (change < 0) loss_ -= change; else gain_ += change;
      if (count_++ < period_) return;
      loss_ /= period;
      gain_ /= period;
    } else {
      loss_ *= period - 1;
      gain_ *= period - 1;
      if (change < 0) loss_ -= change; else gain_ += change;
      loss_ /= period;
      gain_ /= period;
    }
    const double total = gain_ + loss_;
    value_ = is_talib_zero(total) ? 0.0 : 100.0 * (gain_ / total);
  }
  [[nodiscard]] bool ready() const { return count_ > period_; }
  [[nodiscard]] double value() const { return ready() ? value_ : kNotReady; }

 private:
  int period_;
  int count_ = 0;  // inputs seen, saturating at period + 1
  double previous_ = 0.0;
  double gain_ = 0.0;
  double loss_ = 0.0;
  double value_ = 0.0;
};

}  // namespace winiswin::indicators
