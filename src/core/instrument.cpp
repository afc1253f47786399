#include "core/instrument.h"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace winiswin {
namespace {

// Floor division of an offset by a positive step, in raw units.
std::int64_t floor_steps(std::int64_t offset, std::int64_t step) {
  std::int64_t steps = offset / step;
  if (offset % step != 0 && offset < 0) --steps;
  return steps;
}

// Rounds `value` onto the grid anchor + k·step in the named direction.
std::int64_t round_on_grid(std::int64_t value, std::int64_t anchor, std::int64_t step, Rounding rounding) {
  if (step <= 0) return value;
  const std::int64_t offset = value - anchor;
  std::int64_t steps = floor_steps(offset, step);
  if (rounding == Rounding::kUp && steps * step != offset) ++steps;
  return anchor + steps * step;
}

FilterCheck accept() { return FilterCheck{}; }
FilterCheck reject(FilterViolation violation, std::string reason) { return FilterCheck{violation, std::move(reason)}; }

constexpr std::array<std::pair<std::string_view, ContractType>, 4> kContractTypes = {{
    {"PERPETUAL", ContractType::kPerpetual},
    {"CURRENT_QUARTER", ContractType::kCurrentQuarter},
    {"NEXT_QUARTER", ContractType::kNextQuarter},
    {"TRADIFI_PERPETUAL", ContractType::kTradifiPerpetual},
}};
constexpr std::array<std::pair<std::string_view, InstrumentStatus>, 6> kStatuses = {{
    {"TRADING", InstrumentStatus::kTrading},
    {"PENDING_TRADING", InstrumentStatus::kPendingTrading},
    {"SETTLING", InstrumentStatus::kSettling},
    {"DELIVERING", InstrumentStatus::kDelivering},
    {"PRE_SETTLE", InstrumentStatus::kPreSettle},
    {"BREAK", InstrumentStatus::kBreak},
}};

}  // namespace

Price Instrument::round_price(Price price, Rounding rounding) const {
  return Price::from_raw(
      round_on_grid(price.raw(), price_filter.min_price.raw(), price_filter.tick_size.raw(), rounding));
}

Quantity Instrument::round_quantity_down(Quantity quantity, OrderKind kind) const {
  const LotFilter& filter = lot_filter(kind);
  return Quantity::from_raw(
      round_on_grid(quantity.raw(), filter.min_quantity.raw(), filter.step_size.raw(), Rounding::kDown));
}

FilterCheck Instrument::check_price(Price price) const {
  const PriceFilter& filter = price_filter;
  if (!price.is_positive()) {
    return reject(FilterViolation::kPriceBelowMin, fmt::format("{}: price {} is not positive", symbol, price.to_string()));
  }
  if (filter.min_price.is_positive() && price < filter.min_price) {
    return reject(FilterViolation::kPriceBelowMin, fmt::format("{}: price {} is below PRICE_FILTER minPrice {}", symbol,
                                                               price.to_string(), filter.min_price.to_string()));
  }
  if (filter.max_price.is_positive() && price > filter.max_price) {
    return reject(FilterViolation::kPriceAboveMax, fmt::format("{}: price {} is above PRICE_FILTER maxPrice {}", symbol,
                                                               price.to_string(), filter.max_price.to_string()));
  }
  if (filter.tick_size.is_positive() && (price - filter.min_price).raw() % filter.tick_size.raw() != 0) {
    return reject(FilterViolation::kPriceNotOnTick, fmt::format("{}: price {} is not on the tick {} (from minPrice {})",
                                                                symbol, price.to_string(), filter.tick_size.to_string(),
                                                                filter.min_price.to_string()));
  }
  return accept();
}

FilterCheck Instrument::check_quantity(Quantity quantity, OrderKind kind) const {
  const LotFilter& filter = lot_filter(kind);
  const char* filter_name = kind == OrderKind::kMarket ? "MARKET_LOT_SIZE" : "LOT_SIZE";
  if (!quantity.is_positive() || quantity < filter.min_quantity) {
    return reject(FilterViolation::kQuantityBelowMin, fmt::format("{}: quantity {} is below {} minQty {}", symbol,
                                                                  quantity.to_string(), filter_name,
                                                                  filter.min_quantity.to_string()));
  }
  if (filter.max_quantity.is_positive() && quantity > filter.max_quantity) {
    return reject(FilterViolation::kQuantityAboveMax, fmt::format("{}: quantity {} is above {} maxQty {}", symbol,
                                                                  quantity.to_string(), filter_name,
                                                                  filter.max_quantity.to_string()));
  }
  if (filter.step_size.is_positive() && (quantity - filter.min_quantity).raw() % filter.step_size.raw() != 0) {
    return reject(FilterViolation::kQuantityNotOnStep,
                  fmt::format("{}: quantity {} is not on the {} step {} (from minQty {})", symbol, quantity.to_string(),
                              filter_name, filter.step_size.to_string(), filter.min_quantity.to_string()));
  }
  return accept();
}

FilterCheck Instrument::check_min_notional(Price price, Quantity quantity) const {
  if (notional_at_least(price, quantity, min_notional)) return accept();
  return reject(FilterViolation::kNotionalBelowMin,
                fmt::format("{}: notional {} × {} = {} is below MIN_NOTIONAL {}", symbol, price.to_string(),
                            quantity.to_string(), notional_of(price, quantity, Rounding::kDown).to_string(),
                            min_notional.to_string()));
}

Result<Quantity> Instrument::min_tradable_quantity(Price price, OrderKind kind) const {
  if (!price.is_positive()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: price {} is not positive", symbol, price.to_string()));
  }
  const LotFilter& filter = lot_filter(kind);
  // Smallest q with price × q ≥ min_notional: q = ceil(min_notional × 1e8 / price) raw units.
  const Int128 numerator = static_cast<Int128>(min_notional.raw()) * kFixedScale;
  auto needed = static_cast<std::int64_t>((numerator + price.raw() - 1) / price.raw());
  if (needed < filter.min_quantity.raw()) needed = filter.min_quantity.raw();
  const std::int64_t on_grid = round_on_grid(needed, filter.min_quantity.raw(), filter.step_size.raw(), Rounding::kUp);
  const Quantity quantity = Quantity::from_raw(on_grid);
  if (filter.max_quantity.is_positive() && quantity > filter.max_quantity) {
    return make_error(ErrorCode::kOutOfRange, fmt::format("{}: min notional {} at price {} needs quantity {} above maxQty {}",
                                                          symbol, min_notional.to_string(), price.to_string(),
                                                          quantity.to_string(), filter.max_quantity.to_string()));
  }
  return quantity;
}

const Instrument* find_instrument(const std::vector<Instrument>& instruments, std::string_view symbol) {
  for (const Instrument& instrument : instruments) {
    if (instrument.symbol == symbol) return &instrument;
  }
  return nullptr;
}

std::string_view name_of(ContractType type) {
  for (const auto& [name, value] : kContractTypes) {
    if (value == type) return name;
  }
  return "OTHER";
}

std::string_view name_of(InstrumentStatus status) {
  for (const auto& [name, value] : kStatuses) {
    if (value == status) return name;
  }
  return "OTHER";
}

ContractType parse_contract_type(std::string_view text) {
  for (const auto& [name, value] : kContractTypes) {
    if (name == text) return value;
  }
  return ContractType::kOther;
}

InstrumentStatus parse_instrument_status(std::string_view text) {
  for (const auto& [name, value] : kStatuses) {
    if (name == text) return value;
  }
  return InstrumentStatus::kOther;
}

}  // namespace winiswin
