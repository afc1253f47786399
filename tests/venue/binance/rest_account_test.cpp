#include "venue/binance/rest_account.h"

#include <gtest/gtest.h>

#include "venue/binance/codec_test_support.h"

namespace winiswin::binance {
namespace {

using testing::fails_naming;
using testing::replaced;
using venue::MarginType;

// positionRisk v3 as documented (a crossed long), plus a flat row (left out).
constexpr const char* kPositionRiskV3 =
    R"([{"symbol":"ADAUSDT","positionSide":"BOTH","positionAmt":"30","entryPrice":"0.385","breakEvenPrice":"0.385077",)"
    R"("markPrice":"0.41047590","unRealizedProfit":"0.76427700","liquidationPrice":"0","isolatedMargin":"0",)"
    R"("notional":"12.31427700","marginAsset":"USDT","isolatedWallet":"0","initialMargin":"0.61571385",)"
    R"("maintMargin":"0.08004280","positionInitialMargin":"0.61571385","openOrderInitialMargin":"0","adl":2,)"
    R"("bidNotional":"0","askNotional":"0","updateTime":1720736417660},)"
    R"({"symbol":"BTCUSDT","positionSide":"BOTH","positionAmt":"0.000","entryPrice":"0.0","breakEvenPrice":"0.0",)"
    R"("markPrice":"87000.00000000","unRealizedProfit":"0.00000000","liquidationPrice":"0","isolatedMargin":"0",)"
    R"("notional":"0","marginAsset":"USDT","isolatedWallet":"0","initialMargin":"0","maintMargin":"0",)"
    R"("positionInitialMargin":"0","openOrderInitialMargin":"1.5","adl":0,"bidNotional":"30","askNotional":"0","updateTime":0}])";

// positionRisk v2 (an isolated short at 10x; entry price with more than 8 decimals).
constexpr const char* kPositionRiskV2 =
    R"([{"entryPrice":"6679.506711783333","breakEvenPrice":"6680.1","marginType":"isolated","isAutoAddMargin":"false",)"
    R"("isolatedMargin":"66.91000000","leverage":"10","liquidationPrice":"7301.42","markPrice":"6679.50671178",)"
    R"("maxNotionalValue":"20000000","positionAmt":"-0.100","notional":"-667.95067117","isolatedWallet":"66.79506711",)"
    R"("symbol":"BTCUSDT","unRealizedProfit":"0.00000000","positionSide":"BOTH","updateTime":1720736417660}])";

TEST(RestAccount, PositionRiskV3CrossedLong) {
  const auto positions = parse_position_risk(kPositionRiskV3).value();
  ASSERT_EQ(positions.size(), 1u);  // the flat BTCUSDT row is left out
  const venue::PositionReport& ada = positions[0];
  EXPECT_EQ(ada.symbol, "ADAUSDT");
  EXPECT_EQ(ada.quantity, Quantity::from_units(30));
  EXPECT_EQ(ada.entry_price, Price::parse("0.385").value());
  EXPECT_EQ(ada.mark_price, Price::parse("0.4104759").value());
  EXPECT_EQ(ada.liquidation_price, Price{});
  EXPECT_EQ(ada.unrealized_pnl, Notional::parse("0.764277").value());
  EXPECT_EQ(ada.leverage, 0);  // v3 does not say
  EXPECT_EQ(ada.margin_type, MarginType::kCrossed);
  EXPECT_EQ(ada.margin, Notional::parse("0.61571385").value());
}

TEST(RestAccount, PositionRiskV2IsolatedShort) {
  const auto positions = parse_position_risk(kPositionRiskV2).value();
  ASSERT_EQ(positions.size(), 1u);
  const venue::PositionReport& btc = positions[0];
  EXPECT_EQ(btc.quantity, Quantity::parse("-0.1").value());
  EXPECT_EQ(btc.entry_price, Price::parse("6679.50671178").value());  // …783333 to the nearest 1e-8
  EXPECT_EQ(btc.liquidation_price, Price::parse("7301.42").value());
  EXPECT_EQ(btc.leverage, 10);
  EXPECT_EQ(btc.margin_type, MarginType::kIsolated);
  EXPECT_EQ(btc.margin, Notional::parse("66.79506711").value());
}

TEST(RestAccount, PositionRiskV2CrossedMarginIsNotionalOverLeverage) {
  std::string crossed = replaced(kPositionRiskV2, R"("marginType":"isolated")", R"("marginType":"cross")");
  crossed = replaced(crossed, R"("isolatedWallet":"66.79506711")", R"("isolatedWallet":"0")");
  const venue::PositionReport position = parse_position_risk(crossed).value().at(0);
  EXPECT_EQ(position.margin_type, MarginType::kCrossed);
  EXPECT_EQ(position.margin, Notional::parse("66.79506712").value());  // 667.95067117 / 10, rounded up
}

TEST(RestAccount, RoundingOfComputedValuesIsToTheNearest) {
  EXPECT_EQ(parse_position_risk(replaced(kPositionRiskV2, "6679.506711783333", "6679.506711785")).value()[0].entry_price,
            Price::parse("6679.50671179").value());
  EXPECT_EQ(parse_position_risk(replaced(kPositionRiskV2, R"("unRealizedProfit":"0.00000000")", R"("unRealizedProfit":"-1.000000005")"))
                .value()[0]
                .unrealized_pnl,
            Notional::parse("-1.00000001").value());
}

TEST(RestAccount, PositionRiskErrors) {
  EXPECT_TRUE(fails_naming(parse_position_risk(replaced(kPositionRiskV2, R"("positionAmt":"-0.100")", R"("positionAmt":-0.1)")),
                           {"positionRisk[0]", "'positionAmt' is missing or not a decimal string"}));
  EXPECT_TRUE(fails_naming(parse_position_risk(replaced(kPositionRiskV2, R"("leverage":"10")", R"("leverage":"ten")")),
                           {"positionRisk[0]", "'leverage'", "'ten' is not a leverage"}));
  EXPECT_TRUE(fails_naming(parse_position_risk(replaced(kPositionRiskV2, R"("marginType":"isolated")", R"("marginType":"portfolio")")),
                           {"'marginType'", "'portfolio'"}));
  EXPECT_TRUE(fails_naming(parse_position_risk(R"({"symbol":"BTCUSDT"})"), {"positionRisk: expected a JSON array"}));
  EXPECT_TRUE(parse_position_risk("[]").value().empty());
}

TEST(RestAccount, BalanceOfTheMarginAsset) {
  const std::string balances =
      R"([{"accountAlias":"SgsR","asset":"BNB","balance":"1.5","crossWalletBalance":"1.5","crossUnPnl":"0",)"
      R"("availableBalance":"1.5","maxWithdrawAmount":"1.5","marginAvailable":true,"updateTime":1617939110373},)"
      R"({"accountAlias":"SgsR","asset":"USDT","balance":"122607.35137903","crossWalletBalance":"23.72469206",)"
      R"("crossUnPnl":"0.00000000","availableBalance":"23.72469206","maxWithdrawAmount":"23.72469206",)"
      R"("marginAvailable":true,"updateTime":1617939110373}])";
  const venue::BalanceReport usdt = parse_balance(balances).value();
  EXPECT_EQ(usdt.wallet_balance, Notional::parse("122607.35137903").value());
  EXPECT_EQ(usdt.available_balance, Notional::parse("23.72469206").value());
  EXPECT_EQ(parse_balance(balances, "BNB").value().wallet_balance, Notional::parse("1.5").value());
  const auto missing = parse_balance(balances, "USDC");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(fails_naming(parse_balance(replaced(balances, R"("balance":"122607.35137903")", R"("balance":null)")),
                           {"balance[1]", "'balance' is missing or not a decimal string"}));
}

TEST(RestAccount, AccountBalance) {
  const std::string account =
      R"({"totalWalletBalance":"103.12345678","availableBalance":"103.12345678","assets":[{"asset":"USDT",)"
      R"("walletBalance":"23.72469206","unrealizedProfit":"0.00000000","marginBalance":"23.72469206","maintMargin":"0",)"
      R"("initialMargin":"0","availableBalance":"20.5","maxWithdrawAmount":"20.5","updateTime":1625474304765}],"positions":[]})";
  const venue::BalanceReport balance = parse_account_balance(account).value();
  EXPECT_EQ(balance.wallet_balance, Notional::parse("23.72469206").value());
  EXPECT_EQ(balance.available_balance, Notional::parse("20.5").value());
  EXPECT_TRUE(fails_naming(parse_account_balance(R"({"assets":{}})"), {"account: field 'assets' is missing or not an array"}));
}

TEST(RestAccount, ListenKey) {
  const std::string key = "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1";
  EXPECT_EQ(parse_listen_key(R"({"listenKey":")" + key + R"("})").value(), key);
  EXPECT_TRUE(fails_naming(parse_listen_key("{}"), {"listenKey: field 'listenKey' is missing"}));
  EXPECT_TRUE(fails_naming(parse_listen_key(R"({"listenKey":""})"), {"is empty"}));
  EXPECT_EQ(parse_listen_key_keepalive(R"({"listenKey":")" + key + R"("})").value(), std::optional<std::string>{key});
  EXPECT_EQ(parse_listen_key_keepalive("{}").value(), std::nullopt);
}

TEST(RestAccount, Leverage) {
  const LeverageSetting setting = parse_leverage(R"({"leverage": 21, "maxNotionalValue": "1000000", "symbol": "BTCUSDT"})").value();
  EXPECT_EQ(setting.symbol, "BTCUSDT");
  EXPECT_EQ(setting.leverage, 21);
  EXPECT_EQ(setting.max_notional, Notional::from_units(1000000));
  EXPECT_EQ(parse_leverage(R"({"leverage":1,"maxNotionalValue":"9223372036854775807","symbol":"X"})").value().max_notional.raw(),
            INT64_MAX);
  EXPECT_TRUE(fails_naming(parse_leverage(R"({"leverage":200,"maxNotionalValue":"1","symbol":"X"})"), {"'leverage'", "outside 1..125"}));
  EXPECT_TRUE(fails_naming(parse_leverage(R"({"leverage":2,"maxNotionalValue":"x","symbol":"X"})"), {"'maxNotionalValue'"}));
}

}  // namespace
}  // namespace winiswin::binance
