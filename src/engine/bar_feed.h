// Where a backtest's bars come from, one span of time at a time: the engine holds one span
// (an hour) per symbol, so memory grows with symbols, not with the length of the run. The
// bars are the finest the data has of each symbol, 1m (orders fill on the minute path) or 5m;
// a feed may mix them (a symbol with only 5m files among 1m ones): the backtest walks the
// finest, and a 5m bar is met at its open minute, as in a walk of 5m bars alone.
#pragma once

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/kline.h"
#include "data/synthetic_market.h"

namespace winiswin::engine {

class BarFeed {
 public:
  virtual ~BarFeed() = default;

  [[nodiscard]] virtual const std::vector<std::string>& symbols() const = 0;
  [[nodiscard]] virtual Interval interval() const = 0;  // the finest of the symbols' bars: 1m or 5m, the walk's step
  // Of symbols()[index]'s bars: interval() or coarser (5m among 1m symbols).
  [[nodiscard]] virtual Interval interval_of(std::size_t index) const { return (void)index, interval(); }
  // Open times of the earliest and the latest bar of any symbol.
  [[nodiscard]] virtual Timestamp first() const = 0;
  [[nodiscard]] virtual Timestamp last() const = 0;
  // Open time of symbols()[index]'s latest bar (its data may end before the others').
  [[nodiscard]] virtual Timestamp last_of(std::size_t index) const { return (void)index, last(); }
  // The bars of symbols()[index] opening in [from, to), in time order. The span stays valid
  // until the next call for the same index; calls for distinct indexes may run on
  // different threads at once.
  virtual Result<std::span<const Kline>> bars(std::size_t index, Timestamp from, Timestamp to) = 0;
};

// Series already in memory (files, tests): each 1m or 5m (mixed or not), on its interval's
// grid and strictly increasing; empty series are left out.
class SeriesFeed final : public BarFeed {
 public:
  static Result<SeriesFeed> make(const std::vector<KlineSeries>& series);

  [[nodiscard]] const std::vector<std::string>& symbols() const override { return symbols_; }
  [[nodiscard]] Interval interval() const override { return interval_; }
  [[nodiscard]] Timestamp first() const override { return first_; }
  [[nodiscard]] Timestamp last() const override { return last_; }
  [[nodiscard]] Interval interval_of(std::size_t index) const override { return series_.at(index)->interval; }
  [[nodiscard]] Timestamp last_of(std::size_t index) const override { return series_.at(index)->bars.back().open_time; }
  Result<std::span<const Kline>> bars(std::size_t index, Timestamp from, Timestamp to) override;

 private:
  std::vector<std::string> symbols_;
  std::vector<const KlineSeries*> series_;
  std::vector<std::size_t> cursors_;  // per series: where the last span ended (reads go forward)
  Interval interval_ = Interval::k1m;
  Timestamp first_, last_;
};

// The synthetic market, generated as it is read: a span per symbol in memory. Asking for a
// span before the last one read starts that symbol over (the bars are the same).
class SyntheticFeed final : public BarFeed {
 public:
  explicit SyntheticFeed(const SyntheticMarket& market);

  [[nodiscard]] const std::vector<std::string>& symbols() const override { return symbols_; }
  [[nodiscard]] Interval interval() const override { return Interval::k1m; }
  [[nodiscard]] Timestamp first() const override;
  [[nodiscard]] Timestamp last() const override;
  Result<std::span<const Kline>> bars(std::size_t index, Timestamp from, Timestamp to) override;
  // Thread time spent generating bars so far, summed over threads (seconds).
  [[nodiscard]] double generation_seconds() const { return static_cast<double>(generation_ns_.load()) * 1e-9; }

 private:
  const SyntheticMarket& market_;
  std::atomic<std::int64_t> generation_ns_{0};
  std::vector<std::string> symbols_;
  std::vector<SyntheticSymbolStream> streams_;
  std::vector<std::vector<Kline>> spans_;
};

// Another feed seen through a window: only `symbols` (every symbol when empty), and only
// bars opening in [from, to) (on the boundaries of the coarsest bars kept). Asking for a symbol the feed
// lacks is an error.
Result<std::unique_ptr<BarFeed>> narrow_feed(std::unique_ptr<BarFeed> feed, const std::vector<std::string>& symbols,
                                                Timestamp from, Timestamp to);

// All of one symbol's bars in [from, to] from any feed, as a series (the report's chart).
Result<KlineSeries> read_series(BarFeed& feed, std::size_t index, Timestamp from, Timestamp to);

}  // namespace winiswin::engine
