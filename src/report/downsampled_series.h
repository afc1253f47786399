// A line series of any length kept in bounded memory for drawing: points come one at a time,
// in increasing time, and fall into buckets of `width` consecutive points. Each bucket keeps
// four of its points — the first, the lowest, the highest and the last (the M4 aggregation:
// drawn as a line, it covers the same pixels as the full series at one bucket per pixel
// column) — so a drawdown's trough and a peak survive any amount of downsampling, and the
// series' first and last points are always kept. When the buckets exceed their cap, adjacent
// pairs merge and the width doubles: memory is O(cap), whatever the run's length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace winiswin::report {

struct SeriesPoint {
  std::int64_t time = 0;  // seconds since the epoch (UTC), as the charting library reads it
  double value = 0;
  int tag = 0;            // carried along with the point (the equity's trading state)
  friend bool operator==(const SeriesPoint&, const SeriesPoint&) = default;
};

class DownsampledSeries {
 public:
  static constexpr std::size_t kDefaultMaxBuckets = 1024;  // ≤ 4096 points drawn per series
  // `max_buckets` ≥ 2, even (pairs merge).
  explicit DownsampledSeries(std::size_t max_buckets = kDefaultMaxBuckets);

  // `point.time` later than the last point's (an equal or earlier time is ignored: the
  // charting library needs strictly increasing times).
  void add(SeriesPoint point);

  // The kept points in time order, each once: at most 4 × max_buckets.
  [[nodiscard]] std::vector<SeriesPoint> points() const;
  [[nodiscard]] std::int64_t bucket_width() const { return width_; }  // input points per bucket
  [[nodiscard]] std::int64_t count() const { return count_; }         // points added
  [[nodiscard]] bool empty() const { return count_ == 0; }

 private:
  struct Bucket {
    SeriesPoint first, low, high, last;
    std::int64_t points = 0;
  };
  static Bucket merged(const Bucket& earlier, const Bucket& later);
  void halve();

  std::size_t max_buckets_;
  std::int64_t width_ = 1;
  std::int64_t count_ = 0;
  std::vector<Bucket> buckets_;  // every bucket but the last holds exactly width_ points
};

}  // namespace winiswin::report
