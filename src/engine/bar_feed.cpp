#include "engine/bar_feed.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

namespace winiswin::engine {
namespace {
constexpr std::int64_t kMinute = 60'000;
}  // namespace

Result<SeriesFeed> SeriesFeed::make(const std::vector<KlineSeries>& series) {
  SeriesFeed feed;
  feed.first_ = Timestamp::max();
  feed.last_ = Timestamp::min();
  feed.interval_ = Interval::k5m;
  for (const KlineSeries& one : series) {
    if (one.interval != Interval::k1m && one.interval != Interval::k5m) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: the backtest walks 1m or 5m bars, got {}", one.symbol, name_of(one.interval)));
    }
    if (one.bars.empty()) continue;
    feed.interval_ = std::min(feed.interval_, one.interval);
    const std::int64_t step = duration_ms(one.interval);
    const auto off_grid = std::find_if(one.bars.begin(), one.bars.end(), [&](const Kline& bar) { return to_ms(bar.open_time) % step != 0; });
    if (off_grid != one.bars.end()) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: a bar at {} is off the {} grid", one.symbol,
                                                                 format_utc(off_grid->open_time), name_of(one.interval)));
    }
    const auto disorder = std::adjacent_find(one.bars.begin(), one.bars.end(),
                                             [](const Kline& a, const Kline& b) { return b.open_time <= a.open_time; });
    if (disorder != one.bars.end()) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("{}: bars out of order or repeated at {}", one.symbol, format_utc(disorder->open_time)));
    }
    if (std::find(feed.symbols_.begin(), feed.symbols_.end(), one.symbol) != feed.symbols_.end()) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: given twice", one.symbol));
    }
    feed.symbols_.push_back(one.symbol);
    feed.series_.push_back(&one);
    feed.cursors_.push_back(0);
    feed.first_ = std::min(feed.first_, one.bars.front().open_time);
    feed.last_ = std::max(feed.last_, one.bars.back().open_time);
  }
  if (feed.symbols_.empty()) return make_error(ErrorCode::kInvalidArgument, "no bars to backtest");
  return feed;
}

Result<std::span<const Kline>> SeriesFeed::bars(std::size_t index, Timestamp from, Timestamp to) {
  const std::vector<Kline>& all = series_.at(index)->bars;
  // The engine reads each series forward, span after span: search from where the last span
  // ended, widening the step (a cold binary search over months of 1m bars missed the cache
  // at every probe), and from the start only when asked for an earlier time.
  const auto before = [](Timestamp time) { return [time](const Kline& bar) { return bar.open_time < time; }; };
  const auto gallop = [&](std::size_t from_idx, Timestamp time) {
    std::size_t low = from_idx, step = 1;
    while (low + step < all.size() && before(time)(all[low + step])) {
      low += step;
      step *= 2;
    }
    const auto first = all.begin() + static_cast<std::ptrdiff_t>(low);
    const auto last = all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), low + step));
    return static_cast<std::size_t>(std::partition_point(first, last, before(time)) - all.begin());
  };
  std::size_t& cursor = cursors_.at(index);
  if (cursor > all.size() || (cursor > 0 && all[cursor - 1].open_time >= from)) cursor = 0;
  const std::size_t begin = gallop(cursor, from);
  // The end by a forward walk: the caller reads these bars next, and a walk streams them
  // into the cache where probes ahead would each wait for memory.
  std::size_t end = begin;
  while (end < all.size() && all[end].open_time < to) ++end;
  cursor = end;
  return std::span<const Kline>(all.data() + begin, end - begin);
}

SyntheticFeed::SyntheticFeed(const SyntheticMarket& market) : market_(market), spans_(market.instruments().size()) {
  for (std::size_t idx = 0; idx < market.instruments().size(); ++idx) {
    symbols_.push_back(market.instruments()[idx].symbol);
    streams_.emplace_back(market, idx);
  }
}

Timestamp SyntheticFeed::first() const { return market_.config().start; }

Timestamp SyntheticFeed::last() const {
  return market_.config().start + Milliseconds{static_cast<std::int64_t>(market_.minutes() - 1) * kMinute};
}

Result<std::span<const Kline>> SyntheticFeed::bars(std::size_t index, Timestamp from, Timestamp to) {
  const auto minute_of = [&](Timestamp time) {
    const std::int64_t offset = (to_ms(time) - to_ms(market_.config().start) + kMinute - 1) / kMinute;  // first open ≥ time
    return static_cast<std::size_t>(std::clamp<std::int64_t>(offset, 0, static_cast<std::int64_t>(market_.minutes())));
  };
  const std::size_t begin = minute_of(from), end = std::max(begin, minute_of(to));
  const auto started = std::chrono::steady_clock::now();
  SyntheticSymbolStream& stream = streams_.at(index);
  std::vector<Kline>& span = spans_[index];
  if (begin < stream.position()) stream = SyntheticSymbolStream(market_, index);
  span.clear();
  // Skipped bars are generated a day at a time and dropped: generating a long skip in one
  // call (the report's benchmark reads each symbol's last bar) left the span's capacity at
  // the whole series, per symbol, for the rest of the run.
  constexpr std::size_t kSkipChunk = 1'440;
  while (begin > stream.position()) {
    span.clear();
    stream.next(std::min(kSkipChunk, begin - stream.position()), span);
  }
  span.clear();
  stream.next(end - begin, span);
  generation_ns_ += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count();
  return std::span<const Kline>(span);
}

namespace {

class NarrowedFeed final : public BarFeed {
 public:
  NarrowedFeed(std::unique_ptr<BarFeed> inner, std::vector<std::size_t> kept, Timestamp from, Timestamp to)
      : inner_(std::move(inner)), kept_(std::move(kept)), from_(from), to_(to) {
    for (const std::size_t idx : kept_) {
      symbols_.push_back(inner_->symbols()[idx]);
      finest_ = std::min(finest_, inner_->interval_of(idx));
    }
  }

  [[nodiscard]] const std::vector<std::string>& symbols() const override { return symbols_; }
  [[nodiscard]] Interval interval() const override { return finest_; }
  [[nodiscard]] Interval interval_of(std::size_t index) const override { return inner_->interval_of(kept_.at(index)); }
  [[nodiscard]] Timestamp first() const override { return std::max(inner_->first(), from_); }
  [[nodiscard]] Timestamp last() const override { return std::min(inner_->last(), to_ - duration_of(interval())); }
  [[nodiscard]] Timestamp last_of(std::size_t index) const override {
    return std::min(inner_->last_of(kept_.at(index)), to_ - duration_of(interval_of(index)));  // its last bar ending by `to`
  }
  Result<std::span<const Kline>> bars(std::size_t index, Timestamp from, Timestamp to) override {
    from = std::max(from, from_);
    to = std::max(from, std::min(to, to_));
    return inner_->bars(kept_.at(index), from, to);
  }

 private:
  std::unique_ptr<BarFeed> inner_;
  std::vector<std::size_t> kept_;
  std::vector<std::string> symbols_;
  Timestamp from_, to_;
  Interval finest_ = Interval::k5m;  // of the kept symbols: the walk's step
};

}  // namespace

Result<std::unique_ptr<BarFeed>> narrow_feed(std::unique_ptr<BarFeed> feed, const std::vector<std::string>& symbols,
                                                Timestamp from, Timestamp to) {
  Interval coarsest = feed->interval();
  for (std::size_t idx = 0; idx < feed->symbols().size(); ++idx) coarsest = std::max(coarsest, feed->interval_of(idx));
  const std::int64_t step = duration_ms(coarsest);
  const auto on_boundary = [&](Timestamp time) {
    return time == Timestamp::min() || time == Timestamp::max() || to_ms(time) % step == 0;
  };
  if (!on_boundary(from) || !on_boundary(to)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("--from and --to fall on {} bar boundaries (the data's bars)", name_of(coarsest)));
  }
  if (from >= to) return make_error(ErrorCode::kInvalidArgument, "--from must be before --to");
  std::vector<std::size_t> kept;
  for (std::size_t idx = 0; idx < feed->symbols().size(); ++idx) {
    if (symbols.empty() || std::find(symbols.begin(), symbols.end(), feed->symbols()[idx]) != symbols.end()) kept.push_back(idx);
  }
  for (const std::string& symbol : symbols) {
    if (std::find(feed->symbols().begin(), feed->symbols().end(), symbol) == feed->symbols().end()) {
      return make_error(ErrorCode::kNotFound, fmt::format("{}: no data for this symbol", symbol));
    }
  }
  auto narrowed = std::make_unique<NarrowedFeed>(std::move(feed), std::move(kept), from, to);
  if (narrowed->first() > narrowed->last()) {
    return make_error(ErrorCode::kNotFound, fmt::format("no bars between {} and {}", format_utc(from), format_utc(to)));
  }
  return std::unique_ptr<BarFeed>(std::move(narrowed));
}

Result<KlineSeries> read_series(BarFeed& feed, std::size_t index, Timestamp from, Timestamp to) {
  KlineSeries series;
  series.symbol = feed.symbols().at(index);
  series.interval = feed.interval_of(index);
  WINISWIN_TRY(const std::span<const Kline> bars, feed.bars(index, from, to + Milliseconds{1}));
  series.bars.assign(bars.begin(), bars.end());
  return series;
}

}  // namespace winiswin::engine
