// Fault injection (deterministic from its seed) and the market stream messages.
#include <gtest/gtest.h>

#include "venue/loopback/loopback_support.h"

namespace winiswin::loopback::test {
namespace {

std::vector<int> statuses_of_pings(LoopbackExchange& exchange, int count) {
  std::vector<int> statuses;
  for (int idx = 0; idx < count; ++idx) statuses.push_back(exchange.handle(get("/fapi/v1/ping")).status);
  return statuses;
}

LoopbackConfig with_faults(FaultConfig faults) {
  LoopbackConfig config;
  config.faults = std::move(faults);
  return config;
}

TEST(Faults, RandomFailuresRepeatWithTheSeed) {
  FaultConfig faults;
  faults.seed = 7;
  faults.too_many_requests_rate = 0.2;
  faults.ip_ban_rate = 0.1;
  faults.server_error_rate = 0.1;
  auto first = make_exchange(with_faults(faults));
  auto second = make_exchange(with_faults(faults));
  const std::vector<int> run = statuses_of_pings(*first, 200);
  EXPECT_EQ(run, statuses_of_pings(*second, 200));
  for (int status : {200, 429, 418, 503}) EXPECT_GT(std::count(run.begin(), run.end(), status), 5) << status;
  faults.seed = 8;
  auto other = make_exchange(with_faults(faults));
  EXPECT_NE(run, statuses_of_pings(*other, 200));
}

TEST(Faults, RefusalsLookLikeBinances) {
  FaultConfig faults;
  faults.too_many_requests_rate = 1.0;
  faults.retry_after = Milliseconds{2'500};
  auto exchange = make_exchange(with_faults(faults));
  HttpResponse response = exchange->handle(get("/fapi/v1/ping"));
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(code_of(response), -1003);
  EXPECT_EQ(response.header("Retry-After"), "3");
  faults.too_many_requests_rate = 0.0;
  faults.ip_ban_rate = 1.0;
  exchange->set_faults(faults);
  response = exchange->handle(get("/fapi/v1/ping"));
  EXPECT_EQ(response.status, 418);
  EXPECT_NE(response.body.find("IP banned until"), std::string::npos);
  faults.ip_ban_rate = 0.0;
  faults.server_error_rate = 1.0;
  exchange->set_faults(faults);
  EXPECT_EQ(exchange->handle(get("/fapi/v1/ping")).status, 503);
  // An order refused this way was never placed.
  const HttpResponse order =
      exchange->handle(signed_query("POST", "/fapi/v1/order", "symbol=TESTUSDT&side=BUY&type=MARKET&quantity=1&newClientOrderId=x",
                                    exchange->now()));
  EXPECT_EQ(order.status, 503);
  exchange->set_faults(FaultConfig{});
  EXPECT_EQ(code_of(exchange->handle(signed_query("GET", "/fapi/v1/order", "symbol=TESTUSDT&origClientOrderId=x", exchange->now()))),
            -2013);
}

TEST(Faults, LatencyIsADelayForTheTransport) {
  FaultConfig faults;
  faults.latency = Milliseconds{200};
  faults.latency_jitter = Milliseconds{100};
  auto exchange = make_exchange(with_faults(faults));
  bool varied = false;
  Milliseconds first{-1};
  for (int idx = 0; idx < 20; ++idx) {
    const Milliseconds delay = exchange->handle(get("/fapi/v1/time")).delay;
    EXPECT_GE(delay, Milliseconds{200});
    EXPECT_LE(delay, Milliseconds{300});
    if (first.count() < 0) first = delay;
    varied |= delay != first;
  }
  EXPECT_TRUE(varied);
}

TEST(Faults, LostAnswerPlacesTheOrderButAnswersUnknown) {
  FaultConfig faults;
  faults.lose_answer_for = {"lost-1", "lost-2"};
  auto exchange = make_exchange(with_faults(faults));
  const std::string order = "symbol=TESTUSDT&side=BUY&type=MARKET&quantity=1&newClientOrderId=";
  const HttpResponse lost = exchange->handle(signed_query("POST", "/fapi/v1/order", order + "lost-1", exchange->now()));
  EXPECT_EQ(lost.status, 503);
  EXPECT_EQ(code_of(lost), -1007);
  EXPECT_FALSE(lost.withhold);
  // Queried by its client id, the order is there: the caller must not re-send it.
  const HttpResponse queried =
      exchange->handle(signed_query("GET", "/fapi/v1/order", "symbol=TESTUSDT&origClientOrderId=lost-1", exchange->now()));
  EXPECT_EQ(Json(queried.body).string("status"), "NEW");
  EXPECT_EQ(code_of(exchange->handle(signed_query("POST", "/fapi/v1/order", order + "lost-1", exchange->now()))), -4116);
  faults.lost_answer = LostAnswer::kNoAnswer;
  faults.lose_answer_for = {"lost-2"};
  exchange->set_faults(faults);
  EXPECT_TRUE(exchange->handle(signed_query("POST", "/fapi/v1/order", order + "lost-2", exchange->now())).withhold);
  // Each listed id is lost once.
  EXPECT_EQ(exchange->handle(signed_query("POST", "/fapi/v1/order", order + "other", exchange->now())).status, 200);
}

TEST(Faults, NewAlgoOrdersStayInvisibleForTheLag) {
  FaultConfig faults;
  faults.algo_query_lag = Milliseconds{5'000};
  auto exchange = make_exchange(with_faults(faults));
  const HttpResponse placed = exchange->handle(signed_query(
      "POST", "/fapi/v1/algoOrder",
      "algoType=CONDITIONAL&symbol=TESTUSDT&side=SELL&type=STOP_MARKET&quantity=1&triggerPrice=90&clientAlgoId=late",
      exchange->now()));
  ASSERT_EQ(placed.status, 200) << placed.body;
  const auto query = [&] {
    return exchange->handle(signed_query("GET", "/fapi/v1/algoOrder", "clientAlgoId=late", exchange->now()));
  };
  EXPECT_EQ(code_of(query()), -2013);
  EXPECT_EQ(Json(exchange->handle(signed_query("GET", "/fapi/v1/openAlgoOrders", "", exchange->now())).body).size(), 0u);
  ASSERT_TRUE(exchange->advance_to(exchange->now() + Milliseconds{5'000}).ok());
  EXPECT_EQ(Json(query().body).string("algoStatus"), "NEW");
}

TEST(Faults, ClockSkewMovesTheServerTime) {
  FaultConfig faults;
  faults.clock_skew = Milliseconds{10'000};
  auto exchange = make_exchange(with_faults(faults));
  EXPECT_EQ(Json(exchange->handle(get("/fapi/v1/time")).body).integer("serverTime"), to_ms(minute_time(60)) + 10'000);
  // A client on the exchange clock is now 10 s behind the server: outside the recvWindow.
  EXPECT_EQ(code_of(exchange->handle(signed_query("GET", "/fapi/v2/balance", "", minute_time(60)))), -1021);
  EXPECT_EQ(exchange->handle(signed_query("GET", "/fapi/v2/balance", "", minute_time(60) + Milliseconds{10'000})).status, 200);
}

TEST(Faults, ListenKeysExpire) {
  FaultConfig faults;
  faults.listen_key_validity = Milliseconds{2 * kMinuteMs};
  auto exchange = make_exchange(with_faults(faults));
  const auto open_key = [&] {
    return Json(exchange->handle(HttpRequest{"POST", "/fapi/v1/listenKey", {{"X-MBX-APIKEY", kApiKey}}, ""}).body).string("listenKey");
  };
  const std::string key = open_key();
  ASSERT_TRUE(exchange->advance_to(minute_time(62)).ok());
  EXPECT_FALSE(exchange->listen_key_active(key));
  const auto messages = exchange->take_user_messages(key).value();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].event, "listenKeyExpired");
  EXPECT_EQ(Json(messages[0].json).string("listenKey"), key);
  const std::string next = open_key();
  EXPECT_NE(next, key);
  exchange->expire_listen_keys();  // the fault on demand
  EXPECT_FALSE(exchange->listen_key_active(next));
}

TEST(MarketStreams, KlineAndMarkPriceMessagesForSubscribedStreams) {
  auto exchange = make_exchange();
  exchange->subscribe("testusdt@kline_1m");
  exchange->subscribe("TESTUSDT@kline_5m");
  exchange->subscribe("testusdt@markPrice@1s");
  exchange->subscribe("otherusdt@kline_1m");
  ASSERT_TRUE(exchange->advance_to(minute_time(62)).ok());
  const auto messages = exchange->take_market_messages();
  ASSERT_EQ(messages.size(), 6u);  // bars 60 and 61, three streams each
  std::vector<std::string> streams;
  for (const auto& message : messages) streams.push_back(message.stream);
  EXPECT_EQ(std::count(streams.begin(), streams.end(), "testusdt@kline_1m"), 2);
  EXPECT_EQ(std::count(streams.begin(), streams.end(), "testusdt@kline_5m"), 2);
  EXPECT_EQ(std::count(streams.begin(), streams.end(), "testusdt@markPrice@1s"), 2);
  for (const auto& message : messages) {
    const Json combined(message.combined());
    EXPECT_EQ(combined.string("stream"), message.stream);
    const auto data = combined["data"];
    if (message.stream == "testusdt@kline_1m") {
      EXPECT_TRUE(data["k"]["x"].get_bool().value());
      EXPECT_EQ(str(data["k"]["i"]), "1m");
    } else if (message.stream == "testusdt@kline_5m") {
      EXPECT_FALSE(data["k"]["x"].get_bool().value());  // the 01:00 5m bar is still forming
      EXPECT_EQ(data["k"]["t"].get_int64().value(), to_ms(minute_time(60)));
      EXPECT_EQ(str(data["k"]["o"]), test_bar(60).open.to_string());
    } else {
      EXPECT_EQ(str(data["e"]), "markPriceUpdate");
      EXPECT_EQ(data["T"].get_int64().value(), kFirstBarMs + 8 * 3'600'000);
    }
  }
  const Json last_five(messages[4].combined());
  EXPECT_EQ(str(last_five["data"]["k"]["c"]), test_bar(61).close.to_string());
  EXPECT_EQ(str(last_five["data"]["k"]["v"]), "20");
  ASSERT_TRUE(exchange->advance_to(minute_time(65)).ok());
  bool closed_five = false;
  for (const auto& message : exchange->take_market_messages()) {
    if (message.stream == "testusdt@kline_5m" && Json(message.data)["k"]["x"].get_bool().value()) closed_five = true;
  }
  EXPECT_TRUE(closed_five);
  exchange->unsubscribe("testusdt@kline_1m");
  exchange->unsubscribe("testusdt@kline_5m");
  exchange->unsubscribe("testusdt@markPrice@1s");
  ASSERT_TRUE(exchange->advance_to(minute_time(70)).ok());
  EXPECT_TRUE(exchange->take_market_messages().empty());
}

}  // namespace
}  // namespace winiswin::loopback::test
