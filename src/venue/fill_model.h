// How a protective order fills inside one bar (the simulator walks 1m bars when it has
// them, so the ambiguity below shrinks to one minute).
//
// Path: open → the nearer of high and low → the other → close (nearer = smaller distance
// from the open; a tie goes to the low for a long, to the high for a short — the adverse
// side first). A long's stop triggers when low ≤ stop and its target when high ≥ target
// (a short mirrored). When a bar touches both, the default counts the stop (pessimistic,
// `both_touched_is_stop`); otherwise the path order decides.
// A gap through a level fills at the open (worse than a stop, better than a target). Then
// slippage, always against the position: fixed_bps of the price plus range_fraction of
// the bar's high − low; the fill is rounded to the tick against the position too, and
// kept inside the bar's range.
#pragma once

#include <optional>

#include "core/instrument.h"
#include "core/kline.h"
#include "core/side.h"

namespace winiswin::venue {

struct FillModelConfig {
  bool both_touched_is_stop = true;
  double slippage_bps = 2.0;             // 0.02 % of the price
  double slippage_range_fraction = 0.05;  // 5 % of the bar's high − low
};

enum class ExitKind { kStop, kTarget };

struct ExitFill {
  ExitKind kind;
  Price price;   // after slippage and tick rounding
  bool gapped;   // the bar opened beyond the level
};

// Whether `bar` reaches the stop or the target of a position (side = the position's side):
// the only bars first_exit fills on. Inline, for the per-minute checks of open positions.
inline bool exit_touched(const Kline& bar, Side side, std::optional<Price> stop, std::optional<Price> target) {
  const bool is_long = side == Side::kBuy;
  return (stop && (is_long ? bar.low <= *stop : bar.high >= *stop)) ||
         (target && (is_long ? bar.high >= *target : bar.low <= *target));
}

// The first protective exit of a position (side = the position's side) within `bar`.
std::optional<ExitFill> first_exit(const Kline& bar, Side side, std::optional<Price> stop, std::optional<Price> target,
                                   const Instrument& instrument, const FillModelConfig& config = {});

// A market order's fill at `reference` (e.g. the next bar's open), slipped against the taker.
Price market_fill(Price reference, Side order_side, const Kline& bar, const Instrument& instrument,
                  const FillModelConfig& config = {});

}  // namespace winiswin::venue
