#include "strategy/market_snapshot.h"

#include <cmath>

namespace winiswin::strategy {

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
  snapshot.swing_highs = quarter.swing_highs();
  snapshot.swing_lows = quarter.swing_lows();
  const Price price = snapshot.last_price;
  const auto& config = quarter.structure().order_blocks().config();
  const structure::OrderBlock* demand = quarter.structure().order_blocks().nearest_demand(price);
  const structure::OrderBlock* supply = quarter.structure().order_blocks().nearest_supply(price);
  // Strength (a decay: a pow call) only for the two blocks chosen.
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
  if (const double normal = quarter.structure().regime().normal_atr(); std::isfinite(normal)) snapshot.normal_atr = normal;
  snapshot.reversal_risk = quarter.structure().regime().reversal_risk();
  return snapshot;
}

}  // namespace winiswin::strategy
