#include "risk/position_sizing.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace winiswin::risk {
namespace {

SizingDecision no_trade(std::string reason) { return SizingDecision{std::nullopt, std::move(reason)}; }

// Largest raw quantity q with q · price ≤ notional, exactly: floor(N·1e8 / P).
std::int64_t quantity_within(Notional notional, Price price) {
  if (!notional.is_positive()) return 0;
  const Int128 raw = static_cast<Int128>(notional.raw()) * kFixedScale / price.raw();
  return raw > INT64_MAX ? INT64_MAX : static_cast<std::int64_t>(raw);
}

Notional notional_floor(double value) {
  if (!(value > 0)) return Notional{};
  return Notional::from_raw(static_cast<std::int64_t>(std::floor(std::min(value, 9.0e10) * static_cast<double>(kFixedScale))));
}

}  // namespace

double size_fraction(double confidence, const SizingConfig& config) {
  const double raw = config.base_fraction + config.fraction_slope * (confidence - config.confidence_pivot) / config.confidence_span;
  return std::clamp(raw, config.min_fraction, config.max_fraction);
}

int leverage_for(const SizingRequest& request, const SizingConfig& config) {
  const double span = static_cast<double>(config.max_leverage - config.min_leverage);
  const double driver = config.leverage_mode == LeverageMode::kConfidence
                            ? request.confidence
                            : std::min((request.win_rate - 0.5) / 0.2, 1.0);
  const double raw = static_cast<double>(config.min_leverage) + span * driver;
  int leverage = static_cast<int>(std::floor(std::clamp(raw, static_cast<double>(config.min_leverage),
                                                        static_cast<double>(config.max_leverage))));
  if (request.normal_atr > 0 && request.atr > config.volatility_atr_multiple * request.normal_atr) {
    leverage = std::min(leverage, config.volatile_max_leverage);
  }
  return leverage;
}

std::optional<Notional> max_notional_at(std::span<const LeverageBracket> brackets, int leverage) {
  std::optional<Notional> cap;
  for (const LeverageBracket& bracket : brackets) {
    if (bracket.initial_leverage >= leverage && (!cap || bracket.notional_cap > *cap)) cap = bracket.notional_cap;
  }
  return cap;
}

SizingDecision size_position(const SizingRequest& request, const AccountSnapshot& account,
                             std::span<const LeverageBracket> brackets, const SizingConfig& config) {
  if (request.instrument == nullptr) return no_trade("no instrument");
  const Instrument& instrument = *request.instrument;
  if (!std::isfinite(request.confidence) || request.confidence < 0 || request.confidence > 1) {
    return no_trade(fmt::format("{}: confidence {} is outside [0, 1]", instrument.symbol, request.confidence));
  }
  if (!request.entry.is_positive() || !request.stop.is_positive()) {
    return no_trade(fmt::format("{}: entry {} and stop {} must be positive", instrument.symbol, request.entry.to_string(),
                                request.stop.to_string()));
  }
  if (request.entry == request.stop) return no_trade(fmt::format("{}: stop equals entry: no defined risk", instrument.symbol));
  const bool is_long = request.side == Side::kBuy;
  if (is_long ? request.stop > request.entry : request.stop < request.entry) {
    return no_trade(fmt::format("{}: stop {} is on the wrong side of entry {} for a {}", instrument.symbol,
                                request.stop.to_string(), request.entry.to_string(), is_long ? "long" : "short"));
  }
  const double multiplier = risk_multiplier(account.state);
  if (multiplier <= 0) return no_trade(fmt::format("trading state {} takes no new exposure", name_of(account.state)));
  if (!account.equity.is_positive()) return no_trade("no equity");

  const double fraction = size_fraction(request.confidence, config) * multiplier;
  int leverage = leverage_for(request, config);
  if (!brackets.empty()) {
    int allowed = 0;
    for (const LeverageBracket& bracket : brackets) allowed = std::max(allowed, bracket.initial_leverage);
    leverage = std::min(leverage, allowed);
  }
  if (leverage < 1) return no_trade(fmt::format("{}: no leverage allowed", instrument.symbol));

  const double equity = account.equity.to_double();
  const Price distance = is_long ? request.entry - request.stop : request.stop - request.entry;
  struct Bound {
    const char* name;
    std::int64_t raw;
  };
  std::vector<Bound> bounds = {
      {"size fraction", quantity_within(notional_floor(equity * fraction * leverage), request.entry)},
      {"loss at stop", quantity_within(notional_floor(config.max_loss_fraction * equity), Price::from_raw(distance.raw()))},
      {"available margin", quantity_within(notional_floor(account.available_margin.to_double() * leverage), request.entry)},
  };
  if (const auto cap = max_notional_at(brackets, leverage)) {
    bounds.push_back({"leverage bracket", quantity_within(*cap, request.entry)});
  }
  if (instrument.market_lot_size.max_quantity.is_positive()) {
    bounds.push_back({"MARKET_LOT_SIZE maxQty", instrument.market_lot_size.max_quantity.raw()});
  }
  const Bound binding = *std::min_element(bounds.begin(), bounds.end(), [](const Bound& a, const Bound& b) { return a.raw < b.raw; });
  const Quantity quantity = instrument.round_quantity_down(Quantity::from_raw(binding.raw), OrderKind::kMarket);

  if (const FilterCheck check = instrument.check_quantity(quantity, OrderKind::kMarket); !check.accepted()) {
    return no_trade(fmt::format("{} (bound by {})", check.reason, binding.name));
  }
  if (const FilterCheck check = instrument.check_min_notional(request.entry, quantity); !check.accepted()) {
    return no_trade(fmt::format("{} (bound by {})", check.reason, binding.name));
  }

  OrderIntent intent;
  intent.symbol = instrument.symbol;
  intent.side = request.side;
  intent.quantity = quantity;
  intent.leverage = leverage;
  intent.entry = request.entry;
  intent.stop = request.stop;
  intent.notional = notional_of(request.entry, quantity, Rounding::kUp);
  intent.margin = Notional::from_raw((intent.notional.raw() + leverage - 1) / leverage);
  intent.risk_at_stop = notional_of(distance, quantity, Rounding::kUp);
  intent.size_fraction = fraction;
  intent.bound_by = binding.name;
  return SizingDecision{intent, fmt::format("bound by {}", binding.name)};
}

}  // namespace winiswin::risk
