// Algo (conditional) orders (spec/conditional-orders.md §3): POST/GET/DELETE
// /fapi/v1/algoOrder, openAlgoOrders, algoOpenOrders — algoType CONDITIONAL with STOP_MARKET
// or TAKE_PROFIT_MARKET over the simulator. ccxt's `activationPrice` (the old name of
// `activatePrice`) is accepted and ignored, as Binance ignores it; activatePrice and
// callbackRate only matter to TRAILING_STOP_MARKET, which the simulator does not model.
// Not found: GET answers -2013 and DELETE -20124 (Binance documents neither for this
// endpoint; -20124 is what ccxt maps for algo cancels). The read-after-write lag fault hides
// a new algo order from all three readers.
#include <fmt/format.h>

#include "venue/loopback/api_error.h"
#include "venue/loopback/loopback_exchange.h"
#include "venue/loopback/order_params.h"

namespace winiswin::loopback {
namespace {

using venue::AlgoOrderReport;
using venue::AlgoOrderType;

Error lost_answer() {
  return Error{ErrorCode::kUnknownOutcome,
               "Timeout waiting for response from backend server. Send status unknown; execution status unknown.", -1007};
}

Result<venue::WorkingType> working_type_param(const RequestParams& params) {
  const auto type = params.find("workingType");
  if (!type || *type == "CONTRACT_PRICE") return venue::WorkingType::kContractPrice;
  if (*type == "MARK_PRICE") return venue::WorkingType::kMarkPrice;
  return make_rejection(-4031, fmt::format("Invalid parameter working type: {}", *type));
}

}  // namespace

void LoopbackExchange::write_algo_order(JsonWriter& json, const AlgoOrderReport& report, bool open_listing) const {
  json.begin_object()
      .field("algoId", report.algo_id)
      .field("clientAlgoId", report.client_algo_id)
      .field("algoType", "CONDITIONAL")
      .field("orderType", name_of(report.type))
      .field("symbol", report.symbol)
      .field("side", name_of(report.side))
      .field("positionSide", "BOTH")
      .field("timeInForce", "GTC")
      .field("quantity", report.quantity)
      .field("algoStatus", name_of(report.status))
      .field("actualOrderId", report.actual_order_id ? std::to_string(*report.actual_order_id) : std::string())
      .field("actualPrice", report.average_price);
  if (!open_listing) json.field("actualType", "MARKET").field("actualQty", report.executed_quantity);
  json.field("triggerPrice", report.trigger_price).field("price", "0").key("icebergQuantity").null();
  if (open_listing) {
    json.field("tpTriggerPrice", "0").field("tpPrice", "0").field("slTriggerPrice", "0").field("slPrice", "0");
  }
  json.field("tpOrderType", "")
      .field("selfTradePreventionMode", "EXPIRE_MAKER")
      .field("workingType", name_of(report.working_type))
      .field("priceMatch", "NONE")
      .field("closePosition", report.close_position)
      .field("priceProtect", report.price_protect)
      .field("reduceOnly", report.reduce_only)
      .field("activatePrice", "")
      .field("callbackRate", "")
      .field("createTime", to_ms(report.time))
      .field("updateTime", to_ms(report.update_time))
      .field("triggerTime", report.trigger_time ? to_ms(*report.trigger_time) : std::int64_t{0})
      .field("goodTillDate", 0)
      .end_object();
}

Result<std::string> LoopbackExchange::new_algo_order(const Call& call) {
  const RequestParams& params = call.params;
  WINISWIN_TRY(const std::string_view algo_type, params.required("algoType"));
  if (algo_type != "CONDITIONAL") return invalid_parameter("algoType");
  WINISWIN_TRY(const Instrument* instrument, instrument_param(params));
  WINISWIN_TRY(const Side side, side_param(params));
  WINISWIN_TRY(const std::string_view type_name, params.required("type"));
  AlgoOrderType type = AlgoOrderType::kStopMarket;
  if (type_name == "TAKE_PROFIT_MARKET") {
    type = AlgoOrderType::kTakeProfitMarket;
  } else if (type_name != "STOP_MARKET") {
    return make_rejection(-1116, "Invalid orderType. (the loopback venue takes STOP_MARKET and TAKE_PROFIT_MARKET algo orders)");
  }
  if (auto position_side = one_way_position_side(params); !position_side) return position_side.error();
  WINISWIN_TRY(const Price trigger_price, params.required_decimal<Price>("triggerPrice"));
  WINISWIN_TRY(const auto quantity, params.optional_decimal<Quantity>("quantity"));
  WINISWIN_TRY(const bool close_position, params.optional_bool("closePosition", false));
  WINISWIN_TRY(const bool reduce_only, params.optional_bool("reduceOnly", false));
  WINISWIN_TRY(const bool price_protect, params.optional_bool("priceProtect", false));
  WINISWIN_TRY(const venue::WorkingType working_type, working_type_param(params));
  WINISWIN_TRY(const bool result, wants_result(params));
  (void)result;  // ACK and RESULT answer alike: the algo order as it stands
  if (!close_position && !quantity) return missing_parameter("quantity");
  if (auto precise = check_precision(trigger_price, *instrument); !precise) return precise.error();
  if (quantity) {
    if (auto precise = check_precision(*quantity, *instrument); !precise) return precise.error();
  }
  const auto given_id = params.find("clientAlgoId");
  const std::string client_id = given_id ? std::string(*given_id) : next_client_id("lb-algo-");

  venue::AlgoOrderRequest request;
  request.symbol = instrument->symbol;
  request.side = side;
  request.type = type;
  request.trigger_price = trigger_price;
  request.quantity = quantity.value_or(Quantity{});
  request.close_position = close_position;
  request.reduce_only = reduce_only;
  request.working_type = working_type;
  request.price_protect = price_protect;
  request.client_algo_id = client_id;
  if (lose_answer_for(client_id)) sim_.lose_next_ack_for(client_id, sim::LostAck::kOrderPlaced);
  const venue::SubmitOutcome outcome = sim_.submit_algo(request);
  if (outcome.rejected()) return as_binance_rejection(outcome.error());
  WINISWIN_TRY(const auto report, sim_.query_algo(instrument->symbol, client_id));
  if (!report) return make_error(ErrorCode::kNotFound, "loopback: an accepted algo order is not found by its client id " + client_id);
  algos_.insert_or_assign(report->algo_id, AlgoFacts{request, now_});
  algo_ids_.insert_or_assign(client_id, report->algo_id);
  if (outcome.unknown()) return lost_answer();
  JsonWriter json;
  write_algo_order(json, *report, false);
  return json.take();
}

// The algo order named by algoId or clientAlgoId, if it exists and the lag fault lets it be seen.
Result<const LoopbackExchange::AlgoFacts*> LoopbackExchange::visible_algo(const RequestParams& params, int not_found_code) const {
  WINISWIN_TRY(const auto algo_id, params.optional_integer("algoId"));
  const auto client = params.find("clientAlgoId");
  if (!algo_id && !client) return make_rejection(-1102, "Param 'algoId' or 'clientAlgoId' must be sent, but both were empty/null!");
  const Error not_found = make_rejection(not_found_code, not_found_code == -2013 ? "Order does not exist."
                                                                                  : "Invalid algo id or it has been completed.");
  std::int64_t id = 0;
  if (algo_id) {
    id = *algo_id;
  } else {
    const auto known = algo_ids_.find(*client);
    if (known == algo_ids_.end()) return not_found;
    id = known->second;
  }
  const auto facts = algos_.find(id);
  if (facts == algos_.end()) return not_found;
  if (client && facts->second.request.client_algo_id != *client) return not_found;
  if (now_ < facts->second.placed + config_.faults.algo_query_lag) return not_found;
  return &facts->second;
}

Result<std::string> LoopbackExchange::query_algo_order(const Call& call) {
  WINISWIN_TRY(const AlgoFacts* facts, visible_algo(call.params, -2013));
  WINISWIN_TRY(const auto report, sim_.query_algo(facts->request.symbol, facts->request.client_algo_id));
  if (!report) return make_rejection(-2013, "Order does not exist.");
  JsonWriter json;
  write_algo_order(json, *report, false);
  return json.take();
}

Result<std::string> LoopbackExchange::cancel_algo_order(const Call& call) {
  WINISWIN_TRY(const AlgoFacts* facts, visible_algo(call.params, -20124));
  const std::string symbol = facts->request.symbol;
  const std::string client_id = facts->request.client_algo_id;
  if (auto cancelled = sim_.cancel_algo(symbol, client_id); !cancelled) return as_binance_rejection(cancelled.error());
  JsonWriter json;
  json.begin_object()
      .field("algoId", algo_ids_.at(client_id))
      .field("clientAlgoId", client_id)
      .field("code", "200")
      .field("msg", "success")
      .end_object();
  return json.take();
}

Result<std::string> LoopbackExchange::open_algo_orders(const Call& call) {
  WINISWIN_TRY(const std::vector<const Instrument*> symbols, symbols_asked(call));
  JsonWriter json;
  json.begin_array();
  for (const Instrument* instrument : symbols) {
    WINISWIN_TRY(const auto reports, sim_.open_algo_orders(instrument->symbol));
    for (const AlgoOrderReport& report : reports) {
      const auto facts = algos_.find(report.algo_id);
      if (facts != algos_.end() && now_ < facts->second.placed + config_.faults.algo_query_lag) continue;  // not visible yet
      write_algo_order(json, report, true);
    }
  }
  json.end_array();
  return json.take();
}

Result<std::string> LoopbackExchange::cancel_all_algo_orders(const Call& call) {
  WINISWIN_TRY(const Instrument* instrument, instrument_param(call.params));
  WINISWIN_TRY(const auto reports, sim_.open_algo_orders(instrument->symbol));
  for (const AlgoOrderReport& report : reports) {
    if (auto cancelled = sim_.cancel_algo(instrument->symbol, report.client_algo_id); !cancelled) {
      return as_binance_rejection(cancelled.error());
    }
  }
  return std::string(R"({"code":200,"msg":"The operation of cancel all open order is done."})");
}

}  // namespace winiswin::loopback
