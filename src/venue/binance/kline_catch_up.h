// Which klines to ask Binance for, and when the stream has skipped some. Pure planning: the
// client sends the requests (through its RequestBudget) and feeds the answers to the symbol
// states; nothing here talks to the network.
//
//   catch-up   only closed bars after the last one held (a cold start: the last
//              `warmup_bars`), in requests of at most `bars_per_request` — 1000 by default:
//              a 1000-bar request weighs 5 and a 1500-bar one 10, so 1000 is the cheaper
//              bar per weight (spec/rest.md #4)
//   continuity a closed bar from the stream whose open time is not the next one expected
//              opens a gap: the bars in between are fetched over REST (after a reconnect,
//              or a message the server never sent); a bar seen before is a duplicate
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/interval.h"
#include "core/time.h"

namespace winiswin::binance {

struct KlineRequest {
  std::string symbol;
  Interval interval = Interval::k1m;
  Timestamp start;  // startTime: the first bar's open time
  Timestamp end;    // endTime: the last bar's open time
  int limit = 0;    // the bars in [start, end]
  [[nodiscard]] int weight() const;
};

struct CatchUpConfig {
  int warmup_bars = 300;  // a cold start's history per interval
  int bars_per_request = 1000;
};

// The requests that bring (symbol, interval) from `last_held` (the open time of the last bar
// held; none: a cold start) up to the last bar closed at `now`. Empty when nothing is missing.
std::vector<KlineRequest> plan_catch_up(const std::string& symbol, Interval interval, std::optional<Timestamp> last_held,
                                        Timestamp now, const CatchUpConfig& config = {});

// What a closed bar from the stream means for the series it belongs to.
enum class BarArrival { kNext, kAfterGap, kDuplicate, kFirst };

class BarContinuity {
 public:
  // A closed bar of (symbol, interval) opened at `open`; kAfterGap fills `missing` with the
  // open times of the first and last bar skipped.
  BarArrival on_closed(const std::string& symbol, Interval interval, Timestamp open,
                       std::optional<std::pair<Timestamp, Timestamp>>* missing = nullptr);
  // The last bar held (set by the catch-up as well as by the stream).
  [[nodiscard]] std::optional<Timestamp> last_held(const std::string& symbol, Interval interval) const;
  void set_last_held(const std::string& symbol, Interval interval, Timestamp open);

 private:
  std::map<std::pair<std::string, Interval>, Timestamp, std::less<>> last_;
};

}  // namespace winiswin::binance
