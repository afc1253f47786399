// The drawdown periods and daily returns the report gathers from the equity points as they
// come, checked against values computed by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "report/daily_returns.h"
#include "report/drawdown_periods.h"

namespace winiswin::report {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kStartMs = 1'672'531'200'000;  // 2023-01-01 00:00 UTC

Timestamp minute(std::int64_t index) { return timestamp_from_ms(kStartMs + index * 300'000); }

TEST(DrawdownPeriods, FromPeakThroughTroughToRecoveryDeepestFirst) {
  DrawdownPeriods periods(100.0);
  const double equity[] = {100, 90, 95, 101, 80, 85, 101.5, 99};
  for (std::int64_t idx = 0; idx < 8; ++idx) periods.add(minute(idx), equity[idx]);
  const std::vector<DrawdownPeriod> deepest = periods.deepest();
  ASSERT_EQ(deepest.size(), 3u);
  // 101 → 80: 20.79 %, recovered at 101.5.
  EXPECT_EQ(deepest[0].peak, minute(3));
  EXPECT_EQ(deepest[0].trough, minute(4));
  EXPECT_EQ(deepest[0].recovered, minute(6));
  EXPECT_NEAR(deepest[0].depth, 1.0 - 80.0 / 101.0, 1e-12);
  // 100 → 90, recovered at 101.
  EXPECT_EQ(deepest[1].peak, minute(0));
  EXPECT_EQ(deepest[1].trough, minute(1));
  EXPECT_EQ(deepest[1].recovered, minute(3));
  EXPECT_NEAR(deepest[1].depth, 0.1, 1e-12);
  // Still open: 101.5 → 99.
  EXPECT_EQ(deepest[2].peak, minute(6));
  EXPECT_FALSE(deepest[2].recovered.has_value());
}

TEST(DrawdownPeriods, KeepsOnlyTheDeepest) {
  DrawdownPeriods periods(100.0);
  std::int64_t idx = 0;
  for (int fall = 1; fall <= 20; ++fall) {  // falls of 1 … 20 %, each recovered
    periods.add(minute(idx++), 100.0 - fall);
    periods.add(minute(idx++), 100.0);
  }
  const std::vector<DrawdownPeriod> deepest = periods.deepest();
  ASSERT_EQ(deepest.size(), DrawdownPeriods::kKept);
  EXPECT_NEAR(deepest.front().depth, 0.20, 1e-12);
  EXPECT_NEAR(deepest.back().depth, 0.16, 1e-12);
}

TEST(DailyReturns, ADayEndsAtItsLastCloseAndTheLastDayCounts) {
  DailyReturns daily(100.0, 64);
  daily.add(timestamp_from_ms(kStartMs + 300'000), 100.0);
  daily.add(timestamp_from_ms(kStartMs + kDayMs), 102.0);          // 00:00 closes day 1: +2 %
  daily.add(timestamp_from_ms(kStartMs + kDayMs + 300'000), 99.0);
  daily.add(timestamp_from_ms(kStartMs + 2 * kDayMs), 96.9);       // day 2: 96.9 / 102 − 1 = −5 %
  const DailyReturns::Histogram counts = daily.histogram();
  EXPECT_EQ(counts[static_cast<std::size_t>(DailyReturns::bin_of(0.02))], 1);
  EXPECT_EQ(counts[static_cast<std::size_t>(DailyReturns::bin_of(96.9 / 102.0 - 1.0))], 1);
  std::int64_t total = 0;
  for (const std::int64_t count : counts) total += count;
  EXPECT_EQ(total, 2);
  EXPECT_EQ(DailyReturns::bin_of(-0.5), 0);  // beyond the range: the outer bins
  EXPECT_EQ(DailyReturns::bin_of(0.5), DailyReturns::kBins - 1);
  EXPECT_DOUBLE_EQ(DailyReturns::bin_low(DailyReturns::bin_of(0.02)), 0.02);
}

TEST(DailyReturns, RollingSharpeOverTheLastThirtyDays) {
  DailyReturns daily(100.0, 64);
  double equity = 100.0;
  // Days alternate +2 % and −1 %: over any 30 days mean 0.5 %, sd 1.5 %.
  for (int day = 1; day <= 40; ++day) {
    equity *= day % 2 == 1 ? 1.02 : 0.99;
    daily.add(timestamp_from_ms(kStartMs + day * kDayMs), equity);
  }
  const std::vector<SeriesPoint> sharpe = daily.rolling_sharpe().points();
  ASSERT_EQ(sharpe.size(), 40u - DailyReturns::kRollingDays + 1);
  EXPECT_EQ(sharpe.front().time, (kStartMs + DailyReturns::kRollingDays * kDayMs) / 1000);
  EXPECT_NEAR(sharpe.front().value, 0.005 / 0.015 * std::sqrt(365.0), 1e-9);
  EXPECT_EQ(sharpe.back().time, (kStartMs + 40 * kDayMs) / 1000);
}

}  // namespace
}  // namespace winiswin::report
