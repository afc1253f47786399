#include "venue/binance/market_stream.h"

#include <gtest/gtest.h>

#include "support/shared_data.h"
#include "venue/binance/codec_test_support.h"

namespace winiswin::binance {
namespace {

using testing::fails_naming;
using testing::read_text;
using testing::replaced;

const Timestamp kReceived = timestamp_from_ms(1638747720123);

constexpr const char* kClosedKline =
    R"({"e":"kline","E":1638747720000,"s":"BTCUSDT","k":{"t":1638747660000,"T":1638747719999,"s":"BTCUSDT","i":"1m",)"
    R"("f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,"x":true,"q":"1.0000",)"
    R"("V":"500","Q":"0.500","B":"123456"}})";

constexpr const char* kMarkPrice =
    R"({"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091",)"
    R"("P":"11784.25641265","r":"0.00038167","T":1562306400000,"ap":"11794.15000000","st":1})";

TEST(MarketStream, ClosedKlineIsABar) {
  const MarketMessage message = parse_market_message(kClosedKline, kReceived).value();
  const auto* bar = std::get_if<ClosedKline>(&message);
  ASSERT_NE(bar, nullptr);
  EXPECT_EQ(bar->symbol, "BTCUSDT");
  EXPECT_EQ(bar->interval, Interval::k1m);
  EXPECT_EQ(to_ms(bar->event_time), 1638747720000);
  EXPECT_EQ(bar->received, kReceived);
  const Kline& kline = bar->kline;
  EXPECT_EQ(to_ms(kline.open_time), 1638747660000);
  EXPECT_EQ(to_ms(kline.close_time), 1638747719999);
  EXPECT_EQ(kline.open, Price::parse("0.001").value());
  EXPECT_EQ(kline.high, Price::parse("0.0025").value());
  EXPECT_EQ(kline.low, Price::parse("0.0015").value());
  EXPECT_EQ(kline.close, Price::parse("0.002").value());
  EXPECT_EQ(kline.volume, Quantity::from_units(1000));
  EXPECT_EQ(kline.trades, 100);
  EXPECT_EQ(kline.quote_volume, Notional::from_units(1));
  EXPECT_EQ(kline.taker_buy_volume, Quantity::from_units(500));
  EXPECT_EQ(kline.taker_buy_quote_volume, Notional::parse("0.5").value());
}

TEST(MarketStream, OpenKlineIsSkipped) {
  const MarketMessage message = parse_market_message(replaced(kClosedKline, R"("x":true)", R"("x":false)"), kReceived).value();
  const auto* skipped = std::get_if<SkippedMessage>(&message);
  ASSERT_NE(skipped, nullptr);
  EXPECT_EQ(skipped->event_type, "kline");
  EXPECT_EQ(skipped->reason, "bar not closed");
}

TEST(MarketStream, CombinedStreamEnvelopeIsUnwrapped) {
  const std::string combined = std::string(R"({"stream":"btcusdt@kline_1m","data":)") + kClosedKline + "}";
  EXPECT_TRUE(std::holds_alternative<ClosedKline>(parse_market_message(combined, kReceived).value()));
}

TEST(MarketStream, SharedKlineFixtures) {
  WINISWIN_SHARED_FILE(closed, "data/ws/nautilus_fixtures_doc_examples/kline_stream_closed.json");
  EXPECT_TRUE(std::holds_alternative<ClosedKline>(parse_market_message(read_text(closed.string()), kReceived).value()));
  WINISWIN_SHARED_FILE(open, "data/ws/nautilus_fixtures_doc_examples/kline_stream_open.json");
  EXPECT_TRUE(std::holds_alternative<SkippedMessage>(parse_market_message(read_text(open.string()), kReceived).value()));
}

TEST(MarketStream, KlineErrorsNameTheField) {
  EXPECT_TRUE(fails_naming(parse_market_message(replaced(kClosedKline, R"("c":"0.0020")", R"("c":0.002)"), kReceived),
                           {"kline.k: field 'c' is missing or not a decimal string"}));
  EXPECT_TRUE(fails_naming(parse_market_message(replaced(kClosedKline, R"("x":true)", R"("x":"true")"), kReceived),
                           {"kline.k: field 'x' is missing or not a boolean"}));
  EXPECT_TRUE(fails_naming(parse_market_message(replaced(kClosedKline, R"("i":"1m")", R"("i":"1s")"), kReceived),
                           {"kline.k: field 'i'", "'1s'"}));
  EXPECT_TRUE(fails_naming(parse_market_message(R"({"e":"kline","E":1})", kReceived), {"kline: field 'k' is missing or not an object"}));
  EXPECT_TRUE(fails_naming(parse_market_message(R"({"e":"kline",)", kReceived), {"market stream: malformed JSON"}));
}

TEST(MarketStream, MarkPriceUpdate) {
  const MarketMessage message = parse_market_message(kMarkPrice, kReceived).value();
  const auto* updates = std::get_if<std::vector<MarkPriceUpdate>>(&message);
  ASSERT_NE(updates, nullptr);
  ASSERT_EQ(updates->size(), 1u);
  const MarkPriceUpdate& update = updates->front();
  EXPECT_EQ(update.symbol, "BTCUSDT");
  EXPECT_EQ(update.mark_price, Price::parse("11794.15").value());
  EXPECT_EQ(update.index_price, Price::parse("11784.62659091").value());
  EXPECT_EQ(update.estimated_settle_price, Price::parse("11784.25641265").value());
  EXPECT_EQ(update.funding_rate, Ratio::parse("0.00038167").value());
  EXPECT_EQ(to_ms(update.next_funding_time), 1562306400000);
  EXPECT_EQ(to_ms(update.event_time), 1562305380000);
  WINISWIN_SHARED_FILE(path, "data/ws/nautilus_fixtures_doc_examples/mark_price_stream.json");
  EXPECT_TRUE(std::holds_alternative<std::vector<MarkPriceUpdate>>(parse_market_message(read_text(path.string()), kReceived).value()));
}

TEST(MarketStream, AllMarketMarkPricesKeepOnlyUsdMargined) {
  const std::string coin_m = replaced(replaced(kMarkPrice, R"("st":1)", R"("st":2)"), "BTCUSDT", "BTCUSD_PERP");
  const std::string no_tag = replaced(replaced(kMarkPrice, R"(,"st":1)", ""), "BTCUSDT", "ETHUSDT");
  const std::string all = std::string("[") + kMarkPrice + "," + coin_m + "," + no_tag + "]";
  const MarketMessage message = parse_market_message(std::string(R"({"stream":"!markPrice@arr@1s","data":)") + all + "}", kReceived).value();
  const auto* updates = std::get_if<std::vector<MarkPriceUpdate>>(&message);
  ASSERT_NE(updates, nullptr);
  ASSERT_EQ(updates->size(), 2u);
  EXPECT_EQ((*updates)[0].symbol, "BTCUSDT");
  EXPECT_EQ((*updates)[1].symbol, "ETHUSDT");
  EXPECT_TRUE(std::holds_alternative<SkippedMessage>(parse_market_message("[" + coin_m + "]", kReceived).value()));
  EXPECT_TRUE(fails_naming(parse_market_message("[" + std::string(kMarkPrice) + "," + replaced(kMarkPrice, R"("p":"11794.15000000",)", "") + "]",
                                                kReceived),
                           {"markPriceUpdate[1]: field 'p'"}));
}

TEST(MarketStream, CoinMarginedKlineIsSkipped) {
  const std::string coin_m = replaced(kClosedKline, R"("s":"BTCUSDT",)", R"("s":"BTCUSD_PERP","st":2,)");
  const MarketMessage message = parse_market_message(coin_m, kReceived).value();
  const auto* skipped = std::get_if<SkippedMessage>(&message);
  ASSERT_NE(skipped, nullptr);
  EXPECT_EQ(skipped->reason, "COIN-M symbol");
}

TEST(MarketStream, UnknownEventsAreSkippedNotErrors) {
  WINISWIN_SHARED_FILE(path, "data/ws/nautilus_fixtures_doc_examples/agg_trade_stream.json");
  const MarketMessage message = parse_market_message(read_text(path.string()), kReceived).value();
  const auto* skipped = std::get_if<SkippedMessage>(&message);
  ASSERT_NE(skipped, nullptr);
  EXPECT_EQ(skipped->event_type, "aggTrade");
  EXPECT_EQ(skipped->reason, "not handled");
  EXPECT_TRUE(std::holds_alternative<SkippedMessage>(parse_market_message(R"([{"e":"24hrMiniTicker"}])", kReceived).value()));
  EXPECT_TRUE(std::holds_alternative<SkippedMessage>(parse_market_message("[]", kReceived).value()));
}

TEST(MarketStream, SubscriptionReplies) {
  const MarketMessage accepted = parse_market_message(R"({"result":null,"id":1})", kReceived).value();
  const auto* ok = std::get_if<SubscriptionReply>(&accepted);
  ASSERT_NE(ok, nullptr);
  EXPECT_TRUE(ok->ok);
  EXPECT_EQ(ok->id, "1");
  const MarketMessage refusal = parse_market_message(R"({"code":0,"msg":"Unknown property","id":"a7"})", kReceived).value();
  const auto* refused = std::get_if<SubscriptionReply>(&refusal);
  ASSERT_NE(refused, nullptr);
  EXPECT_FALSE(refused->ok);
  EXPECT_EQ(refused->id, "a7");
  EXPECT_EQ(refused->error, "Unknown property");
  EXPECT_TRUE(fails_naming(parse_market_message(R"({"hello":1})", kReceived), {"neither an event type"}));
  EXPECT_TRUE(fails_naming(parse_market_message("42", kReceived), {"expected a JSON object"}));
}

}  // namespace
}  // namespace winiswin::binance
