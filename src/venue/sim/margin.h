// USDⓈ-M margin arithmetic for one isolated, one-way position (spec/filters-and-margin.md).
//
//   maintenance margin, liquidation price   core/leverage_bracket.h (one implementation, shared
//                       with the sizing in risk/, so a position is sized against the price it
//                       is liquidated at); named here too, as the simulator's margin vocabulary
//   fee                 notional · rate, rounded up to 1e-8 (never undercharged)
//   funding             paid = position notional at mark · rate; positive rates: longs pay
//                       shorts (a long's payment is +, a short's −: the sign is the account's cost)
#pragma once

#include "core/fixed_point.h"
#include "core/leverage_bracket.h"
#include "core/side.h"

namespace winiswin::sim {

using winiswin::bracket_for;
using winiswin::liquidation_price;
using winiswin::maintenance_margin;

Notional trading_fee(Notional notional, Ratio rate);
// The account's funding cost for a position (signed: negative = received).
Notional funding_cost(Side side, Quantity quantity, Price mark, Ratio rate);

}  // namespace winiswin::sim
