#include "risk/position_sizing.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

namespace winiswin::risk {
namespace {

SizingDecision no_trade(Refusal refusal, std::string reason) {
  return SizingDecision{std::nullopt, std::move(reason), refusal};
}

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

// Without brackets the liquidation has no maintenance margin: one bracket, mmr 0, cum 0.
constexpr LeverageBracket kNoMaintenance{125, Notional{}, Notional::from_raw(INT64_MAX), 0.0, Notional{}};

struct Bound {
  const char* name;
  std::int64_t raw;
};

// The quantity at `leverage` and the bound that set it (see the header's quantity block).
struct Sized {
  Bound binding;
  Quantity quantity;
};

// raw · scale floored, for scale ∈ (0, 1]; 1 returns raw untouched (no floating point on the
// default path). In long double: a raw quantity below 2^63 has 64 bits of mantissa there, so
// the product is floored without a double's rounding.
std::int64_t scaled_down(std::int64_t raw, double scale) {
  if (scale == 1.0) return raw;
  return static_cast<std::int64_t>(std::floor(static_cast<long double>(raw) * static_cast<long double>(scale)));
}

Sized size_at(int leverage, const SizingRequest& request, const AccountSnapshot& account,
              std::span<const LeverageBracket> brackets, const SizingConfig& config, double fraction, Price distance) {
  const Instrument& instrument = *request.instrument;
  const double equity = account.equity.to_double();
  std::array<Bound, 5> bounds{};
  std::size_t count = 0;
  bounds[count++] = {"size fraction", quantity_within(notional_floor(equity * fraction * leverage), request.entry)};
  bounds[count++] = {"loss at stop",
                     quantity_within(notional_floor(config.max_loss_fraction * equity), Price::from_raw(distance.raw()))};
  bounds[count++] = {"available margin",
                     quantity_within(notional_floor(account.available_margin.to_double() * leverage), request.entry)};
  if (const auto cap = max_notional_at(brackets, leverage)) {
    bounds[count++] = {"leverage bracket", quantity_within(*cap, request.entry)};
  }
  if (instrument.market_lot_size.max_quantity.is_positive()) {
    bounds[count++] = {"MARKET_LOT_SIZE maxQty", instrument.market_lot_size.max_quantity.raw()};
  }
  const Bound binding = *std::min_element(bounds.begin(), bounds.begin() + static_cast<std::ptrdiff_t>(count),
                                          [](const Bound& a, const Bound& b) { return a.raw < b.raw; });
  return Sized{binding, instrument.round_quantity_down(Quantity::from_raw(scaled_down(binding.raw, request.size_scale)), OrderKind::kMarket)};
}

Notional margin_at(Notional notional, int leverage) { return Notional::from_raw((notional.raw() + leverage - 1) / leverage); }

}  // namespace

std::string_view name_of(Refusal refusal) {
  switch (refusal) {
    case Refusal::kNone: return "none";
    case Refusal::kInvalid: return "invalid";
    case Refusal::kTradingState: return "trading_state";
    case Refusal::kCircuitBreaker: return "circuit_breaker";
    case Refusal::kNoEquity: return "no_equity";
    case Refusal::kFeesExceedRisk: return "fees_exceed_risk";
    case Refusal::kLiquidationBeforeStop: return "liquidation_before_stop";
    case Refusal::kBelowMinimum: return "below_minimum";
    case Refusal::kDailyLossLimit: return "daily_loss_limit";
    case Refusal::kMaxOpenPositions: return "max_open_positions";
    case Refusal::kMaxTotalExposure: return "max_total_exposure";
    case Refusal::kMaxSymbolExposure: return "max_symbol_exposure";
  }
  return "unknown";
}

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

std::optional<Price> isolated_liquidation_price(std::span<const LeverageBracket> brackets, Side side, Quantity quantity,
                                                Price entry, Notional margin) {
  if (brackets.empty()) brackets = std::span<const LeverageBracket>(&kNoMaintenance, 1);
  const std::optional<double> price =
      liquidation_price(brackets, side, quantity.to_double(), entry.to_double(), margin.to_double());
  if (!price || *price >= 9.0e10) return std::nullopt;  // ≥ the fixed-point range: never reached
  // Toward the entry: a long's liquidation rounds up, a short's down (1e-8 grid).
  const double scaled = *price * static_cast<double>(kFixedScale);
  return Price::from_raw(static_cast<std::int64_t>(side == Side::kBuy ? std::ceil(scaled) : std::floor(scaled)));
}

SizingDecision size_position(const SizingRequest& request, const AccountSnapshot& account,
                             std::span<const LeverageBracket> brackets, const SizingConfig& config) {
  if (request.instrument == nullptr) return no_trade(Refusal::kInvalid, "no instrument");
  const Instrument& instrument = *request.instrument;
  if (!std::isfinite(request.confidence) || request.confidence < 0 || request.confidence > 1) {
    return no_trade(Refusal::kInvalid, fmt::format("{}: confidence {} is outside [0, 1]", instrument.symbol, request.confidence));
  }
  if (!request.entry.is_positive() || !request.stop.is_positive()) {
    return no_trade(Refusal::kInvalid, fmt::format("{}: entry {} and stop {} must be positive", instrument.symbol,
                                                   request.entry.to_string(), request.stop.to_string()));
  }
  if (request.entry == request.stop) {
    return no_trade(Refusal::kInvalid, fmt::format("{}: stop equals entry: no defined risk", instrument.symbol));
  }
  const bool is_long = request.side == Side::kBuy;
  if (is_long ? request.stop > request.entry : request.stop < request.entry) {
    return no_trade(Refusal::kInvalid, fmt::format("{}: stop {} is on the wrong side of entry {} for a {}", instrument.symbol,
                                                   request.stop.to_string(), request.entry.to_string(),
                                                   is_long ? "long" : "short"));
  }
  if (request.taker_fee.is_negative()) {
    return no_trade(Refusal::kInvalid, fmt::format("{}: taker fee {} is negative", instrument.symbol, request.taker_fee.to_string()));
  }
  if (!(request.size_scale > 0.0 && request.size_scale <= 1.0)) {
    return no_trade(Refusal::kInvalid, fmt::format("{}: size scale {} is not in (0, 1]", instrument.symbol, request.size_scale));
  }
  const double multiplier = risk_multiplier(account.state);
  if (multiplier <= 0) {
    return no_trade(Refusal::kTradingState, fmt::format("trading state {} takes no new exposure", name_of(account.state)));
  }
  if (!account.equity.is_positive()) return no_trade(Refusal::kNoEquity, "no equity");

  const Price distance = is_long ? request.entry - request.stop : request.stop - request.entry;
  // Fees, per unit of quantity (Q cancels): taker · (entry + stop) against |entry − stop|.
  if (request.taker_fee.is_positive()) {
    const Int128 product = static_cast<Int128>(request.taker_fee.raw()) * (request.entry.raw() + request.stop.raw());
    const Notional fees = Notional::from_raw(static_cast<std::int64_t>((product + kFixedScale - 1) / kFixedScale));  // rounded up
    if (fees.to_double() > config.max_fee_to_risk * distance.to_double()) {
      return no_trade(Refusal::kFeesExceedRisk,
                      fmt::format("{}: round-trip taker fees exceed max_fee_to_risk {} of the risk at the stop: per 1 {} "
                                  "of quantity, fees {} × ({} + {}) = {} USDT against a risk of {} USDT ({:.2f} × the risk)",
                                  instrument.symbol, config.max_fee_to_risk,
                                  instrument.base_asset.empty() ? "unit" : instrument.base_asset, request.taker_fee.to_string(),
                                  request.entry.to_string(), request.stop.to_string(), fees.to_string(), distance.to_string(),
                                  fees.to_double() / distance.to_double()));
    }
  }

  const double fraction = size_fraction(request.confidence, config) * multiplier;
  const int wanted = [&] {
    int leverage = leverage_for(request, config);
    if (!brackets.empty()) {
      int allowed = 0;
      for (const LeverageBracket& bracket : brackets) allowed = std::max(allowed, bracket.initial_leverage);
      leverage = std::min(leverage, allowed);
    }
    return leverage;
  }();
  if (wanted < 1) return no_trade(Refusal::kInvalid, fmt::format("{}: no leverage allowed", instrument.symbol));

  // From the leverage the rules want, down by one until the liquidation lies beyond the stop
  // with the buffer: |entry − LP| ≥ (1 + buffer) · |entry − stop|.
  const double needed = (1.0 + config.liquidation_buffer) * static_cast<double>(distance.raw());
  std::optional<Price> at_one;  // the liquidation at 1x, for the refusal's reason
  for (int leverage = wanted; leverage >= 1; --leverage) {
    const Sized sized = size_at(leverage, request, account, brackets, config, fraction, distance);
    const std::string lowered =
        leverage < wanted ? fmt::format(" at {}x, lowered from {}x for the liquidation buffer", leverage, wanted) : "";
    if (const FilterCheck check = instrument.check_quantity(sized.quantity, OrderKind::kMarket); !check.accepted()) {
      return no_trade(Refusal::kBelowMinimum, fmt::format("{} (bound by {}{})", check.reason, sized.binding.name, lowered));
    }
    if (const FilterCheck check = instrument.check_min_notional(request.entry, sized.quantity); !check.accepted()) {
      return no_trade(Refusal::kBelowMinimum, fmt::format("{} (bound by {}{})", check.reason, sized.binding.name, lowered));
    }
    const Notional notional = notional_of(request.entry, sized.quantity, Rounding::kUp);
    const Notional margin = margin_at(notional, leverage);
    const std::optional<Price> liquidation =
        isolated_liquidation_price(brackets, request.side, sized.quantity, request.entry, margin);
    at_one = liquidation;
    if (liquidation) {
      const std::int64_t room = is_long ? request.entry.raw() - liquidation->raw() : liquidation->raw() - request.entry.raw();
      if (static_cast<double>(room) < needed) continue;
    }
    OrderIntent intent;
    intent.symbol = instrument.symbol;
    intent.side = request.side;
    intent.quantity = sized.quantity;
    intent.leverage = leverage;
    intent.entry = request.entry;
    intent.stop = request.stop;
    intent.notional = notional;
    intent.margin = margin;
    intent.risk_at_stop = notional_of(distance, sized.quantity, Rounding::kUp);
    intent.size_fraction = fraction;
    intent.bound_by = sized.binding.name;
    intent.liquidation_price = liquidation;
    return SizingDecision{intent, fmt::format("bound by {}{}", sized.binding.name, lowered), Refusal::kNone};
  }
  return no_trade(Refusal::kLiquidationBeforeStop,
                  fmt::format("{}: liquidation before the stop at every leverage from {}x down to 1x: the stop {} lies {} from "
                              "entry {}, the liquidation must lie ≥ (1 + liquidation_buffer {}) × that away; at 1x it is {}",
                              instrument.symbol, wanted, request.stop.to_string(), distance.to_string(),
                              request.entry.to_string(), config.liquidation_buffer, at_one ? at_one->to_string() : "none"));
}

}  // namespace winiswin::risk
