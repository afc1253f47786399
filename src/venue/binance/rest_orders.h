// Parsers of Binance's answers about orders and algo orders, and of its error bodies
// (spec/rest.md §16–20, conditional-orders.md §3, limits-and-errors.md). Same contract as
// rest_market.h.
//
// - Regular orders: POST/GET/DELETE /fapi/v1/order and GET openOrders share one object. The
//   POST and DELETE answers may lack avgPrice and cumQuote (dropped from the docs in 2026)
//   and time (DELETE): those read as 0 / updateTime. An order of a type we do not trade
//   (TRAILING_STOP_MARKET placed by hand, a legacy STOP …) is an error naming its id and
//   type: reconciliation must not mistake it for one of ours.
// - Algo orders: POST/GET algoOrder and openAlgoOrders share one object (`orderType`,
//   `algoStatus`, `actualOrderId` "" until triggered). Only STOP_MARKET and
//   TAKE_PROFIT_MARKET are ours; any other type is an error, as above.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "venue/venue.h"

namespace winiswin::binance {

// A Binance error body: {"code": -2019, "msg": "Margin is insufficient."}. Not one (no
// integer `code` < 0 with a string `msg`): a kParse error.
struct ApiError {
  int code = 0;
  std::string message;
  // The Error the venue reports: kRejected with venue_code = code and message = msg — except
  // -1006 and -1007 (execution status unknown), which are kUnknownOutcome with the code
  // kept: the order may exist, query it before anything else.
  [[nodiscard]] Error to_error() const;
};
Result<ApiError> parse_api_error(std::string_view json);

// {"code": 200, "msg": "success"} (marginType, allOpenOrders, algoOpenOrders; DELETE
// algoOrder, whose code is the string "200"): Ok. A negative code is that rejection.
Status parse_success_ack(std::string_view json);

Result<venue::OrderStatusReport> parse_order(std::string_view json);
Result<std::vector<venue::OrderStatusReport>> parse_orders(std::string_view json);  // openOrders
venue::OrderAck ack_of(const venue::OrderStatusReport& order);

Result<venue::AlgoOrderReport> parse_algo_order(std::string_view json);
Result<std::vector<venue::AlgoOrderReport>> parse_algo_orders(std::string_view json);  // openAlgoOrders
venue::OrderAck ack_of(const venue::AlgoOrderReport& order);

}  // namespace winiswin::binance
