// Small helpers the simulator's sources share (not part of its interface).
#pragma once

#include "core/fixed_point.h"
#include "core/side.h"

namespace winiswin::sim::detail {

// Does an order on `side` reduce `position` (signed)?
inline bool opposes(Side side, Quantity position) { return side == Side::kBuy ? position.is_negative() : position.is_positive(); }
inline Quantity magnitude(Quantity quantity) { return quantity.is_negative() ? -quantity : quantity; }

// The boundary from the simulator's double arithmetic (PnL, average prices) to exact money:
// the nearest 1e-8, half away from zero.
inline Notional nearest_notional(double value) { return Notional::from_double(value).value(); }
inline Price nearest_price(double value) { return Price::from_double(value).value(); }

}  // namespace winiswin::sim::detail
