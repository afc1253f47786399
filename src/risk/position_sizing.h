// Position sizing: from a scored signal and the account to an order intent — or a reason
// why not. Pure: no I/O, no clock.
//
//   size fraction  f = clamp(3 % + 10 % · (confidence − 0.7) / 0.3, 3 %, 13 %) × state multiplier
//                  (the share of equity committed as margin)
//   leverage       CONFIDENCE mode: L = clamp(3 + 17 · confidence, 3, 20)
//                  WIN_RATE mode:   L = clamp(3 + 17 · min((win_rate − 0.5) / 0.2, 1), 3, 20)
//                  floored to an integer (Binance leverage is whole); volatility breaker:
//                  ATR > 2 × its normal level caps L at 5; the symbol's first leverage
//                  bracket caps it too.
//   quantity       the smallest of
//                    equity · f · L / entry                  (the sized position)
//                    max_loss · equity / |entry − stop|       (loss at the stop ≤ 2 % of equity)
//                    available margin · L / entry             (what the account can post)
//                    bracket notional cap at L / entry        (Binance's max position)
//                    MARKET_LOT_SIZE maxQty
//                  rounded down to the market step; then it must meet minQty and MIN_NOTIONAL
//                  at the entry price, or there is no trade.
// Every quantity bound is computed in exact fixed point (floor division), so the loss at
// the stop never exceeds the cap by a single unit.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "core/instrument.h"
#include "core/leverage_bracket.h"
#include "core/side.h"
#include "risk/trading_state.h"

namespace winiswin::risk {

enum class LeverageMode { kConfidence, kWinRate };

struct SizingConfig {
  double base_fraction = 0.03;
  double fraction_slope = 0.10;        // added per (confidence − pivot) / span
  double confidence_pivot = 0.7;
  double confidence_span = 0.3;
  double min_fraction = 0.03;
  double max_fraction = 0.13;
  LeverageMode leverage_mode = LeverageMode::kConfidence;
  int min_leverage = 3;
  int max_leverage = 20;
  double volatility_atr_multiple = 2.0;  // ATR above this × normal ATR …
  int volatile_max_leverage = 5;         // … caps leverage here
  double max_loss_fraction = 0.02;       // loss at the stop, share of equity
};

using winiswin::LeverageBracket;

struct SizingRequest {
  const Instrument* instrument = nullptr;
  Side side = Side::kBuy;  // BUY opens a long, SELL a short
  double confidence = 0.0;
  Price entry;
  Price stop;
  double atr = 0.0;         // current ATR (same units as price); 0 = unknown
  double normal_atr = 0.0;  // its normal level (e.g. a long mean); 0 = unknown
  double win_rate = 0.5;    // recent win rate, for WIN_RATE mode
};

struct AccountSnapshot {
  Notional equity;
  Notional available_margin;
  TradingState state = TradingState::kNormal;
};

struct OrderIntent {
  std::string symbol;
  Side side = Side::kBuy;
  Quantity quantity;
  int leverage = 0;
  Price entry;
  Price stop;
  Notional notional;      // quantity × entry, rounded up
  Notional margin;        // notional / leverage, rounded up
  Notional risk_at_stop;  // quantity × |entry − stop|, rounded up
  double size_fraction = 0.0;
  std::string bound_by;   // which limit set the quantity
};

struct SizingDecision {
  std::optional<OrderIntent> intent;
  std::string reason;  // why there is no trade, or how the size was bound
};

double size_fraction(double confidence, const SizingConfig& config);
int leverage_for(const SizingRequest& request, const SizingConfig& config);
// The notional cap Binance allows at `leverage`: the cap of the highest bracket whose
// initial leverage still allows it. Empty brackets: no cap.
std::optional<Notional> max_notional_at(std::span<const LeverageBracket> brackets, int leverage);

SizingDecision size_position(const SizingRequest& request, const AccountSnapshot& account,
                             std::span<const LeverageBracket> brackets, const SizingConfig& config = {});

}  // namespace winiswin::risk
