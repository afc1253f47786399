// USDⓈ-M margin arithmetic for one isolated, one-way position (spec/filters-and-margin.md).
//
//   maintenance margin  MM = N · mmr − cum, with (mmr, cum) of the bracket holding N = |Q| · mark
//   liquidation price   long:  LP = (Q·EP − WB − cum) / (Q · (1 − mmr))
//                       short: LP = (Q·EP + WB + cum) / (Q · (1 + mmr))
//                       (WB = the position's isolated wallet balance). Per Binance's FAQ, if
//                       the bracket at LP differs from the bracket at entry, LP is recomputed
//                       with the bracket at LP; a result ≤ 0 means no liquidation (shown "--").
//   fee                 notional · rate, rounded up to 1e-8 (never undercharged)
//   funding             paid = position notional at mark · rate; positive rates: longs pay
//                       shorts (a long's payment is +, a short's −: the sign is the account's cost)
// Liquidation prices are thresholds compared with the mark price, so they stay doubles.
#pragma once

#include <optional>
#include <span>

#include "core/fixed_point.h"
#include "core/leverage_bracket.h"
#include "core/side.h"

namespace winiswin::sim {

// The bracket whose [floor, cap) holds `notional` (the last one beyond every cap).
const LeverageBracket* bracket_for(std::span<const LeverageBracket> brackets, double notional);

double maintenance_margin(std::span<const LeverageBracket> brackets, double notional);

// `side` is the position's side (BUY = long). Returns nothing when the position cannot be
// liquidated (LP ≤ 0) or the inputs are degenerate.
std::optional<double> liquidation_price(std::span<const LeverageBracket> brackets, Side side, double quantity,
                                        double entry_price, double wallet_balance);

Notional trading_fee(Notional notional, Ratio rate);
// The account's funding cost for a position (signed: negative = received).
Notional funding_cost(Side side, Quantity quantity, Price mark, Ratio rate);

}  // namespace winiswin::sim
