// Exact resampling of klines to a coarser interval, the way Binance builds its own bars:
//   open = first open, high = max high, low = min low, close = last close,
//   volume, quote volume, trades and taker volumes = sums,
//   open time = bucket start (UTC epoch aligned), close time = bucket end − 1 ms.
// A coarse bar is emitted only when every constituent bar is present. Buckets with a
// missing bar (a gap, or the unfinished bucket at either end of the data) are skipped and
// listed in `incomplete`, so a resampled series never hides a hole.
#pragma once

#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "core/error.h"
#include "core/kline.h"

namespace winiswin {

struct ResampleResult {
  KlineSeries series;
  std::vector<Timestamp> incomplete;  // open times of coarse buckets skipped for missing bars
};

Result<ResampleResult> resample(const KlineSeries& fine, Interval coarse);

// Streaming form for the engine's feed: push fine bars in order, get each coarse bar as it
// completes. A bar that skips ahead drops the partial bucket (see `resample`).
class KlineAggregator {
 public:
  KlineAggregator(Interval fine, Interval coarse);
  // The completed coarse bar when `bar` is the last of its bucket, else null. The bar is
  // the aggregator's own: valid until the next push.
  Result<const Kline*> push(const Kline& bar);
  // The same as pushing the leading bars of `bars` one by one up to the first completed
  // coarse bar (or one bar when none completes): a whole bucket at once when the bars are
  // exactly one, the common case of complete data. `consumed` says how many were taken.
  Result<const Kline*> push_front(std::span<const Kline> bars, std::size_t& consumed);
  [[nodiscard]] std::int64_t bars_per_bucket() const { return bars_per_bucket_; }

 private:
  std::int64_t fine_ms_;
  std::int64_t coarse_ms_;
  std::int64_t bars_per_bucket_;
  Kline partial_{};
  std::int64_t partial_count_ = 0;
};

}  // namespace winiswin
