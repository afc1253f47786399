// SimVenue's order entry: validation and placement of regular and algo orders, the lost-ack
// fault seam, cancels, queries, and the events and records of orders that end without a fill.
// Execution on bars, fills and the account are in sim_venue.cpp.
#include <algorithm>

#include <fmt/format.h>

#include "venue/sim/sim_detail.h"
#include "venue/sim/sim_venue.h"  // IWYU pragma: associated

namespace winiswin::sim {
namespace {

using venue::AlgoOrderRequest;
using venue::AlgoOrderType;
using venue::AlgoStatus;
using venue::EventCause;
using venue::OrderRequest;
using venue::OrderStatus;
using venue::OrderType;
using venue::SubmitOutcome;
using venue::VenueEvent;

using detail::opposes;

bool valid_client_id(const std::string& id) {
  if (id.empty() || id.size() > 36) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == ':' ||
           c == '/' || c == '_' || c == '-';
  });
}

bool is_conditional(OrderType type) { return type == OrderType::kStopMarket || type == OrderType::kTakeProfitMarket; }

std::optional<int> price_filter_code(const Instrument& instrument, Price price, bool trigger) {
  const FilterCheck check = instrument.check_price(price);
  if (check.accepted()) return std::nullopt;
  switch (*check.violation) {
    case FilterViolation::kPriceBelowMin: return trigger ? (price.is_positive() ? -4013 : -4006) : -4013;
    case FilterViolation::kPriceAboveMax: return trigger ? -4007 : -4002;
    default: return -4014;
  }
}

int quantity_code(FilterViolation violation) {
  switch (violation) {
    case FilterViolation::kQuantityBelowMin: return -4004;
    case FilterViolation::kQuantityAboveMax: return -4005;
    default: return -4023;
  }
}

// Would the watched price already satisfy this trigger? (STOP: BUY ≥, SELL ≤; TP: BUY ≤, SELL ≥.)
bool triggers_at(const AlgoOrderRequest& request, Price price) {
  const bool buy = request.side == Side::kBuy;
  if (request.type == AlgoOrderType::kStopMarket) return buy ? price >= request.trigger_price : price <= request.trigger_price;
  return buy ? price <= request.trigger_price : price >= request.trigger_price;
}


// What Binance answers when its backend times out (-1007): the request's fate is unknown.
Error lost_answer(const std::string& client_id) {
  return Error{ErrorCode::kUnknownOutcome,
               client_id + ": Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
               -1007};
}

}  // namespace

void SimVenue::lose_next_ack_for(std::string client_id, LostAck what) { lost_acks_.insert_or_assign(std::move(client_id), what); }

std::optional<LostAck> SimVenue::take_lost_ack(const std::string& client_id) {
  const auto found = lost_acks_.find(client_id);
  if (found == lost_acks_.end()) return std::nullopt;
  const LostAck what = found->second;
  lost_acks_.erase(found);
  return what;
}

venue::SubmitOutcome SimVenue::submit(const OrderRequest& request) {
  const std::optional<LostAck> lost = take_lost_ack(request.client_order_id);
  if (lost) {  // whatever the venue decides, the answer is lost
    if (lost == LostAck::kOrderPlaced) (void)place(request);
    return SubmitOutcome::unknown_with(lost_answer(request.client_order_id), venue::OrderAck{.client_order_id = request.client_order_id});
  }
  Result<venue::OrderAck> placed = place(request);
  if (!placed) return SubmitOutcome::rejected_with(placed.error());
  return SubmitOutcome::accepted_with(std::move(placed).value());
}

Result<venue::OrderAck> SimVenue::place(const OrderRequest& request) {
  const auto reject = [&](int code, const std::string& message) {
    return make_rejection(code, fmt::format("{} {} {}: {}", request.symbol, name_of(request.side), name_of(request.type), message));
  };
  if (is_conditional(request.type)) {
    return reject(-4120, "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.");
  }
  if (!valid_client_id(request.client_order_id)) return reject(-4015, "Client order id is not valid.");
  Book* entry = book(request.symbol);
  if (!entry || entry->instrument.status != InstrumentStatus::kTrading) return reject(-1121, "Invalid symbol.");
  for (const RestingOrder& order : entry->orders) {
    if (order.request.client_order_id == request.client_order_id) return reject(-4116, "clientOrderId is duplicated");
  }
  const Instrument& instrument = entry->instrument;
  if (request.type == OrderType::kLimit) {
    if (const auto code = price_filter_code(instrument, request.price, false)) {
      return reject(*code, instrument.check_price(request.price).reason);
    }
  }
  if (!request.quantity.is_positive()) return reject(-4003, "Quantity less than zero.");
  const OrderKind kind = request.type == OrderType::kLimit ? OrderKind::kLimit : OrderKind::kMarket;
  if (const FilterCheck check = instrument.check_quantity(request.quantity, kind); !check.accepted()) {
    return reject(quantity_code(*check.violation), check.reason);
  }
  if (!entry->last_bar) return reject(-1121, "no market data for the symbol yet");
  const Price reference = request.type == OrderType::kLimit ? request.price : entry->last_bar->close;
  if (!request.reduce_only) {
    if (const FilterCheck check = instrument.check_min_notional(reference, request.quantity); !check.accepted()) {
      return reject(-4164, fmt::format("Order's notional must be no smaller than {} (unless you choose reduce only)",
                                       instrument.min_notional.to_string()));
    }
  }
  if (request.reduce_only && !opposes(request.side, entry->position)) return reject(-2022, "ReduceOnly Order is rejected.");
  if (!request.reduce_only) {
    const Notional required = Notional::from_raw(
        notional_of(reference, opening_quantity(*entry, request.side, request.quantity), Rounding::kUp).raw() / entry->leverage);
    const Notional available = wallet_ - used_margin();
    if (required > available) {
      return reject(-2019,
                    fmt::format("Margin is insufficient. (needs {}, available {})", required.to_string(), available.to_string()));
    }
  }
  const RestingOrder order{next_order_id_++, request, entry->last_bar->close_time + Milliseconds{1}};
  entry->orders.push_back(order);
  emit_order_update(order, OrderStatus::kNew, order.created, EventCause::kOrder, "");
  return venue::OrderAck{.order_id = order.order_id, .client_order_id = request.client_order_id, .status = OrderStatus::kNew};
}

venue::SubmitOutcome SimVenue::submit_algo(const AlgoOrderRequest& request) {
  const std::optional<LostAck> lost = take_lost_ack(request.client_algo_id);
  if (lost) {  // whatever the venue decides, the answer is lost
    if (lost == LostAck::kOrderPlaced) (void)place_algo(request);
    return SubmitOutcome::unknown_with(lost_answer(request.client_algo_id), venue::OrderAck{.client_algo_id = request.client_algo_id});
  }
  Result<venue::OrderAck> placed = place_algo(request);
  if (!placed) return SubmitOutcome::rejected_with(placed.error());
  return SubmitOutcome::accepted_with(std::move(placed).value());
}

Result<venue::OrderAck> SimVenue::place_algo(const AlgoOrderRequest& request) {
  const auto reject = [&](int code, const std::string& message) {
    return make_rejection(code,
                          fmt::format("{} {} {} (algo): {}", request.symbol, name_of(request.side), name_of(request.type), message));
  };
  if (!valid_client_id(request.client_algo_id)) return reject(-4015, "Client order id is not valid.");
  Book* entry = book(request.symbol);
  if (!entry || entry->instrument.status != InstrumentStatus::kTrading) return reject(-1121, "Invalid symbol.");
  for (const AlgoOrder& algo : entry->algo_orders) {
    if (algo.request.client_algo_id == request.client_algo_id) return reject(-20132, "The client algo id is duplicated");
  }
  if (request.close_position) {
    if (request.quantity.is_positive()) return reject(-1106, "Parameter 'quantity' sent with closePosition.");
    if (request.reduce_only) return reject(-1128, "Combination of optional parameters invalid.");
  }
  const Instrument& instrument = entry->instrument;
  if (const auto code = price_filter_code(instrument, request.trigger_price, true)) {
    return reject(*code, "triggerPrice: " + instrument.check_price(request.trigger_price).reason);
  }
  if (!request.close_position) {
    if (!request.quantity.is_positive()) return reject(-4003, "Quantity less than zero.");
    if (const FilterCheck check = instrument.check_quantity(request.quantity, OrderKind::kMarket); !check.accepted()) {
      return reject(quantity_code(*check.violation), check.reason);
    }
  }
  if (!entry->last_bar) return reject(-1121, "no market data for the symbol yet");
  if (!request.reduce_only && !request.close_position) {
    if (const FilterCheck check = instrument.check_min_notional(request.trigger_price, request.quantity); !check.accepted()) {
      return reject(-4164, fmt::format("Order's notional must be no smaller than {} (unless you choose reduce only)",
                                       instrument.min_notional.to_string()));
    }
  }
  // closePosition orders may wait for a position; reduce-only ones may not.
  if (request.reduce_only && !opposes(request.side, entry->position)) return reject(-2022, "ReduceOnly Order is rejected.");
  const bool on_mark = request.working_type == venue::WorkingType::kMarkPrice;
  const Price watched = on_mark && entry->last_mark ? *entry->last_mark : entry->last_bar->close;
  if (triggers_at(request, watched)) {
    return reject(-2021,
                  fmt::format("Order would immediately trigger. ({} {})", on_mark ? "mark price" : "last price", watched.to_string()));
  }
  const AlgoOrder algo{next_algo_id_++, request, entry->last_bar->close_time + Milliseconds{1}};
  entry->algo_orders.push_back(algo);
  emit_algo_update(algo, AlgoStatus::kNew, algo.created, EventCause::kOrder, "");
  return venue::OrderAck{.algo_id = algo.algo_id, .client_algo_id = request.client_algo_id, .algo_status = AlgoStatus::kNew};
}

void SimVenue::emit(VenueEvent event) {
  event.received = event.time;  // no transport: received as it happens
  events_.push_back(std::move(event));
}

void SimVenue::emit_order_update(const RestingOrder& order, OrderStatus status, Timestamp time, EventCause cause,
                                 std::string reason) {
  VenueEvent event;
  event.kind = VenueEvent::Kind::kOrderUpdate;
  event.time = time;
  event.symbol = order.request.symbol;
  event.cause = cause;
  event.order_id = order.order_id;
  event.client_order_id = order.request.client_order_id;
  if (order.algo_id != 0) {
    event.algo_id = order.algo_id;
    event.client_algo_id = order.request.client_order_id;
  }
  event.status = status;
  event.side = order.request.side;
  event.reason = std::move(reason);
  emit(std::move(event));
}

void SimVenue::emit_algo_update(const AlgoOrder& algo, AlgoStatus status, Timestamp time, EventCause cause, std::string reason,
                                std::int64_t order_id, Quantity executed, Price average) {
  VenueEvent event;
  event.kind = VenueEvent::Kind::kAlgoUpdate;
  event.time = time;
  event.symbol = algo.request.symbol;
  event.cause = cause;
  event.order_id = order_id;
  if (order_id != 0) event.client_order_id = algo.request.client_algo_id;
  event.algo_id = algo.algo_id;
  event.client_algo_id = algo.request.client_algo_id;
  event.algo_status = status;
  event.side = algo.request.side;
  event.price = average;
  event.quantity = executed;
  event.reason = std::move(reason);
  emit(std::move(event));
}

venue::OrderStatusReport SimVenue::report_of(const RestingOrder& order) {
  venue::OrderStatusReport report;
  report.symbol = order.request.symbol;
  report.order_id = order.order_id;
  report.client_order_id = order.request.client_order_id;
  report.side = order.request.side;
  report.type = order.request.type;
  report.status = OrderStatus::kNew;
  report.original_quantity = order.request.quantity;
  report.price = order.request.price;
  report.reduce_only = order.request.reduce_only;
  report.close_position = order.close_position;
  report.time = order.created;
  report.update_time = order.created;
  return report;
}

venue::AlgoOrderReport SimVenue::report_of(const AlgoOrder& algo) {
  const AlgoOrderRequest& request = algo.request;
  venue::AlgoOrderReport report;
  report.symbol = request.symbol;
  report.algo_id = algo.algo_id;
  report.client_algo_id = request.client_algo_id;
  report.side = request.side;
  report.type = request.type;
  report.status = AlgoStatus::kNew;
  report.trigger_price = request.trigger_price;
  report.quantity = request.quantity;
  report.close_position = request.close_position;
  report.reduce_only = request.reduce_only;
  report.working_type = request.working_type;
  report.price_protect = request.price_protect;
  report.time = algo.created;
  report.update_time = algo.created;
  return report;
}

void SimVenue::remember(Book& entry, venue::OrderStatusReport report) const {
  entry.done_orders.push_back(std::move(report));
  while (entry.done_orders.size() > config_.queryable_done_orders) entry.done_orders.pop_front();
}

void SimVenue::remember(Book& entry, venue::AlgoOrderReport report) const {
  entry.done_algo_orders.push_back(std::move(report));
  while (entry.done_algo_orders.size() > config_.queryable_done_orders) entry.done_algo_orders.pop_front();
}

void SimVenue::expire_order(Book& entry, const RestingOrder& order, Timestamp time, const std::string& reason) {
  emit_order_update(order, OrderStatus::kExpired, time, EventCause::kPositionClosed, reason);
  venue::OrderStatusReport report = report_of(order);
  report.status = OrderStatus::kExpired;
  report.update_time = time;
  remember(entry, std::move(report));
}

void SimVenue::expire_protective_orders(Book& entry, Timestamp time) {
  std::erase_if(entry.orders, [&](const RestingOrder& order) {
    if (!order.request.reduce_only) return false;
    expire_order(entry, order, time, "position closed");
    return true;
  });
  std::erase_if(entry.algo_orders, [&](const AlgoOrder& algo) {
    if (!algo.request.reduce_only && !algo.request.close_position) return false;
    emit_algo_update(algo, AlgoStatus::kExpired, time, EventCause::kPositionClosed, "position closed");
    venue::AlgoOrderReport report = report_of(algo);
    report.status = AlgoStatus::kExpired;
    report.update_time = time;
    report.reason = "position closed";
    remember(entry, std::move(report));
    return true;
  });
}

Status SimVenue::cancel(const std::string& symbol, const std::string& client_order_id) {
  Book* entry = book(symbol);
  if (!entry) return make_rejection(-1121, symbol + ": Invalid symbol.");
  const auto found = std::find_if(entry->orders.begin(), entry->orders.end(),
                                  [&](const RestingOrder& order) { return order.request.client_order_id == client_order_id; });
  if (found == entry->orders.end()) return make_rejection(-2011, symbol + " " + client_order_id + ": Unknown order sent.");
  const Timestamp now = entry->last_bar ? entry->last_bar->close_time + Milliseconds{1} : Timestamp{};
  emit_order_update(*found, OrderStatus::kCanceled, now, EventCause::kOrder, "");
  venue::OrderStatusReport report = report_of(*found);
  report.status = OrderStatus::kCanceled;
  report.update_time = now;
  remember(*entry, std::move(report));
  entry->orders.erase(found);
  return Ok{};
}

Status SimVenue::cancel_algo(const std::string& symbol, const std::string& client_algo_id) {
  Book* entry = book(symbol);
  if (!entry) return make_rejection(-1121, symbol + ": Invalid symbol.");
  const auto found = std::find_if(entry->algo_orders.begin(), entry->algo_orders.end(),
                                  [&](const AlgoOrder& algo) { return algo.request.client_algo_id == client_algo_id; });
  if (found == entry->algo_orders.end()) {
    return make_rejection(-20124, symbol + " " + client_algo_id + ": Invalid algo id or it has been completed.");
  }
  const Timestamp now = entry->last_bar ? entry->last_bar->close_time + Milliseconds{1} : Timestamp{};
  emit_algo_update(*found, AlgoStatus::kCanceled, now, EventCause::kOrder, "");
  venue::AlgoOrderReport report = report_of(*found);
  report.status = AlgoStatus::kCanceled;
  report.update_time = now;
  remember(*entry, std::move(report));
  entry->algo_orders.erase(found);
  return Ok{};
}

Result<std::optional<venue::OrderStatusReport>> SimVenue::query_order(const std::string& symbol,
                                                                      const std::string& client_order_id) {
  const Book* entry = book(symbol);
  if (!entry) return make_rejection(-1121, symbol + ": Invalid symbol.");
  for (const RestingOrder& order : entry->orders) {
    if (order.request.client_order_id == client_order_id) return std::optional(report_of(order));
  }
  const auto done = std::find_if(entry->done_orders.rbegin(), entry->done_orders.rend(),
                                 [&](const venue::OrderStatusReport& report) { return report.client_order_id == client_order_id; });
  if (done == entry->done_orders.rend()) return std::optional<venue::OrderStatusReport>{};
  return std::optional(*done);
}

Result<std::optional<venue::AlgoOrderReport>> SimVenue::query_algo(const std::string& symbol, const std::string& client_algo_id) {
  const Book* entry = book(symbol);
  if (!entry) return make_rejection(-1121, symbol + ": Invalid symbol.");
  for (const AlgoOrder& algo : entry->algo_orders) {
    if (algo.request.client_algo_id == client_algo_id) return std::optional(report_of(algo));
  }
  const auto done = std::find_if(entry->done_algo_orders.rbegin(), entry->done_algo_orders.rend(),
                                 [&](const venue::AlgoOrderReport& report) { return report.client_algo_id == client_algo_id; });
  if (done == entry->done_algo_orders.rend()) return std::optional<venue::AlgoOrderReport>{};
  return std::optional(*done);
}

Result<std::vector<venue::OrderStatusReport>> SimVenue::open_orders(const std::string& symbol) {
  const Book* entry = book(symbol);
  if (!entry) return make_rejection(-1121, symbol + ": Invalid symbol.");
  std::vector<venue::OrderStatusReport> reports;
  reports.reserve(entry->orders.size());
  for (const RestingOrder& order : entry->orders) reports.push_back(report_of(order));
  return reports;
}

Result<std::vector<venue::AlgoOrderReport>> SimVenue::open_algo_orders(const std::string& symbol) {
  const Book* entry = book(symbol);
  if (!entry) return make_rejection(-1121, symbol + ": Invalid symbol.");
  std::vector<venue::AlgoOrderReport> reports;
  reports.reserve(entry->algo_orders.size());
  for (const AlgoOrder& algo : entry->algo_orders) reports.push_back(report_of(algo));
  return reports;
}

}  // namespace winiswin::sim
