#include "venue/binance/rest_orders.h"

#include <gtest/gtest.h>

#include "venue/binance/codec_test_support.h"

namespace winiswin::binance {
namespace {

using testing::fails_naming;
using testing::replaced;
using venue::AlgoStatus;
using venue::OrderStatus;
using venue::OrderType;

// GET /fapi/v1/order as documented, for a LIMIT order partly filled.
constexpr const char* kOrder =
    R"({"avgPrice":"87123.40000","clientOrderId":"wi-7-e","cumQuote":"871.234","executedQty":"0.010","orderId":1917641,)"
    R"("origQty":"0.020","origType":"LIMIT","price":"87123.40","reduceOnly":false,"side":"BUY","positionSide":"BOTH",)"
    R"("status":"PARTIALLY_FILLED","stopPrice":"0","closePosition":false,"symbol":"BTCUSDT","time":1579276756075,)"
    R"("timeInForce":"GTC","type":"LIMIT","updateTime":1579276756999,"workingType":"CONTRACT_PRICE",)"
    R"("priceProtect":false,"priceMatch":"NONE","selfTradePreventionMode":"NONE","goodTillDate":0})";

// POST /fapi/v1/order with newOrderRespType=RESULT, as documented since 2026 (no avgPrice,
// no cumQuote, no time).
constexpr const char* kMarketResult =
    R"({"clientOrderId":"wi-8-e","cumQty":"1.5","executedQty":"1.5","orderId":22542179,"origQty":"1.5","price":"0",)"
    R"("reduceOnly":true,"side":"SELL","positionSide":"BOTH","status":"FILLED","stopPrice":"0","closePosition":false,)"
    R"("symbol":"ETHUSDT","timeInForce":"GTC","type":"MARKET","origType":"MARKET","updateTime":1566818724722,)"
    R"("workingType":"CONTRACT_PRICE","priceProtect":false,"priceMatch":"NONE","selfTradePreventionMode":"NONE","goodTillDate":0})";

// GET /fapi/v1/algoOrder after its trigger (the shape of the documented example, with our
// type; actualOrderId as the live stream prints ids: a numeric string).
constexpr const char* kAlgoOrder =
    R"({"algoId":2146760,"clientAlgoId":"wi-7-s","algoType":"CONDITIONAL","orderType":"STOP_MARKET","symbol":"BTCUSDT",)"
    R"("side":"SELL","positionSide":"BOTH","timeInForce":"GTC","quantity":"0.010","algoStatus":"FINISHED",)"
    R"("actualOrderId":"88937381063","actualPrice":"84990.10000","actualType":"MARKET","actualQty":"0.010",)"
    R"("triggerPrice":"85000.1","price":"0","icebergQuantity":null,"tpOrderType":"","selfTradePreventionMode":"EXPIRE_MAKER",)"
    R"("workingType":"MARK_PRICE","priceMatch":"NONE","closePosition":false,"priceProtect":true,"reduceOnly":true,)"
    R"("createTime":1750485492076,"updateTime":1750514545091,"triggerTime":1750514545000,"goodTillDate":0})";

TEST(RestOrders, ApiErrorBecomesARejectionWithBinancesCode) {
  const ApiError api = parse_api_error(R"({"code":-2019,"msg":"Margin is insufficient."})").value();
  EXPECT_EQ(api.code, -2019);
  const Error error = api.to_error();
  EXPECT_EQ(error.code, ErrorCode::kRejected);
  EXPECT_EQ(error.venue_code, -2019);
  EXPECT_EQ(error.message, "Margin is insufficient.");
}

TEST(RestOrders, TimeoutErrorBodiesAreUnknownOutcomes) {
  for (const char* body : {R"({"code":-1007,"msg":"Timeout waiting for response from backend server."})",
                           R"({"code":-1006,"msg":"An unexpected response was received from the message bus."})"}) {
    const Error error = parse_api_error(body).value().to_error();
    EXPECT_EQ(error.code, ErrorCode::kUnknownOutcome) << body;
    EXPECT_NE(error.venue_code, 0);
  }
}

TEST(RestOrders, WhatIsNotAnErrorBodyIsAParseError) {
  EXPECT_TRUE(fails_naming(parse_api_error(R"({"code":200,"msg":"success"})"), {"error body", "not a Binance error code"}));
  EXPECT_TRUE(fails_naming(parse_api_error(R"({"code":"-2019","msg":"x"})"), {"field 'code'"}));
  EXPECT_TRUE(fails_naming(parse_api_error(R"({"code":-2019})"), {"field 'msg'"}));
  EXPECT_TRUE(fails_naming(parse_api_error("<html>502 Bad Gateway</html>"), {"malformed JSON"}));
  EXPECT_TRUE(fails_naming(parse_api_error(""), {"malformed JSON"}));
}

TEST(RestOrders, SuccessAcknowledgements) {
  EXPECT_TRUE(parse_success_ack(R"({"code":200,"msg":"success"})").ok());
  EXPECT_TRUE(parse_success_ack(R"({"algoId":2146760,"clientAlgoId":"6B2I9XVcJpCjqPAJ4YoFX7","code":"200","msg":"success"})").ok());
  const Status refused = parse_success_ack(R"({"code":-4046,"msg":"No need to change margin type."})");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kRejected);
  EXPECT_EQ(refused.error().venue_code, -4046);
  EXPECT_FALSE(parse_success_ack(R"({"code":201,"msg":"?"})").ok());
  EXPECT_FALSE(parse_success_ack(R"({"msg":"success"})").ok());
}

TEST(RestOrders, QueriedOrderInExactTypes) {
  const venue::OrderStatusReport order = parse_order(kOrder).value();
  EXPECT_EQ(order.symbol, "BTCUSDT");
  EXPECT_EQ(order.order_id, 1917641);
  EXPECT_EQ(order.client_order_id, "wi-7-e");
  EXPECT_EQ(order.side, Side::kBuy);
  EXPECT_EQ(order.type, OrderType::kLimit);
  EXPECT_EQ(order.status, OrderStatus::kPartiallyFilled);
  EXPECT_EQ(order.original_quantity, Quantity::parse("0.02").value());
  EXPECT_EQ(order.executed_quantity, Quantity::parse("0.01").value());
  EXPECT_EQ(order.average_price, Price::parse("87123.4").value());
  EXPECT_EQ(order.price, Price::parse("87123.4").value());
  EXPECT_FALSE(order.reduce_only);
  EXPECT_FALSE(order.close_position);
  EXPECT_EQ(to_ms(order.time), 1579276756075);
  EXPECT_EQ(to_ms(order.update_time), 1579276756999);
  const venue::OrderAck ack = ack_of(order);
  EXPECT_EQ(ack.order_id, 1917641);
  EXPECT_EQ(ack.client_order_id, "wi-7-e");
  EXPECT_EQ(ack.status, OrderStatus::kPartiallyFilled);
  EXPECT_EQ(ack.algo_id, 0);
}

TEST(RestOrders, PlacedOrderWithoutAvgPriceNorTime) {
  const venue::OrderStatusReport order = parse_order(kMarketResult).value();
  EXPECT_EQ(order.type, OrderType::kMarket);
  EXPECT_EQ(order.status, OrderStatus::kFilled);
  EXPECT_TRUE(order.reduce_only);
  EXPECT_EQ(order.average_price, Price{});
  EXPECT_EQ(order.time, order.update_time);
  EXPECT_EQ(order.executed_quantity, Quantity::parse("1.5").value());
}

TEST(RestOrders, OpenOrdersList) {
  const auto orders = parse_orders(std::string("[") + kOrder + "," + kMarketResult + "]").value();
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[1].order_id, 22542179);
  EXPECT_TRUE(parse_orders("[]").value().empty());
  EXPECT_TRUE(fails_naming(parse_orders(kOrder), {"openOrders: expected a JSON array"}));
}

TEST(RestOrders, OrderErrorsNameTheOrderAndTheField) {
  const std::string order = kOrder;
  EXPECT_TRUE(fails_naming(parse_order(replaced(order, R"("executedQty":"0.010")", R"("executedQty":0.01)")),
                           {"orderId 1917641", "order: field 'executedQty' is missing or not a decimal string"}));
  EXPECT_TRUE(fails_naming(parse_order(replaced(order, R"("type":"LIMIT")", R"("type":"TRAILING_STOP_MARKET")")),
                           {"orderId 1917641", "'TRAILING_STOP_MARKET' is not an order type winiswin trades"}));
  EXPECT_TRUE(fails_naming(parse_order(replaced(order, R"("status":"PARTIALLY_FILLED")", R"("status":"PENDING")")),
                           {"field 'status'", "'PENDING' is not an order status"}));
  EXPECT_TRUE(fails_naming(parse_order(replaced(order, R"("orderId":1917641,)", "")), {"field 'orderId'"}));
  EXPECT_TRUE(fails_naming(parse_order(replaced(order, R"("reduceOnly":false)", R"("reduceOnly":"false")")),
                           {"'reduceOnly' is missing or not a boolean"}));
  EXPECT_TRUE(fails_naming(parse_orders(std::string("[") + kOrder + ",1]"), {"openOrders[1]: expected a JSON object"}));
}

TEST(RestOrders, AlgoOrderAfterItsTrigger) {
  const venue::AlgoOrderReport algo = parse_algo_order(kAlgoOrder).value();
  EXPECT_EQ(algo.symbol, "BTCUSDT");
  EXPECT_EQ(algo.algo_id, 2146760);
  EXPECT_EQ(algo.client_algo_id, "wi-7-s");
  EXPECT_EQ(algo.side, Side::kSell);
  EXPECT_EQ(algo.type, venue::AlgoOrderType::kStopMarket);
  EXPECT_EQ(algo.status, AlgoStatus::kFinished);
  EXPECT_EQ(algo.trigger_price, Price::parse("85000.1").value());
  EXPECT_EQ(algo.quantity, Quantity::parse("0.01").value());
  EXPECT_TRUE(algo.reduce_only);
  EXPECT_FALSE(algo.close_position);
  EXPECT_TRUE(algo.price_protect);
  EXPECT_EQ(algo.working_type, venue::WorkingType::kMarkPrice);
  EXPECT_EQ(algo.actual_order_id, std::optional<std::int64_t>{88937381063});
  EXPECT_EQ(algo.average_price, Price::parse("84990.1").value());
  EXPECT_EQ(algo.executed_quantity, Quantity::parse("0.01").value());
  EXPECT_EQ(to_ms(algo.time), 1750485492076);
  EXPECT_EQ(to_ms(algo.update_time), 1750514545091);
  EXPECT_EQ(algo.trigger_time, std::optional<Timestamp>{timestamp_from_ms(1750514545000)});
  const venue::OrderAck ack = ack_of(algo);
  EXPECT_EQ(ack.algo_id, 2146760);
  EXPECT_EQ(ack.client_algo_id, "wi-7-s");
  EXPECT_EQ(ack.algo_status, AlgoStatus::kFinished);
  EXPECT_EQ(ack.order_id, 0);
}

// The documented POST answer: no actualOrderId yet, "activatePrice":"" and a closePosition
// order's quantity may be empty.
TEST(RestOrders, NewAlgoOrderBeforeItsTrigger) {
  const std::string placed =
      R"({"algoId":2146761,"clientAlgoId":"wi-7-t","algoType":"CONDITIONAL","orderType":"TAKE_PROFIT_MARKET","symbol":"BNBUSDT",)"
      R"("side":"SELL","positionSide":"BOTH","timeInForce":"GTC","quantity":"","algoStatus":"NEW","triggerPrice":"750.000",)"
      R"("price":"0.000","icebergQuantity":null,"selfTradePreventionMode":"EXPIRE_MAKER","workingType":"CONTRACT_PRICE",)"
      R"("priceMatch":"NONE","closePosition":true,"priceProtect":false,"reduceOnly":false,"activatePrice":"","callbackRate":"",)"
      R"("createTime":1750485492076,"updateTime":1750485492076,"triggerTime":0,"goodTillDate":0})";
  const venue::AlgoOrderReport algo = parse_algo_order(placed).value();
  EXPECT_EQ(algo.type, venue::AlgoOrderType::kTakeProfitMarket);
  EXPECT_EQ(algo.status, AlgoStatus::kNew);
  EXPECT_TRUE(algo.close_position);
  EXPECT_EQ(algo.quantity, Quantity{});
  EXPECT_FALSE(algo.actual_order_id.has_value());
  EXPECT_FALSE(algo.trigger_time.has_value());
  EXPECT_EQ(algo.working_type, venue::WorkingType::kContractPrice);
}

// The documented CANCELED example: actualQty echoes the request while there is no actual
// order; it is not an executed quantity.
TEST(RestOrders, CanceledAlgoOrderHasNoExecution) {
  std::string canceled = replaced(kAlgoOrder, R"("actualOrderId":"88937381063")", R"("actualOrderId":"")");
  canceled = replaced(canceled, R"("algoStatus":"FINISHED")", R"("algoStatus":"CANCELED")");
  const venue::AlgoOrderReport algo = parse_algo_order(canceled).value();
  EXPECT_EQ(algo.status, AlgoStatus::kCanceled);
  EXPECT_FALSE(algo.actual_order_id.has_value());
  EXPECT_EQ(algo.executed_quantity, Quantity{});
  EXPECT_EQ(algo.average_price, Price{});
  // A numeric actualOrderId reads the same as its string form.
  const std::string numeric = replaced(kAlgoOrder, R"("actualOrderId":"88937381063")", R"("actualOrderId":88937381063)");
  EXPECT_EQ(parse_algo_order(numeric).value().actual_order_id, std::optional<std::int64_t>{88937381063});
}

TEST(RestOrders, AlgoOrderErrors) {
  const std::string algo = kAlgoOrder;
  EXPECT_TRUE(fails_naming(parse_algo_order(replaced(algo, R"("orderType":"STOP_MARKET")", R"("orderType":"TAKE_PROFIT")")),
                           {"algoId 2146760", "'TAKE_PROFIT' is not an algo order type winiswin trades"}));
  EXPECT_TRUE(fails_naming(parse_algo_order(replaced(algo, R"("algoStatus":"FINISHED")", R"("algoStatus":"DONE")")),
                           {"'algoStatus'", "'DONE' is not an algo status"}));
  EXPECT_TRUE(fails_naming(parse_algo_order(replaced(algo, R"("actualOrderId":"88937381063")", R"("actualOrderId":"88x")")),
                           {"'actualOrderId'", "'88x' is not an id"}));
  EXPECT_TRUE(fails_naming(parse_algo_order(replaced(algo, R"("triggerPrice":"85000.1",)", "")),
                           {"algoOrder: field 'triggerPrice' is missing"}));
  const auto list = parse_algo_orders(std::string("[") + kAlgoOrder + "]").value();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].algo_id, 2146760);
  EXPECT_TRUE(fails_naming(parse_algo_orders(std::string("[") + kAlgoOrder + "," + replaced(algo, R"("side":"SELL")", R"("side":"sell")") + "]"),
                           {"openAlgoOrders[1]", "'side'"}));
}

}  // namespace
}  // namespace winiswin::binance
