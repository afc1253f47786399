#include "venue/binance/order_params.h"

#include <fmt/format.h>

namespace winiswin::binance {
namespace {

constexpr std::size_t kMaxClientIdLength = 36;
constexpr int kMaxLeverage = 125;
constexpr int kMaxKlineLimit = 1500;
constexpr int kAlgoEndpointRequired = -4120;  // Binance's STOP_ORDER_SWITCH_ALGO

Error invalid(std::string_view what, std::string_view message) {
  return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {}", what, message));
}

Status check_client_id(std::string_view what, std::string_view field, std::string_view id) {
  if (id.empty() || is_valid_client_id(id)) return Ok{};
  return invalid(what, fmt::format("{} '{}' does not match ^[.A-Z:/a-z0-9_-]{{1,36}}$", field, id));
}

Status check_symbol(std::string_view what, std::string_view symbol) {
  if (symbol.empty()) return invalid(what, "symbol is empty");
  return Ok{};
}

}  // namespace

bool is_valid_client_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxClientIdLength) return false;
  for (const char character : id) {
    const bool allowed = (character >= 'A' && character <= 'Z') || (character >= 'a' && character <= 'z') ||
                         (character >= '0' && character <= '9') || character == '.' || character == ':' ||
                         character == '/' || character == '_' || character == '-';
    if (!allowed) return false;
  }
  return true;
}

Result<QueryParams> new_order_params(const venue::OrderRequest& request) {
  constexpr std::string_view what = "new order";
  using venue::OrderType;
  if (request.type == OrderType::kStopMarket || request.type == OrderType::kTakeProfitMarket) {
    // What Binance answers since 2025-12-09, without the round trip.
    return make_rejection(kAlgoEndpointRequired, fmt::format("{} is a conditional order: send it as an algo order "
                                                             "(Order type not supported for this endpoint. Please use the "
                                                             "Algo Order API endpoints instead.)",
                                                             venue::name_of(request.type)));
  }
  if (auto ok = check_symbol(what, request.symbol); !ok) return ok.error();
  if (!request.quantity.is_positive()) return invalid(what, fmt::format("quantity {} is not positive", request.quantity.to_string()));
  const bool limit = request.type == OrderType::kLimit;
  if (limit && !request.price.is_positive()) return invalid(what, fmt::format("LIMIT price {} is not positive", request.price.to_string()));
  if (!limit && !request.price.is_zero()) return invalid(what, "a MARKET order takes no price");
  if (auto ok = check_client_id(what, "newClientOrderId", request.client_order_id); !ok) return ok.error();

  QueryParams params;
  params.add("symbol", request.symbol)
      .add("side", std::string(name_of(request.side)))
      .add("type", std::string(venue::name_of(request.type)))
      .add("quantity", request.quantity);
  if (limit) params.add("price", request.price).add("timeInForce", std::string("GTC"));
  if (request.reduce_only) params.add_bool("reduceOnly", true);
  if (!request.client_order_id.empty()) params.add("newClientOrderId", request.client_order_id);
  params.add("newOrderRespType", std::string("RESULT"));
  return params;
}

Result<QueryParams> new_algo_order_params(const venue::AlgoOrderRequest& request) {
  constexpr std::string_view what = "new algo order";
  if (auto ok = check_symbol(what, request.symbol); !ok) return ok.error();
  if (!request.trigger_price.is_positive()) {
    return invalid(what, fmt::format("triggerPrice {} is not positive", request.trigger_price.to_string()));
  }
  if (request.close_position && request.reduce_only) return invalid(what, "closePosition cannot be sent with reduceOnly");
  if (request.close_position && !request.quantity.is_zero()) return invalid(what, "closePosition cannot be sent with a quantity");
  if (!request.close_position && !request.quantity.is_positive()) {
    return invalid(what, fmt::format("quantity {} is not positive", request.quantity.to_string()));
  }
  if (auto ok = check_client_id(what, "clientAlgoId", request.client_algo_id); !ok) return ok.error();

  QueryParams params;
  params.add("algoType", std::string("CONDITIONAL"))
      .add("symbol", request.symbol)
      .add("side", std::string(name_of(request.side)))
      .add("type", std::string(venue::name_of(request.type)));
  if (!request.close_position) params.add("quantity", request.quantity);
  params.add("triggerPrice", request.trigger_price).add("workingType", std::string(venue::name_of(request.working_type)));
  if (request.close_position) params.add_bool("closePosition", true);
  if (request.reduce_only) params.add_bool("reduceOnly", true);
  if (request.price_protect) params.add_bool("priceProtect", true);
  if (!request.client_algo_id.empty()) params.add("clientAlgoId", request.client_algo_id);
  return params;
}

Result<QueryParams> order_by_client_id_params(std::string_view symbol, std::string_view client_order_id) {
  constexpr std::string_view what = "order query";
  if (auto ok = check_symbol(what, symbol); !ok) return ok.error();
  if (!is_valid_client_id(client_order_id)) return invalid(what, fmt::format("origClientOrderId '{}' is not a client id", client_order_id));
  QueryParams params;
  params.add("symbol", std::string(symbol)).add("origClientOrderId", std::string(client_order_id));
  return params;
}

Result<QueryParams> algo_order_by_client_id_params(std::string_view client_algo_id) {
  if (!is_valid_client_id(client_algo_id)) {
    return invalid("algo order query", fmt::format("clientAlgoId '{}' is not a client id", client_algo_id));
  }
  QueryParams params;
  params.add("clientAlgoId", std::string(client_algo_id));
  return params;
}

QueryParams open_orders_params(std::string_view symbol) {
  QueryParams params;
  if (!symbol.empty()) params.add("symbol", std::string(symbol));
  return params;
}

Result<QueryParams> leverage_params(std::string_view symbol, int leverage) {
  constexpr std::string_view what = "leverage";
  if (auto ok = check_symbol(what, symbol); !ok) return ok.error();
  if (leverage < 1 || leverage > kMaxLeverage) return invalid(what, fmt::format("{} is outside 1..{}", leverage, kMaxLeverage));
  QueryParams params;
  params.add("symbol", std::string(symbol)).add("leverage", static_cast<std::int64_t>(leverage));
  return params;
}

QueryParams margin_type_params(std::string_view symbol, venue::MarginType type) {
  QueryParams params;
  params.add("symbol", std::string(symbol)).add("marginType", std::string(venue::name_of(type)));
  return params;
}

Result<QueryParams> klines_params(const KlineQuery& query) {
  constexpr std::string_view what = "klines";
  if (auto ok = check_symbol(what, query.symbol); !ok) return ok.error();
  if (query.limit && (*query.limit < 1 || *query.limit > kMaxKlineLimit)) {
    return invalid(what, fmt::format("limit {} is outside 1..{}", *query.limit, kMaxKlineLimit));
  }
  if (query.start_time && query.end_time && *query.start_time > *query.end_time) {
    return invalid(what, "startTime is after endTime (Binance: -1023)");
  }
  QueryParams params;
  params.add("symbol", query.symbol).add("interval", std::string(name_of(query.interval)));
  if (query.start_time) params.add("startTime", to_ms(*query.start_time));
  if (query.end_time) params.add("endTime", to_ms(*query.end_time));
  if (query.limit) params.add("limit", static_cast<std::int64_t>(*query.limit));
  return params;
}

}  // namespace winiswin::binance
