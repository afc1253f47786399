#include "data/resample.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace winiswin {
namespace {

// The error for a bucket whose volume sums leave the fixed-point range (out of line: it
// never happens on real data, and building it inline slowed every fold).
[[gnu::noinline, gnu::cold]] Error sum_overflow(const Kline& partial, const Kline& bar) {
  for (const auto& sum : {partial.volume.checked_add(bar.volume), partial.taker_buy_volume.checked_add(bar.taker_buy_volume)}) {
    if (!sum) return sum.error();
  }
  for (const auto& sum : {partial.quote_volume.checked_add(bar.quote_volume),
                          partial.taker_buy_quote_volume.checked_add(bar.taker_buy_quote_volume)}) {
    if (!sum) return sum.error();
  }
  return make_error(ErrorCode::kOutOfRange, "volume sums exceed the fixed-point range");
}

// Folds `bar` into `partial` (the first bar of a bucket initialises it); false when a sum
// would overflow (`partial` is then unchanged).
bool accumulate(Kline& partial, const Kline& bar) {
  // The sums on raw values: this runs for every bar the engine reads.
  std::int64_t volume = 0, quote = 0, taker = 0, taker_quote = 0;
  const bool overflow = __builtin_add_overflow(partial.volume.raw(), bar.volume.raw(), &volume) |
                        __builtin_add_overflow(partial.quote_volume.raw(), bar.quote_volume.raw(), &quote) |
                        __builtin_add_overflow(partial.taker_buy_volume.raw(), bar.taker_buy_volume.raw(), &taker) |
                        __builtin_add_overflow(partial.taker_buy_quote_volume.raw(), bar.taker_buy_quote_volume.raw(), &taker_quote);
  if (overflow) [[unlikely]] {
    return false;
  }
  partial.high = std::max(partial.high, bar.high);
  partial.low = std::min(partial.low, bar.low);
  partial.close = bar.close;
  partial.volume = Quantity::from_raw(volume);
  partial.quote_volume = Notional::from_raw(quote);
  partial.taker_buy_volume = Quantity::from_raw(taker);
  partial.taker_buy_quote_volume = Notional::from_raw(taker_quote);
  partial.trades += bar.trades;
  return true;
}

}  // namespace

KlineAggregator::KlineAggregator(Interval fine, Interval coarse)
    : fine_ms_(duration_ms(fine)), coarse_ms_(duration_ms(coarse)), bars_per_bucket_(coarse_ms_ / fine_ms_) {
  if (!divides(fine, coarse)) {
    throw std::invalid_argument(fmt::format("{} bars cannot be built from {} bars", name_of(coarse), name_of(fine)));
  }
}

Result<const Kline*> KlineAggregator::push(const Kline& bar) {
  const bool same_bucket = partial_count_ != 0 && bar.open_time >= partial_.open_time && bar.open_time <= partial_.close_time;
  if (!same_bucket) {
    // A new bucket (an unfinished one before it is dropped); it can only complete if it
    // starts at its first constituent bar.
    // One division: the bar's offset into its bucket (floored for times before the epoch).
    const std::int64_t ms = to_ms(bar.open_time), length = coarse_ms_;
    std::int64_t offset = ms % length;
    if (offset < 0) offset += length;
    partial_ = bar;
    partial_.open_time = timestamp_from_ms(ms - offset);
    partial_.close_time = timestamp_from_ms(ms - offset + length - 1);
    partial_count_ = offset == 0 ? 1 : -1;  // -1: known incomplete, wait for the next bucket
  } else if (partial_count_ > 0) {
    if (!accumulate(partial_, bar)) [[unlikely]] {
      return sum_overflow(partial_, bar);
    }
    ++partial_count_;
  }
  if (partial_count_ == bars_per_bucket_) {
    partial_count_ = 0;
    return &partial_;
  }
  return nullptr;
}

Result<const Kline*> KlineAggregator::push_front(std::span<const Kline> bars, std::size_t& consumed) {
  const auto count = static_cast<std::size_t>(bars_per_bucket_);
  const std::int64_t length = coarse_ms_;
  // Strictly increasing bars whose first opens the bucket and whose count-th opens at the
  // bucket's last fine slot are the whole bucket: pushing them one by one gives the same bar.
  const bool whole_bucket = partial_count_ == 0 && bars.size() >= count && to_ms(bars[0].open_time) % length == 0 &&
                            to_ms(bars[count - 1].open_time) - to_ms(bars[0].open_time) == length - fine_ms_;
  if (!whole_bucket) {
    consumed = bars.empty() ? 0 : 1;
    return bars.empty() ? Result<const Kline*>{nullptr} : push(bars[0]);
  }
  partial_ = bars[0];
  partial_.close_time = timestamp_from_ms(to_ms(bars[0].open_time) + length - 1);
  for (std::size_t idx = 1; idx < count; ++idx) {
    if (!accumulate(partial_, bars[idx])) [[unlikely]] {
      partial_count_ = static_cast<std::int64_t>(idx);
      consumed = idx + 1;
      return sum_overflow(partial_, bars[idx]);
    }
  }
  consumed = count;
  return &partial_;
}

Result<ResampleResult> resample(const KlineSeries& fine, Interval coarse) {
  if (!divides(fine.interval, coarse)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("cannot resample {} bars to {}: {} is not a multiple of {}",
                                                               name_of(fine.interval), name_of(coarse), name_of(coarse),
                                                               name_of(fine.interval)));
  }
  ResampleResult result;
  result.series.symbol = fine.symbol;
  result.series.interval = coarse;
  result.series.fields = fine.fields;
  const std::int64_t per_bucket = duration_ms(coarse) / duration_ms(fine.interval);
  result.series.bars.reserve(fine.bars.size() / static_cast<std::size_t>(per_bucket) + 1);

  std::size_t bar_idx = 0;
  while (bar_idx < fine.bars.size()) {
    const Timestamp bucket = bar_open_time(fine.bars[bar_idx].open_time, coarse);
    const Timestamp bucket_end = bucket + duration_of(coarse);
    std::size_t end_idx = bar_idx;
    while (end_idx < fine.bars.size() && fine.bars[end_idx].open_time < bucket_end) ++end_idx;
    // Strictly increasing, aligned bars: the bucket is complete exactly when it has them all.
    if (static_cast<std::int64_t>(end_idx - bar_idx) != per_bucket) {
      result.incomplete.push_back(bucket);
      bar_idx = end_idx;
      continue;
    }
    Kline coarse_bar = fine.bars[bar_idx];
    coarse_bar.open_time = bucket;
    coarse_bar.close_time = bucket_end - Milliseconds{1};
    for (std::size_t part_idx = bar_idx + 1; part_idx < end_idx; ++part_idx) {
      if (!accumulate(coarse_bar, fine.bars[part_idx])) {
        return sum_overflow(coarse_bar, fine.bars[part_idx])
            .with_context(fmt::format("{} {} bar at {}", fine.symbol, name_of(coarse), format_utc(bucket)));
      }
    }
    result.series.bars.push_back(coarse_bar);
    bar_idx = end_idx;
  }
  return result;
}

}  // namespace winiswin
