#include "risk/account_limits.h"

#include <gtest/gtest.h>

#include "support/instruments.h"

namespace winiswin::risk {
namespace {

Instrument btc() { return testing::btcusdt(); }

OrderIntent intent_for(const char* quantity) {
  OrderIntent intent;
  intent.symbol = "BTCUSDT";
  intent.quantity = Quantity::parse(quantity).value();
  intent.leverage = 10;
  intent.entry = Price::from_units(100'000);
  intent.stop = Price::from_units(99'000);
  intent.notional = notional_of(intent.entry, intent.quantity, Rounding::kUp);
  return intent;
}

TEST(AccountLimits, PassesWhatFits) {
  const AccountExposure account{Notional::from_units(10'000), Notional::from_units(10'000), {}};
  const SizingDecision decision = apply_account_limits(intent_for("0.05"), btc(), account);
  ASSERT_TRUE(decision.intent.has_value());
  EXPECT_EQ(decision.intent->quantity, Quantity::parse("0.05").value());
  EXPECT_EQ(decision.reason, "within account limits");
}

TEST(AccountLimits, ClipsToTheSymbolAndTotalHeadroom) {
  // 1 × equity on one symbol: 10 000 USDT at 100 000 = 0.1 BTC, minus 4 000 already held.
  const std::vector<OpenPosition> held = {{"BTCUSDT", Notional::from_units(4'000)}};
  const AccountExposure account{Notional::from_units(10'000), Notional::from_units(10'000), held};
  const SizingDecision decision = apply_account_limits(intent_for("0.2"), btc(), account);
  ASSERT_TRUE(decision.intent.has_value()) << decision.reason;
  EXPECT_EQ(decision.intent->quantity, Quantity::parse("0.06").value());
  EXPECT_EQ(decision.intent->bound_by, "max symbol exposure");
  EXPECT_EQ(decision.intent->risk_at_stop, Notional::from_units(60));

  const std::vector<OpenPosition> busy = {{"ETHUSDT", Notional::from_units(14'000)}, {"SOLUSDT", Notional::from_units(15'500)}};
  const SizingDecision total = apply_account_limits(intent_for("0.05"), btc(),
                                                    AccountExposure{Notional::from_units(10'000), Notional::from_units(10'000), busy});
  ASSERT_TRUE(total.intent.has_value()) << total.reason;  // 3 × 10 000 − 29 500 = 500 USDT of room
  EXPECT_EQ(total.intent->quantity, Quantity::parse("0.005").value());
  EXPECT_EQ(total.intent->bound_by, "max total exposure");
}

TEST(AccountLimits, RefusalsNameTheLimit) {
  const std::vector<OpenPosition> three = {{"A", Notional::from_units(10)}, {"B", Notional::from_units(10)}, {"C", Notional::from_units(10)}};
  const auto refused = [&](const AccountExposure& account, const char* quantity) {
    const SizingDecision decision = apply_account_limits(intent_for(quantity), btc(), account);
    EXPECT_FALSE(decision.intent.has_value());
    return decision.reason;
  };
  EXPECT_NE(refused(AccountExposure{Notional::from_units(10'000), Notional::from_units(10'000), three}, "0.01")
                .find("max open positions"),
            std::string::npos);
  EXPECT_NE(refused(AccountExposure{Notional::from_units(9'500), Notional::from_units(10'000), {}}, "0.01").find("daily loss limit"),
            std::string::npos);
  const std::vector<OpenPosition> nearly_full = {{"BTCUSDT", Notional::from_units(9'950)}};
  EXPECT_NE(refused(AccountExposure{Notional::from_units(10'000), Notional::from_units(10'000), nearly_full}, "0.01")
                .find("leaves too little"),
            std::string::npos);
}

TEST(AccountLimits, RefusalsCarryTheirRule) {
  const std::vector<OpenPosition> three = {{"A", Notional::from_units(10)}, {"B", Notional::from_units(10)}, {"C", Notional::from_units(10)}};
  const std::vector<OpenPosition> nearly_full = {{"BTCUSDT", Notional::from_units(9'950)}};
  const std::vector<OpenPosition> busy = {{"ETHUSDT", Notional::from_units(15'000)}, {"SOLUSDT", Notional::from_units(15'000)}};
  const Notional ten_thousand = Notional::from_units(10'000);
  const auto refusal = [&](const AccountExposure& account) {
    return apply_account_limits(intent_for("0.01"), btc(), account).refusal;
  };
  EXPECT_EQ(refusal(AccountExposure{ten_thousand, ten_thousand, three}), Refusal::kMaxOpenPositions);
  EXPECT_EQ(refusal(AccountExposure{Notional::from_units(9'500), ten_thousand, {}}), Refusal::kDailyLossLimit);
  EXPECT_EQ(refusal(AccountExposure{ten_thousand, ten_thousand, nearly_full}), Refusal::kMaxSymbolExposure);
  EXPECT_EQ(refusal(AccountExposure{ten_thousand, ten_thousand, busy}), Refusal::kMaxTotalExposure);  // no room left
  EXPECT_EQ(refusal(AccountExposure{ten_thousand, ten_thousand, {}}), Refusal::kNone);
  EXPECT_EQ(name_of(Refusal::kMaxOpenPositions), "max_open_positions");
}

}  // namespace
}  // namespace winiswin::risk
