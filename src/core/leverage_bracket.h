// One row of Binance's leverage brackets (GET /fapi/v1/leverageBracket): for positions
// whose notional lies in [notional_floor, notional_cap), the highest leverage allowed and
// the maintenance margin: MM = notional · maint_margin_ratio − cum (spec/filters-and-margin.md §2).
//
// And the margin arithmetic both the sizing (risk/) and the simulator (venue/sim/) need, in
// one place so the price a position is sized against is the price it is liquidated at:
//   maintenance margin  MM = N · mmr − cum, with (mmr, cum) of the bracket holding N = |Q| · mark
//   liquidation price   long:  LP = (Q·EP − WB − cum) / (Q · (1 − mmr))
//                       short: LP = (Q·EP + WB + cum) / (Q · (1 + mmr))
//                       (Q = |quantity|, EP = entry price, WB = the wallet balance backing the
//                       position: its isolated margin, or the cross wallet net of the other
//                       crossed positions). Per Binance's FAQ, if the bracket at LP differs from
//                       the bracket at entry, LP is recomputed with the bracket at LP; a result
//                       ≤ 0 means no liquidation (Binance shows "--").
// Liquidation prices are thresholds compared with the mark price, so they stay doubles.
#pragma once

#include <optional>
#include <span>

#include "core/fixed_point.h"
#include "core/side.h"

namespace winiswin {

struct LeverageBracket {
  int initial_leverage = 0;  // the highest leverage allowed in this bracket
  Notional notional_floor;
  Notional notional_cap;
  double maint_margin_ratio = 0.0;
  Notional cum;  // maintenance amount
};

// The bracket whose [floor, cap) holds `notional` (the last one beyond every cap); nullptr
// when there are no brackets.
const LeverageBracket* bracket_for(std::span<const LeverageBracket> brackets, double notional);

// MM = N · mmr − cum of the bracket holding N; 0 without brackets.
double maintenance_margin(std::span<const LeverageBracket> brackets, double notional);

// `side` is the position's side (BUY = long), `quantity` its size (> 0). Returns nothing
// when the position cannot be liquidated (LP ≤ 0), there are no brackets, or the inputs are
// degenerate. (For "no maintenance margin", pass one bracket with mmr 0 and cum 0.)
std::optional<double> liquidation_price(std::span<const LeverageBracket> brackets, Side side, double quantity,
                                        double entry_price, double wallet_balance);

}  // namespace winiswin
