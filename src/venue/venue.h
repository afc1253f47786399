// The Venue seam: what the engine may ask of an exchange, implemented by the simulator
// (venue/sim) and, later, by the Binance client — the engine cannot tell them apart.
// Requests and reports use Binance's vocabulary; a refusal is an Error of kind kRejected
// carrying Binance's own code (spec/limits-and-errors.md), so strategies and operators
// see the same reasons in backtest and live.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/fixed_point.h"
#include "core/side.h"
#include "core/time.h"

namespace winiswin::venue {

enum class OrderType { kMarket, kLimit, kStopMarket, kTakeProfitMarket };
enum class OrderStatus { kNew, kFilled, kCanceled, kExpired, kRejected };
constexpr std::string_view name_of(OrderType type) {
  switch (type) {
    case OrderType::kMarket: return "MARKET";
    case OrderType::kLimit: return "LIMIT";
    case OrderType::kStopMarket: return "STOP_MARKET";
    case OrderType::kTakeProfitMarket: return "TAKE_PROFIT_MARKET";
  }
  return "?";
}
constexpr std::string_view name_of(OrderStatus status) {
  switch (status) {
    case OrderStatus::kNew: return "NEW";
    case OrderStatus::kFilled: return "FILLED";
    case OrderStatus::kCanceled: return "CANCELED";
    case OrderStatus::kExpired: return "EXPIRED";
    case OrderStatus::kRejected: return "REJECTED";
  }
  return "?";
}

// What a STOP_MARKET / TAKE_PROFIT_MARKET watches (Binance's workingType; its default is the
// contract price). The mark price ignores the wicks of thin books: stops on it are not hunted.
enum class WorkingType { kContractPrice, kMarkPrice };
constexpr std::string_view name_of(WorkingType type) {
  return type == WorkingType::kMarkPrice ? "MARK_PRICE" : "CONTRACT_PRICE";
}

// How a symbol's position is margined (Binance's marginType). Isolated: the position can
// lose only the margin put on it. Crossed: the account's cross wallet backs every crossed
// position, and each one's liquidation price depends on the others.
enum class MarginType { kIsolated, kCrossed };
constexpr std::string_view name_of(MarginType type) { return type == MarginType::kCrossed ? "CROSSED" : "ISOLATED"; }

struct OrderRequest {
  std::string symbol;
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  Quantity quantity;       // not with close_position
  Price price;             // LIMIT
  Price stop_price;        // STOP_MARKET / TAKE_PROFIT_MARKET trigger
  bool reduce_only = false;
  bool close_position = false;  // STOP_MARKET / TAKE_PROFIT_MARKET: close the whole position on trigger
  WorkingType working_type = WorkingType::kContractPrice;  // STOP_MARKET / TAKE_PROFIT_MARKET
  std::string client_order_id;  // ^[.A-Z:/a-z0-9_-]{1,36}$, unique among open orders
};

struct OrderAck {
  std::int64_t order_id = 0;
  std::string client_order_id;
  OrderStatus status = OrderStatus::kNew;
};

struct OpenOrder {
  std::int64_t order_id = 0;
  OrderRequest request;
  Timestamp created;
};

struct PositionReport {
  std::string symbol;
  Quantity quantity;         // signed: > 0 long, < 0 short
  double entry_price = 0.0;  // average, not on the tick grid (as Binance reports it)
  int leverage = 0;
  Notional margin;  // isolated: the position's margin; crossed: its initial margin (notional / leverage)
  double unrealized_pnl = 0.0;  // at the last mark
  MarginType margin_type = MarginType::kIsolated;
};

struct BalanceReport {
  Notional wallet_balance;      // deposits + realised PnL − fees − funding
  Notional available_balance;   // wallet − margin held by positions and open orders − crossed unrealised losses
};

// What the user-data stream reports; the simulator emits the same.
struct VenueEvent {
  enum class Kind { kOrderUpdate, kFill, kPositionChange, kBalanceChange, kFunding } kind = Kind::kOrderUpdate;
  Timestamp time;
  std::string symbol;
  std::int64_t order_id = 0;
  std::string client_order_id;
  OrderStatus status = OrderStatus::kNew;
  Side side = Side::kBuy;
  Price price;              // fill price
  Quantity quantity;        // fill quantity or the new position quantity (signed)
  Notional fee;             // commission of a fill, funding amount (signed: + paid)
  double realized_pnl = 0.0;
  std::string reason;       // e.g. "STOP triggered", "position closed: reduce-only order expired"
};

class Venue {
 public:
  virtual ~Venue() = default;
  virtual Result<OrderAck> submit(const OrderRequest& request) = 0;
  virtual Status cancel(const std::string& symbol, const std::string& client_order_id) = 0;
  virtual Status set_leverage(const std::string& symbol, int leverage) = 0;
  // Only while the symbol has no position and no open order (Binance: -4048, -4047); the
  // type it already has is -4046.
  virtual Status set_margin_type(const std::string& symbol, MarginType type) = 0;
  [[nodiscard]] virtual std::vector<OpenOrder> open_orders(const std::string& symbol) const = 0;
  [[nodiscard]] virtual std::vector<PositionReport> positions() const = 0;
  [[nodiscard]] virtual BalanceReport balance() const = 0;
  // Events since the last call, oldest first.
  virtual std::vector<VenueEvent> drain_events() = 0;
};

}  // namespace winiswin::venue
