// Account-wide limits, applied to a sized order intent before it may be sent.
//
//   max open positions      no new position beyond this count, pending entries included
//                           (default 3: the real top K)
//   max total exposure      Σ |notional| of open positions + the new one ≤ 3 × equity
//   max symbol exposure     |notional| on one symbol ≤ 1 × equity
//   daily loss limit        realised + unrealised loss since 00:00 UTC ≥ 5 % of the
//                           day's starting equity: no new exposure until the next day
// The exposure limits clip the quantity to the headroom left (rounded down to the step);
// if what remains is under the instrument's minimums, or a count/loss limit is hit, the
// intent is refused with the limit's name (and its Refusal). A clipped intent keeps the
// liquidation price it was sized with: a smaller position's maintenance margin per unit of
// notional is never larger, so its true liquidation price is never nearer the entry.
#pragma once

#include <span>
#include <string>

#include "core/instrument.h"
#include "risk/position_sizing.h"

namespace winiswin::risk {

struct AccountLimitsConfig {
  int max_open_positions = 3;
  double max_total_exposure = 3.0;   // × equity
  double max_symbol_exposure = 1.0;  // × equity
  double daily_loss_limit = 0.05;    // share of the day's starting equity
};

struct OpenPosition {
  std::string symbol;
  Notional notional;     // |quantity| × price
  bool pending = false;  // an entry placed and not yet filled: it counts like a position
};

struct AccountExposure {
  Notional equity;
  Notional day_start_equity;
  std::span<const OpenPosition> positions;
};

SizingDecision apply_account_limits(const OrderIntent& intent, const Instrument& instrument,
                                    const AccountExposure& account, const AccountLimitsConfig& config = {});

}  // namespace winiswin::risk
