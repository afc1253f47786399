// Derived trend and activity measures (ours, not TA-Lib's; tested against brute force).
//   EmaSlope(p, n):   100 · (EMA_t − EMA_{t−n}) / EMA_{t−n} / n   — % per bar, averaged over n
//   PercentRank(w):   the fraction of the last w values (current included) that are ≤ the
//                     current one, in (0, 1]. The window is also kept sorted: reading the
//                     rank is a binary search (it was a scan of all w values on every
//                     bar); an update moves at most w doubles in one memmove.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "indicators/moving_average.h"

namespace winiswin::indicators {

class EmaSlope {
 public:
  EmaSlope(int ema_period, int lookback)
      : lookback_(lookback), ema_(ema_period), history_(static_cast<std::size_t>(lookback) + 1) {}

  void update(double close) {
    ema_.update(close);
    if (ema_.ready()) history_.push(ema_.value());
  }
  [[nodiscard]] bool ready() const { return history_.full(); }
  [[nodiscard]] double value() const {
    if (!ready()) return kNotReady;
    const double then = history_.back(static_cast<std::size_t>(lookback_));
    return 100.0 * (history_.back(0) - then) / then / static_cast<double>(lookback_);
  }

 private:
  int lookback_;
  Ema ema_;
  RingBuffer<double> history_;
};

class PercentRank {
 public:
  explicit PercentRank(int window) : window_(static_cast<std::size_t>(window)) { sorted_.reserve(window_.capacity()); }

  void update(double x) {
    if (window_.full()) forget(window_.oldest());
    window_.push(x);
    current_ = x;
    // NaN is ≤ nothing and nothing is ≤ NaN: it takes a place in the window, not in the order.
    if (!std::isnan(x)) sorted_.insert(std::upper_bound(sorted_.begin(), sorted_.end(), x), x);
  }
  [[nodiscard]] bool ready() const { return window_.full(); }
  [[nodiscard]] double value() const {
    if (!ready()) return kNotReady;
    const auto at_or_below =
        std::isnan(current_) ? 0 : std::upper_bound(sorted_.begin(), sorted_.end(), current_) - sorted_.begin();
    return static_cast<double>(at_or_below) / static_cast<double>(window_.capacity());
  }

 private:
  void forget(double x) {
    if (!std::isnan(x)) sorted_.erase(std::lower_bound(sorted_.begin(), sorted_.end(), x));
  }

  RingBuffer<double> window_;
  std::vector<double> sorted_;  // the window's non-NaN values, ascending
  double current_ = 0.0;
};

}  // namespace winiswin::indicators
