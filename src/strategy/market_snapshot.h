// The market as a strategy sees it at one 5m close: plain numbers extracted from the
// three timeframes' closed bars. Strategies are pure functions of this snapshot (and the
// instrument), which makes them testable with hand-made snapshots and mirror images.
#pragma once

#include <optional>
#include <string>

#include "core/fixed_point.h"
#include "structure/regime.h"
#include "strategy/timeframe_state.h"

namespace winiswin::strategy {

struct ZoneView {
  Price top;
  Price bottom;
  double strength = 0.0;  // decayed, in [0, 1]
};

struct MarketSnapshot {
  std::string symbol;
  Timestamp time;
  Price last_price;  // the 5m close, exact
  FrameView hour, quarter, five;
  // 15m structure
  int last_break = 0;  // direction of the latest BOS/CHOCH, 0 if none
  bool last_break_is_choch = false;
  int swing_highs = 0;  // +1 the last swing high is above the one before, −1 below, 0 unknown
  int swing_lows = 0;
  std::optional<ZoneView> demand;  // nearest valid, qualified bullish order block at or below price
  std::optional<ZoneView> supply;  // nearest valid, qualified bearish order block at or above price
  std::optional<double> liquidity_above;  // nearest open equal-highs level above price
  std::optional<double> liquidity_below;
  structure::Regime regime = structure::Regime::kUnknown;
  double normal_atr = 0.0;  // 15m: the mean of the last 50 ATR(14) values; 0 until known (sizing's volatility breaker)
  int reversal_risk = 0;
};

MarketSnapshot snapshot_of(const SymbolState& state);

}  // namespace winiswin::strategy
