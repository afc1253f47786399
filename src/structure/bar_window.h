// The recent bars a structure detector looks back over, by absolute bar index.
#pragma once

#include <cstdint>

#include "core/kline.h"
#include "indicators/ring_buffer.h"

namespace winiswin::structure {

using BarIndex = std::int64_t;  // 0 for the first bar a detector saw

class BarWindow {
 public:
  explicit BarWindow(std::size_t capacity) : bars_(capacity) {}

  void push(const Kline& bar) {
    bars_.push(bar);
    ++count_;
  }
  // The bar with absolute index `index`; requires it to be within the window.
  [[nodiscard]] const Kline& at(BarIndex index) const {
    return bars_.back(static_cast<std::size_t>(count_ - 1 - index));
  }
  [[nodiscard]] bool holds(BarIndex index) const {
    return index >= 0 && index < count_ && count_ - 1 - index < static_cast<BarIndex>(bars_.size());
  }
  [[nodiscard]] BarIndex newest() const { return count_ - 1; }
  [[nodiscard]] BarIndex count() const { return count_; }

 private:
  indicators::RingBuffer<Kline> bars_;
  BarIndex count_ = 0;
};

}  // namespace winiswin::structure
