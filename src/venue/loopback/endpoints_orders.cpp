// Regular orders (spec/rest.md #16–20): POST/GET/DELETE /fapi/v1/order, openOrders,
// openOrder, allOpenOrders — MARKET and LIMIT (GTC) over the simulator. Conditional types
// are -4120 here: they go to /fapi/v1/algoOrder (endpoints_algo.cpp).
#include <fmt/format.h>

#include "venue/loopback/api_error.h"
#include "venue/loopback/loopback_exchange.h"
#include "venue/loopback/order_params.h"

namespace winiswin::loopback {
namespace {

using venue::OrderStatusReport;
using venue::OrderType;

bool is_conditional_type(std::string_view type) {
  return type == "STOP" || type == "STOP_MARKET" || type == "TAKE_PROFIT" || type == "TAKE_PROFIT_MARKET" ||
         type == "TRAILING_STOP_MARKET";
}

Error lost_answer() {
  return Error{ErrorCode::kUnknownOutcome,
               "Timeout waiting for response from backend server. Send status unknown; execution status unknown.", -1007};
}

}  // namespace

void LoopbackExchange::remember_order(const OrderStatusReport& report, OrderFacts facts) {
  orders_.insert_or_assign(report.order_id, std::move(facts));
}

void LoopbackExchange::write_order(JsonWriter& json, const OrderStatusReport& report) const {
  const auto known = orders_.find(report.order_id);
  const OrderFacts* facts = known != orders_.end() ? &known->second : nullptr;
  const std::string type = facts ? facts->type : std::string(name_of(report.type));
  const Notional cum_quote = notional_of(report.average_price, report.executed_quantity, Rounding::kDown);
  json.begin_object()
      .field("orderId", report.order_id)
      .field("symbol", report.symbol)
      .field("status", name_of(report.status))
      .field("clientOrderId", report.client_order_id)
      .field("price", report.price)
      .field("avgPrice", report.average_price)
      .field("origQty", report.original_quantity)
      .field("executedQty", report.executed_quantity)
      .field("cumQty", report.executed_quantity)
      .field("cumQuote", cum_quote)
      .field("timeInForce", facts ? facts->time_in_force : std::string("GTC"))
      .field("type", type)
      .field("reduceOnly", report.reduce_only)
      .field("closePosition", report.close_position)
      .field("side", name_of(report.side))
      .field("positionSide", "BOTH")
      .field("stopPrice", facts ? facts->stop_price : Price{})
      .field("workingType", "CONTRACT_PRICE")
      .field("priceProtect", false)
      .field("origType", facts && !facts->original_type.empty() ? facts->original_type : type)
      .field("priceMatch", "NONE")
      .field("selfTradePreventionMode", "EXPIRE_MAKER")
      .field("goodTillDate", 0)
      .field("time", to_ms(report.time))
      .field("updateTime", to_ms(report.update_time))
      .end_object();
}

Result<std::string> LoopbackExchange::new_order(const Call& call) {
  const RequestParams& params = call.params;
  WINISWIN_TRY(const Instrument* instrument, instrument_param(params));
  WINISWIN_TRY(const Side side, side_param(params));
  WINISWIN_TRY(const std::string_view type_name, params.required("type"));
  if (is_conditional_type(type_name)) {
    return make_rejection(-4120, "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.");
  }
  if (type_name != "MARKET" && type_name != "LIMIT") return make_rejection(-1116, "Invalid orderType.");
  const OrderType type = type_name == "LIMIT" ? OrderType::kLimit : OrderType::kMarket;
  if (auto position_side = one_way_position_side(params); !position_side) return position_side.error();
  WINISWIN_TRY(const Quantity quantity, params.required_decimal<Quantity>("quantity"));
  WINISWIN_TRY(const auto price, params.optional_decimal<Price>("price"));
  if (type == OrderType::kLimit && !price) return missing_parameter("price");
  if (type == OrderType::kMarket && price) return parameter_not_required("price");
  if (type == OrderType::kLimit) {
    WINISWIN_TRY(const std::string_view time_in_force, params.required("timeInForce"));
    // The simulator rests LIMIT orders until filled or cancelled: GTC only.
    if (time_in_force != "GTC") return make_rejection(-1115, "Invalid timeInForce. (the loopback venue takes GTC only)");
  }
  WINISWIN_TRY(const bool reduce_only, params.optional_bool("reduceOnly", false));
  WINISWIN_TRY(const bool close_position, params.optional_bool("closePosition", false));
  if (close_position) return parameter_not_required("closePosition");
  WINISWIN_TRY(const bool result, wants_result(params));
  (void)result;  // ACK and RESULT answer alike: orders fill on the next bar, so the result is the order as it stands
  if (auto precise = check_precision(quantity, *instrument); !precise) return precise.error();
  if (price) {
    if (auto precise = check_precision(*price, *instrument); !precise) return precise.error();
  }
  const auto given_id = params.find("newClientOrderId");
  const std::string client_id = given_id ? std::string(*given_id) : next_client_id("lb-");

  venue::OrderRequest request{instrument->symbol, side, type, quantity, price.value_or(Price{}), reduce_only, client_id};
  if (lose_answer_for(client_id)) sim_.lose_next_ack_for(client_id, sim::LostAck::kOrderPlaced);
  const venue::SubmitOutcome outcome = sim_.submit(request);
  if (outcome.rejected()) return as_binance_rejection(outcome.error());
  // Accepted, or placed with its answer lost: either way the order exists now.
  WINISWIN_TRY(const auto report, sim_.query_order(instrument->symbol, client_id));
  if (!report) return make_error(ErrorCode::kNotFound, "loopback: an accepted order is not found by its client id " + client_id);
  OrderFacts facts;
  facts.symbol = instrument->symbol;
  facts.client_order_id = client_id;
  facts.type = std::string(type_name);
  facts.quantity = quantity;
  facts.price = price.value_or(Price{});
  facts.reduce_only = reduce_only;
  remember_order(*report, std::move(facts));
  if (outcome.unknown()) return lost_answer();
  JsonWriter json;
  write_order(json, *report);
  return json.take();
}

// The order named by orderId or origClientOrderId (-2013 when there is none; with `open_only`, none open).
Result<std::string> LoopbackExchange::order_report_json(const Instrument& instrument, const Call& call, bool open_only) {
  const RequestParams& params = call.params;
  WINISWIN_TRY(const auto order_id, params.optional_integer("orderId"));
  const auto client = params.find("origClientOrderId");
  if (!order_id && !client) {
    return make_rejection(-1102, "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!");
  }
  const Error not_found = make_rejection(-2013, "Order does not exist.");
  std::string client_id;
  if (client) {
    client_id = std::string(*client);
  } else {
    const auto known = orders_.find(*order_id);
    if (known == orders_.end() || known->second.symbol != instrument.symbol) return not_found;
    client_id = known->second.client_order_id;
  }
  WINISWIN_TRY(const auto report, sim_.query_order(instrument.symbol, client_id));
  if (!report || (order_id && report->order_id != *order_id)) return not_found;
  if (open_only && venue::is_terminal(report->status)) return not_found;
  JsonWriter json;
  write_order(json, *report);
  return json.take();
}

Result<std::string> LoopbackExchange::query_order(const Call& call) {
  WINISWIN_TRY(const Instrument* instrument, instrument_param(call.params));
  return order_report_json(*instrument, call, false);
}

Result<std::string> LoopbackExchange::open_order(const Call& call) {
  WINISWIN_TRY(const Instrument* instrument, instrument_param(call.params));
  return order_report_json(*instrument, call, true);
}

Result<std::string> LoopbackExchange::cancel_order(const Call& call) {
  const RequestParams& params = call.params;
  WINISWIN_TRY(const Instrument* instrument, instrument_param(params));
  WINISWIN_TRY(const auto order_id, params.optional_integer("orderId"));
  const auto client = params.find("origClientOrderId");
  if (!order_id && !client) {
    return make_rejection(-1102, "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!");
  }
  const Error unknown = make_rejection(-2011, "Unknown order sent.");
  std::string client_id;
  if (client) {
    client_id = std::string(*client);
  } else {
    const auto known = orders_.find(*order_id);
    if (known == orders_.end() || known->second.symbol != instrument->symbol) return unknown;
    client_id = known->second.client_order_id;
  }
  if (order_id) {  // the id must name the open order with that client id, not an older one
    WINISWIN_TRY(const auto open, sim_.query_order(instrument->symbol, client_id));
    if (!open || open->order_id != *order_id) return unknown;
  }
  if (auto cancelled = sim_.cancel(instrument->symbol, client_id); !cancelled) return as_binance_rejection(cancelled.error());
  WINISWIN_TRY(const auto report, sim_.query_order(instrument->symbol, client_id));
  if (!report) return unknown;
  JsonWriter json;
  write_order(json, *report);
  return json.take();
}

// The symbol the request names, or every symbol when it names none (open orders, open algo orders).
Result<std::vector<const Instrument*>> LoopbackExchange::symbols_asked(const Call& call) const {
  if (call.params.has("symbol")) {
    WINISWIN_TRY(const Instrument* instrument, instrument_param(call.params));
    return std::vector<const Instrument*>{instrument};
  }
  std::vector<const Instrument*> symbols;
  for (const Instrument& instrument : instruments_) symbols.push_back(&instrument);
  return symbols;
}

Result<std::string> LoopbackExchange::open_orders(const Call& call) {
  WINISWIN_TRY(const std::vector<const Instrument*> symbols, symbols_asked(call));
  JsonWriter json;
  json.begin_array();
  for (const Instrument* instrument : symbols) {
    WINISWIN_TRY(const auto reports, sim_.open_orders(instrument->symbol));
    for (const OrderStatusReport& report : reports) write_order(json, report);
  }
  json.end_array();
  return json.take();
}

Result<std::string> LoopbackExchange::cancel_all_orders(const Call& call) {
  WINISWIN_TRY(const Instrument* instrument, instrument_param(call.params));
  WINISWIN_TRY(const auto reports, sim_.open_orders(instrument->symbol));
  for (const OrderStatusReport& report : reports) {
    if (auto cancelled = sim_.cancel(instrument->symbol, report.client_order_id); !cancelled) return as_binance_rejection(cancelled.error());
  }
  return std::string(R"({"code":200,"msg":"The operation of cancel all open order is done."})");
}

}  // namespace winiswin::loopback
