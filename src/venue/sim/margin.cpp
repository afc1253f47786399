#include "venue/sim/margin.h"

namespace winiswin::sim {

Notional trading_fee(Notional notional, Ratio rate) {
  const Int128 product = static_cast<Int128>(notional.raw()) * rate.raw();
  const Int128 fee = (product + kFixedScale - 1) / kFixedScale;  // round up (notional and rate ≥ 0)
  return Notional::from_raw(static_cast<std::int64_t>(fee));
}

Notional funding_cost(Side side, Quantity quantity, Price mark, Ratio rate) {
  const Notional notional = notional_of(mark, quantity, Rounding::kUp);
  const Int128 product = static_cast<Int128>(notional.raw()) * rate.raw();
  // The payer's side rounds up, the receiver's down: the exchange never pays out more.
  const bool pays = (side == Side::kBuy) == (rate.raw() > 0);
  Int128 amount = (product < 0 ? -product : product);
  amount = pays ? (amount + kFixedScale - 1) / kFixedScale : amount / kFixedScale;
  const auto value = static_cast<std::int64_t>(amount);
  return Notional::from_raw(pays ? value : -value);
}

}  // namespace winiswin::sim
