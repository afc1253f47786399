// A tradable contract and the order filters Binance enforces on it.
//
// The filter rules are Binance's, verbatim (spec/filters-and-margin.md §1):
//   PRICE_FILTER  price ≥ minPrice, price ≤ maxPrice, (price − minPrice) % tickSize == 0;
//                 each rule is disabled when its value is 0. Applies to price and stopPrice.
//   LOT_SIZE / MARKET_LOT_SIZE
//                 qty ≥ minQty, qty ≤ maxQty, (qty − minQty) % stepSize == 0.
//   MIN_NOTIONAL  price × qty ≥ notional (MARKET orders: mark price); reduce-only exempt.
// Rounding always names its direction. Prices round on the grid anchored at minPrice,
// quantities on the grid anchored at minQty, exactly as the exchange checks them. A
// quantity only ever rounds down: we never send more than was sized.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/fixed_point.h"

namespace winiswin {

enum class ContractType { kPerpetual, kCurrentQuarter, kNextQuarter, kTradifiPerpetual, kOther };
enum class InstrumentStatus { kTrading, kPendingTrading, kSettling, kDelivering, kPreSettle, kBreak, kOther };
enum class OrderKind { kLimit, kMarket };  // selects LOT_SIZE or MARKET_LOT_SIZE

struct PriceFilter {
  Price min_price;  // 0 = no minimum
  Price max_price;  // 0 = no maximum
  Price tick_size;  // 0 = no tick rule
};

struct LotFilter {
  Quantity min_quantity;
  Quantity max_quantity;
  Quantity step_size;  // 0 = no step rule
};

// Which filter rejected a value, mirroring Binance's error codes.
enum class FilterViolation {
  kPriceBelowMin,        // -4013
  kPriceAboveMax,        // -4002 / -4014 family
  kPriceNotOnTick,       // -4014
  kQuantityBelowMin,     // -4004
  kQuantityAboveMax,     // -4005
  kQuantityNotOnStep,    // -4023 / -1111
  kNotionalBelowMin,     // -4164
};

struct FilterCheck {
  std::optional<FilterViolation> violation;  // empty: accepted
  std::string reason;                        // human-readable, names the filter and values
  [[nodiscard]] bool accepted() const { return !violation.has_value(); }
};

struct Instrument {
  std::string symbol;  // "BTCUSDT"
  std::string base_asset;
  std::string quote_asset;
  std::string margin_asset;
  ContractType contract_type = ContractType::kPerpetual;
  InstrumentStatus status = InstrumentStatus::kTrading;
  PriceFilter price_filter;
  LotFilter lot_size;
  LotFilter market_lot_size;
  Notional min_notional;
  int price_precision = 8;     // decimals Binance accepts; not a substitute for tick_size
  int quantity_precision = 8;  // decimals Binance accepts; not a substitute for step_size
  Ratio percent_price_up;      // PERCENT_PRICE multiplierUp (0 when absent)
  Ratio percent_price_down;    // PERCENT_PRICE multiplierDown (0 when absent)
  // exchangeInfo `liquidationFee`: the share of the notional a liquidation charges (BTCUSDT
  // 0.020000 = 2 % in the 2025-12-24 capture). Zero = unknown: the simulator uses its default.
  Ratio liquidation_fee;

  [[nodiscard]] bool is_tradable_usdt_perpetual() const {
    return status == InstrumentStatus::kTrading && contract_type == ContractType::kPerpetual && quote_asset == "USDT";
  }

  // The nearest price on the tick grid at or below / at or above `price`.
  [[nodiscard]] Price round_price(Price price, Rounding rounding) const;
  [[nodiscard]] Price round_price_down(Price price) const { return round_price(price, Rounding::kDown); }
  [[nodiscard]] Price round_price_up(Price price) const { return round_price(price, Rounding::kUp); }
  // The largest quantity on the step grid at or below `quantity` (never rounds up).
  [[nodiscard]] Quantity round_quantity_down(Quantity quantity, OrderKind kind) const;

  [[nodiscard]] FilterCheck check_price(Price price) const;
  [[nodiscard]] FilterCheck check_quantity(Quantity quantity, OrderKind kind) const;
  // price × quantity ≥ min notional, exactly (no rounding).
  [[nodiscard]] FilterCheck check_min_notional(Price price, Quantity quantity) const;
  // The smallest step-aligned quantity whose notional at `price` meets min notional and
  // min quantity; an error when that exceeds max quantity.
  [[nodiscard]] Result<Quantity> min_tradable_quantity(Price price, OrderKind kind) const;

  [[nodiscard]] const LotFilter& lot_filter(OrderKind kind) const {
    return kind == OrderKind::kMarket ? market_lot_size : lot_size;
  }
};

// The instrument of `symbol` in a list, or nullptr.
const Instrument* find_instrument(const std::vector<Instrument>& instruments, std::string_view symbol);

std::string_view name_of(ContractType type);
std::string_view name_of(InstrumentStatus status);
ContractType parse_contract_type(std::string_view text);       // unknown → kOther
InstrumentStatus parse_instrument_status(std::string_view text);  // unknown → kOther

}  // namespace winiswin
