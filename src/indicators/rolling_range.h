// The highest high and lowest low of the last N bars (a Donchian channel), updated bar by
// bar in amortised O(1) with no allocation after construction.
//
// Written by hand: TA-Lib's MAX/MIN rescan the window whenever the extreme leaves it (O(N)),
// and neither Boost nor the standard library has a sliding-window extreme. Each side keeps a
// monotonic queue of the bars that can still become the extreme (a bar with a later, higher
// high can never be the highest again), in a ring of N slots: every bar enters and leaves
// each queue once.
#pragma once

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace winiswin::indicators {

class RollingRange {
 public:
  // A window of 0 is taken as 1 (the last bar alone).
  explicit RollingRange(std::size_t window) : window_(window > 0 ? window : 1), highs_(window_), lows_(window_) {}

  // Feeds the next bar's high and low (high ≥ low, checked by the caller's bar validation).
  void update(double high, double low) {
    ++bars_;
    highs_.push(bars_, window_, high, [](double kept, double next) { return kept > next; });
    lows_.push(bars_, window_, low, [](double kept, double next) { return kept < next; });
  }
  // Over the last min(N, bars seen) bars; NaN before the first bar.
  [[nodiscard]] double high() const { return highs_.front(); }
  [[nodiscard]] double low() const { return lows_.front(); }
  [[nodiscard]] std::size_t window() const { return window_; }
  // min(N, bars seen): how many bars high() and low() cover.
  [[nodiscard]] std::size_t bars_covered() const { return std::min(static_cast<std::size_t>(bars_), window_); }

 private:
  struct Entry {
    std::int64_t bar = 0;  // 1-based count of the bar it came from
    double value = 0.0;
  };
  // Values strictly more extreme from back to front, bars increasing from front to back.
  class MonotonicQueue {
   public:
    explicit MonotonicQueue(std::size_t capacity) : ring_(capacity) {}
    template <typename StrictlyBeyond>
    void push(std::int64_t bar, std::size_t window, double value, StrictlyBeyond beyond) {
      // The front leaves first, so that at most `window` entries are ever held.
      if (size_ > 0 && ring_[head_].bar <= bar - static_cast<std::int64_t>(window)) pop_front();
      while (size_ > 0 && !beyond(back().value, value)) --size_;  // outdone by the new bar (ties: the newer stays longer)
      ring_[slot(size_)] = Entry{bar, value};
      ++size_;
    }
    [[nodiscard]] double front() const { return size_ > 0 ? ring_[head_].value : std::numeric_limits<double>::quiet_NaN(); }

   private:
    [[nodiscard]] std::size_t slot(std::size_t offset) const {
      const std::size_t index = head_ + offset;
      return index >= ring_.size() ? index - ring_.size() : index;
    }
    [[nodiscard]] const Entry& back() const { return ring_[slot(size_ - 1)]; }
    void pop_front() {
      head_ = slot(1);
      --size_;
    }
    std::vector<Entry> ring_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
  };

  std::size_t window_;
  std::int64_t bars_ = 0;
  MonotonicQueue highs_;
  MonotonicQueue lows_;
};

}  // namespace winiswin::indicators
