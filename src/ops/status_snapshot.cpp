#include "ops/status_snapshot.h"

#include <algorithm>

namespace winiswin::ops {

void LatencyHistogram::observe(double seconds) {
  const auto bound = std::lower_bound(bounds_->begin(), bounds_->end(), seconds);
  if (bound != bounds_->end()) ++in_bucket_[static_cast<std::size_t>(bound - bounds_->begin())];
  ++count_;
  sum_ += seconds;
}

std::uint64_t LatencyHistogram::cumulative(std::size_t bucket_idx) const {
  if (bucket_idx >= bounds_->size()) return count_;
  std::uint64_t total = 0;
  for (std::size_t idx = 0; idx <= bucket_idx; ++idx) total += in_bucket_[idx];
  return total;
}

void StatusBoard::publish(StatusSnapshot snapshot) {
  // Allocated outside the lock: the lock covers the pointer swap only, and the old snapshot
  // (if no reader holds it) is freed after the lock is released.
  std::shared_ptr<const StatusSnapshot> fresh = std::make_shared<const StatusSnapshot>(std::move(snapshot));
  {
    const std::lock_guard lock(mutex_);
    latest_.swap(fresh);
  }
}

std::shared_ptr<const StatusSnapshot> StatusBoard::latest() const {
  const std::lock_guard lock(mutex_);
  return latest_;
}

std::optional<Timestamp> StatusBoard::load(const std::atomic<std::int64_t>& ms) {
  const std::int64_t value = ms.load(std::memory_order_relaxed);
  if (value == kNever) return std::nullopt;
  return timestamp_from_ms(value);
}

}  // namespace winiswin::ops
