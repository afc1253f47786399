#include "risk/circuit_breaker.h"

#include <gtest/gtest.h>

namespace winiswin::risk {
namespace {

const Timestamp kStart = timestamp_from_ms(1'767'225'600'000);

TEST(CircuitBreaker, ConsecutiveFailuresEscalateThroughEveryLevel) {
  CircuitBreaker breaker;
  Timestamp now = kStart;
  std::vector<BreakerLevel> reached;
  for (int failure = 1; failure <= 15; ++failure) {
    now += Milliseconds{1};
    if (auto transition = breaker.record_failure(now)) reached.push_back(transition->to);
    if (failure == 4) {
      EXPECT_EQ(breaker.level(), BreakerLevel::kNormal);  // 4/4 = 100 % but < min_calls
    }
  }
  // 5 → WARNING, 10 → CRITICAL (the rate rule needs 10 calls: at 10 failures it is 100 % →
  // EMERGENCY at once).
  ASSERT_GE(reached.size(), 2u);
  EXPECT_EQ(reached.front(), BreakerLevel::kWarning);
  EXPECT_EQ(reached.back(), BreakerLevel::kEmergency);
  EXPECT_FALSE(breaker.allows(now + Milliseconds{3'600'000}));
  EXPECT_EQ(breaker.rate_multiplier(), 0.0);
}

TEST(CircuitBreaker, ConsecutiveCountsAloneGiveTheDocumentedLevels) {
  CircuitBreakerConfig config;
  config.min_calls = 1000;  // rate rule off: only the consecutive thresholds act
  config.window = 1000;
  CircuitBreaker breaker(config);
  const auto level_after = [&](int failures) {
    for (int idx = 0; idx < failures; ++idx) breaker.record_failure(kStart);
    return breaker.level();
  };
  EXPECT_EQ(level_after(4), BreakerLevel::kNormal);
  EXPECT_EQ(level_after(1), BreakerLevel::kWarning);    // 5
  EXPECT_EQ(breaker.rate_multiplier(), 0.5);
  EXPECT_EQ(level_after(4), BreakerLevel::kWarning);    // 9
  EXPECT_EQ(level_after(1), BreakerLevel::kCritical);   // 10
  EXPECT_EQ(breaker.rate_multiplier(), 0.25);
  EXPECT_EQ(level_after(5), BreakerLevel::kEmergency);  // 15
}

TEST(CircuitBreaker, FailureRateOverTheWindowEscalates) {
  CircuitBreaker breaker;
  Timestamp now = kStart;
  // 8 successes, 2 failures: 20 % over 10 calls, never 2 in a row.
  for (int call = 0; call < 10; ++call) {
    now += Milliseconds{10'000};
    if (call == 4 || call == 9) {  // the second failure is the 10th call
      breaker.record_failure(now);
    } else {
      breaker.record_success(now);
    }
  }
  EXPECT_EQ(breaker.level(), BreakerLevel::kWarning);
  EXPECT_DOUBLE_EQ(breaker.failure_rate(), 0.2);
}

TEST(CircuitBreaker, RecoversOneLevelPerFiveSuccessesButNotFromEmergency) {
  CircuitBreakerConfig config;
  config.min_calls = 1000;
  config.window = 1000;
  CircuitBreaker breaker(config);
  for (int idx = 0; idx < 10; ++idx) breaker.record_failure(kStart);
  ASSERT_EQ(breaker.level(), BreakerLevel::kCritical);
  for (int idx = 0; idx < 4; ++idx) EXPECT_FALSE(breaker.record_success(kStart).has_value());
  const auto step = breaker.record_success(kStart);
  ASSERT_TRUE(step.has_value());
  EXPECT_EQ(step->from, BreakerLevel::kCritical);
  EXPECT_EQ(step->to, BreakerLevel::kWarning);
  for (int idx = 0; idx < 5; ++idx) breaker.record_success(kStart);
  EXPECT_EQ(breaker.level(), BreakerLevel::kNormal);

  for (int idx = 0; idx < 15; ++idx) breaker.record_failure(kStart);
  ASSERT_EQ(breaker.level(), BreakerLevel::kEmergency);
  for (int idx = 0; idx < 50; ++idx) breaker.record_success(kStart);
  EXPECT_EQ(breaker.level(), BreakerLevel::kEmergency);  // a human must reset it
  const BreakerTransition reset = breaker.reset("operator");
  EXPECT_EQ(reset.to, BreakerLevel::kNormal);
  EXPECT_NE(reset.reason.find("operator"), std::string::npos);
  EXPECT_TRUE(breaker.allows(kStart));
}

TEST(CircuitBreaker, BacksOffExponentiallyWithACap) {
  CircuitBreaker breaker;
  breaker.record_failure(kStart);
  EXPECT_EQ(breaker.next_allowed(), kStart + Milliseconds{500});
  EXPECT_FALSE(breaker.allows(kStart + Milliseconds{499}));
  EXPECT_TRUE(breaker.allows(kStart + Milliseconds{500}));
  breaker.record_failure(kStart);
  breaker.record_failure(kStart);
  EXPECT_EQ(breaker.next_allowed(), kStart + Milliseconds{2'000});  // 500 · 2²
  CircuitBreakerConfig config;
  config.min_calls = 1000;
  config.emergency_consecutive = 100;
  CircuitBreaker patient(config);
  for (int idx = 0; idx < 40; ++idx) patient.record_failure(kStart);
  EXPECT_EQ(patient.next_allowed(), kStart + Milliseconds{60'000});  // capped
}

}  // namespace
}  // namespace winiswin::risk
