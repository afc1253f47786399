// Trading through the loopback venue: regular orders and their errors, account settings,
// positions and balance, algo orders, and the user-data events each produces.
#include <gtest/gtest.h>

#include "venue/loopback/loopback_support.h"

namespace winiswin::loopback::test {
namespace {

// An exchange at 01:00 with an open listen key; requests signed at the exchange's time.
class Trading : public ::testing::Test {
 protected:
  void SetUp() override {
    exchange_ = make_exchange();
    listen_key_ = Json(exchange_->handle(HttpRequest{"POST", "/fapi/v1/listenKey", {{"X-MBX-APIKEY", kApiKey}}, ""}).body)
                      .string("listenKey");
  }
  HttpResponse call(const std::string& method, const std::string& path, const std::string& params) {
    return exchange_->handle(signed_query(method, path, params, exchange_->now()));
  }
  HttpResponse ccxt_call(const std::string& method, const std::string& path, const std::string& params) {
    return exchange_->handle(signed_body(method, path, params, exchange_->now()));
  }
  std::vector<UserStreamMessage> events() { return exchange_->take_user_messages(listen_key_).value(); }
  void advance_minutes(std::int64_t minutes) {
    ASSERT_TRUE(exchange_->advance_to(exchange_->now() + Milliseconds{minutes * kMinuteMs}).ok());
  }
  // A filled long of `quantity` (bought at the next bar's open).
  void open_long(const std::string& quantity) {
    ASSERT_EQ(call("POST", "/fapi/v1/order", "symbol=TESTUSDT&side=BUY&type=MARKET&quantity=" + quantity).status, 200);
    advance_minutes(1);
    (void)events();
  }

  std::unique_ptr<LoopbackExchange> exchange_;
  std::string listen_key_;
};

std::vector<std::string> event_types(const std::vector<UserStreamMessage>& messages) {
  std::vector<std::string> types;
  for (const UserStreamMessage& message : messages) types.push_back(message.event);
  return types;
}

TEST_F(Trading, MarketOrderFillsOnTheNextAdvanceAndStreamsItsEvents) {
  const HttpResponse placed = ccxt_call("POST", "/fapi/v1/order",
                                        "symbol=TESTUSDT&side=BUY&type=MARKET&quantity=1&newClientOrderId=entry-1&newOrderRespType=RESULT");
  ASSERT_EQ(placed.status, 200) << placed.body;
  EXPECT_EQ(placed.header("X-MBX-ORDER-COUNT-10S"), "1");
  EXPECT_EQ(placed.header("X-MBX-ORDER-COUNT-1M"), "1");
  const Json ack(placed.body);
  EXPECT_EQ(ack.string("status"), "NEW");  // fills on the next bar, so RESULT is the order as it stands
  EXPECT_EQ(ack.string("clientOrderId"), "entry-1");
  EXPECT_EQ(ack.string("origQty"), "1");
  const std::int64_t order_id = ack.integer("orderId");

  auto messages = events();
  ASSERT_EQ(event_types(messages), std::vector<std::string>{"ORDER_TRADE_UPDATE"});
  EXPECT_EQ(Json(messages[0].json)["o"]["X"].get_string().value(), "NEW");

  advance_minutes(1);  // bar 60 (opens at 106) closes
  messages = events();
  ASSERT_EQ(event_types(messages), (std::vector<std::string>{"ORDER_TRADE_UPDATE", "ACCOUNT_UPDATE"}));
  const Json fill(messages[0].json);
  EXPECT_EQ(str(fill["o"]["x"]), "TRADE");
  EXPECT_EQ(str(fill["o"]["X"]), "FILLED");
  EXPECT_EQ(str(fill["o"]["c"]), "entry-1");
  EXPECT_EQ(fill["o"]["i"].get_int64().value(), order_id);
  EXPECT_EQ(str(fill["o"]["l"]), "1");
  EXPECT_EQ(str(fill["o"]["z"]), "1");
  const std::string fill_price = str(fill["o"]["L"]);
  EXPECT_EQ(Price::parse(fill_price).value() >= P("106"), true);
  EXPECT_EQ(str(fill["o"]["N"]), "USDT");
  EXPECT_TRUE(Notional::parse(str(fill["o"]["n"])).value().is_positive());  // taker fee
  const Json account(messages[1].json);
  EXPECT_EQ(str(account["a"]["m"]), "ORDER");
  const auto position = items(account["a"]["P"]).at(0);
  EXPECT_EQ(str(position["s"]), "TESTUSDT");
  EXPECT_EQ(str(position["pa"]), "1");
  EXPECT_EQ(str(position["ep"]), fill_price);
  EXPECT_EQ(str(position["mt"]), "isolated");
  EXPECT_EQ(str(items(account["a"]["B"]).at(0)["a"]), "USDT");

  const Json queried(call("GET", "/fapi/v1/order", "symbol=TESTUSDT&orderId=" + std::to_string(order_id)).body);
  EXPECT_EQ(queried.string("status"), "FILLED");
  EXPECT_EQ(queried.string("avgPrice"), fill_price);
  EXPECT_EQ(queried.string("executedQty"), "1");
  const Json risk(call("GET", "/fapi/v3/positionRisk", "symbol=TESTUSDT").body);
  EXPECT_EQ(str(items(risk.root()).at(0)["positionAmt"]), "1");
  EXPECT_EQ(str(items(risk.root()).at(0)["entryPrice"]), fill_price);
}

TEST_F(Trading, ConditionalTypesOnTheRegularPathAre4120) {
  for (const char* type : {"STOP_MARKET", "TAKE_PROFIT_MARKET", "STOP", "TRAILING_STOP_MARKET"}) {
    const HttpResponse response =
        call("POST", "/fapi/v1/order", std::string("symbol=TESTUSDT&side=SELL&quantity=1&stopPrice=90&type=") + type);
    EXPECT_EQ(code_of(response), -4120) << type;
    EXPECT_EQ(Json(response.body).string("msg"),
              "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.");
  }
}

TEST_F(Trading, OrderRefusalsCarryBinancesCodes) {
  const std::string resting = "symbol=TESTUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=50&newClientOrderId=dup";
  ASSERT_EQ(call("POST", "/fapi/v1/order", resting).status, 200);
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/order", resting)), -4116);
  const HttpResponse tiny = call("POST", "/fapi/v1/order", "symbol=TESTUSDT&side=BUY&type=MARKET&quantity=0.001");
  EXPECT_EQ(code_of(tiny), -4164);
  EXPECT_EQ(Json(tiny.body).string("msg"), "Order's notional must be no smaller than 5 (unless you choose reduce only)");
  ASSERT_EQ(call("POST", "/fapi/v1/leverage", "symbol=TESTUSDT&leverage=1").status, 200);
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/order", "symbol=TESTUSDT&side=BUY&type=MARKET&quantity=99")), -2019);
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/order", "symbol=TESTUSDT&side=BUY&type=MARKET&quantity=0.0001")), -1111);
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/order", "symbol=NOPEUSDT&side=BUY&type=MARKET&quantity=1")), -1121);
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/order", "symbol=TESTUSDT&side=BUY&type=MARKET")), -1102);
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/order", "symbol=TESTUSDT&side=BUY&type=LIMIT&quantity=1&price=50")), -1102);
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/order", "symbol=TESTUSDT&side=UP&type=MARKET&quantity=1")), -1117);
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/order", "symbol=TESTUSDT&side=BUY&type=MARKET&quantity=1&positionSide=LONG")), -4061);
  EXPECT_EQ(code_of(call("GET", "/fapi/v1/order", "symbol=TESTUSDT&orderId=999999")), -2013);
  EXPECT_EQ(code_of(call("GET", "/fapi/v1/order", "symbol=TESTUSDT&origClientOrderId=never")), -2013);
  EXPECT_EQ(code_of(call("DELETE", "/fapi/v1/order", "symbol=TESTUSDT&origClientOrderId=never")), -2011);
  EXPECT_EQ(code_of(call("DELETE", "/fapi/v1/order", "symbol=TESTUSDT")), -1102);
}

TEST_F(Trading, LimitOrderRestsIsListedAndCancels) {
  const Json placed(call("POST", "/fapi/v1/order", "symbol=TESTUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=50").body);
  const std::string client_id = placed.string("clientOrderId");
  EXPECT_FALSE(client_id.empty());  // generated when not given
  EXPECT_EQ(placed.string("price"), "50");
  const Json open(call("GET", "/fapi/v1/openOrders", "symbol=TESTUSDT").body);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(str(items(open.root()).at(0)["type"]), "LIMIT");
  const HttpResponse cancelled = ccxt_call("DELETE", "/fapi/v1/order", "symbol=TESTUSDT&orderId=" + std::to_string(placed.integer("orderId")));
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Json(cancelled.body).string("status"), "CANCELED");
  EXPECT_EQ(Json(call("GET", "/fapi/v1/openOrders", "").body).size(), 0u);
  EXPECT_EQ(code_of(call("DELETE", "/fapi/v1/order", "symbol=TESTUSDT&origClientOrderId=" + client_id)), -2011);
  const auto messages = events();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(str(Json(messages[1].json)["o"]["x"]), "CANCELED");
}

TEST_F(Trading, MarginTypeAnswers4046WhenUnchanged) {
  const HttpResponse same = call("POST", "/fapi/v1/marginType", "symbol=TESTUSDT&marginType=ISOLATED");
  EXPECT_EQ(same.body, R"({"code":-4046,"msg":"No need to change margin type."})");
  EXPECT_EQ(call("POST", "/fapi/v1/marginType", "symbol=TESTUSDT&marginType=CROSSED").body, R"({"code":200,"msg":"success"})");
  const Json risk(call("GET", "/fapi/v2/positionRisk", "").body);
  EXPECT_EQ(str(items(risk.root()).at(0)["marginType"]), "cross");
  EXPECT_EQ(str(items(risk.root()).at(0)["leverage"]), "10");
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/marginType", "symbol=TESTUSDT&marginType=BOTH")), -1130);
}

TEST_F(Trading, LeverageAnswersItsCapAndStreamsTheChange) {
  const Json answer(call("POST", "/fapi/v1/leverage", "symbol=TESTUSDT&leverage=20").body);
  EXPECT_EQ(answer.integer("leverage"), 20);
  EXPECT_EQ(answer.string("maxNotionalValue"), "250000");
  EXPECT_EQ(event_types(events()), std::vector<std::string>{"ACCOUNT_CONFIG_UPDATE"});
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/leverage", "symbol=TESTUSDT&leverage=51")), -4028);
}

TEST_F(Trading, AccountAndBalanceReflectAPosition) {
  open_long("2");
  const Json account(call("GET", "/fapi/v3/account", "").body);
  const Json balance(call("GET", "/fapi/v2/balance", "").body);
  const Notional wallet = Notional::parse(account.string("totalWalletBalance")).value();
  EXPECT_LT(wallet, N("10000"));  // the taker fee was paid
  EXPECT_EQ(str(items(balance.root()).at(0)["balance"]), wallet.to_string());
  ASSERT_EQ(items(account["positions"]).size(), 1u);
  EXPECT_EQ(str(items(account["positions"]).at(0)["positionAmt"]), "2");
  EXPECT_TRUE(Notional::parse(account.string("totalPositionInitialMargin")).value().is_positive());
  const Json v2(call("GET", "/fapi/v2/account", "").body);
  EXPECT_TRUE(v2["canTrade"].get_bool().value());
  EXPECT_EQ(str(items(v2["positions"]).at(0)["leverage"]), "10");
}

TEST_F(Trading, ProtectiveStopTriggersIntoAlgoAndOrderUpdates) {
  open_long("1");  // bought at bar 60; the last close is now 106.1
  const HttpResponse placed = ccxt_call(
      "POST", "/fapi/v1/algoOrder",
      "algoType=CONDITIONAL&symbol=TESTUSDT&side=SELL&type=STOP_MARKET&triggerPrice=105.8&closePosition=true&clientAlgoId=stop-1"
      "&workingType=CONTRACT_PRICE&priceProtect=true&activationPrice=120&newOrderRespType=RESULT");
  ASSERT_EQ(placed.status, 200) << placed.body;
  EXPECT_EQ(placed.header("X-MBX-ORDER-COUNT-10S"), "1");  // the entry was a minute ago: a new window
  const Json ack(placed.body);
  EXPECT_EQ(ack.string("algoStatus"), "NEW");
  EXPECT_EQ(ack.string("orderType"), "STOP_MARKET");
  EXPECT_EQ(ack.string("triggerPrice"), "105.8");
  EXPECT_TRUE(ack["closePosition"].get_bool().value());
  EXPECT_TRUE(ack["priceProtect"].get_bool().value());
  const std::int64_t algo_id = ack.integer("algoId");
  EXPECT_EQ(event_types(events()), std::vector<std::string>{"ALGO_UPDATE"});
  const Json open(call("GET", "/fapi/v1/openAlgoOrders", "symbol=TESTUSDT").body);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(str(items(open.root()).at(0)["clientAlgoId"]), "stop-1");

  advance_minutes(1);  // bar 61 trades down to 105.6: the stop triggers
  const auto messages = events();
  ASSERT_EQ(event_types(messages), (std::vector<std::string>{"ALGO_UPDATE", "ORDER_TRADE_UPDATE", "ORDER_TRADE_UPDATE",
                                                             "ACCOUNT_UPDATE", "ALGO_UPDATE"}));
  const Json triggered(messages[0].json);
  EXPECT_EQ(str(triggered["o"]["X"]), "TRIGGERED");
  EXPECT_EQ(str(triggered["o"]["caid"]), "stop-1");
  EXPECT_EQ(triggered["o"]["aid"].get_int64().value(), algo_id);
  const std::string child_id = str(triggered["o"]["ai"]);
  EXPECT_FALSE(child_id.empty());
  const Json child_fill(messages[2].json);
  EXPECT_EQ(str(child_fill["o"]["x"]), "TRADE");
  EXPECT_EQ(str(child_fill["o"]["o"]), "MARKET");
  EXPECT_EQ(str(child_fill["o"]["ot"]), "STOP_MARKET");
  EXPECT_EQ(str(child_fill["o"]["c"]), "stop-1");
  EXPECT_EQ(std::to_string(child_fill["o"]["i"].get_int64().value()), child_id);
  EXPECT_TRUE(child_fill["o"]["R"].get_bool().value());
  EXPECT_EQ(str(items(Json(messages[3].json)["a"]["P"]).at(0)["pa"]), "0");
  const Json finished(messages[4].json);
  EXPECT_EQ(str(finished["o"]["X"]), "FINISHED");
  EXPECT_EQ(str(finished["o"]["aq"]), "1");

  const Json queried(call("GET", "/fapi/v1/algoOrder", "clientAlgoId=stop-1").body);
  EXPECT_EQ(queried.string("algoStatus"), "FINISHED");
  EXPECT_EQ(queried.string("actualOrderId"), child_id);
  EXPECT_EQ(Json(call("GET", "/fapi/v1/openAlgoOrders", "").body).size(), 0u);
  EXPECT_EQ(Json(call("GET", "/fapi/v1/order", "symbol=TESTUSDT&orderId=" + child_id).body).string("status"), "FILLED");
}

TEST_F(Trading, AlgoOrderRefusalsAndCancel) {
  open_long("1");
  const std::string stop = "algoType=CONDITIONAL&symbol=TESTUSDT&side=SELL&type=STOP_MARKET&closePosition=true";
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/algoOrder", stop + "&triggerPrice=107&clientAlgoId=s1")), -2021);  // already below
  ASSERT_EQ(call("POST", "/fapi/v1/algoOrder", stop + "&triggerPrice=90&clientAlgoId=s1").status, 200);
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/algoOrder", stop + "&triggerPrice=91&clientAlgoId=s1")), -20132);
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/algoOrder", "algoType=VP&symbol=TESTUSDT&side=SELL&type=STOP_MARKET&triggerPrice=90")),
            -1130);
  EXPECT_EQ(code_of(call("POST", "/fapi/v1/algoOrder", "algoType=CONDITIONAL&symbol=TESTUSDT&side=SELL&type=STOP_MARKET")), -1102);
  EXPECT_EQ(code_of(call("GET", "/fapi/v1/algoOrder", "clientAlgoId=nope")), -2013);
  const HttpResponse cancelled = ccxt_call("DELETE", "/fapi/v1/algoOrder", "clientAlgoId=s1");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Json(cancelled.body).string("code"), "200");
  EXPECT_EQ(code_of(call("DELETE", "/fapi/v1/algoOrder", "clientAlgoId=s1")), -20124);
  EXPECT_EQ(Json(call("GET", "/fapi/v1/algoOrder", "clientAlgoId=s1").body).string("algoStatus"), "CANCELED");
}

TEST_F(Trading, ListenKeyLifecycle) {
  const HttpResponse again = exchange_->handle(HttpRequest{"POST", "/fapi/v1/listenKey", {{"X-MBX-APIKEY", kApiKey}}, ""});
  EXPECT_EQ(Json(again.body).string("listenKey"), listen_key_);  // the active key, extended
  const HttpResponse extended =
      exchange_->handle(HttpRequest{"PUT", "/fapi/v1/listenKey", {{"X-MBX-APIKEY", kApiKey}}, "listenKey=" + listen_key_});
  EXPECT_EQ(Json(extended.body).string("listenKey"), listen_key_);
  const HttpResponse unknown =
      exchange_->handle(HttpRequest{"PUT", "/fapi/v1/listenKey", {{"X-MBX-APIKEY", kApiKey}}, "listenKey=nope"});
  EXPECT_EQ(code_of(unknown), -1125);
  EXPECT_EQ(exchange_->handle(HttpRequest{"DELETE", "/fapi/v1/listenKey", {{"X-MBX-APIKEY", kApiKey}}, ""}).body, "{}");
  EXPECT_FALSE(exchange_->listen_key_active(listen_key_));
  EXPECT_EQ(code_of(exchange_->handle(HttpRequest{"DELETE", "/fapi/v1/listenKey", {{"X-MBX-APIKEY", kApiKey}}, ""})), -1125);
  EXPECT_EQ(exchange_->take_user_messages("nope").error().venue_code, -1125);
}

}  // namespace
}  // namespace winiswin::loopback::test
