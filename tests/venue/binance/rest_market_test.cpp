#include "venue/binance/rest_market.h"

#include <gtest/gtest.h>

#include "support/shared_data.h"
#include "venue/binance/codec_test_support.h"

namespace winiswin::binance {
namespace {

using testing::fails_naming;
using testing::read_text;
using testing::replaced;

constexpr const char* kKlines =
    R"([[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",1499644799999,)"
    R"("2434.19055334",308,"1756.87402397","28.46694368","17928899.62484339"],)"
    R"([1499644800000,"0.01577100","0.01577100","0.01577100","0.01577100","0",1500249599999,"0",0,"0","0","0"]])";

TEST(RestMarket, ServerTime) {
  EXPECT_EQ(to_ms(parse_server_time(R"({"serverTime": 1499827319559})").value()), 1499827319559);
  EXPECT_TRUE(fails_naming(parse_server_time(R"({"serverTime": "1499827319559"})"), {"time", "serverTime"}));
  EXPECT_TRUE(fails_naming(parse_server_time(R"({"serverTime": 14998)"), {"malformed JSON"}));
  EXPECT_TRUE(fails_naming(parse_server_time("[]"), {"expected a JSON object"}));
}

TEST(RestMarket, KlinesParseEveryColumnExactly) {
  const std::vector<Kline> klines = parse_klines(kKlines).value();
  ASSERT_EQ(klines.size(), 2u);
  const Kline& first = klines[0];
  EXPECT_EQ(to_ms(first.open_time), 1499040000000);
  EXPECT_EQ(first.open, Price::parse("0.0163479").value());
  EXPECT_EQ(first.high, Price::parse("0.8").value());
  EXPECT_EQ(first.low, Price::parse("0.015758").value());
  EXPECT_EQ(first.close, Price::parse("0.015771").value());
  EXPECT_EQ(first.volume, Quantity::parse("148976.11427815").value());
  EXPECT_EQ(to_ms(first.close_time), 1499644799999);
  EXPECT_EQ(first.quote_volume, Notional::parse("2434.19055334").value());
  EXPECT_EQ(first.trades, 308);
  EXPECT_EQ(first.taker_buy_volume, Quantity::parse("1756.87402397").value());
  EXPECT_EQ(first.taker_buy_quote_volume, Notional::parse("28.46694368").value());
  EXPECT_EQ(klines[1].trades, 0);
  EXPECT_TRUE(parse_klines("[]").value().empty());
}

TEST(RestMarket, KlinesSharedFixturesParse) {
  WINISWIN_SHARED_FILE(path, "data/rest/nautilus_fixtures_doc_examples/http_futures_market_klines.json");
  EXPECT_EQ(parse_klines(read_text(path.string())).value().size(), 1u);
  WINISWIN_SHARED_FILE(mark, "data/rest/nautilus_fixtures_doc_examples/http_futures_market_mark_price_klines.json");
  EXPECT_EQ(parse_klines(read_text(mark.string())).value().at(0).close, Price::parse("9653.07367333").value());
}

TEST(RestMarket, KlineErrorsNameRowAndColumn) {
  const std::string klines = kKlines;
  EXPECT_TRUE(fails_naming(parse_klines(replaced(klines, R"("0.80000000")", "0.8")), {"klines[0][2] (high)", "decimal string"}));
  EXPECT_TRUE(fails_naming(parse_klines(replaced(klines, "308", R"("308")")), {"klines[0][8] (trades)"}));
  EXPECT_TRUE(fails_naming(parse_klines(replaced(klines, R"("0.01634790")", R"("0.016347901")")),
                           {"klines[0][1] (open)", "more than 8 decimals"}));
  EXPECT_TRUE(fails_naming(parse_klines(R"([[1,"1","1","1","1","1",2,"1",3,"1"]])"), {"klines[0]", "10 columns"}));
  EXPECT_TRUE(fails_naming(parse_klines(R"([{"t":1}])"), {"klines[0]: expected an array"}));
  EXPECT_TRUE(fails_naming(parse_klines(R"({"code":-1121,"msg":"Invalid symbol."})"), {"expected a JSON array"}));
  // Rows must come oldest first, each once.
  const std::string row = R"([1,"1","1","1","1","1",2,"1",3,"1","1","0"])";
  EXPECT_TRUE(fails_naming(parse_klines("[" + row + "," + row + "]"), {"klines[1]", "not after"}));
}

constexpr const char* kPremiumIndex =
    R"({"symbol":"BTCUSDT","markPrice":"11793.63104562","indexPrice":"11781.80495970",)"
    R"("estimatedSettlePrice":"11781.16138815","lastFundingRate":"0.00038246","interestRate":"0.00010000",)"
    R"("nextFundingTime":1597392000000,"time":1597370495002})";

TEST(RestMarket, PremiumIndexOneSymbolOrAll) {
  const std::vector<PremiumIndex> one = parse_premium_index(kPremiumIndex).value();
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].symbol, "BTCUSDT");
  EXPECT_EQ(one[0].mark_price, Price::parse("11793.63104562").value());
  EXPECT_EQ(one[0].index_price, Price::parse("11781.8049597").value());
  EXPECT_EQ(one[0].estimated_settle_price, Price::parse("11781.16138815").value());
  EXPECT_EQ(one[0].last_funding_rate, Ratio::parse("0.00038246").value());
  EXPECT_EQ(one[0].interest_rate, Ratio::parse("0.0001").value());
  EXPECT_EQ(to_ms(one[0].next_funding_time), 1597392000000);
  EXPECT_EQ(to_ms(one[0].time), 1597370495002);
  const std::string all = std::string("[") + kPremiumIndex + "," + replaced(kPremiumIndex, "BTCUSDT", "ETHUSDT") + "]";
  const std::vector<PremiumIndex> both = parse_premium_index(all).value();
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1].symbol, "ETHUSDT");
  EXPECT_TRUE(fails_naming(parse_premium_index(std::string("[") + kPremiumIndex + "," +
                                               replaced(kPremiumIndex, R"("lastFundingRate":"0.00038246",)", "") + "]"),
                           {"premiumIndex[1]", "'lastFundingRate' is missing or not a decimal string"}));
  WINISWIN_SHARED_FILE(path, "data/rest/nautilus_fixtures_doc_examples/http_futures_market_premium_index.json");
  EXPECT_EQ(parse_premium_index(read_text(path.string())).value().at(0).mark_price, one[0].mark_price);
}

constexpr const char* kTicker =
    R"({"symbol":"BTCUSDT","priceChange":"-94.99999800","priceChangePercent":"-95.960","weightedAvgPrice":"0.29628482",)"
    R"("lastPrice":"4.00000200","lastQty":"200.00000000","openPrice":"99.00000000","highPrice":"100.00000000",)"
    R"("lowPrice":"0.10000000","volume":"8913.30000000","quoteVolume":"15.30000000","openTime":1499783499040,)"
    R"("closeTime":1499869899040,"firstId":28385,"lastId":28460,"count":76})";

TEST(RestMarket, Ticker24h) {
  const std::vector<Ticker24h> tickers = parse_ticker_24h(std::string("[") + kTicker + "]").value();
  ASSERT_EQ(tickers.size(), 1u);
  const Ticker24h& ticker = tickers[0];
  EXPECT_EQ(ticker.symbol, "BTCUSDT");
  EXPECT_EQ(ticker.price_change, Price::parse("-94.999998").value());
  EXPECT_EQ(ticker.price_change_percent, Ratio::parse("-95.96").value());
  EXPECT_EQ(ticker.weighted_average_price, Price::parse("0.29628482").value());
  EXPECT_EQ(ticker.last_price, Price::parse("4.000002").value());
  EXPECT_EQ(ticker.last_quantity, Quantity::from_units(200));
  EXPECT_EQ(ticker.open_price, Price::from_units(99));
  EXPECT_EQ(ticker.high_price, Price::from_units(100));
  EXPECT_EQ(ticker.low_price, Price::parse("0.1").value());
  EXPECT_EQ(ticker.volume, Quantity::parse("8913.3").value());
  EXPECT_EQ(ticker.quote_volume, Notional::parse("15.3").value());
  EXPECT_EQ(to_ms(ticker.open_time), 1499783499040);
  EXPECT_EQ(to_ms(ticker.close_time), 1499869899040);
  EXPECT_EQ(ticker.trades, 76);
  EXPECT_TRUE(fails_naming(parse_ticker_24h(replaced(kTicker, R"("quoteVolume":"15.30000000")", R"("quoteVolume":15.3)")),
                           {"ticker/24hr", "'quoteVolume' is missing or not a decimal string"}));
  WINISWIN_SHARED_FILE(path, "data/rest/nautilus_fixtures_doc_examples/http_futures_market_ticker_24hr.json");
  EXPECT_EQ(parse_ticker_24h(read_text(path.string())).value().at(0).quote_volume, ticker.quote_volume);
}

TEST(RestMarket, FundingInfoAndHistory) {
  const auto info = parse_funding_info(
                        R"([{"symbol":"BLZUSDT","adjustedFundingRateCap":"0.02500000","adjustedFundingRateFloor":"-0.02500000",)"
                        R"("fundingIntervalHours":8,"disclaimer":false},{"symbol":"XAUUSDT","adjustedFundingRateCap":"0.005",)"
                        R"("adjustedFundingRateFloor":"-0.005","fundingIntervalHours":4}])")
                        .value();
  ASSERT_EQ(info.size(), 2u);
  EXPECT_EQ(info[0].adjusted_cap, Ratio::parse("0.025").value());
  EXPECT_EQ(info[0].adjusted_floor, Ratio::parse("-0.025").value());
  EXPECT_EQ(info[1].interval_hours, 4);
  EXPECT_TRUE(fails_naming(parse_funding_info(R"([{"symbol":"X","adjustedFundingRateCap":"0.1","adjustedFundingRateFloor":"-0.1",)"
                                              R"("fundingIntervalHours":0}])"),
                           {"fundingInfo[0]", "fundingIntervalHours", "outside"}));
  const auto rates = parse_funding_rates(R"([{"symbol":"BTCUSDT","fundingRate":"-0.03750000","fundingTime":1570608000000,)"
                                         R"("markPrice":"34287.54619963","rateType":"Regular"}])")
                         .value();
  ASSERT_EQ(rates.size(), 1u);
  EXPECT_EQ(rates[0].funding_rate, Ratio::parse("-0.0375").value());
  EXPECT_EQ(rates[0].mark_price, Price::parse("34287.54619963").value());
  WINISWIN_SHARED_FILE(path, "data/rest/nautilus_fixtures_doc_examples/http_futures_market_funding_rate.json");
  const auto shared = parse_funding_rates(read_text(path.string())).value();
  ASSERT_EQ(shared.size(), 2u);
  EXPECT_EQ(shared[1].mark_price, Price{});  // absent in older records
  EXPECT_EQ(to_ms(shared[1].funding_time), 1570636800000);
}

}  // namespace
}  // namespace winiswin::binance
