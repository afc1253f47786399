// The simulator's events as Binance's user-data stream pushes them (spec/websocket.md §6,
// spec/conditional-orders.md §4):
//   order update, fill        ORDER_TRADE_UPDATE (x: NEW, CANCELED, EXPIRED, TRADE; CALCULATED
//                             for a liquidation)
//   algo update               ALGO_UPDATE (X: the algo status; ai: the order it became)
//   position + balance change ACCOUNT_UPDATE m=ORDER (the simulator reports them one after the
//                             other after each fill; they travel as one message, as on Binance)
//   funding                   ACCOUNT_UPDATE m=FUNDING_FEE
// Times: E and T are the simulator's event time (a fill at the bar's open). Fields the
// simulator has no notion of carry Binance's defaults (ps BOTH, V EXPIRE_MAKER, pm NONE).
// The events also keep the venue's order catalog current: a triggered algo order's child
// becomes known by its orderId when its TRIGGERED update passes here.
#include <fmt/format.h>

#include "venue/loopback/loopback_exchange.h"
#include "venue/sim/margin.h"

namespace winiswin::loopback {
namespace {

using venue::AlgoStatus;
using venue::EventCause;
using venue::OrderStatus;
using venue::VenueEvent;

std::string_view margin_type_name(venue::MarginType type) { return type == venue::MarginType::kCrossed ? "cross" : "isolated"; }

}  // namespace

void LoopbackExchange::publish_venue_events() {
  for (const VenueEvent& event : sim_.drain_events()) {
    switch (event.kind) {
      case VenueEvent::Kind::kOrderUpdate:
      case VenueEvent::Kind::kFill: publish_order_update(event); break;
      case VenueEvent::Kind::kAlgoUpdate: publish_algo_update(event); break;
      case VenueEvent::Kind::kPositionChange: pending_position_ = event; break;
      case VenueEvent::Kind::kBalanceChange:
        publish_account_update(pending_position_.value_or(event), event);
        pending_position_.reset();
        break;
      case VenueEvent::Kind::kFunding: publish_funding(event); break;
    }
  }
}

void LoopbackExchange::publish_order_update(const VenueEvent& event) {
  const auto known = orders_.find(event.order_id);
  OrderFacts facts = known != orders_.end() ? known->second : OrderFacts{};
  if (known == orders_.end()) {  // a liquidation's own order: only the event knows it
    facts.symbol = event.symbol;
    facts.client_order_id = event.client_order_id;
    facts.type = "MARKET";
    facts.quantity = event.quantity;
    facts.reduce_only = true;
  }
  const bool is_fill = event.kind == VenueEvent::Kind::kFill;
  const std::string execution = !is_fill                                ? std::string(name_of(event.status))
                                : event.cause == EventCause::kLiquidation ? "CALCULATED"
                                                                          : "TRADE";
  bool maker = false;
  if (is_fill && facts.type == "LIMIT" && config_.venue.maker_fee != config_.venue.taker_fee) {
    maker = event.fee == sim::trading_fee(notional_of(event.price, event.quantity, Rounding::kUp), config_.venue.maker_fee);
  }
  const Quantity quantity = facts.quantity.is_zero() && is_fill ? event.quantity : facts.quantity;
  JsonWriter json;
  json.begin_object().field("e", "ORDER_TRADE_UPDATE").field("E", to_ms(event.time)).field("T", to_ms(event.time));
  json.key("o").begin_object();
  json.field("s", event.symbol)
      .field("c", event.client_order_id)
      .field("S", name_of(event.side))
      .field("o", facts.type)
      .field("f", facts.time_in_force)
      .field("q", quantity)
      .field("p", facts.price)
      .field("ap", is_fill ? event.price : Price{})
      .field("sp", facts.stop_price)
      .field("x", execution)
      .field("X", name_of(event.status))
      .field("i", event.order_id)
      .field("l", is_fill ? event.quantity : Quantity{})
      .field("z", is_fill ? event.cumulative_quantity : Quantity{})
      .field("L", is_fill ? event.price : Price{})
      .field("N", "USDT")
      .field("n", is_fill ? event.fee : Notional{})
      .field("T", to_ms(event.time))
      .field("t", is_fill ? next_trade_id_++ : std::int64_t{0})
      .field("b", "0")
      .field("a", "0")
      .field("m", maker)
      .field("R", facts.reduce_only)
      .field("wt", "CONTRACT_PRICE")
      .field("ot", facts.original_type.empty() ? facts.type : facts.original_type)
      .field("ps", "BOTH")
      .field("cp", facts.close_position)
      .field("AP", "0")
      .field("cr", "0")
      .field("pP", false)
      .field("si", 0)
      .field("ss", 0)
      .field("rp", is_fill ? event.realized_pnl : Notional{})
      .field("V", "EXPIRE_MAKER")
      .field("pm", "NONE")
      .field("gtd", 0)
      .field("er", "0");
  json.end_object().end_object();
  user_streams_.publish(UserStreamMessage{"ORDER_TRADE_UPDATE", json.take()});
}

void LoopbackExchange::publish_algo_update(const VenueEvent& event) {
  const auto known = algos_.find(event.algo_id);
  const venue::AlgoOrderRequest request = known != algos_.end() ? known->second.request : venue::AlgoOrderRequest{};
  if (event.order_id != 0 && !orders_.contains(event.order_id)) {
    // The regular order the algo order became: a MARKET order carrying the algo's client id.
    OrderFacts child;
    child.symbol = event.symbol;
    child.client_order_id = event.client_algo_id;
    child.type = "MARKET";
    child.original_type = std::string(name_of(request.type));
    child.quantity = request.quantity;
    child.stop_price = request.trigger_price;
    child.reduce_only = request.reduce_only || request.close_position;
    child.close_position = request.close_position;
    child.algo_id = event.algo_id;
    orders_.emplace(event.order_id, std::move(child));
  }
  const bool failed = event.algo_status == AlgoStatus::kRejected || event.algo_status == AlgoStatus::kExpired;
  const bool reached_trigger = event.order_id != 0 || event.algo_status == AlgoStatus::kRejected ||
                               (event.algo_status == AlgoStatus::kExpired && event.cause != EventCause::kPositionClosed);
  JsonWriter json;
  json.begin_object().field("e", "ALGO_UPDATE").field("T", to_ms(event.time)).field("E", to_ms(event.time));
  json.key("o").begin_object();
  json.field("caid", event.client_algo_id)
      .field("aid", event.algo_id)
      .field("at", "CONDITIONAL")
      .field("o", name_of(request.type))
      .field("s", event.symbol)
      .field("S", name_of(event.side))
      .field("ps", "BOTH")
      .field("f", "GTC")
      .field("q", request.quantity)
      .field("X", name_of(event.algo_status))
      .field("ai", event.order_id != 0 ? std::to_string(event.order_id) : std::string())
      .field("ap", event.price)
      .field("aq", event.quantity)
      .field("act", event.order_id != 0 ? "MARKET" : "")
      .field("tp", request.trigger_price)
      .field("p", "0")
      .field("V", "EXPIRE_MAKER")
      .field("wt", name_of(request.working_type))
      .field("pm", "NONE")
      .field("cp", request.close_position)
      .field("pP", request.price_protect)
      .field("R", request.reduce_only)
      .field("tt", reached_trigger ? to_ms(event.time) : std::int64_t{0})
      .field("gtd", 0)
      .field("rm", failed ? event.reason : std::string());
  json.end_object().end_object();
  user_streams_.publish(UserStreamMessage{"ALGO_UPDATE", json.take()});
}

void LoopbackExchange::publish_account_update(const VenueEvent& position, const VenueEvent& balance) {
  Notional isolated_margins;
  Notional position_margin;
  const auto reports = sim_.positions();
  if (reports) {
    for (const venue::PositionReport& report : *reports) {
      if (report.margin_type == venue::MarginType::kIsolated) isolated_margins += report.margin;
      if (report.symbol == position.symbol) position_margin = report.margin;
    }
  }
  const venue::MarginType margin_type = settings_.at(position.symbol).margin_type;
  const Price mark = mark_of(position.symbol);
  const double unrealized = position.quantity.is_zero() ? 0.0 : (mark.to_double() - position.price.to_double()) * position.quantity.to_double();
  JsonWriter json;
  json.begin_object().field("e", "ACCOUNT_UPDATE").field("E", to_ms(balance.time)).field("T", to_ms(balance.time));
  json.key("a").begin_object().field("m", "ORDER");
  json.key("B").begin_array().begin_object();
  json.field("a", "USDT").field("wb", balance.wallet_balance).field("cw", balance.wallet_balance - isolated_margins).field("bc", "0");
  json.end_object().end_array();
  if (position.kind == VenueEvent::Kind::kPositionChange) {
    json.key("P").begin_array().begin_object();
    json.field("s", position.symbol)
        .field("pa", position.quantity)
        .field("ep", position.price)
        .field("bep", position.price)
        .field("cr", "0")
        .field("up", Notional::from_double(unrealized).value())
        .field("mt", margin_type_name(margin_type))
        .field("iw", margin_type == venue::MarginType::kIsolated ? position_margin : Notional{})
        .field("ps", "BOTH");
    json.end_object().end_array();
  }
  json.end_object().end_object();
  user_streams_.publish(UserStreamMessage{"ACCOUNT_UPDATE", json.take()});
}

void LoopbackExchange::publish_funding(const VenueEvent& event) {
  const auto balance = sim_.balance();
  const Notional wallet = balance ? balance->wallet_balance : Notional{};
  JsonWriter json;
  json.begin_object().field("e", "ACCOUNT_UPDATE").field("E", to_ms(event.time)).field("T", to_ms(event.time));
  json.key("a").begin_object().field("m", "FUNDING_FEE");
  json.key("B").begin_array().begin_object();
  json.field("a", "USDT").field("wb", wallet).field("cw", wallet).field("bc", -event.fee);
  json.end_object().end_array();
  json.end_object().end_object();
  user_streams_.publish(UserStreamMessage{"ACCOUNT_UPDATE", json.take()});
}

}  // namespace winiswin::loopback
