#include "venue/binance/order_params.h"

#include <gtest/gtest.h>

namespace winiswin::binance {
namespace {

using venue::AlgoOrderRequest;
using venue::AlgoOrderType;
using venue::OrderRequest;
using venue::OrderType;

OrderRequest limit_buy() {
  return OrderRequest{"BTCUSDT", Side::kBuy, OrderType::kLimit, Quantity::parse("0.010").value(),
                      Price::parse("87123.40").value(), false, "wi-7-e"};
}

AlgoOrderRequest stop_sell() {
  AlgoOrderRequest request;
  request.symbol = "BTCUSDT";
  request.side = Side::kSell;
  request.type = AlgoOrderType::kStopMarket;
  request.trigger_price = Price::parse("85000.1").value();
  request.quantity = Quantity::parse("0.010").value();
  request.reduce_only = true;
  request.working_type = venue::WorkingType::kMarkPrice;
  request.price_protect = true;
  request.client_algo_id = "wi-7-s";
  return request;
}

TEST(OrderParams, LimitOrderInTheConnectorsOrder) {
  EXPECT_EQ(new_order_params(limit_buy()).value().encode(),
            "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.01&price=87123.4&timeInForce=GTC&newClientOrderId=wi-7-e"
            "&newOrderRespType=RESULT");
}

TEST(OrderParams, MarketReduceOnlyOrderHasNoPriceNorTimeInForce) {
  OrderRequest request{"ETHUSDT", Side::kSell, OrderType::kMarket, Quantity::parse("1.5").value(), Price{}, true, "wi:9/x"};
  EXPECT_EQ(new_order_params(request).value().encode(),
            "symbol=ETHUSDT&side=SELL&type=MARKET&quantity=1.5&reduceOnly=true&newClientOrderId=wi%3A9%2Fx&newOrderRespType=RESULT");
  request.client_order_id.clear();  // Binance assigns one
  EXPECT_FALSE(new_order_params(request).value().find("newClientOrderId").has_value());
}

TEST(OrderParams, ConditionalTypesOnTheRegularEndpointAreRefusedWithMinus4120) {
  for (const OrderType type : {OrderType::kStopMarket, OrderType::kTakeProfitMarket}) {
    OrderRequest request = limit_buy();
    request.type = type;
    const auto params = new_order_params(request);
    ASSERT_FALSE(params.ok());
    EXPECT_EQ(params.error().code, ErrorCode::kRejected);
    EXPECT_EQ(params.error().venue_code, -4120);
  }
}

TEST(OrderParams, MalformedOrdersAreRefusedBeforeSending) {
  struct Case {
    OrderRequest request;
    const char* expected;
  };
  OrderRequest no_quantity = limit_buy();
  no_quantity.quantity = Quantity{};
  OrderRequest no_price = limit_buy();
  no_price.price = Price{};
  OrderRequest market_with_price = limit_buy();
  market_with_price.type = OrderType::kMarket;
  OrderRequest bad_id = limit_buy();
  bad_id.client_order_id = "has space";
  OrderRequest long_id = limit_buy();
  long_id.client_order_id = std::string(37, 'a');
  OrderRequest no_symbol = limit_buy();
  no_symbol.symbol.clear();
  for (const Case& bad : {Case{no_quantity, "quantity 0 is not positive"}, Case{no_price, "LIMIT price 0 is not positive"},
                          Case{market_with_price, "MARKET order takes no price"}, Case{bad_id, "newClientOrderId 'has space'"},
                          Case{long_id, "does not match"}, Case{no_symbol, "symbol is empty"}}) {
    const auto params = new_order_params(bad.request);
    ASSERT_FALSE(params.ok()) << bad.expected;
    EXPECT_EQ(params.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(params.error().message.find(bad.expected), std::string::npos) << params.error().message;
  }
}

TEST(OrderParams, ClientIdsFollowBinancesPattern) {
  EXPECT_TRUE(is_valid_client_id("x-xcKtGhcu.A:b/c_d-9"));
  EXPECT_TRUE(is_valid_client_id(std::string(36, 'a')));
  EXPECT_FALSE(is_valid_client_id(std::string(37, 'a')));
  EXPECT_FALSE(is_valid_client_id(""));
  EXPECT_FALSE(is_valid_client_id("a+b"));
  EXPECT_FALSE(is_valid_client_id("é"));
}

TEST(OrderParams, StopMarketAlgoOrder) {
  EXPECT_EQ(new_algo_order_params(stop_sell()).value().encode(),
            "algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=STOP_MARKET&quantity=0.01&triggerPrice=85000.1"
            "&workingType=MARK_PRICE&reduceOnly=true&priceProtect=true&clientAlgoId=wi-7-s");
}

TEST(OrderParams, ClosePositionTakeProfitSendsNoQuantity) {
  AlgoOrderRequest request = stop_sell();
  request.type = AlgoOrderType::kTakeProfitMarket;
  request.quantity = Quantity{};
  request.reduce_only = false;
  request.close_position = true;
  request.price_protect = false;
  request.working_type = venue::WorkingType::kContractPrice;
  EXPECT_EQ(new_algo_order_params(request).value().encode(),
            "algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=TAKE_PROFIT_MARKET&triggerPrice=85000.1"
            "&workingType=CONTRACT_PRICE&closePosition=true&clientAlgoId=wi-7-s");
}

TEST(OrderParams, MalformedAlgoOrdersAreRefused) {
  AlgoOrderRequest both = stop_sell();
  both.close_position = true;
  both.quantity = Quantity{};
  EXPECT_NE(new_algo_order_params(both).error().message.find("closePosition cannot be sent with reduceOnly"), std::string::npos);
  AlgoOrderRequest close_with_quantity = stop_sell();
  close_with_quantity.reduce_only = false;
  close_with_quantity.close_position = true;
  EXPECT_NE(new_algo_order_params(close_with_quantity).error().message.find("with a quantity"), std::string::npos);
  AlgoOrderRequest no_trigger = stop_sell();
  no_trigger.trigger_price = Price{};
  EXPECT_NE(new_algo_order_params(no_trigger).error().message.find("triggerPrice 0"), std::string::npos);
  AlgoOrderRequest negative = stop_sell();
  negative.quantity = -negative.quantity;
  EXPECT_NE(new_algo_order_params(negative).error().message.find("quantity -0.01"), std::string::npos);
}

TEST(OrderParams, QueriesAndSettings) {
  EXPECT_EQ(order_by_client_id_params("BTCUSDT", "wi-7-e").value().encode(), "symbol=BTCUSDT&origClientOrderId=wi-7-e");
  EXPECT_FALSE(order_by_client_id_params("BTCUSDT", "").ok());
  EXPECT_EQ(algo_order_by_client_id_params("wi-7-s").value().encode(), "clientAlgoId=wi-7-s");
  EXPECT_EQ(open_orders_params("BTCUSDT").encode(), "symbol=BTCUSDT");
  EXPECT_EQ(open_orders_params("").encode(), "");
  EXPECT_EQ(leverage_params("BTCUSDT", 20).value().encode(), "symbol=BTCUSDT&leverage=20");
  EXPECT_FALSE(leverage_params("BTCUSDT", 0).ok());
  EXPECT_FALSE(leverage_params("BTCUSDT", 126).ok());
  EXPECT_EQ(margin_type_params("BTCUSDT", venue::MarginType::kCrossed).encode(), "symbol=BTCUSDT&marginType=CROSSED");
  EXPECT_EQ(margin_type_params("BTCUSDT", venue::MarginType::kIsolated).encode(), "symbol=BTCUSDT&marginType=ISOLATED");
}

TEST(OrderParams, KlineQuery) {
  KlineQuery query{"BTCUSDT", Interval::k5m, timestamp_from_ms(1700000000000), timestamp_from_ms(1700003000000), 1500};
  EXPECT_EQ(klines_params(query).value().encode(),
            "symbol=BTCUSDT&interval=5m&startTime=1700000000000&endTime=1700003000000&limit=1500");
  query.limit = 1501;
  EXPECT_FALSE(klines_params(query).ok());
  query.limit.reset();
  std::swap(query.start_time, query.end_time);
  EXPECT_FALSE(klines_params(query).ok());
  EXPECT_EQ(klines_params(KlineQuery{"ETHUSDT", Interval::k1h, std::nullopt, std::nullopt, std::nullopt}).value().encode(),
            "symbol=ETHUSDT&interval=1h");
}

}  // namespace
}  // namespace winiswin::binance
