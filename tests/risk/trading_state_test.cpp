#include "risk/trading_state.h"

#include <gtest/gtest.h>

namespace winiswin::risk {
namespace {

const Timestamp kStart = timestamp_from_ms(1'767'225'600'000);
constexpr Milliseconds kMinute{60'000};

TEST(TradingState, LossStreaksEscalateStepByStep) {
  TradingStateMachine machine(10'000, kStart);
  double equity = 10'000;
  std::vector<TradingState> states;
  for (int loss = 1; loss <= 8; ++loss) {
    equity -= 1;  // tiny losses: only the streak matters
    machine.on_trade_closed(-1, equity, kStart + kMinute * loss);
    states.push_back(machine.state());
  }
  EXPECT_EQ(states[1], TradingState::kNormal);      // 2 losses
  EXPECT_EQ(states[2], TradingState::kCautious);    // 3
  EXPECT_EQ(states[4], TradingState::kRiskAverse);  // 5
  EXPECT_EQ(states[6], TradingState::kRiskAverse);  // 7
  EXPECT_EQ(states[7], TradingState::kShutdown);    // 8
  EXPECT_EQ(machine.multiplier(), 0.0);
  EXPECT_FALSE(machine.allows_new_exposure());
}

TEST(TradingState, DrawdownCanSkipLevelsAndNamesTheReason) {
  TradingStateMachine machine(10'000, kStart);
  machine.on_equity(12'000, kStart + kMinute);  // new peak
  const auto transition = machine.on_equity(10'700, kStart + kMinute * 2);  // −10.8 % from the peak
  ASSERT_TRUE(transition.has_value());
  EXPECT_EQ(transition->from, TradingState::kNormal);
  EXPECT_EQ(transition->to, TradingState::kRiskAverse);
  EXPECT_NE(transition->reason.find("drawdown 10.83 %"), std::string::npos) << transition->reason;
  EXPECT_EQ(machine.multiplier(), 0.5);
}

TEST(TradingState, RecoversOneLevelAfterWinsAndTheCoolDown) {
  TradingStateMachine machine(10'000, kStart);
  for (int loss = 0; loss < 5; ++loss) machine.on_trade_closed(-1, 10'000 - loss - 1, kStart + kMinute * loss);
  ASSERT_EQ(machine.state(), TradingState::kRiskAverse);
  const Timestamp entered = kStart + kMinute * 4;
  machine.on_trade_closed(+10, 10'005, entered + kMinute);
  machine.on_trade_closed(+10, 10'015, entered + kMinute * 2);
  EXPECT_EQ(machine.state(), TradingState::kRiskAverse);  // two wins, but the hour has not passed
  const auto step = machine.on_clock(entered + kMinute * 60);
  ASSERT_TRUE(step.has_value());
  EXPECT_EQ(step->to, TradingState::kCautious);  // one level only
  EXPECT_FALSE(machine.on_clock(entered + kMinute * 200).has_value());  // needs new wins in CAUTIOUS
  machine.on_trade_closed(+10, 10'025, entered + kMinute * 201);
  machine.on_trade_closed(+10, 10'035, entered + kMinute * 202);
  EXPECT_EQ(machine.state(), TradingState::kNormal);
}

TEST(TradingState, DrawdownHoldsTheLevelUntilEquityRecovers) {
  TradingStateMachine machine(10'000, kStart);
  machine.on_equity(9'400, kStart + kMinute);  // −6 %
  ASSERT_EQ(machine.state(), TradingState::kCautious);
  machine.on_trade_closed(+10, 9'410, kStart + kMinute * 2);
  machine.on_trade_closed(+10, 9'420, kStart + kMinute * 3);
  EXPECT_FALSE(machine.on_clock(kStart + kMinute * 120).has_value());  // still 5.8 % down
  EXPECT_EQ(machine.state(), TradingState::kCautious);
  machine.on_equity(9'600, kStart + kMinute * 121);  // −4 %: the line no longer holds
  EXPECT_EQ(machine.state(), TradingState::kNormal);
}

TEST(TradingState, ShutdownWaitsADayAndTheBreakerReset) {
  TradingStateMachine machine(10'000, kStart);
  const auto emergency = machine.on_breaker(BreakerLevel::kEmergency, kStart);
  ASSERT_TRUE(emergency.has_value());
  EXPECT_EQ(emergency->to, TradingState::kShutdown);
  EXPECT_NE(emergency->reason.find("EMERGENCY"), std::string::npos);
  EXPECT_FALSE(machine.on_clock(kStart + kMinute * 60 * 48).has_value());  // breaker still at EMERGENCY
  machine.on_breaker(BreakerLevel::kNormal, kStart + kMinute * 60 * 48);
  EXPECT_EQ(machine.state(), TradingState::kRiskAverse);  // cool-down long past: one step down

  TradingStateMachine losses(10'000, kStart);
  losses.on_equity(8'400, kStart);  // −16 %
  ASSERT_EQ(losses.state(), TradingState::kShutdown);
  losses.on_equity(9'000, kStart + kMinute);
  EXPECT_FALSE(losses.on_clock(kStart + kMinute * 60 * 23).has_value());  // within 24 h
  EXPECT_TRUE(losses.on_clock(kStart + kMinute * 60 * 24).has_value());
  EXPECT_EQ(losses.state(), TradingState::kRiskAverse);
}

// A loss streak shut trading down: it cannot win its way out, so a day later it steps down,
// and a short new streak shuts it down again.
TEST(TradingState, ShutdownByALossStreakEndsAfterItsCoolDown) {
  TradingStateMachine machine(10'000, kStart);
  double equity = 10'000;
  for (int loss = 1; loss <= 8; ++loss) machine.on_trade_closed(-1, equity -= 1, kStart + kMinute * loss);
  ASSERT_EQ(machine.state(), TradingState::kShutdown);
  const Timestamp entered = kStart + kMinute * 8;
  EXPECT_FALSE(machine.on_equity(equity, entered + kMinute * 60 * 23).has_value());
  const auto stepped = machine.on_equity(equity, entered + kMinute * 60 * 24);
  ASSERT_TRUE(stepped.has_value());
  EXPECT_EQ(stepped->to, TradingState::kRiskAverse);
  EXPECT_EQ(machine.state(), TradingState::kRiskAverse);  // and it stays there
  EXPECT_FALSE(machine.on_clock(entered + kMinute * 60 * 25).has_value());
  for (int loss = 1; loss <= 2; ++loss) machine.on_trade_closed(-1, equity -= 1, entered + kMinute * (60 * 25 + loss));
  EXPECT_EQ(machine.state(), TradingState::kRiskAverse);
  machine.on_trade_closed(-1, equity -= 1, entered + kMinute * 60 * 26);
  EXPECT_EQ(machine.state(), TradingState::kShutdown);
}


// Nothing trades in SHUTDOWN, so a drawdown that caused it could never shrink: a day later
// the reference is the equity at entry, and it steps down while flat.
TEST(TradingState, ShutdownByDrawdownEndsAfterItsCoolDownWhileFlat) {
  TradingStateMachine machine(10'000, kStart);
  machine.on_equity(8'400, kStart);  // −16 %
  ASSERT_EQ(machine.state(), TradingState::kShutdown);
  EXPECT_FALSE(machine.on_equity(8'400, kStart + kMinute * 60 * 23).has_value());
  const auto stepped = machine.on_equity(8'400, kStart + kMinute * 60 * 24);
  ASSERT_TRUE(stepped.has_value());
  EXPECT_EQ(stepped->to, TradingState::kRiskAverse);
  EXPECT_NEAR(machine.drawdown(), 0.0, 1e-12);
  machine.on_equity(7'560, kStart + kMinute * 60 * 25);  // −10 % from the new reference
  EXPECT_EQ(machine.state(), TradingState::kRiskAverse);
  machine.on_equity(7'140, kStart + kMinute * 60 * 26);  // −15 %: shut down again
  EXPECT_EQ(machine.state(), TradingState::kShutdown);
}

// Equity that kept falling in SHUTDOWN (positions still open) keeps it shut down.
TEST(TradingState, ShutdownHoldsWhileEquityFallsFurtherFromItsEntry) {
  TradingStateMachine machine(10'000, kStart);
  machine.on_equity(8'400, kStart);
  machine.on_equity(7'000, kStart + kMinute * 60);  // −16.7 % from the entry
  EXPECT_FALSE(machine.on_clock(kStart + kMinute * 60 * 25).has_value());
  EXPECT_EQ(machine.state(), TradingState::kShutdown);
}

}  // namespace
}  // namespace winiswin::risk
