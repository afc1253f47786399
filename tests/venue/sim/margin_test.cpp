#include "venue/sim/margin.h"

#include <gtest/gtest.h>

#include <vector>

namespace winiswin::sim {
namespace {

Notional N(const char* text) { return Notional::parse(text).value(); }

// BTCUSDT's first brackets as in the capture.
const std::vector<LeverageBracket> kBtc = {
    {125, N("0"), N("50000"), 0.004, N("0")},
    {100, N("50000"), N("600000"), 0.005, N("50")},
    {75, N("600000"), N("3000000"), 0.0065, N("950")},
};

TEST(Margin, MaintenanceMarginUsesTheBracketOfTheNotional) {
  EXPECT_DOUBLE_EQ(maintenance_margin(kBtc, 40'000), 160.0);         // 40 000 · 0.4 %
  EXPECT_DOUBLE_EQ(maintenance_margin(kBtc, 100'000), 450.0);        // 100 000 · 0.5 % − 50
  EXPECT_DOUBLE_EQ(maintenance_margin(kBtc, 1'000'000), 5'550.0);    // · 0.65 % − 950
  EXPECT_DOUBLE_EQ(maintenance_margin(kBtc, 50'000), 200.0);         // the floor belongs to bracket 2
}

// Hand computations from the bracket table (Binance FAQ formula, isolated one-way).
TEST(Margin, LiquidationPriceMatchesTheHandComputation) {
  // 1 BTC long at 100 000 with 10 000 isolated: bracket 2 → (100 000 − 10 000 − 50) / 0.995.
  EXPECT_NEAR(liquidation_price(kBtc, Side::kBuy, 1.0, 100'000, 10'000).value(), 89'950.0 / 0.995, 1e-6);
  // The short mirror: (100 000 + 10 000 + 50) / 1.005.
  EXPECT_NEAR(liquidation_price(kBtc, Side::kSell, 1.0, 100'000, 10'000).value(), 110'050.0 / 1.005, 1e-6);
  // 0.6 BTC at 2x: bracket 2 gives LP 50 167.5, where the notional (30 100) is bracket 1's:
  // recomputed with bracket 1, (60 000 − 30 000) / (0.6 · 0.996).
  EXPECT_NEAR(liquidation_price(kBtc, Side::kBuy, 0.6, 100'000, 30'000).value(), 30'000.0 / (0.6 * 0.996), 1e-6);
  // A long fully paid for cannot be liquidated.
  EXPECT_FALSE(liquidation_price(kBtc, Side::kBuy, 0.1, 100'000, 10'000).has_value());
  EXPECT_FALSE(liquidation_price({}, Side::kBuy, 1.0, 100'000, 10'000).has_value());
}

TEST(Margin, FeesRoundUpAndFundingFlowsFromPayerToReceiver) {
  const Ratio taker = Ratio::parse("0.0005").value();
  EXPECT_EQ(trading_fee(N("10000"), taker), N("5"));
  EXPECT_EQ(trading_fee(N("0.00000001"), taker), N("0.00000001"));  // a fraction of a unit still costs one
  EXPECT_EQ(trading_fee(N("123.45678901"), Ratio::parse("0.0002").value()), N("0.02469136"));  // 0.024691357802 ↑
  const Ratio rate = Ratio::parse("0.0001").value();
  const Quantity one = Quantity::from_units(1);
  const Price mark = Price::from_units(100'000);
  EXPECT_EQ(funding_cost(Side::kBuy, one, mark, rate), N("10"));    // longs pay …
  EXPECT_EQ(funding_cost(Side::kSell, one, mark, rate), N("-10"));  // … shorts receive
  const Ratio negative = Ratio::parse("-0.00000231").value();        // the first BTC rate of the capture
  EXPECT_EQ(funding_cost(Side::kBuy, one, mark, negative), N("-0.231"));
  EXPECT_EQ(funding_cost(Side::kSell, Quantity::parse("0.003").value(), Price::parse("117043.4").value(), negative),
            N("0.00081112"));  // 351.1302 · 0.00000231 = 0.000811110762 → the payer rounds up
}

}  // namespace
}  // namespace winiswin::sim
