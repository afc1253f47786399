#include "strategy/market_snapshot.h"

#include <cmath>

namespace winiswin::strategy {
namespace {

// +1 when the latest swing of `type` is beyond the one before it (higher high / higher low).
int swing_direction(const structure::SwingDetector& swings, structure::SwingType type) {
  const structure::Swing* latest = nullptr;
  const structure::Swing* before = nullptr;
  const auto& list = swings.swings();
  for (auto it = list.rbegin(); it != list.rend(); ++it) {
    if (it->type != type) continue;
    if (!latest) {
      latest = &*it;
    } else {
      before = &*it;
      break;
    }
  }
  if (!latest || !before || latest->level == before->level) return 0;
  return latest->level > before->level ? 1 : -1;
}

}  // namespace

MarketSnapshot snapshot_of(const SymbolState& state) {
  MarketSnapshot snapshot;
  snapshot.symbol = state.symbol;
  snapshot.hour = state.hour.view();
  snapshot.quarter = state.quarter.view();
  snapshot.five = state.five.view();
  if (state.five.has_bars()) {
    snapshot.time = state.five.last_bar().close_time + Milliseconds{1};
    snapshot.last_price = state.five.last_bar().close;
  }
  const TimeframeState& quarter = state.quarter;
  if (const auto& last_break = quarter.last_break()) {
    snapshot.last_break = last_break->direction;
    snapshot.last_break_is_choch = last_break->is_choch;
  }
  const auto& swings = quarter.structure().swings();
  snapshot.swing_highs = swing_direction(swings, structure::SwingType::kHigh);
  snapshot.swing_lows = swing_direction(swings, structure::SwingType::kLow);
  const Price price = snapshot.last_price;
  const auto& config = quarter.structure().order_blocks().config();
  const structure::OrderBlock* demand = nullptr;
  const structure::OrderBlock* supply = nullptr;
  for (const structure::OrderBlock& block : quarter.structure().order_blocks().active()) {
    if (!block.valid || !block.qualified) continue;
    if (block.direction > 0 && block.bottom <= price && (!demand || block.top > demand->top)) demand = &block;
    if (block.direction < 0 && block.top >= price && (!supply || block.bottom < supply->bottom)) supply = &block;
  }
  // Strength (a decay, two pow calls) only for the two blocks chosen.
  if (demand) snapshot.demand = ZoneView{demand->top, demand->bottom, demand->strength(snapshot.time, config)};
  if (supply) snapshot.supply = ZoneView{supply->top, supply->bottom, supply->strength(snapshot.time, config)};
  const double close = price.to_double();
  for (const OpenLiquidity& zone : quarter.liquidity()) {
    const double level = zone.level.to_double();
    if (zone.direction > 0 && level >= close && (!snapshot.liquidity_above || level < *snapshot.liquidity_above)) {
      snapshot.liquidity_above = level;
    }
    if (zone.direction < 0 && level <= close && (!snapshot.liquidity_below || level > *snapshot.liquidity_below)) {
      snapshot.liquidity_below = level;
    }
  }
  snapshot.regime = quarter.structure().regime().regime();
  snapshot.reversal_risk = quarter.structure().regime().reversal_risk();
  return snapshot;
}

}  // namespace winiswin::strategy
