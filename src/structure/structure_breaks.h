// Break of structure (BOS) and change of character (CHOCH), causal.
//
// Contract. Take the last four swings l1..l4 (oldest first, levels = swing prices):
//   BOS  +1  types (low, high, low, high)   l1 < l3 < l2 < l4   (higher low, higher high)
//   BOS  −1  types (high, low, high, low)   l1 > l3 > l2 > l4
//   CHOCH +1 types (low, high, low, high)   l4 > l2 > l1 > l3   (a lower low, then a break up)
//   CHOCH −1 types (high, low, high, low)   l4 < l2 < l1 < l3
// The broken level is l2. The break is the first bar j ≥ l2.pivot + 2 whose close is beyond
// it (close > l2 for +1, close < l2 for −1). The event is emitted at the later of l4's
// confirmation and j, so nothing is known before it could have been.
// A replacement of l4 by a more extreme swing keeps a matched pattern matched (every
// inequality on l4 only loosens), so patterns are re-checked on each swing update and
// reported once per broken level.
// Difference from smartmoneyconcepts.bos_choch: it also cancels an earlier signal when a
// later one breaks first (a decision that needs the future); we report both. Every signal
// it keeps, we report with the same level, pivot and break bar (tests/structure).
#pragma once

#include <limits>
#include <optional>
#include <vector>

#include "structure/swings.h"

namespace winiswin::structure {

struct StructureBreak {
  int direction = 0;    // +1 bullish, −1 bearish
  bool is_choch = false;
  BarIndex pivot = 0;   // l2, whose level broke
  Timestamp pivot_time;
  Price level;
  BarIndex broken = 0;  // first close beyond the level
  BarIndex confirmed = 0;
  Timestamp confirmed_time;
};

class StructureBreakDetector {
 public:
  explicit StructureBreakDetector(int swing_right);
  // Call for every bar, after the swing detector has seen it, with what it returned.
  // Returns the breaks that became known at this bar (valid until the next call).
  const std::vector<StructureBreak>& update(const Kline& bar, const std::optional<SwingUpdate>& swing,
                                            const SwingDetector& swings);

 private:
  // A swing that may become l2: where its level first broke, once it has.
  struct TrackedSwing {
    Swing swing;
    std::optional<BarIndex> broken;
  };
  struct PendingBreak {
    StructureBreak signal;
  };
  void track(const Swing& swing, const std::optional<Swing>& replaced);
  void match_pattern(const SwingDetector& swings, const Kline& bar);
  void refresh_bounds();

  BarWindow window_;
  std::vector<TrackedSwing> tracked_;  // the last few swings only
  // No unbroken high lies below `lowest_open_high_`, no unbroken low above
  // `highest_open_low_`: a close between them breaks nothing, and most closes are there.
  Price lowest_open_high_ = Price::from_raw(std::numeric_limits<std::int64_t>::max());
  Price highest_open_low_ = Price::from_raw(std::numeric_limits<std::int64_t>::min());
  std::vector<StructureBreak> pending_;
  std::vector<BarIndex> reported_pivots_;
  std::vector<StructureBreak> out_;
};

}  // namespace winiswin::structure
