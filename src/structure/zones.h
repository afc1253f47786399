// The price zones of one StructureSet as they appear and end — the qualified order blocks
// (the only blocks a strategy trades from: OrderBlockDetector::nearest_demand/supply) and the
// fair value gaps — read from each update's events, so that a chart can draw the structure a
// run actually used as rectangles from each zone's bar to its end, instead of computing
// another one.
//
// A zone is named by (kind, direction, start): a block's candle or a gap's middle bar is the
// zone of at most one block (gap) of that direction. It ends when a gap is mitigated, when a
// block is invalidated, or when a block is pushed out by newer ones
// (OrderBlockDetector::kMaxActive: that is silent in the events, so ZoneWatch looks before and
// after the update). A state started over (a gap in the data) ends all of them: the caller
// says so with ZoneChange::Type::kAllEnded.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/fixed_point.h"
#include "core/kline.h"
#include "structure/structure_set.h"

namespace winiswin::structure {

enum class ZoneKind : std::uint8_t { kOrderBlock, kFairValueGap };

struct ZoneChange {
  enum class Type : std::uint8_t { kAppeared, kEnded, kAllEnded };
  Type type = Type::kAppeared;
  ZoneKind kind = ZoneKind::kOrderBlock;
  int direction = 0;  // +1 bullish (demand, a gap up), −1 bearish
  Timestamp start;    // where: the open of the block's candle, of the gap's middle bar
  Timestamp time;     // the open of the bar it appeared with (it is known at that bar's close) or ended with
  Price top;          // the zone's bounds (set when it appears)
  Price bottom;
};

class ZoneWatch {
 public:
  // Call before the set's next update: remembers its oldest order block, which a newer one may push out.
  void before(const StructureSet& set);
  // Call after it, with the bar it was fed: appends the zones that appeared and ended.
  void after(const StructureSet& set, const Kline& bar, std::vector<ZoneChange>& out);

 private:
  std::optional<OrderBlock> oldest_;  // when the detector was full before the update
};

}  // namespace winiswin::structure
