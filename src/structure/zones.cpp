#include "structure/zones.h"

#include <algorithm>

namespace winiswin::structure {
namespace {

bool same_block(const OrderBlock& a, const OrderBlock& b) { return a.candle == b.candle && a.direction == b.direction; }

ZoneChange change_of(ZoneChange::Type type, ZoneKind kind, const StructureEvent& event, Timestamp time) {
  return ZoneChange{type, kind, event.direction, event.time, time, event.top, event.bottom};
}

}  // namespace

void ZoneWatch::before(const StructureSet& set) {
  const std::vector<OrderBlock>& active = set.order_blocks().active();
  oldest_.reset();
  if (active.size() >= OrderBlockDetector::kMaxActive) oldest_ = active.front();
}

void ZoneWatch::after(const StructureSet& set, const Kline& bar, std::vector<ZoneChange>& out) {
  using Type = ZoneChange::Type;
  bool oldest_invalidated = false;
  for (const StructureEvent& event : set.events()) {
    switch (event.kind) {
      case EventKind::kFairValueGap: out.push_back(change_of(Type::kAppeared, ZoneKind::kFairValueGap, event, bar.open_time)); break;
      case EventKind::kFairValueGapMitigated: out.push_back(change_of(Type::kEnded, ZoneKind::kFairValueGap, event, event.known_time)); break;
      case EventKind::kOrderBlock:
        if (event.flag) out.push_back(change_of(Type::kAppeared, ZoneKind::kOrderBlock, event, event.known_time));
        break;
      case EventKind::kOrderBlockInvalidated:
        if (oldest_ && oldest_->direction == event.direction && oldest_->candle_time == event.time) oldest_invalidated = true;
        if (event.flag) out.push_back(change_of(Type::kEnded, ZoneKind::kOrderBlock, event, event.known_time));
        break;
      default: break;
    }
  }
  // Pushed out by a newer block: gone from the detector without an event.
  if (!oldest_ || oldest_invalidated || !oldest_->qualified) return;
  const std::vector<OrderBlock>& active = set.order_blocks().active();
  if (std::any_of(active.begin(), active.end(), [&](const OrderBlock& block) { return same_block(block, *oldest_); })) return;
  out.push_back(ZoneChange{Type::kEnded, ZoneKind::kOrderBlock, oldest_->direction, oldest_->candle_time, bar.open_time,
                           oldest_->top, oldest_->bottom});
}

}  // namespace winiswin::structure
