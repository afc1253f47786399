#include "venue/fill_model.h"

#include <algorithm>

namespace winiswin::venue {

Price market_fill(Price reference, Side order_side, const Kline& bar, const Instrument& instrument,
                  const FillModelConfig& config) {
  const double range = (bar.high - bar.low).to_double();
  const double slip = reference.to_double() * config.slippage_bps / 10'000.0 + range * config.slippage_range_fraction;
  const Price slipped = Price::from_double(order_side == Side::kBuy ? reference.to_double() + slip
                                                                     : reference.to_double() - slip).value();
  // Against the taker: a buy rounds up, a sell down; never outside the bar.
  const Price rounded = instrument.round_price(slipped, order_side == Side::kBuy ? Rounding::kUp : Rounding::kDown);
  return std::clamp(rounded, bar.low, bar.high);
}

std::optional<ExitFill> first_exit(const Kline& bar, Side side, std::optional<Price> stop, std::optional<Price> target,
                                   const Instrument& instrument, const FillModelConfig& config) {
  const bool is_long = side == Side::kBuy;
  const Side exit_side = opposite(side);
  const auto stop_hit = [&](Price level) { return is_long ? bar.low <= level : bar.high >= level; };
  const auto target_hit = [&](Price level) { return is_long ? bar.high >= level : bar.low <= level; };
  const auto fill = [&](ExitKind kind, Price level) {
    const bool gapped = kind == ExitKind::kStop ? (is_long ? bar.open <= level : bar.open >= level)
                                                : (is_long ? bar.open >= level : bar.open <= level);
    return ExitFill{kind, market_fill(gapped ? bar.open : level, exit_side, bar, instrument, config), gapped};
  };
  if (!exit_touched(bar, side, stop, target)) return std::nullopt;
  const bool stop_touched = stop && stop_hit(*stop);
  const bool target_touched = target && target_hit(*target);
  if (stop_touched && !target_touched) return fill(ExitKind::kStop, *stop);
  if (target_touched && !stop_touched) return fill(ExitKind::kTarget, *target);
  // Both touched in one bar.
  const bool stop_gapped = is_long ? bar.open <= *stop : bar.open >= *stop;
  const bool target_gapped = is_long ? bar.open >= *target : bar.open <= *target;
  if (stop_gapped) return fill(ExitKind::kStop, *stop);
  if (target_gapped) return fill(ExitKind::kTarget, *target);
  if (config.both_touched_is_stop) return fill(ExitKind::kStop, *stop);
  const Price to_low = bar.open - bar.low, to_high = bar.high - bar.open;
  const bool low_first = to_low < to_high || (to_low == to_high && is_long);  // ties: adverse side first
  const bool stop_first = is_long ? low_first : !low_first;
  return fill(stop_first ? ExitKind::kStop : ExitKind::kTarget, stop_first ? *stop : *target);
}

}  // namespace winiswin::venue
