#include "structure/structure_breaks.h"

#include <algorithm>

namespace winiswin::structure {
namespace {

// A pattern's level may take many swings to break; 64 swings is days to weeks of bars.
constexpr std::size_t kTrackedSwings = 64;
constexpr std::size_t kReportedMemory = 64;

bool breaks(const Swing& swing, const Kline& bar) {
  return swing.type == SwingType::kHigh ? bar.close > swing.level : bar.close < swing.level;
}

}  // namespace

StructureBreakDetector::StructureBreakDetector(int swing_right) : window_(static_cast<std::size_t>(swing_right) + 1) {
  tracked_.reserve(kTrackedSwings + 1);
  pending_.reserve(kTrackedSwings);
  out_.reserve(4);
}

void StructureBreakDetector::track(const Swing& swing, const std::optional<Swing>& replaced) {
  if (replaced) {
    std::erase_if(tracked_, [&](const TrackedSwing& t) { return t.swing.pivot == replaced->pivot; });
  }
  // Bars pivot+2 .. now that closed before the swing was confirmed are still in the window.
  TrackedSwing tracked{swing, std::nullopt};
  for (BarIndex idx = swing.pivot + 2; idx <= window_.newest(); ++idx) {
    if (window_.holds(idx) && breaks(swing, window_.at(idx))) {
      tracked.broken = idx;
      break;
    }
  }
  tracked_.push_back(tracked);
  if (tracked_.size() > kTrackedSwings) tracked_.erase(tracked_.begin());
  refresh_bounds();
}

void StructureBreakDetector::refresh_bounds() {
  lowest_open_high_ = Price::from_raw(std::numeric_limits<std::int64_t>::max());
  highest_open_low_ = Price::from_raw(std::numeric_limits<std::int64_t>::min());
  for (const TrackedSwing& tracked : tracked_) {
    if (tracked.broken) continue;
    if (tracked.swing.type == SwingType::kHigh) {
      lowest_open_high_ = std::min(lowest_open_high_, tracked.swing.level);
    } else {
      highest_open_low_ = std::max(highest_open_low_, tracked.swing.level);
    }
  }
}

void StructureBreakDetector::match_pattern(const SwingDetector& swings, const Kline& bar) {
  const auto& list = swings.swings();
  if (list.size() < 4) return;
  const Swing& l1 = list[list.size() - 4];
  const Swing& l2 = list[list.size() - 3];
  const Swing& l3 = list[list.size() - 2];
  const Swing& l4 = list[list.size() - 1];
  if (std::find(reported_pivots_.begin(), reported_pivots_.end(), l2.pivot) != reported_pivots_.end()) return;
  for (const StructureBreak& pending : pending_) {
    if (pending.pivot == l2.pivot) return;
  }
  int direction = 0;
  bool is_choch = false;
  if (l4.type == SwingType::kHigh) {  // types alternate: (low, high, low, high)
    if (l1.level < l3.level && l3.level < l2.level && l2.level < l4.level) direction = 1;
    else if (l4.level > l2.level && l2.level > l1.level && l1.level > l3.level) direction = 1, is_choch = true;
  } else {
    if (l1.level > l3.level && l3.level > l2.level && l2.level > l4.level) direction = -1;
    else if (l4.level < l2.level && l2.level < l1.level && l1.level < l3.level) direction = -1, is_choch = true;
  }
  if (direction == 0) return;
  StructureBreak signal{direction, is_choch, l2.pivot, l2.pivot_time, l2.level, 0, 0, bar.open_time};
  pending_.push_back(signal);
}

const std::vector<StructureBreak>& StructureBreakDetector::update(const Kline& bar, const std::optional<SwingUpdate>& swing,
                                                                 const SwingDetector& swings) {
  out_.clear();
  window_.push(bar);
  const BarIndex now = window_.newest();
  bool tracked_changed = false;
  if (bar.close > lowest_open_high_ || bar.close < highest_open_low_) {
    for (TrackedSwing& tracked : tracked_) {
      if (!tracked.broken && now >= tracked.swing.pivot + 2 && breaks(tracked.swing, bar)) {
        tracked.broken = now;
        tracked_changed = true;
      }
    }
    refresh_bounds();
  }
  if (swing) {
    track(swing->swing, swing->replaced);
    match_pattern(swings, bar);
    tracked_changed = true;
  }
  // Every pending signal waited on a tracked, unbroken level after the last bar; unless a
  // level broke or the tracked list changed, they all still do (pending signals pile up
  // over weeks, and each look-up scans the tracked list).
  if (!tracked_changed) return out_;
  // A pending signal becomes known once its level has broken.
  for (auto it = pending_.begin(); it != pending_.end();) {
    const auto tracked = std::find_if(tracked_.begin(), tracked_.end(),
                                      [&](const TrackedSwing& t) { return t.swing.pivot == it->pivot; });
    if (tracked == tracked_.end()) {  // fell out of the tracked history: it can no longer be judged
      it = pending_.erase(it);
      continue;
    }
    if (!tracked->broken) {
      ++it;
      continue;
    }
    StructureBreak signal = *it;
    signal.broken = *tracked->broken;
    signal.confirmed = now;
    signal.confirmed_time = bar.open_time;
    out_.push_back(signal);
    reported_pivots_.push_back(signal.pivot);
    if (reported_pivots_.size() > kReportedMemory) reported_pivots_.erase(reported_pivots_.begin());
    it = pending_.erase(it);
  }
  return out_;
}

}  // namespace winiswin::structure
