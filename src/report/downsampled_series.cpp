#include "report/downsampled_series.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace winiswin::report {

DownsampledSeries::DownsampledSeries(std::size_t max_buckets) : max_buckets_(max_buckets) {
  assert(max_buckets_ >= 2 && max_buckets_ % 2 == 0);
  buckets_.reserve(max_buckets_ + 1);
}

void DownsampledSeries::add(SeriesPoint point) {
  if (!buckets_.empty() && point.time <= buckets_.back().last.time) return;
  ++count_;
  if (buckets_.empty() || buckets_.back().points == width_) {
    buckets_.push_back(Bucket{point, point, point, point, 1});
    if (buckets_.size() > max_buckets_) halve();
    return;
  }
  Bucket& bucket = buckets_.back();
  // Strict comparisons: the earliest of equal lows (highs) is kept, so the result is the
  // same for the same input.
  if (point.value < bucket.low.value) bucket.low = point;
  if (point.value > bucket.high.value) bucket.high = point;
  bucket.last = point;
  ++bucket.points;
}

DownsampledSeries::Bucket DownsampledSeries::merged(const Bucket& earlier, const Bucket& later) {
  return Bucket{earlier.first, later.low.value < earlier.low.value ? later.low : earlier.low,
                later.high.value > earlier.high.value ? later.high : earlier.high, later.last, earlier.points + later.points};
}

// Called with max_buckets_ + 1 buckets (odd): the max_buckets_ full ones merge in pairs, the
// newest (one point) stays as the start of the next, twice as wide, bucket.
void DownsampledSeries::halve() {
  std::size_t kept = 0;
  for (std::size_t pair_idx = 0; pair_idx + 1 < buckets_.size(); pair_idx += 2) {
    buckets_[kept++] = merged(buckets_[pair_idx], buckets_[pair_idx + 1]);
  }
  if (buckets_.size() % 2 == 1) buckets_[kept++] = buckets_.back();
  buckets_.resize(kept);
  width_ *= 2;
}

std::vector<SeriesPoint> DownsampledSeries::points() const {
  std::vector<SeriesPoint> out;
  out.reserve(4 * buckets_.size());
  for (const Bucket& bucket : buckets_) {
    std::array<SeriesPoint, 4> four{bucket.first, bucket.low, bucket.high, bucket.last};
    std::sort(four.begin(), four.end(), [](const SeriesPoint& a, const SeriesPoint& b) { return a.time < b.time; });
    for (const SeriesPoint& point : four) {
      if (out.empty() || point.time > out.back().time) out.push_back(point);
    }
  }
  return out;
}

}  // namespace winiswin::report
