#include "structure/fair_value_gaps.h"

namespace winiswin::structure {

FairValueGapDetector::FairValueGapDetector() { update_.mitigated.reserve(16); }

const FairValueGapUpdate& FairValueGapDetector::update(const Kline& bar) {
  update_.formed.reset();
  update_.mitigated.clear();
  window_.push(bar);
  const BarIndex now = window_.newest();

  // Mitigation first: gaps confirmed at earlier bars are checked from bar i+2 on.
  while (!bullish_.empty() && bar.low <= bullish_.top().top) {
    update_.mitigated.push_back(GapMitigation{bullish_.top(), now, bar.open_time});
    bullish_.pop();
  }
  while (!bearish_.empty() && bar.high >= bearish_.top().bottom) {
    update_.mitigated.push_back(GapMitigation{bearish_.top(), now, bar.open_time});
    bearish_.pop();
  }

  if (now < 2) return update_;
  const Kline& before = window_.at(now - 2);
  const Kline& middle = window_.at(now - 1);
  if (before.high < bar.low && middle.close > middle.open) {
    update_.formed = FairValueGap{1, now - 1, now, middle.open_time, bar.low, before.high};
    bullish_.push(*update_.formed);
  } else if (before.low > bar.high && middle.close < middle.open) {
    update_.formed = FairValueGap{-1, now - 1, now, middle.open_time, before.low, bar.high};
    bearish_.push(*update_.formed);
  }
  return update_;
}

}  // namespace winiswin::structure
