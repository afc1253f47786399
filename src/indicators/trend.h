// Derived trend and activity measures (ours, not TA-Lib's; tested against brute force).
//   EmaSlope(p, n):   100 · (EMA_t − EMA_{t−n}) / EMA_{t−n} / n   — % per bar, averaged over n
//   PercentRank(w):   the fraction of the last w values (current included) that are ≤ the
//                     current one, in (0, 1]; O(w) per value with w fixed (default 100),
//                     a tight scan of contiguous doubles.
#pragma once

#include <cstddef>
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

// How many of `values` are ≤ `limit` (NaN counts as neither).
std::size_t count_at_or_below(const double* values, std::size_t size, double limit);
// Every implementation of it this CPU can run (plain, SSE2, AVX2), for tests.
struct CountImplementation {
  const char* name;
  std::size_t (*count)(const double* values, std::size_t size, double limit);
};
std::vector<CountImplementation> count_at_or_below_implementations();

class PercentRank {
 public:
  explicit PercentRank(int window) : window_(static_cast<std::size_t>(window)) {}

  // Counted once per update (a scan of the window), however often the value is read.
  void update(double x) {
    window_.push(x);
    if (!ready()) return;
    const std::vector<double>& values = window_.storage();
    value_ = static_cast<double>(count_at_or_below(values.data(), values.size(), x)) / static_cast<double>(window_.capacity());
  }
  [[nodiscard]] bool ready() const { return window_.full(); }
  [[nodiscard]] double value() const { return ready() ? value_ : kNotReady; }

 private:
  RingBuffer<double> window_;
  double value_ = 0.0;
};

}  // namespace winiswin::indicators
