// Fair value gaps: three-bar imbalances, causal.
//
// Contract. Bar i (the middle bar) leaves a bullish gap when high[i−1] < low[i+1] and
// close[i] > open[i]: top = low[i+1], bottom = high[i−1]. Bearish mirror: low[i−1] >
// high[i+1] and close[i] < open[i]: top = low[i−1], bottom = high[i+1]. The gap is known
// when bar i+1 closes (its confirmation).
// Mitigation: the first bar j ≥ i+2 that trades back into the gap — low[j] ≤ top for a
// bullish gap, high[j] ≥ bottom for a bearish one. (This is smartmoneyconcepts'
// MitigatedIndex; it compares the same prices, exactly.)
// Open gaps wait in heaps ordered by the price that mitigates them, so each bar costs
// O(log g) per gap it closes and O(1) otherwise, however many gaps are open.
#pragma once

#include <optional>
#include <queue>
#include <vector>

#include "structure/bar_window.h"

namespace winiswin::structure {

struct FairValueGap {
  int direction = 0;    // +1 bullish, −1 bearish
  BarIndex middle = 0;  // bar i
  BarIndex confirmed = 0;
  Timestamp middle_time;
  Price top;
  Price bottom;
};

struct GapMitigation {
  FairValueGap gap;
  BarIndex bar = 0;  // the first bar back inside the gap
  Timestamp time;
};

struct FairValueGapUpdate {
  std::optional<FairValueGap> formed;
  std::vector<GapMitigation> mitigated;  // cleared and refilled each bar; reuses its capacity
};

class FairValueGapDetector {
 public:
  FairValueGapDetector();
  // Feeds the next closed bar. The returned reference is valid until the next update.
  const FairValueGapUpdate& update(const Kline& bar);
  [[nodiscard]] std::size_t open_gaps() const { return bullish_.size() + bearish_.size(); }

 private:
  struct HigherTopFirst {
    bool operator()(const FairValueGap& a, const FairValueGap& b) const { return a.top < b.top; }
  };
  struct LowerBottomFirst {
    bool operator()(const FairValueGap& a, const FairValueGap& b) const { return a.bottom > b.bottom; }
  };

  BarWindow window_{3};
  std::priority_queue<FairValueGap, std::vector<FairValueGap>, HigherTopFirst> bullish_;
  std::priority_queue<FairValueGap, std::vector<FairValueGap>, LowerBottomFirst> bearish_;
  FairValueGapUpdate update_;
};

}  // namespace winiswin::structure
