#include "venue/loopback/market_data.h"

#include <algorithm>
#include <queue>

#include <fmt/format.h>

namespace winiswin::loopback {
namespace {

// The first bar of `bars` opening at or after `time`.
std::size_t first_at_or_after(std::span<const Kline> bars, Timestamp time) {
  const auto found =
      std::lower_bound(bars.begin(), bars.end(), time, [](const Kline& bar, Timestamp at) { return bar.open_time < at; });
  return static_cast<std::size_t>(found - bars.begin());
}

void merge_into(Kline& bucket, const Kline& minute) {
  bucket.high = std::max(bucket.high, minute.high);
  bucket.low = std::min(bucket.low, minute.low);
  bucket.close = minute.close;
  bucket.volume += minute.volume;
  bucket.quote_volume += minute.quote_volume;
  bucket.trades += minute.trades;
  bucket.taker_buy_volume += minute.taker_buy_volume;
  bucket.taker_buy_quote_volume += minute.taker_buy_quote_volume;
}

}  // namespace

std::vector<Kline> aggregate(std::span<const Kline> minutes, Interval interval, std::size_t max_bars) {
  std::vector<Kline> out;
  const Milliseconds length = duration_of(interval);
  for (const Kline& minute : minutes) {
    const Timestamp bucket_open = bar_open_time(minute.open_time, interval);
    if (!out.empty() && out.back().open_time == bucket_open) {
      merge_into(out.back(), minute);
      continue;
    }
    if (out.size() == max_bars) break;
    Kline bucket = minute;
    bucket.open_time = bucket_open;
    bucket.close_time = bucket_open + length - Milliseconds{1};
    out.push_back(bucket);
  }
  return out;
}

Result<MarketData> MarketData::create(std::vector<KlineSeries> minutes) {
  MarketData market;
  for (KlineSeries& series : minutes) {
    if (series.symbol.empty()) return make_error(ErrorCode::kInvalidArgument, "loopback market: a kline series has no symbol");
    if (series.interval != Interval::k1m) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("loopback market: {} bars are {}, the venue needs 1m bars", series.symbol, name_of(series.interval)));
    }
    if (market.index_.contains(series.symbol)) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("loopback market: {} is given twice", series.symbol));
    }
    for (std::size_t idx = 1; idx < series.bars.size(); ++idx) {
      if (series.bars[idx].open_time <= series.bars[idx - 1].open_time) {
        return make_error(ErrorCode::kInvalidArgument, fmt::format("loopback market: {} bar {} at {} is not after the one before",
                                                                   series.symbol, idx, format_utc(series.bars[idx].open_time)));
      }
    }
    market.index_.emplace(series.symbol, market.series_.size());
    market.series_.push_back(std::move(series));
  }
  market.released_.assign(market.series_.size(), 0);
  return market;
}

std::optional<std::size_t> MarketData::index_of(std::string_view symbol) const {
  const auto found = index_.find(symbol);
  return found == index_.end() ? std::nullopt : std::optional<std::size_t>(found->second);
}

void MarketData::release_until(Timestamp now, const std::function<void(std::size_t, const Kline&)>& on_bar) {
  using Next = std::pair<Timestamp, std::size_t>;  // (open time, symbol): the earliest first
  std::priority_queue<Next, std::vector<Next>, std::greater<>> due;
  const auto push_next = [&](std::size_t idx) {
    const std::vector<Kline>& bars = series_[idx].bars;
    if (released_[idx] < bars.size() && bars[released_[idx]].close_time < now) due.emplace(bars[released_[idx]].open_time, idx);
  };
  for (std::size_t idx = 0; idx < series_.size(); ++idx) push_next(idx);
  while (!due.empty()) {
    const std::size_t idx = due.top().second;
    due.pop();
    on_bar(idx, series_[idx].bars[released_[idx]++]);
    push_next(idx);
  }
}

std::span<const Kline> MarketData::closed(std::size_t idx) const {
  return std::span<const Kline>(series_[idx].bars.data(), released_[idx]);
}

std::optional<Price> MarketData::last_close(std::size_t idx) const {
  if (released_[idx] == 0) return std::nullopt;
  return series_[idx].bars[released_[idx] - 1].close;
}

std::vector<Kline> MarketData::klines(std::size_t idx, Interval interval, const KlineQuery& query, Timestamp now) const {
  const std::span<const Kline> bars = closed(idx);
  const Milliseconds length = duration_of(interval);
  // The last bucket served: closed by now (open + length ≤ now) and opening by endTime.
  Timestamp last_open = bar_open_time(now - length, interval);
  if (query.end) last_open = std::min(last_open, bar_open_time(*query.end, interval));
  const std::size_t end = first_at_or_after(bars, last_open + length);
  if (query.start) {
    Timestamp first_open = bar_open_time(*query.start, interval);
    if (first_open < *query.start) first_open += length;  // bars open at or after startTime
    const std::size_t begin = first_at_or_after(bars, first_open);
    if (begin >= end) return {};
    return aggregate(bars.subspan(begin, end - begin), interval, query.limit);
  }
  // The most recent `limit` buckets: walk back over the minutes until one more would start.
  std::size_t begin = end;
  std::size_t buckets = 0;
  std::optional<Timestamp> bucket;
  while (begin > 0) {
    const Timestamp open = bar_open_time(bars[begin - 1].open_time, interval);
    if (open != bucket) {
      if (buckets == query.limit) break;
      ++buckets;
      bucket = open;
    }
    --begin;
  }
  return aggregate(bars.subspan(begin, end - begin), interval, query.limit);
}

std::optional<DayStatistics> MarketData::day_statistics(std::size_t idx, Timestamp now) const {
  const std::span<const Kline> bars = closed(idx);
  const std::size_t begin = first_at_or_after(bars, now - Milliseconds{24 * 3'600'000});
  if (begin >= bars.size()) return std::nullopt;
  DayStatistics stats{bars[begin].open, bars[begin].high, bars[begin].low, bars.back().close, {}, {}, 0,
                      bars[begin].open_time, bars.back().close_time};
  for (const Kline& bar : bars.subspan(begin)) {
    stats.high = std::max(stats.high, bar.high);
    stats.low = std::min(stats.low, bar.low);
    stats.volume += bar.volume;
    stats.quote_volume += bar.quote_volume;
    stats.trades += bar.trades;
  }
  return stats;
}

}  // namespace winiswin::loopback
