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
//                  times the request's size_scale s ∈ (0, 1] (a model's uncertainty lowers
//                  size; s = 1 leaves it untouched), floored to a raw unit,
//                  rounded down to the market step; then it must meet minQty and MIN_NOTIONAL
//                  at the entry price, or there is no trade.
//   fees           both legs are taker (the market entry, and the exit at the stop):
//                    round-trip fees = taker · (entry + stop) · Q      risk = |entry − stop| · Q
//                  refused when fees > max_fee_to_risk · risk. Q cancels, so the check runs per
//                  unit of quantity, before sizing. taker_fee 0 = unknown: no check.
//   liquidation    LP = the isolated liquidation price (core/leverage_bracket.h, Binance's formula)
//                  of the sized position with WB = its initial margin N / L, with the symbol's
//                  brackets (without brackets: mmr 0, cum 0, i.e. LP = entry ∓ entry / L). It must
//                  lie beyond the stop with a margin:
//                    |entry − LP| ≥ (1 + liquidation_buffer) · |entry − stop|   (on the stop's side)
//                  (no LP — the position cannot be liquidated — holds). Since |entry − LP| ≈
//                  entry · (1/L − mmr), this caps L near entry / ((1 + buffer) · |entry − stop| +
//                  mmr · entry). If L fails, L steps down by one (every quantity bound recomputed
//                  at the lower L: the margin posted is N / L), down to 1x even below
//                  min_leverage; refused when not even 1x holds. LP is compared rounded to 1e-8
//                  toward the entry (the nearer side, the safe one) and reported on the intent.
// Every quantity bound is computed in exact fixed point (floor division), so the loss at
// the stop never exceeds the cap by a single unit. Every refusal names its rule (Refusal)
// and says why in words (reason).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

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
  double max_fee_to_risk = 0.2;          // round-trip taker fees ≤ this × the risk at the stop
  double liquidation_buffer = 0.5;       // |entry − LP| ≥ (1 + this) × |entry − stop|
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
  Ratio taker_fee;          // the symbol's taker fee rate (0.0005 = 0.05 %); 0 = unknown: no fee check
  double size_scale = 1.0;  // in (0, 1]: multiplies the quantity before step rounding (see above)
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
  // The isolated liquidation price of this position (WB = margin), rounded toward the entry;
  // empty when it cannot be liquidated (e.g. a 1x long).
  std::optional<Price> liquidation_price;
};

// Which rule refused a signal (stable: the engine counts refusals by it; name_of gives the
// short name for files and summaries).
enum class Refusal : std::uint8_t {
  kNone,                   // not refused
  kInvalid,                // no instrument, confidence outside [0, 1], prices, stop side, fee rate, no leverage
  kTradingState,           // the trading state takes no new exposure (SHUTDOWN)
  kCircuitBreaker,         // the venue's circuit breaker backs off or is at EMERGENCY
  kNoEquity,               // equity ≤ 0
  kFeesExceedRisk,         // round-trip taker fees > max_fee_to_risk × risk at the stop
  kLiquidationBeforeStop,  // liquidation not beyond the stop with the buffer, even at 1x
  kBelowMinimum,           // the sized quantity misses minQty or MIN_NOTIONAL
  kDailyLossLimit,         // account limits (account_limits.h) …
  kMaxOpenPositions,
  kMaxTotalExposure,
  kMaxSymbolExposure,
};
std::string_view name_of(Refusal refusal);  // "fees_exceed_risk", …

struct SizingDecision {
  std::optional<OrderIntent> intent;
  std::string reason;  // why there is no trade, or how the size was bound
  Refusal refusal = Refusal::kNone;  // kNone exactly when there is an intent
};

double size_fraction(double confidence, const SizingConfig& config);
int leverage_for(const SizingRequest& request, const SizingConfig& config);
// The notional cap Binance allows at `leverage`: the cap of the highest bracket whose
// initial leverage still allows it. Empty brackets: no cap.
std::optional<Notional> max_notional_at(std::span<const LeverageBracket> brackets, int leverage);

// The isolated liquidation price of a position of `quantity` at `entry` on `side`, backed by
// `margin`, rounded to 1e-8 toward the entry (the safe side). Without brackets: mmr 0, cum 0.
// Empty when it cannot be liquidated.
std::optional<Price> isolated_liquidation_price(std::span<const LeverageBracket> brackets, Side side, Quantity quantity,
                                                Price entry, Notional margin);

SizingDecision size_position(const SizingRequest& request, const AccountSnapshot& account,
                             std::span<const LeverageBracket> brackets, const SizingConfig& config = {});

}  // namespace winiswin::risk
