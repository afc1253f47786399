// The Venue seam: what the engine may ask of an exchange, implemented by the simulator
// (venue/sim) and, next, by the Binance client — the engine cannot tell them apart.
// Requests and reports use Binance's vocabulary; a refusal carries Binance's own code
// (spec/limits-and-errors.md), so strategies and operators see the same reasons in
// backtest and live.
//
// Contract:
// - Submitting has three outcomes (SubmitOutcome): accepted, rejected (Binance's code in
//   Error::venue_code), or unknown — a timeout, an HTTP 5xx or -1007 after which the order
//   may or may not exist. After an unknown outcome the caller queries by client id
//   (query_order / query_algo) before it sends anything else for that order; it never
//   re-sends blindly (a re-sent order still open is refused as a duplicate, -4116 / -20132;
//   one already filled or triggered is placed twice).
//   A "not found" answer right after a placement is not proof of absence either: Binance's
//   algo endpoints can lag for minutes (spec/changes-2026.md); re-query with back-off.
// - Conditional orders are algo orders, as Binance's Algo Service models them since
//   2025-12-09: submit_algo / cancel_algo / query_algo / open_algo_orders, ids `algo_id`
//   and `client_algo_id`. STOP_MARKET and TAKE_PROFIT_MARKET sent to submit() are refused
//   with -4120, as Binance refuses them. A triggered algo order becomes a regular MARKET
//   order with its own order id; its events carry the algo order's ids (see VenueEvent).
// - Reports (orders, algo orders, positions, balance) are answers to queries, in exact
//   types; events are what the user-data stream pushes. A query that fails is an error,
//   never an empty answer: a failed position query does not mean flat.
//
// Threading:
// - A Venue is used from one thread, the decision thread. Every method is called there and
//   blocks until the venue answers (for Binance: one REST round trip). No method is
//   thread-safe and none may be called concurrently with another.
// - The simulator has no other thread: events are produced inside the calls that cause
//   them (submit, cancel, and its driver's on_bar), on the caller's thread.
// - The Binance client owns one I/O thread for the user-data WebSocket. That thread only
//   parses messages into VenueEvents and appends them to the client's internal queue (under
//   the client's own lock); it never calls into the engine and changes nothing the other
//   methods answer. drain_events() on the decision thread takes the queue: it is the only
//   hand-over between the two threads. Events about an order can be queued while the call
//   that places it still waits for its answer; the caller sees them at its next drain,
//   after the call returned. Across event kinds they keep Binance's order only (a triggered
//   algo order's fill may come before its FINISHED update).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/fixed_point.h"
#include "core/side.h"
#include "core/time.h"

namespace winiswin::venue {

// Binance's order types. Since 2025-12-09 the regular endpoint accepts only MARKET and
// LIMIT; the conditional types are listed because Binance's own enum still lists them and
// answers -4120 when they are sent there (AlgoOrderType is what submit_algo takes).
enum class OrderType { kMarket, kLimit, kStopMarket, kTakeProfitMarket };
enum class OrderStatus { kNew, kPartiallyFilled, kFilled, kCanceled, kExpired, kExpiredInMatch, kRejected };
// The conditional types the Algo Service takes that we use (it also has STOP, TAKE_PROFIT
// and TRAILING_STOP_MARKET).
enum class AlgoOrderType { kStopMarket, kTakeProfitMarket };
// Binance's algoStatus: NEW (waiting for its trigger), TRIGGERING (condition met, being
// forwarded), TRIGGERED (its regular order is in the matching engine), FINISHED (that
// order filled or was cancelled there), CANCELED (by the user), EXPIRED (by the system,
// e.g. its position closed), REJECTED (refused at trigger time: margin, reduce-only).
enum class AlgoStatus { kNew, kTriggering, kTriggered, kFinished, kCanceled, kExpired, kRejected };

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
    case OrderStatus::kPartiallyFilled: return "PARTIALLY_FILLED";
    case OrderStatus::kFilled: return "FILLED";
    case OrderStatus::kCanceled: return "CANCELED";
    case OrderStatus::kExpired: return "EXPIRED";
    case OrderStatus::kExpiredInMatch: return "EXPIRED_IN_MATCH";
    case OrderStatus::kRejected: return "REJECTED";
  }
  return "?";
}
constexpr std::string_view name_of(AlgoOrderType type) {
  return type == AlgoOrderType::kStopMarket ? "STOP_MARKET" : "TAKE_PROFIT_MARKET";
}
constexpr std::string_view name_of(AlgoStatus status) {
  switch (status) {
    case AlgoStatus::kNew: return "NEW";
    case AlgoStatus::kTriggering: return "TRIGGERING";
    case AlgoStatus::kTriggered: return "TRIGGERED";
    case AlgoStatus::kFinished: return "FINISHED";
    case AlgoStatus::kCanceled: return "CANCELED";
    case AlgoStatus::kExpired: return "EXPIRED";
    case AlgoStatus::kRejected: return "REJECTED";
  }
  return "?";
}
// Whether an order / algo order can still change (open) or is done (terminal).
constexpr bool is_terminal(OrderStatus status) { return status != OrderStatus::kNew && status != OrderStatus::kPartiallyFilled; }
constexpr bool is_terminal(AlgoStatus status) {
  return status == AlgoStatus::kFinished || status == AlgoStatus::kCanceled || status == AlgoStatus::kExpired ||
         status == AlgoStatus::kRejected;
}

// What a conditional order watches (Binance's workingType; its default is the contract
// price). The mark price ignores the wicks of thin books: stops on it are not hunted.
enum class WorkingType { kContractPrice, kMarkPrice };
constexpr std::string_view name_of(WorkingType type) {
  return type == WorkingType::kMarkPrice ? "MARK_PRICE" : "CONTRACT_PRICE";
}

// How a symbol's position is margined (Binance's marginType). Isolated: the position can
// lose only the margin put on it. Crossed: the account's cross wallet backs every crossed
// position, and each one's liquidation price depends on the others.
enum class MarginType { kIsolated, kCrossed };
constexpr std::string_view name_of(MarginType type) { return type == MarginType::kCrossed ? "CROSSED" : "ISOLATED"; }

// POST /fapi/v1/order: MARKET or LIMIT (anything else is -4120).
struct OrderRequest {
  std::string symbol;
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  Quantity quantity;
  Price price;  // LIMIT
  bool reduce_only = false;
  std::string client_order_id;  // newClientOrderId: ^[.A-Z:/a-z0-9_-]{1,36}$, unique among open orders
};

// POST /fapi/v1/algoOrder with algoType=CONDITIONAL.
struct AlgoOrderRequest {
  std::string symbol;
  Side side = Side::kSell;
  AlgoOrderType type = AlgoOrderType::kStopMarket;
  Price trigger_price;  // triggerPrice: STOP BUY ≥, SELL ≤; TAKE_PROFIT BUY ≤, SELL ≥ (the watched price)
  Quantity quantity;    // not with close_position
  bool close_position = false;  // on trigger, close the whole position (SELL: a long, BUY: a short); not with reduce_only
  bool reduce_only = false;
  WorkingType working_type = WorkingType::kContractPrice;
  bool price_protect = false;  // refuse to trigger while mark and last diverge beyond triggerProtect
  std::string client_algo_id;  // clientAlgoId: ^[.A-Z:/a-z0-9_-]{1,36}$, unique among open algo orders
};

// The venue's answer to an accepted submit / submit_algo.
struct OrderAck {
  std::int64_t order_id = 0;  // regular order: Binance's orderId (0 for an algo order)
  std::string client_order_id{};
  OrderStatus status = OrderStatus::kNew;
  std::int64_t algo_id = 0;  // algo order: Binance's algoId (0 for a regular order)
  std::string client_algo_id{};
  AlgoStatus algo_status = AlgoStatus::kNew;
};

enum class SubmitState { kAccepted, kRejected, kUnknown };
constexpr std::string_view name_of(SubmitState state) {
  return state == SubmitState::kAccepted ? "accepted" : state == SubmitState::kRejected ? "rejected" : "unknown";
}

// What became of a submit. There is deliberately no conversion to bool: "not accepted" is
// two different cases, and only a rejection means the order does not exist.
class [[nodiscard]] SubmitOutcome {
 public:
  static SubmitOutcome accepted_with(OrderAck ack) { return SubmitOutcome(SubmitState::kAccepted, std::move(ack), {}); }
  // `error.venue_code` is Binance's code (-2019, -4164 …).
  static SubmitOutcome rejected_with(Error error) { return SubmitOutcome(SubmitState::kRejected, {}, std::move(error)); }
  // `error` says what was seen (timeout, HTTP 503, -1007); `sent` holds the client id(s) sent.
  static SubmitOutcome unknown_with(Error error, OrderAck sent) {
    return SubmitOutcome(SubmitState::kUnknown, std::move(sent), std::move(error));
  }

  [[nodiscard]] SubmitState state() const { return state_; }
  [[nodiscard]] bool accepted() const { return state_ == SubmitState::kAccepted; }
  [[nodiscard]] bool rejected() const { return state_ == SubmitState::kRejected; }
  [[nodiscard]] bool unknown() const { return state_ == SubmitState::kUnknown; }
  // Accepted: the venue's ack. Unknown: only the client id(s) the caller sent (ids 0).
  // Rejected: a programming error (throws std::logic_error).
  [[nodiscard]] const OrderAck& ack() const {
    if (rejected()) [[unlikely]] {
      detail::throw_wrong_alternative("SubmitOutcome::ack() called on a rejection: ", error_.message);
    }
    return ack_;
  }
  // Rejected or unknown: what happened. Accepted: a programming error (throws).
  [[nodiscard]] const Error& error() const {
    if (accepted()) [[unlikely]] detail::throw_wrong_alternative("SubmitOutcome::error() called on an acceptance", "");
    return error_;
  }

 private:
  SubmitOutcome(SubmitState state, OrderAck ack, Error error)
      : state_(state), ack_(std::move(ack)), error_(std::move(error)) {}
  SubmitState state_;
  OrderAck ack_;
  Error error_;
};

// GET /fapi/v1/order (and each element of openOrders), in exact types.
struct OrderStatusReport {
  std::string symbol;
  std::int64_t order_id = 0;
  std::string client_order_id;
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  OrderStatus status = OrderStatus::kNew;
  Quantity original_quantity;  // origQty
  Quantity executed_quantity;  // executedQty
  Price average_price;         // avgPrice of the fills (0 before any)
  Price price;                 // LIMIT price (0 for MARKET)
  bool reduce_only = false;
  bool close_position = false;
  Timestamp time;         // created
  Timestamp update_time;  // last change
};

// GET /fapi/v1/algoOrder (and each element of openAlgoOrders), in exact types.
struct AlgoOrderReport {
  std::string symbol;
  std::int64_t algo_id = 0;
  std::string client_algo_id;
  Side side = Side::kSell;
  AlgoOrderType type = AlgoOrderType::kStopMarket;
  AlgoStatus status = AlgoStatus::kNew;
  Price trigger_price;
  Quantity quantity;  // 0 with close_position
  bool close_position = false;
  bool reduce_only = false;
  WorkingType working_type = WorkingType::kContractPrice;
  bool price_protect = false;
  std::optional<std::int64_t> actual_order_id;  // actualOrderId: the regular order it became, once triggered
  Quantity executed_quantity;                   // of that order (aq)
  Price average_price;                          // of that order (ap)
  Timestamp time;                               // created
  Timestamp update_time;
  std::optional<Timestamp> trigger_time;
  std::string reason;  // rm: why it was rejected or expired, when the venue says
};

struct PositionReport {
  std::string symbol;
  Quantity quantity;  // signed: > 0 long, < 0 short
  // The average entry price to 1e-8, rounded to the nearest (half away from zero): Binance
  // prints it unrounded to the tick with up to 8 decimals and does not document a direction.
  Price entry_price;
  Price mark_price;  // the last mark (the last close where the venue has no mark)
  // Where the position would be liquidated, on the tick, rounded toward the position (a
  // long's down, a short's up); 0 when it cannot be (as Binance prints "0").
  Price liquidation_price;
  int leverage = 0;
  Notional margin;  // isolated: the position's margin; crossed: its initial margin (notional / leverage)
  Notional unrealized_pnl;  // signed, at mark_price, to 1e-8 nearest
  MarginType margin_type = MarginType::kIsolated;
};

struct BalanceReport {
  Notional wallet_balance;     // deposits + realised PnL − fees − funding
  Notional available_balance;  // wallet − margin held by positions and open orders − crossed unrealised losses
};

// Why the venue did what an event reports, where it says so (Binance: the execution type,
// the liquidation client ids, ALGO_UPDATE's status and `rm`); the engine routes on this,
// never on `reason`.
enum class EventCause {
  kUnspecified,     // the venue does not say
  kOrder,           // the order's own course: placed, filled as MARKET/LIMIT, cancelled on request
  kAlgoTriggered,   // a triggered algo order: its updates, and the placing and fills of the order it became
  kLiquidation,     // a forced close (Binance: execution type CALCULATED, client id "autoclose-…")
  kAutoDeleverage,  // ADL (Binance: client id "adl_autoclose"); the simulator does not model it
  kSettlement,      // a delisting's settlement close (Binance: client id "settlement_autoclose-…")
  kPositionClosed,  // a reduce-only or closePosition order/algo order expired: no position left to reduce
  kTriggerRejected, // an algo order refused at trigger time (margin, reduce-only); `reason` says which
  kFunding,         // a funding payment
};
constexpr std::string_view name_of(EventCause cause) {
  switch (cause) {
    case EventCause::kUnspecified: return "unspecified";
    case EventCause::kOrder: return "order";
    case EventCause::kAlgoTriggered: return "algo triggered";
    case EventCause::kLiquidation: return "liquidation";
    case EventCause::kAutoDeleverage: return "auto-deleverage";
    case EventCause::kSettlement: return "settlement";
    case EventCause::kPositionClosed: return "position closed";
    case EventCause::kTriggerRejected: return "trigger rejected";
    case EventCause::kFunding: return "funding";
  }
  return "?";
}

// What the user-data stream reports (ORDER_TRADE_UPDATE, ALGO_UPDATE, ACCOUNT_UPDATE); the
// simulator emits the same. Fields that do not apply to a kind stay at their defaults.
struct VenueEvent {
  enum class Kind {
    kOrderUpdate,     // a regular order changed status (NEW, CANCELED, EXPIRED …) without a fill
    kFill,            // a regular order (or a liquidation) traded
    kAlgoUpdate,      // an algo order changed status (ALGO_UPDATE)
    kPositionChange,  // a symbol's position after a fill
    kBalanceChange,   // the wallet after a fill
    kFunding,         // a funding payment
  } kind = Kind::kOrderUpdate;
  Timestamp time;      // the exchange's time of the event (Binance: the transaction time)
  Timestamp received;  // when this process received it (the simulator: equal to `time`)
  std::string symbol;
  EventCause cause = EventCause::kUnspecified;
  // The regular order: kOrderUpdate, kFill; kAlgoUpdate once triggered (the order it became).
  std::int64_t order_id = 0;
  std::string client_order_id;
  // The algo order: kAlgoUpdate; kOrderUpdate and kFill of the order a triggered algo order
  // became (then cause is kAlgoTriggered). 0 / empty otherwise.
  std::int64_t algo_id = 0;
  std::string client_algo_id;
  OrderStatus status = OrderStatus::kNew;     // kOrderUpdate, kFill: the order's status after the event
  AlgoStatus algo_status = AlgoStatus::kNew;  // kAlgoUpdate
  Side side = Side::kBuy;
  // kFill: this fill's price. kPositionChange: the position's entry price (as in
  // PositionReport). kFunding: the mark. kAlgoUpdate: the average fill price once finished.
  Price price;
  // kFill: this fill's quantity. kPositionChange, kFunding: the position (signed).
  // kAlgoUpdate: the quantity its order executed.
  Quantity quantity;
  Quantity cumulative_quantity;  // kFill: the order's executed quantity after this fill
  Notional fee;                  // kFill: commission; kFunding: the payment (signed: + paid)
  Notional realized_pnl;         // kFill: the PnL this fill realised (signed, before the fee)
  Notional wallet_balance;       // kBalanceChange: the wallet after the event
  std::string reason;            // for people: "STOP_MARKET triggered at 99", "LIQUIDATION" …
};

// Whether an error says the venue failed to serve a call (what the circuit breaker counts):
// an unknown outcome (timeout, HTTP 5xx, -1006, -1007), a transport failure, overload or rate
// limiting (-1000, -1001, -1003, -1008, -1015, -1016; the client reports HTTP 429 and 418 as
// -1003). A rule the venue applied (-2019 margin insufficient, -4164 below min notional,
// -20124 no such algo order …) is an answer: the venue worked.
[[nodiscard]] bool is_venue_failure(const Error& error);

class Venue {
 public:
  virtual ~Venue() = default;

  // Regular orders (MARKET, LIMIT).
  virtual SubmitOutcome submit(const OrderRequest& request) = 0;
  virtual Status cancel(const std::string& symbol, const std::string& client_order_id) = 0;
  // The order with this client id, open or recently done (the most recent one if the id was
  // reused); none when the venue does not know it (never placed, or forgotten: Binance
  // forgets cancelled unfilled orders after 3 days, everything after 90 days).
  virtual Result<std::optional<OrderStatusReport>> query_order(const std::string& symbol,
                                                               const std::string& client_order_id) = 0;
  virtual Result<std::vector<OrderStatusReport>> open_orders(const std::string& symbol) = 0;

  // Algo (conditional) orders. The ack carries the algo id; the order id comes with the
  // TRIGGERED update.
  virtual SubmitOutcome submit_algo(const AlgoOrderRequest& request) = 0;
  virtual Status cancel_algo(const std::string& symbol, const std::string& client_algo_id) = 0;
  virtual Result<std::optional<AlgoOrderReport>> query_algo(const std::string& symbol, const std::string& client_algo_id) = 0;
  virtual Result<std::vector<AlgoOrderReport>> open_algo_orders(const std::string& symbol) = 0;

  // Account settings and state.
  virtual Status set_leverage(const std::string& symbol, int leverage) = 0;
  // Only while the symbol has no position and no open order (Binance: -4048, -4047); the
  // type it already has is -4046.
  virtual Status set_margin_type(const std::string& symbol, MarginType type) = 0;
  virtual Result<std::vector<PositionReport>> positions() = 0;
  virtual Result<BalanceReport> balance() = 0;

  // Events since the last call, oldest first (in order of receipt).
  [[nodiscard]] virtual std::vector<VenueEvent> drain_events() = 0;
};

}  // namespace winiswin::venue
