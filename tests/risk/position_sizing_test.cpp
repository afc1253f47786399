#include "risk/position_sizing.h"

#include <gtest/gtest.h>

#include "support/instruments.h"

#include <random>

#include "data/synthetic_market.h"

namespace winiswin::risk {
namespace {

using testing::N;
using testing::P;
using testing::Q;

Instrument eth() { return testing::ethusdt(); }

// ETHUSDT's first brackets (shape of GET /fapi/v1/leverageBracket).
const std::vector<LeverageBracket> kBrackets = {
    {125, N("0"), N("50000"), 0.004, N("0")},
    {100, N("50000"), N("600000"), 0.005, N("50")},
    {75, N("600000"), N("3000000"), 0.0065, N("950")},
    {50, N("3000000"), N("12000000"), 0.01, N("11450")},
};

TEST(Sizing, FractionFollowsConfidenceWithinItsClamps) {
  const SizingConfig config;
  EXPECT_DOUBLE_EQ(size_fraction(0.7, config), 0.03);
  EXPECT_DOUBLE_EQ(size_fraction(1.0, config), 0.13);
  EXPECT_NEAR(size_fraction(0.85, config), 0.08, 1e-15);
  EXPECT_DOUBLE_EQ(size_fraction(0.35, config), 0.03);  // below the pivot: the floor
  EXPECT_DOUBLE_EQ(size_fraction(1.5, config), 0.13);
}

TEST(Sizing, LeverageModesAndTheVolatilityBreaker) {
  SizingConfig config;
  SizingRequest request;
  request.confidence = 0.0;
  EXPECT_EQ(leverage_for(request, config), 3);
  request.confidence = 1.0;
  EXPECT_EQ(leverage_for(request, config), 20);
  request.confidence = 0.5;
  EXPECT_EQ(leverage_for(request, config), 11);  // 11.5 floored
  request.atr = 2.1;
  request.normal_atr = 1.0;
  EXPECT_EQ(leverage_for(request, config), 5);
  request.atr = 2.0;  // exactly 2×: not above
  EXPECT_EQ(leverage_for(request, config), 11);

  config.leverage_mode = LeverageMode::kWinRate;
  request.win_rate = 0.5;
  EXPECT_EQ(leverage_for(request, config), 3);
  request.win_rate = 0.6;
  EXPECT_EQ(leverage_for(request, config), 11);
  request.win_rate = 0.9;
  EXPECT_EQ(leverage_for(request, config), 20);
  request.win_rate = 0.3;
  EXPECT_EQ(leverage_for(request, config), 3);
}

TEST(Sizing, BracketCapIsTheHighestBracketAllowingTheLeverage) {
  EXPECT_EQ(max_notional_at(kBrackets, 20).value(), N("12000000"));
  EXPECT_EQ(max_notional_at(kBrackets, 80).value(), N("600000"));
  EXPECT_EQ(max_notional_at(kBrackets, 125).value(), N("50000"));
  EXPECT_FALSE(max_notional_at(kBrackets, 126).has_value());
  EXPECT_FALSE(max_notional_at({}, 5).has_value());
}

SizingRequest long_eth(const Instrument& instrument, const char* entry, const char* stop, double confidence) {
  SizingRequest request;
  request.instrument = &instrument;
  request.side = Side::kBuy;
  request.confidence = confidence;
  request.entry = P(entry);
  request.stop = P(stop);
  return request;
}

TEST(Sizing, ASizedLongWithItsNumbers) {
  const Instrument instrument = eth();
  const AccountSnapshot account{Notional::from_units(10'000), Notional::from_units(10'000), TradingState::kNormal};
  // confidence 0.85: 8 % margin, leverage floor(3 + 17·0.85) = 17 → 13 600 USDT at 4000 = 3.4 ETH;
  // the stop 100 below risks 340 USDT > 200 (2 %) → the loss cap binds: 2 ETH.
  const SizingDecision decision = size_position(long_eth(instrument, "4000", "3900", 0.85), account, kBrackets);
  ASSERT_TRUE(decision.intent.has_value()) << decision.reason;
  const OrderIntent& intent = *decision.intent;
  EXPECT_EQ(intent.leverage, 17);
  EXPECT_EQ(intent.quantity, Q("2"));
  EXPECT_EQ(intent.bound_by, "loss at stop");
  EXPECT_EQ(intent.risk_at_stop, Notional::from_units(200));
  EXPECT_EQ(intent.notional, Notional::from_units(8'000));
  // A stop four times farther cannot risk more: the quantity shrinks with it.
  const SizingDecision far = size_position(long_eth(instrument, "4000", "3600", 0.85), account, kBrackets);
  EXPECT_EQ(far.intent->quantity, Q("0.5"));
  // A close stop: the size fraction binds.
  const SizingDecision near = size_position(long_eth(instrument, "4000", "3990", 0.85), account, kBrackets);
  EXPECT_EQ(near.intent->quantity, Q("3.4"));
  EXPECT_EQ(near.intent->bound_by, "size fraction");
}

TEST(Sizing, ShortsMirrorLongs) {
  const Instrument instrument = eth();
  const AccountSnapshot account{Notional::from_units(10'000), Notional::from_units(10'000), TradingState::kNormal};
  for (const auto& [entry, stop] : {std::pair{"4000", "3900"}, std::pair{"4000", "3990"}, std::pair{"4000", "3600"}}) {
    SizingRequest shorted = long_eth(instrument, entry, stop, 0.8);
    shorted.side = Side::kSell;
    shorted.stop = shorted.entry + (shorted.entry - shorted.stop);  // the stop mirrored above
    const auto long_decision = size_position(long_eth(instrument, entry, stop, 0.8), account, kBrackets);
    const auto short_decision = size_position(shorted, account, kBrackets);
    ASSERT_TRUE(long_decision.intent && short_decision.intent);
    EXPECT_EQ(long_decision.intent->quantity, short_decision.intent->quantity) << stop;
    EXPECT_EQ(long_decision.intent->risk_at_stop, short_decision.intent->risk_at_stop);
  }
}

TEST(Sizing, EveryNoTradeHasAReason) {
  const Instrument instrument = eth();
  const AccountSnapshot account{Notional::from_units(10'000), Notional::from_units(10'000), TradingState::kNormal};
  const auto reason = [&](const SizingRequest& request, const AccountSnapshot& snapshot) {
    const SizingDecision decision = size_position(request, snapshot, kBrackets);
    EXPECT_FALSE(decision.intent.has_value());
    return decision.reason;
  };
  EXPECT_NE(reason(long_eth(instrument, "4000", "4000", 0.8), account).find("stop equals entry"), std::string::npos);
  EXPECT_NE(reason(long_eth(instrument, "4000", "4100", 0.8), account).find("wrong side"), std::string::npos);
  EXPECT_NE(reason(long_eth(instrument, "4000", "3900", 1.2), account).find("outside [0, 1]"), std::string::npos);
  EXPECT_NE(reason(long_eth(instrument, "4000", "3900", 0.8), AccountSnapshot{Notional::from_units(10'000),
                                                                              Notional::from_units(10'000),
                                                                              TradingState::kShutdown})
                .find("SHUTDOWN"),
            std::string::npos);
  // 10 USDT of equity: 2 % risks 0.2 USDT → 0.002 ETH = 8 USDT, under MIN_NOTIONAL 20.
  const std::string small = reason(long_eth(instrument, "4000", "3900", 0.8),
                                   AccountSnapshot{Notional::from_units(10), Notional::from_units(10), TradingState::kNormal});
  EXPECT_NE(small.find("MIN_NOTIONAL"), std::string::npos) << small;
  const std::string no_margin = reason(long_eth(instrument, "4000", "3900", 0.8),
                                       AccountSnapshot{Notional::from_units(10'000), Notional{}, TradingState::kNormal});
  EXPECT_NE(no_margin.find("available margin"), std::string::npos) << no_margin;
}

TEST(Sizing, StateMultiplierShrinksTheFraction) {
  const Instrument instrument = eth();
  const auto sized = [&](TradingState state) {
    return size_position(long_eth(instrument, "4000", "3990", 0.85),
                         AccountSnapshot{Notional::from_units(10'000), Notional::from_units(10'000), state}, kBrackets)
        .intent->quantity;
  };
  EXPECT_EQ(sized(TradingState::kNormal), Q("3.4"));
  EXPECT_EQ(sized(TradingState::kCautious), Q("2.38"));   // × 0.7
  EXPECT_EQ(sized(TradingState::kRiskAverse), Q("1.7"));  // × 0.5
}

// On many random states: every intent passes the instrument's filters, never risks more
// than the cap, and never needs more margin than is available.
TEST(Sizing, PropertyEveryIntentIsValidAndWithinTheRiskCap) {
  SyntheticMarketConfig market_config;
  market_config.symbols = 60;
  market_config.days = 1;
  const SyntheticMarket market(market_config);
  std::mt19937_64 random(2026);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const SizingConfig config;
  int intents = 0, refusals = 0;
  for (int trial = 0; trial < 20'000; ++trial) {
    const Instrument& instrument = market.instruments()[random() % market.instruments().size()];
    const double level = instrument.price_filter.max_price.to_double() / 100.0 * (0.5 + unit(random));
    SizingRequest request;
    request.instrument = &instrument;
    request.side = unit(random) < 0.5 ? Side::kBuy : Side::kSell;
    request.confidence = unit(random);
    request.entry = instrument.round_price_down(Price::from_double(level).value());
    const double distance = level * (0.0005 + 0.1 * unit(random));
    request.stop = request.side == Side::kBuy ? instrument.round_price_down(Price::from_double(level - distance).value())
                                              : instrument.round_price_up(Price::from_double(level + distance).value());
    request.atr = distance * unit(random);
    request.normal_atr = distance * 0.5;
    const double equity = std::exp(std::log(20.0) + unit(random) * std::log(1e6 / 20.0));
    const AccountSnapshot account{Notional::from_double(equity).value(), Notional::from_double(equity * unit(random)).value(),
                                  static_cast<TradingState>(random() % 3)};
    const SizingDecision decision = size_position(request, account, kBrackets, config);
    if (!decision.intent) {
      ++refusals;
      ASSERT_FALSE(decision.reason.empty());
      continue;
    }
    ++intents;
    const OrderIntent& intent = *decision.intent;
    ASSERT_TRUE(instrument.check_quantity(intent.quantity, OrderKind::kMarket).accepted()) << instrument.symbol;
    ASSERT_TRUE(instrument.check_min_notional(intent.entry, intent.quantity).accepted());
    ASSERT_TRUE(instrument.check_price(intent.entry).accepted());
    ASSERT_GE(intent.leverage, 3);
    ASSERT_LE(intent.leverage, 20);
    // Exact: quantity × |entry − stop| ≤ 2 % of equity.
    const Notional cap = Notional::from_raw(static_cast<std::int64_t>(
        std::floor(config.max_loss_fraction * account.equity.to_double() * static_cast<double>(kFixedScale))));
    ASSERT_LE(intent.risk_at_stop, cap) << instrument.symbol << " trial " << trial;
    ASSERT_LE(intent.margin.to_double(), account.available_margin.to_double() * (1 + 1e-9) + 1e-8);
  }
  EXPECT_GT(intents, 5'000);
  EXPECT_GT(refusals, 100);
}

}  // namespace
}  // namespace winiswin::risk
