// Our requests → Binance's request parameters, in the order the official connector sends
// them (names from spec/rest.md §16, conditional-orders.md §3). The result goes through
// signed_query() (query_string.h), which appends recvWindow, timestamp and signature.
//
// Contract:
// - Prices and quantities are written from the exact types ("0.001", "9000"), no float.
// - What Binance would refuse for its shape is refused here, before anything is sent:
//   STOP_MARKET / TAKE_PROFIT_MARKET on the regular endpoint is a rejection with Binance's
//   own -4120 (as venue.h promises); a non-positive quantity, a LIMIT without a price, a
//   MARKET with one, closePosition with a quantity or with reduceOnly are kInvalidArgument.
//   Client ids must match ^[.A-Z:/a-z0-9_-]{1,36}$ (Binance: -4015), or be empty (then
//   Binance assigns one — which makes the order impossible to look up after a timeout).
// - Regular orders ask for newOrderRespType=RESULT (as ccxt does): a MARKET order's answer
//   then carries its final status and executed quantity.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/interval.h"
#include "core/time.h"
#include "venue/binance/query_string.h"
#include "venue/venue.h"

namespace winiswin::binance {

// The REST paths these parameters go to.
inline constexpr std::string_view kOrderPath = "/fapi/v1/order";            // POST, GET, DELETE
inline constexpr std::string_view kOpenOrdersPath = "/fapi/v1/openOrders";  // GET
inline constexpr std::string_view kAlgoOrderPath = "/fapi/v1/algoOrder";    // POST, GET, DELETE
inline constexpr std::string_view kOpenAlgoOrdersPath = "/fapi/v1/openAlgoOrders";  // GET
inline constexpr std::string_view kLeveragePath = "/fapi/v1/leverage";      // POST
inline constexpr std::string_view kMarginTypePath = "/fapi/v1/marginType";  // POST
inline constexpr std::string_view kKlinesPath = "/fapi/v1/klines";          // GET

// Whether Binance accepts this as a newClientOrderId / clientAlgoId.
bool is_valid_client_id(std::string_view id);

// POST /fapi/v1/order: symbol, side, type, quantity, price, timeInForce (LIMIT: GTC),
// reduceOnly (when true), newClientOrderId (when given), newOrderRespType=RESULT.
Result<QueryParams> new_order_params(const venue::OrderRequest& request);

// POST /fapi/v1/algoOrder: algoType=CONDITIONAL, symbol, side, type, quantity (unless
// closePosition), triggerPrice, workingType, closePosition / reduceOnly / priceProtect (when
// true), clientAlgoId (when given).
Result<QueryParams> new_algo_order_params(const venue::AlgoOrderRequest& request);

// GET / DELETE /fapi/v1/order by client id: symbol, origClientOrderId.
Result<QueryParams> order_by_client_id_params(std::string_view symbol, std::string_view client_order_id);
// GET / DELETE /fapi/v1/algoOrder by client id: clientAlgoId (Binance needs no symbol).
Result<QueryParams> algo_order_by_client_id_params(std::string_view client_algo_id);
// GET /fapi/v1/openOrders, /fapi/v1/openAlgoOrders: symbol (all symbols when empty: weight 40).
QueryParams open_orders_params(std::string_view symbol);
// POST /fapi/v1/leverage: symbol, leverage (1–125).
Result<QueryParams> leverage_params(std::string_view symbol, int leverage);
// POST /fapi/v1/marginType: symbol, marginType (ISOLATED / CROSSED).
QueryParams margin_type_params(std::string_view symbol, venue::MarginType type);

// GET /fapi/v1/klines: symbol, interval, startTime, endTime, limit (1–1500; default 500).
struct KlineQuery {
  std::string symbol;
  Interval interval = Interval::k5m;
  std::optional<Timestamp> start_time;
  std::optional<Timestamp> end_time;
  std::optional<int> limit;
};
Result<QueryParams> klines_params(const KlineQuery& query);

}  // namespace winiswin::binance
