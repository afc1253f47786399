#include "core/leverage_bracket.h"

#include <cmath>

namespace winiswin {

const LeverageBracket* bracket_for(std::span<const LeverageBracket> brackets, double notional) {
  for (const LeverageBracket& bracket : brackets) {
    if (notional < bracket.notional_cap.to_double()) return &bracket;
  }
  return brackets.empty() ? nullptr : &brackets.back();
}

double maintenance_margin(std::span<const LeverageBracket> brackets, double notional) {
  const LeverageBracket* bracket = bracket_for(brackets, notional);
  return bracket ? notional * bracket->maint_margin_ratio - bracket->cum.to_double() : 0.0;
}

std::optional<double> liquidation_price(std::span<const LeverageBracket> brackets, Side side, double quantity,
                                        double entry_price, double wallet_balance) {
  if (!(quantity > 0) || !(entry_price > 0) || brackets.empty()) return std::nullopt;
  // long:  LP = (Q·EP − WB − cum) / (Q · (1 − mmr));  short: LP = (Q·EP + WB + cum) / (Q · (1 + mmr))
  const auto solve = [&](const LeverageBracket& bracket) {
    const double mmr = bracket.maint_margin_ratio;
    const double cum = bracket.cum.to_double();
    return side == Side::kBuy ? (quantity * entry_price - wallet_balance - cum) / (quantity * (1.0 - mmr))
                              : (quantity * entry_price + wallet_balance + cum) / (quantity * (1.0 + mmr));
  };
  const LeverageBracket* bracket = bracket_for(brackets, quantity * entry_price);
  double price = solve(*bracket);
  // Recompute with the bracket the position would be in at the liquidation price.
  for (int step = 0; step < 4 && price > 0; ++step) {
    const LeverageBracket* at_price = bracket_for(brackets, quantity * price);
    if (at_price == bracket) break;
    bracket = at_price;
    price = solve(*bracket);
  }
  if (!(price > 0) || !std::isfinite(price)) return std::nullopt;
  return price;
}

}  // namespace winiswin
