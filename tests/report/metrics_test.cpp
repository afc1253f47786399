// Metrics from hand-built results: every expected number is worked out in the comments.
#include "report/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace winiswin::report {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
const Timestamp kStart = timestamp_from_ms(1'767'225'600'000);  // 2026-01-01 00:00 UTC, the run's start

Timestamp at(std::int64_t ms) { return kStart + Milliseconds{ms}; }

// A run's rows, as a recorder would have kept them.
struct Rows {
  std::vector<TradeRecord> trades, virtuals;
  std::vector<EquityPoint> equity;
  std::vector<RefusalRecord> refusals;
  double fees_paid = 0, funding_paid = 0;
};

Metrics compute_metrics(const Rows& rows, double starting_equity) {
  return report::compute_metrics(rows.equity, rows.trades, rows.virtuals, rows.refusals, starting_equity, rows.fees_paid,
                                 rows.funding_paid);
}

// Equity points at the 5m closes kStart + 5m·(first_period + k), one per value.
void add_points(Rows& result, std::int64_t first_period, const std::vector<double>& values) {
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    result.equity.push_back(EquityPoint{at((first_period + static_cast<std::int64_t>(idx)) * 5 * kMinute), values[idx]});
  }
}

TradeRecord trade(std::int64_t entry_ms, std::int64_t exit_ms, double pnl = 0.0, double r = 0.0) {
  TradeRecord t;
  t.entry_time = at(entry_ms);
  t.exit_time = at(exit_ms);
  t.pnl = pnl;
  t.r_multiple = r;
  return t;
}

TEST(Metrics, HandComputedOnATinyScript) {
  Rows result;
  add_points(result, 1, {10'000, 10'100, 9'900, 10'200, 10'050});  // closes 00:05 … 00:25
  result.trades = {trade(0, 2 * kHour, 100, 1.0), trade(0, 4 * kHour, -200, -1.0), trade(0, 6 * kHour, 300, 1.5)};
  const Metrics m = compute_metrics(result, 10'000);
  EXPECT_NEAR(m.total_return, 0.005, 1e-12);
  EXPECT_NEAR(m.max_drawdown, 1.0 - 9'900.0 / 10'100.0, 1e-12);  // 1.98 %
  EXPECT_NEAR(m.max_drawdown_days, 5.0 / 1440.0, 1e-12);         // one period below each peak
  EXPECT_EQ(m.trades, 3);
  EXPECT_NEAR(m.win_rate, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.profit_factor, 400.0 / 200.0, 1e-12);
  EXPECT_NEAR(m.expectancy, 200.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.average_r, 0.5, 1e-12);
  EXPECT_NEAR(m.average_holding_hours, 4.0, 1e-12);
  EXPECT_NEAR(m.days, 25.0 / 1440.0, 1e-15);  // 5 points × 5 min (was 20 min: last − first point)
  EXPECT_NEAR(m.exposure, 1.0, 1e-12);        // a position is open the whole 25 minutes
  EXPECT_NE(metrics_json(m).find("\"profit_factor\": 2"), std::string::npos);
}

// 12 periods (an hour); positions [0, 20), [5, 20) and [40, 45) minutes. Their union is
// [0, 20) ∪ [40, 45) = 25 min → 25 / 60 = 0.41667. Summing holding times instead gave
// (20 + 15 + 5) / 55 = 0.72727 (55 min: first to last point).
TEST(Metrics, ExposureIsTheUnionOfOverlappingPositions) {
  Rows result;
  add_points(result, 1, std::vector<double>(12, 10'000.0));
  result.trades = {trade(0, 20 * kMinute), trade(5 * kMinute, 20 * kMinute), trade(40 * kMinute, 45 * kMinute)};
  const Metrics m = compute_metrics(result, 10'000);
  EXPECT_NEAR(m.days, 1.0 / 24.0, 1e-15);
  EXPECT_NEAR(m.exposure, 25.0 / 60.0, 1e-12);
}

// Two days of points, a 10-day hole without any, two more days: 4 covered days (1152
// periods), where the span from the first to the last point is 14 d − 5 min = 13.99653 d.
TEST(Metrics, TimeCountsOnlyWhereThereIsData) {
  Rows result;
  constexpr std::int64_t kPeriodsPerDay = 288;
  std::vector<double> before(2 * kPeriodsPerDay, 10'000.0), after(2 * kPeriodsPerDay, 9'900.0);
  before.back() = 10'200.0;  // the peak, at the last close before the hole (T0 + 2 d)
  after.back() = 10'100.0;   // the end: +1 %
  add_points(result, 1, before);
  add_points(result, 12 * kPeriodsPerDay + 1, after);  // closes T0 + 12 d + 5 min … T0 + 14 d
  // Seven one-hour trades on the first day, and one held across the hole from 1 h before it
  // to 1 h after it: covered holding 7 h + 2 h = 9 h of 96 h → 0.09375 (summing holding
  // times gave (7 h + 242 h) / 335.92 h = 0.74125).
  for (std::int64_t hour = 0; hour < 7; ++hour) result.trades.push_back(trade(hour * kHour, (hour + 1) * kHour));
  result.trades.push_back(trade(2 * kDay - kHour, 12 * kDay + kHour));
  const Metrics m = compute_metrics(result, 10'000);
  EXPECT_NEAR(m.days, 4.0, 1e-12);                       // was 13.99653
  EXPECT_NEAR(m.trades_per_day, 2.0, 1e-12);             // 8 / 4 (was 8 / 13.99653 = 0.5716)
  EXPECT_NEAR(m.cagr, std::pow(1.01, 365.0 / 4.0) - 1.0, 1e-9);  // 1.01^91.25 − 1 = 1.4793 (was 0.2963)
  EXPECT_NEAR(m.cagr, 1.4793, 1e-4);
  EXPECT_NEAR(m.exposure, 9.0 / 96.0, 1e-12);
  // In drawdown from the peak (T0 + 2 d, 10,200) to the end: 576 periods = 2 covered days
  // (was 12: the hole counted).
  EXPECT_NEAR(m.max_drawdown, 1.0 - 9'900.0 / 10'200.0, 1e-12);
  EXPECT_NEAR(m.max_drawdown_days, 2.0, 1e-12);
  EXPECT_NEAR(m.calmar, m.cagr / m.max_drawdown, 1e-12);
}

// Equity reaching 0: CAGR −100 %, max drawdown 1 − 0 / 10,000 = 1, Calmar −1 / 1 = −1 (both
// printed 0 before).
TEST(Metrics, WipedOutAccountHasCagrOfMinusOne) {
  Rows result;
  add_points(result, 1, {10'000, 5'000, 0});
  const Metrics m = compute_metrics(result, 10'000);
  EXPECT_DOUBLE_EQ(m.total_return, -1.0);
  EXPECT_DOUBLE_EQ(m.cagr, -1.0);
  EXPECT_DOUBLE_EQ(m.max_drawdown, 1.0);
  EXPECT_DOUBLE_EQ(m.calmar, -1.0);
  EXPECT_NE(metrics_json(m).find("\"cagr\": -1,"), std::string::npos) << metrics_json(m);
}

// Below 0 (the wallet went negative): total −120 %, CAGR still −100 %, max drawdown
// 1 − (−2,000 / 10,000) = 1.2, Calmar −1 / 1.2 = −0.8333.
TEST(Metrics, EquityBelowZeroKeepsCagrAtMinusOne) {
  Rows result;
  add_points(result, 1, {10'000, 4'000, -2'000});
  const Metrics m = compute_metrics(result, 10'000);
  EXPECT_DOUBLE_EQ(m.total_return, -1.2);
  EXPECT_DOUBLE_EQ(m.cagr, -1.0);
  EXPECT_DOUBLE_EQ(m.max_drawdown, 1.2);
  EXPECT_NEAR(m.calmar, -1.0 / 1.2, 1e-12);
}

// A flat curve: no return and no spread, so Sharpe, Sortino, CAGR, drawdown and Calmar are 0.
TEST(Metrics, FlatCurveHasZeroSharpe) {
  Rows result;
  add_points(result, 1, std::vector<double>(10, 10'000.0));
  const Metrics m = compute_metrics(result, 10'000);
  EXPECT_EQ(m.sharpe, 0.0);
  EXPECT_EQ(m.sortino, 0.0);
  EXPECT_EQ(m.cagr, 0.0);
  EXPECT_EQ(m.max_drawdown, 0.0);
  EXPECT_EQ(m.calmar, 0.0);
  EXPECT_EQ(m.time_normal, 1.0);
}

// A curve that never falls: no downside and no drawdown, so Sortino and Calmar are
// unbounded (+inf, null in JSON; they printed 0, which reads as "no better than nothing").
// Returns 0, +1 %, 0, +1 %: mean 0.005, sd 0.005 → Sharpe 1 × √(365 × 288) = 324.22.
TEST(Metrics, CurveThatNeverFallsHasUnboundedSortinoAndCalmar) {
  Rows result;
  add_points(result, 1, {10'000, 10'100, 10'100, 10'201});
  const Metrics m = compute_metrics(result, 10'000);
  EXPECT_NEAR(m.sharpe, std::sqrt(365.0 * 288.0), 1e-6);
  EXPECT_EQ(m.sortino, std::numeric_limits<double>::infinity());
  EXPECT_EQ(m.calmar, std::numeric_limits<double>::infinity());
  EXPECT_GT(m.cagr, 0.0);
  const std::string json = metrics_json(m);
  EXPECT_NE(json.find("\"sortino\": null"), std::string::npos) << json;
  EXPECT_NE(json.find("\"calmar\": null"), std::string::npos) << json;
}

TEST(Metrics, NoTradesAndNoPointsGiveZeros) {
  const Metrics m = compute_metrics(Rows{}, 10'000);
  EXPECT_EQ(m.ending_equity, 10'000.0);
  EXPECT_EQ(m.days, 0.0);
  EXPECT_EQ(m.cagr, 0.0);
  EXPECT_EQ(m.exposure, 0.0);
  EXPECT_EQ(m.trades_per_day, 0.0);
  EXPECT_EQ(m.profit_factor, 0.0);
}

}  // namespace
}  // namespace winiswin::report
