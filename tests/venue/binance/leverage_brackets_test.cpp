#include "venue/binance/leverage_brackets.h"

#include <gtest/gtest.h>

#include "support/shared_data.h"

namespace winiswin::binance {
namespace {

TEST(LeverageBrackets, ParsesTheCcxtFormCapture) {
  WINISWIN_SHARED_FILE(path, "data/rest/freqtrade_binance_leverage_tiers_2024-10.json.gz");
  const BracketTable table = load_leverage_brackets(path.string()).value();
  ASSERT_TRUE(table.count("BTCUSDT"));
  const auto& btc = table.at("BTCUSDT");
  ASSERT_GE(btc.size(), 5u);
  EXPECT_EQ(btc[0].initial_leverage, 125);
  EXPECT_EQ(btc[0].notional_cap, Notional::from_units(50'000));
  EXPECT_DOUBLE_EQ(btc[0].maint_margin_ratio, 0.004);
  EXPECT_EQ(btc[1].cum, Notional::from_units(50));
  EXPECT_EQ(btc[1].notional_floor, Notional::from_units(50'000));
  for (std::size_t idx = 1; idx < btc.size(); ++idx) {
    EXPECT_EQ(btc[idx].notional_floor, btc[idx - 1].notional_cap);  // contiguous
    EXPECT_LE(btc[idx].initial_leverage, btc[idx - 1].initial_leverage);
  }
  for (const auto& [symbol, brackets] : table) EXPECT_EQ(symbol.find('-'), std::string::npos) << symbol;
  EXPECT_GT(table.size(), 300u);
}

TEST(LeverageBrackets, ParsesBinancesOwnResponseAndNamesBadFields) {
  const auto table = parse_leverage_brackets(
      R"([{"symbol":"ETHUSDT","brackets":[{"bracket":1,"initialLeverage":75,"notionalCap":10000,"notionalFloor":0,"maintMarginRatio":0.0065,"cum":0}]}])",
      "response");
  ASSERT_TRUE(table.ok()) << table.error().message;
  EXPECT_EQ(table->at("ETHUSDT")[0].initial_leverage, 75);
  EXPECT_EQ(table->at("ETHUSDT")[0].notional_cap, Notional::from_units(10'000));
  const auto missing = parse_leverage_brackets(R"([{"symbol":"X","brackets":[{"initialLeverage":5}]}])", "bad.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("bad.json: X: field 'notionalCap' is missing"), std::string::npos) << missing.error().message;
  EXPECT_FALSE(parse_leverage_brackets("[{", "broken.json").ok());
}

}  // namespace
}  // namespace winiswin::binance
