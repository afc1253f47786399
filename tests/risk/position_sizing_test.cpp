#include "risk/position_sizing.h"

#include <gtest/gtest.h>

#include "support/instruments.h"

#include <cmath>
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

// A model's size scale multiplies the quantity the rules size — whichever bound set it —
// before step rounding; min notional still applies after it, and 1 changes nothing.
TEST(Sizing, ASizeScaleMultipliesTheSizedQuantityBeforeStepRounding) {
  const Instrument instrument = eth();
  const AccountSnapshot account{Notional::from_units(10'000), Notional::from_units(10'000), TradingState::kNormal};
  const auto sized = [&](const char* stop, double scale) {
    SizingRequest request = long_eth(instrument, "4000", stop, 0.85);
    request.size_scale = scale;
    return size_position(request, account, kBrackets);
  };
  EXPECT_EQ(sized("3900", 0.5).intent->quantity, Q("1"));       // the loss cap's 2 ETH, halved
  EXPECT_EQ(sized("3900", 0.5).intent->risk_at_stop, Notional::from_units(100));
  EXPECT_EQ(sized("3990", 0.5).intent->quantity, Q("1.7"));     // the size fraction's 3.4 ETH, halved
  EXPECT_EQ(sized("3990", 0.3333).intent->quantity, Q("1.133"));  // 1.13322 down to the 0.001 step
  EXPECT_EQ(sized("3990", 0.3333).intent->bound_by, "size fraction");
  EXPECT_EQ(sized("3990", 0.5).intent->leverage, sized("3990", 1.0).intent->leverage);
  EXPECT_EQ(sized("3990", 1.0).intent->quantity, Q("3.4"));
  // 0.002 ETH at 4000 = 8 USDT, below ETHUSDT's 20 USDT minimum notional: no trade.
  EXPECT_EQ(sized("3990", 0.001).refusal, Refusal::kBelowMinimum);
  for (const double bad : {0.0, -0.5, 1.5, std::nan("")}) {
    const SizingDecision refused = sized("3990", bad);
    EXPECT_EQ(refused.refusal, Refusal::kInvalid) << bad;
    EXPECT_NE(refused.reason.find("size scale"), std::string::npos) << refused.reason;
  }
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
    EXPECT_NE(decision.refusal, Refusal::kNone) << decision.reason;
    return decision.reason;
  };
  const auto refusal = [&](const SizingRequest& request, const AccountSnapshot& snapshot) {
    return size_position(request, snapshot, kBrackets).refusal;
  };
  EXPECT_EQ(refusal(long_eth(instrument, "4000", "4000", 0.8), account), Refusal::kInvalid);
  EXPECT_EQ(refusal(long_eth(instrument, "4000", "4100", 0.8), account), Refusal::kInvalid);
  EXPECT_EQ(refusal(long_eth(instrument, "4000", "3900", 0.8),
                    AccountSnapshot{Notional::from_units(10'000), Notional::from_units(10'000), TradingState::kShutdown}),
            Refusal::kTradingState);
  EXPECT_EQ(refusal(long_eth(instrument, "4000", "3900", 0.8), AccountSnapshot{Notional{}, Notional{}, TradingState::kNormal}),
            Refusal::kNoEquity);
  EXPECT_EQ(refusal(long_eth(instrument, "4000", "3900", 0.8),
                    AccountSnapshot{Notional::from_units(10), Notional::from_units(10), TradingState::kNormal}),
            Refusal::kBelowMinimum);
  EXPECT_EQ(refusal(long_eth(instrument, "4000", "3900", 0.8), account), Refusal::kNone);
  EXPECT_EQ(name_of(Refusal::kFeesExceedRisk), "fees_exceed_risk");
  EXPECT_EQ(name_of(Refusal::kLiquidationBeforeStop), "liquidation_before_stop");
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

// ---- liquidation and costs -------------------------------------------------------------

AccountSnapshot ten_thousand() {
  return AccountSnapshot{Notional::from_units(10'000), Notional::from_units(10'000), TradingState::kNormal};
}

// Confidence 1 wants 20x. A 4 % stop (4000 → 3840, 160 away) risks 2 % = 200 USDT with
// 1.25 ETH (5 000 USDT, ETH's first bracket: mmr 0.4 %, cum 0), whatever the leverage.
// LP = (N − N/L) / (Q · 0.996) = 4000 · (1 − 1/L) / 0.996; the buffer 0.5 needs
// 4000 − LP ≥ 1.5 · 160 = 240:
//   20x  LP 3815.26  (184.74 away: beyond the stop, not by the buffer)
//   16x  LP 3765.06  (234.94: still short)
//   15x  LP 3748.33  (251.67 ≥ 240)  → 15x, margin 5000 / 15 = 333.33333334 (rounded up)
TEST(SizingLiquidation, ATwentyXLongWithAFourPercentStopIsLoweredUntilTheBufferHolds) {
  const Instrument instrument = eth();
  const SizingDecision decision = size_position(long_eth(instrument, "4000", "3840", 1.0), ten_thousand(), kBrackets);
  ASSERT_TRUE(decision.intent.has_value()) << decision.reason;
  const OrderIntent& intent = *decision.intent;
  EXPECT_EQ(intent.leverage, 15);
  EXPECT_EQ(intent.quantity, Q("1.25"));
  EXPECT_EQ(intent.bound_by, "loss at stop");
  EXPECT_EQ(intent.margin, N("333.33333334"));
  // (5000 − 333.33333334) / 1.245 = 3748.326639887…, rounded up (toward the entry).
  EXPECT_EQ(intent.liquidation_price, P("3748.32663989"));
  EXPECT_NE(decision.reason.find("at 15x, lowered from 20x"), std::string::npos) << decision.reason;

  // Without the buffer, 20x already has its liquidation (3815.26) beyond the stop (3840).
  SizingConfig no_buffer;
  no_buffer.liquidation_buffer = 0.0;
  const SizingDecision plain = size_position(long_eth(instrument, "4000", "3840", 1.0), ten_thousand(), kBrackets, no_buffer);
  ASSERT_TRUE(plain.intent.has_value()) << plain.reason;
  EXPECT_EQ(plain.intent->leverage, 20);
  EXPECT_EQ(plain.intent->liquidation_price, P("3815.26104418"));  // 4750 / 1.245 = 3815.261044176…, up
}

// The lower leverage is what the account must post: with 300 USDT available, 20x could
// carry 1.5 ETH but 15x only 300 · 15 / 4000 = 1.125 ETH: the margin bound is recomputed and
// binds at the final leverage. The liquidation price is the same (same N / Q per unit).
TEST(SizingLiquidation, BoundsAreRecomputedAtTheLoweredLeverage) {
  const Instrument instrument = eth();
  const AccountSnapshot account{Notional::from_units(10'000), Notional::from_units(300), TradingState::kNormal};
  const SizingDecision decision = size_position(long_eth(instrument, "4000", "3840", 1.0), account, kBrackets);
  ASSERT_TRUE(decision.intent.has_value()) << decision.reason;
  EXPECT_EQ(decision.intent->leverage, 15);
  EXPECT_EQ(decision.intent->quantity, Q("1.125"));
  EXPECT_EQ(decision.intent->bound_by, "available margin");
  EXPECT_EQ(decision.intent->margin, N("300"));  // 4500 / 15
  EXPECT_EQ(decision.intent->liquidation_price, P("3748.32663990"));  // 4200 / (1.125 · 0.996) = 3748.326639893…, up
}

// Without brackets the liquidation has no maintenance margin: LP = 4000 · (1 − 1/L), so
// 4000 / L ≥ 240 gives L = 16 and LP exactly 3750.
TEST(SizingLiquidation, WithoutBracketsTheMaintenanceMarginIsZero) {
  const Instrument instrument = eth();
  const SizingDecision decision = size_position(long_eth(instrument, "4000", "3840", 1.0), ten_thousand(), {});
  ASSERT_TRUE(decision.intent.has_value()) << decision.reason;
  EXPECT_EQ(decision.intent->leverage, 16);
  EXPECT_EQ(decision.intent->liquidation_price, P("3750"));
}

// A long at 1x cannot be liquidated (LP = −cum / … ≤ 0), so a very wide long stop is sized
// at 1x, below min_leverage: 4000 → 1600 needs LP ≤ 400, and 2x gives 4000 · 0.5 / 0.996 = 2008.
// A short's stop 70 % above entry fails even at 1x: Q = 200 / 2800 → 0.071 ETH, N = 284 =
// margin, LP = 2 · 284 / (0.071 · 1.004) = 7968.13, only 3968 away where 1.5 · 2800 = 4200 are needed.
TEST(SizingLiquidation, AStopSoWideThatNoLeverageHelpsIsRefused) {
  const Instrument instrument = eth();
  const SizingDecision wide_long = size_position(long_eth(instrument, "4000", "1600", 0.9), ten_thousand(), kBrackets);
  ASSERT_TRUE(wide_long.intent.has_value()) << wide_long.reason;
  EXPECT_EQ(wide_long.intent->leverage, 1);
  EXPECT_FALSE(wide_long.intent->liquidation_price.has_value());

  SizingRequest wide_short = long_eth(instrument, "4000", "6800", 0.9);
  wide_short.side = Side::kSell;
  const SizingDecision refused = size_position(wide_short, ten_thousand(), kBrackets);
  ASSERT_FALSE(refused.intent.has_value());
  EXPECT_EQ(refused.refusal, Refusal::kLiquidationBeforeStop);
  EXPECT_NE(refused.reason.find("down to 1x"), std::string::npos) << refused.reason;
  EXPECT_NE(refused.reason.find("at 1x it is 7968.12749"), std::string::npos) << refused.reason;
  EXPECT_NE(refused.reason.find("liquidation_buffer 0.5"), std::string::npos) << refused.reason;
  // A smaller buffer lets the same short through at 1x (3968 ≥ 1.4 · 2800 = 3920).
  SizingConfig smaller;
  smaller.liquidation_buffer = 0.4;
  const SizingDecision through = size_position(wide_short, ten_thousand(), kBrackets, smaller);
  ASSERT_TRUE(through.intent.has_value()) << through.reason;
  EXPECT_EQ(through.intent->leverage, 1);
}

// The sizing's liquidation price is the simulator's: the same formula (core/leverage_bracket.h),
// e.g. 1 BTC long at 100 000 with 10 000 isolated → (100 000 − 10 000 − 50) / 0.995 (bracket 2).
TEST(SizingLiquidation, TheLiquidationPriceIsBinancesFormula) {
  EXPECT_EQ(isolated_liquidation_price(kBrackets, Side::kBuy, Q("1"), P("100000"), N("10000")), P("90402.01005026"));
  EXPECT_EQ(isolated_liquidation_price(kBrackets, Side::kSell, Q("1"), P("100000"), N("10000")), P("109502.48756218"));
  EXPECT_FALSE(isolated_liquidation_price(kBrackets, Side::kBuy, Q("1"), P("100000"), N("100000")).has_value());
  EXPECT_EQ(isolated_liquidation_price({}, Side::kBuy, Q("2"), P("100"), N("20")), P("90"));  // mmr 0: 100 − 20 / 2
}

// A one-tick stop on BTC (100 000.0 → 99 999.9): per 1 BTC the round trip costs
// 0.0005 · (100 000 + 99 999.9) = 99.99995 USDT against 0.1 of risk — 1000× the risk.
TEST(SizingFees, AOneTickStopOnBtcIsRefusedForFees) {
  const Instrument instrument = testing::btcusdt();
  SizingRequest request = long_eth(instrument, "100000", "99999.9", 0.9);
  request.taker_fee = Ratio::parse("0.0005").value();
  const SizingDecision decision = size_position(request, ten_thousand(), {});
  ASSERT_FALSE(decision.intent.has_value());
  EXPECT_EQ(decision.refusal, Refusal::kFeesExceedRisk);
  EXPECT_NE(decision.reason.find("max_fee_to_risk 0.2"), std::string::npos) << decision.reason;
  EXPECT_NE(decision.reason.find("99.99995 USDT"), std::string::npos) << decision.reason;
  EXPECT_NE(decision.reason.find("risk of 0.1 USDT"), std::string::npos) << decision.reason;
  // A 1 % stop costs 0.0005 · 199 000 / 1000 = 0.0995 of the risk: allowed.
  request.stop = P("99000");
  EXPECT_TRUE(size_position(request, ten_thousand(), {}).intent.has_value());
  // The median BTC stop of the issue, 0.37 %: 0.0005 · 199 630 / 370 = 0.27 of the risk, refused.
  request.stop = P("99630");
  EXPECT_EQ(size_position(request, ten_thousand(), {}).refusal, Refusal::kFeesExceedRisk);
}

// At the limit exactly, fees are allowed (the rule is "exceed"): entry 100, stop 99,
// taker 0.001 → fees 0.001 · 199 = 0.199 per unit against a risk of 1.
TEST(SizingFees, TheLimitIsInclusiveAndAppliesToShortsAlike) {
  const Instrument instrument = testing::instrument_with("TESTUSDT", {"0.01", "100000", "0.01", "0.1", "100000", "0.1", "100000", "5"});
  for (const Side side : {Side::kBuy, Side::kSell}) {
    SizingRequest request = long_eth(instrument, "100", side == Side::kBuy ? "99" : "101", 0.9);
    request.side = side;
    request.taker_fee = Ratio::parse("0.001").value();
    SizingConfig config;
    config.max_fee_to_risk = side == Side::kBuy ? 0.199 : 0.201;  // short: 0.001 · 201 = 0.201
    EXPECT_TRUE(size_position(request, ten_thousand(), kBrackets, config).intent.has_value()) << name_of(side);
    config.max_fee_to_risk -= 0.001;
    EXPECT_EQ(size_position(request, ten_thousand(), kBrackets, config).refusal, Refusal::kFeesExceedRisk) << name_of(side);
  }
}

// taker_fee 0 means unknown: no fee check, whatever max_fee_to_risk says, and the decision
// is the one the sizing gave before fees existed (the numbers of ASizedLongWithItsNumbers).
TEST(SizingFees, AnUnknownTakerFeeChangesNothing) {
  const Instrument instrument = eth();
  SizingConfig strict;
  strict.max_fee_to_risk = 1e-9;
  const SizingDecision one_tick = size_position(long_eth(instrument, "4000", "3999.99", 0.85), ten_thousand(), kBrackets, strict);
  ASSERT_TRUE(one_tick.intent.has_value()) << one_tick.reason;
  const SizingDecision sized = size_position(long_eth(instrument, "4000", "3900", 0.85), ten_thousand(), kBrackets, strict);
  ASSERT_TRUE(sized.intent.has_value()) << sized.reason;
  EXPECT_EQ(sized.intent->leverage, 17);
  EXPECT_EQ(sized.intent->quantity, Q("2"));
  EXPECT_EQ(sized.reason, "bound by loss at stop");
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
      ASSERT_NE(decision.refusal, Refusal::kNone) << decision.reason;
      continue;
    }
    ASSERT_EQ(decision.refusal, Refusal::kNone);
    ++intents;
    const OrderIntent& intent = *decision.intent;
    ASSERT_TRUE(instrument.check_quantity(intent.quantity, OrderKind::kMarket).accepted()) << instrument.symbol;
    ASSERT_TRUE(instrument.check_min_notional(intent.entry, intent.quantity).accepted());
    ASSERT_TRUE(instrument.check_price(intent.entry).accepted());
    ASSERT_GE(intent.leverage, 1);
    ASSERT_LE(intent.leverage, leverage_for(request, config));
    // The liquidation lies beyond the stop with the buffer, recomputed from the intent.
    const auto liquidation = isolated_liquidation_price(kBrackets, request.side, intent.quantity, intent.entry, intent.margin);
    ASSERT_EQ(liquidation, intent.liquidation_price);
    if (liquidation) {
      const double room = std::fabs(intent.entry.to_double() - liquidation->to_double());
      ASSERT_GE(room, (1 + config.liquidation_buffer) * std::fabs(intent.entry.to_double() - intent.stop.to_double()) * (1 - 1e-9))
          << instrument.symbol << " trial " << trial;
      ASSERT_TRUE(request.side == Side::kBuy ? *liquidation < intent.stop : *liquidation > intent.stop);
    }
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
