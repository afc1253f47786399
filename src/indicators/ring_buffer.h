// A fixed-capacity ring of the last N values: allocated once, never on the hot path.
#pragma once

#include <cstddef>
#include <vector>

namespace winiswin::indicators {

template <typename T>
class RingBuffer {
 public:
  explicit RingBuffer(std::size_t capacity) : values_(capacity) {}

  // Appends `value`; once full, the oldest value is overwritten.
  void push(T value) {
    values_[head_] = value;
    head_ = head_ + 1 == values_.size() ? 0 : head_ + 1;
    if (size_ < values_.size()) ++size_;
  }
  // The value pushed `age` pushes ago (0 = the newest). Requires age < size().
  // (A conditional subtraction, not `%`: structure detectors read dozens of bars per update
  // and an integer division per read was most of their cost.)
  [[nodiscard]] const T& back(std::size_t age) const {
    const std::size_t capacity = values_.size();
    std::size_t index = head_ + capacity - 1 - age;  // in [head_, head_ + capacity − 1]
    if (index >= capacity) index -= capacity;
    return values_[index];
  }
  // The oldest value, the next to be overwritten when full.
  [[nodiscard]] T oldest() const { return size_ < values_.size() ? values_[0] : values_[head_]; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t capacity() const { return values_.size(); }
  [[nodiscard]] bool full() const { return size_ == values_.size(); }
  // Contiguous storage in no particular order (for order-free scans).
  [[nodiscard]] const std::vector<T>& storage() const { return values_; }

 private:
  std::vector<T> values_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace winiswin::indicators
