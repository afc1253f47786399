// Market data endpoints of the loopback venue: time, exchangeInfo (read back by our own
// parser), klines (aggregation, windows, limits, errors), tickers, premiumIndex, weights.
#include <gtest/gtest.h>

#include "venue/binance/exchange_info.h"
#include "venue/loopback/loopback_support.h"

namespace winiswin::loopback::test {
namespace {

std::vector<std::int64_t> open_times(const HttpResponse& response) {
  std::vector<std::int64_t> times;
  const Json json(response.body);
  for (auto row : items(json.root())) times.push_back(items(row).at(0).get_int64().value());
  return times;
}

TEST(MarketEndpoints, PingAndTimeAnswerWithTheExchangeClock) {
  auto exchange = make_exchange();
  EXPECT_EQ(exchange->handle(get("/fapi/v1/ping")).body, "{}");
  EXPECT_EQ(Json(exchange->handle(get("/fapi/v1/time")).body).integer("serverTime"), to_ms(minute_time(60)));
  ASSERT_TRUE(exchange->advance_to(minute_time(61) + Milliseconds{500}).ok());
  EXPECT_EQ(Json(exchange->handle(get("/fapi/v1/time")).body).integer("serverTime"), to_ms(minute_time(61)) + 500);
  EXPECT_FALSE(exchange->advance_to(minute_time(61)).ok());  // the clock never goes back
}

TEST(MarketEndpoints, ExchangeInfoReadsBackIntoTheSameInstrument) {
  auto exchange = make_exchange();
  const HttpResponse response = exchange->handle(get("/fapi/v1/exchangeInfo"));
  ASSERT_EQ(response.status, 200);
  auto info = binance::parse_exchange_info(response.body, "loopback");
  ASSERT_TRUE(info.ok()) << info.error().message;
  ASSERT_EQ(info->instruments.size(), 1u);
  const Instrument& read = info->instruments.front();
  const Instrument given = test_instrument();
  EXPECT_EQ(read.symbol, "TESTUSDT");
  EXPECT_TRUE(read.is_tradable_usdt_perpetual());
  EXPECT_EQ(read.price_filter.tick_size, given.price_filter.tick_size);
  EXPECT_EQ(read.lot_size.step_size, given.lot_size.step_size);
  EXPECT_EQ(read.market_lot_size.max_quantity, given.market_lot_size.max_quantity);
  EXPECT_EQ(read.min_notional, given.min_notional);
  EXPECT_EQ(read.liquidation_fee, Ratio::parse("0.0125").value());  // the simulator's default when the instrument has none
  const Json json(response.body);
  bool lists_stop_market = false;
  for (auto type : items(items(json["symbols"]).at(0)["orderTypes"])) lists_stop_market |= str(type) == "STOP_MARKET";
  EXPECT_TRUE(lists_stop_market);  // ccxt refuses to send stops otherwise
  EXPECT_EQ(items(json["rateLimits"]).size(), 3u);
  EXPECT_EQ(str(items(json["symbols"]).at(0)["contractType"]), "PERPETUAL");
}

TEST(MarketEndpoints, KlinesServeTheClosedBarsMostRecentFirstCut) {
  auto exchange = make_exchange();
  const auto all = open_times(exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=1m")));
  ASSERT_EQ(all.size(), 60u);  // bars 0..59 closed by 01:00; bar 60 is still forming and not served
  EXPECT_EQ(all.front(), to_ms(minute_time(0)));
  EXPECT_EQ(all.back(), to_ms(minute_time(59)));
  const auto last_five = open_times(exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=1m&limit=5")));
  EXPECT_EQ(last_five, (std::vector<std::int64_t>{to_ms(minute_time(55)), to_ms(minute_time(56)), to_ms(minute_time(57)),
                                                  to_ms(minute_time(58)), to_ms(minute_time(59))}));
}

TEST(MarketEndpoints, KlinesWindowByStartAndEndTime) {
  auto exchange = make_exchange();
  const auto from_start = open_times(exchange->handle(
      get("/fapi/v1/klines?symbol=TESTUSDT&interval=1m&limit=3&startTime=" + std::to_string(to_ms(minute_time(10)) - 1))));
  EXPECT_EQ(from_start, (std::vector<std::int64_t>{to_ms(minute_time(10)), to_ms(minute_time(11)), to_ms(minute_time(12))}));
  const auto to_end = open_times(
      exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=1m&limit=2&endTime=" + std::to_string(to_ms(minute_time(20))))));
  EXPECT_EQ(to_end, (std::vector<std::int64_t>{to_ms(minute_time(19)), to_ms(minute_time(20))}));
  const auto both = open_times(exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=1m&startTime=" +
                                                    std::to_string(to_ms(minute_time(30))) +
                                                    "&endTime=" + std::to_string(to_ms(minute_time(33))))));
  EXPECT_EQ(both.size(), 4u);
}

TEST(MarketEndpoints, KlinesAggregateFromMinutes) {
  auto exchange = make_exchange();
  const HttpResponse five = exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=5m"));
  const Json json(five.body);
  ASSERT_EQ(json.size(), 12u);
  const auto bars = items(json.root());
  const auto last = items(bars.at(11));
  EXPECT_EQ(last[0].get_int64().value(), to_ms(minute_time(55)));
  EXPECT_EQ(str(last[1]), test_bar(55).open.to_string());   // first open
  EXPECT_EQ(str(last[2]), test_bar(59).high.to_string());   // highest high
  EXPECT_EQ(str(last[3]), test_bar(55).low.to_string());    // lowest low
  EXPECT_EQ(str(last[4]), test_bar(59).close.to_string());  // last close
  EXPECT_EQ(str(last[5]), "50");                            // summed volume
  EXPECT_EQ(last[6].get_int64().value(), to_ms(minute_time(60)) - 1);
  EXPECT_EQ(last[8].get_int64().value(), 35);
  EXPECT_EQ(open_times(exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=1h"))).size(), 1u);
  // Three minutes later the 01:00 5m bar is still forming: not served.
  ASSERT_TRUE(exchange->advance_to(minute_time(63)).ok());
  EXPECT_EQ(open_times(exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=5m"))).size(), 12u);
  ASSERT_TRUE(exchange->advance_to(minute_time(65)).ok());
  EXPECT_EQ(open_times(exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=5m"))).back(), to_ms(minute_time(60)));
}

TEST(MarketEndpoints, KlinesRefuseBadRequests) {
  auto exchange = make_exchange();
  EXPECT_EQ(code_of(exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=1m&limit=1501"))), -1130);
  EXPECT_EQ(code_of(exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=7m"))), -1120);
  EXPECT_EQ(code_of(exchange->handle(get("/fapi/v1/klines?symbol=NOPEUSDT&interval=1m"))), -1121);
  EXPECT_EQ(code_of(exchange->handle(get("/fapi/v1/klines?interval=1m"))), -1102);
  EXPECT_EQ(code_of(exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=1m&startTime=2&endTime=1"))), -1023);
  EXPECT_EQ(exchange->handle(get("/fapi/v1/klines?symbol=NOPEUSDT&interval=1m")).status, 400);
}

TEST(MarketEndpoints, WeightHeaderCountsPerMinute) {
  auto exchange = make_exchange();
  EXPECT_EQ(exchange->handle(get("/fapi/v1/ping")).header("X-MBX-USED-WEIGHT-1M"), "1");
  EXPECT_EQ(exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=1m")).header("X-MBX-USED-WEIGHT-1M"), "6");
  EXPECT_EQ(exchange->handle(get("/fapi/v1/klines?symbol=TESTUSDT&interval=1m&limit=1200")).header("X-MBX-USED-WEIGHT-1M"), "16");
  EXPECT_EQ(exchange->handle(get("/fapi/v1/ticker/24hr")).header("X-MBX-USED-WEIGHT-1M"), "56");  // 40 without a symbol
  ASSERT_TRUE(exchange->advance_to(minute_time(61)).ok());
  EXPECT_EQ(exchange->handle(get("/fapi/v1/time")).header("X-MBX-USED-WEIGHT-1M"), "1");  // a new minute
}

TEST(MarketEndpoints, TickerAndPremiumIndexFollowTheLastClose) {
  auto exchange = make_exchange();
  const Json ticker(exchange->handle(get("/fapi/v1/ticker/24hr?symbol=TESTUSDT")).body);
  EXPECT_EQ(ticker.string("lastPrice"), "106");
  EXPECT_EQ(ticker.string("openPrice"), "100");
  EXPECT_EQ(ticker.string("priceChange"), "6");
  EXPECT_EQ(ticker.string("priceChangePercent"), "6.000");
  EXPECT_EQ(ticker.string("volume"), "600");
  EXPECT_EQ(ticker.integer("count"), 420);
  const Json premium(exchange->handle(get("/fapi/v1/premiumIndex?symbol=TESTUSDT")).body);
  EXPECT_EQ(premium.string("markPrice"), "106");
  EXPECT_EQ(premium.string("lastFundingRate"), "0.0001");
  EXPECT_EQ(premium.integer("nextFundingTime"), kFirstBarMs + 8 * 3'600'000);
  EXPECT_EQ(Json(exchange->handle(get("/fapi/v1/premiumIndex")).body).size(), 1u);
}

TEST(MarketEndpoints, UnknownPathIs404AndWrongMethod405) {
  auto exchange = make_exchange();
  const HttpResponse missing = exchange->handle(get("/fapi/v1/nothing"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(code_of(missing), -1099);
  const HttpResponse wrong = exchange->handle(HttpRequest{"POST", "/fapi/v1/klines", {}, ""});
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("Allow"), "GET");
}

TEST(MarketEndpoints, LeverageBracketNeedsASignatureAndListsNumbers) {
  auto exchange = make_exchange();
  EXPECT_EQ(code_of(exchange->handle(get("/fapi/v1/leverageBracket?symbol=TESTUSDT"))), -2014);
  const HttpResponse response = exchange->handle(signed_query("GET", "/fapi/v1/leverageBracket", "symbol=TESTUSDT", minute_time(60)));
  ASSERT_EQ(response.status, 200) << response.body;
  const Json json(response.body);
  const auto second = items(json["brackets"]).at(1);
  EXPECT_EQ(second["initialLeverage"].get_int64().value(), 20);
  EXPECT_EQ(second["notionalFloor"].get_int64().value(), 50000);
  EXPECT_DOUBLE_EQ(second["maintMarginRatio"].get_double().value(), 0.025);
}

}  // namespace
}  // namespace winiswin::loopback::test
