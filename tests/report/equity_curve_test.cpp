// The report's equity curve: bounded memory whatever the run's length, the run's first and
// last points kept, and the drawdown's trough (and the equity's peaks and lows) never lost to
// downsampling.
#include "report/equity_curve.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "report/metrics.h"

namespace winiswin::report {
namespace {

constexpr std::int64_t kFiveMinutesMs = 300'000;
const std::int64_t kStartMs = to_ms(timestamp_from_ms(1'675'209'900'000));  // 2023-02-01 00:05 UTC

journal::EquityPoint point_at(std::int64_t index, double equity) {
  return journal::EquityPoint{timestamp_from_ms(kStartMs + index * kFiveMinutesMs), equity, risk::TradingState::kNormal};
}

// A random walk of `count` 5m points (seeded: the same every run).
std::vector<journal::EquityPoint> random_walk(std::int64_t count, double start) {
  std::mt19937_64 random(42);
  std::normal_distribution<double> step(0.0, 0.002);
  std::vector<journal::EquityPoint> points;
  double equity = start;
  for (std::int64_t idx = 0; idx < count; ++idx) {
    equity *= 1.0 + step(random);
    points.push_back(point_at(idx, equity));
  }
  return points;
}

TEST(DownsampledSeries, KeepsEveryPointUntilTheCapThenAtMostFourPerBucket) {
  DownsampledSeries series(8);
  for (std::int64_t idx = 0; idx < 8; ++idx) series.add(SeriesPoint{idx, static_cast<double>(idx % 3)});
  EXPECT_EQ(series.points().size(), 8u);
  EXPECT_EQ(series.bucket_width(), 1);
  for (std::int64_t idx = 8; idx < 100'000; ++idx) series.add(SeriesPoint{idx, static_cast<double>(idx % 3)});
  EXPECT_EQ(series.count(), 100'000);
  EXPECT_LE(series.points().size(), 4u * 8u);
  EXPECT_GE(series.bucket_width(), 100'000 / 9);
}

TEST(DownsampledSeries, KeepsTheFirstLastLowestAndHighestPoints) {
  DownsampledSeries series(16);
  std::vector<SeriesPoint> all;
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> value(-1000.0, 1000.0);
  for (std::int64_t idx = 0; idx < 12'345; ++idx) {
    all.push_back(SeriesPoint{1000 + idx * 300, value(random)});
    series.add(all.back());
  }
  const std::vector<SeriesPoint> drawn = series.points();
  EXPECT_EQ(drawn.front(), all.front());
  EXPECT_EQ(drawn.back(), all.back());
  const auto by_value = [](const SeriesPoint& a, const SeriesPoint& b) { return a.value < b.value; };
  EXPECT_EQ(*std::min_element(drawn.begin(), drawn.end(), by_value), *std::min_element(all.begin(), all.end(), by_value));
  EXPECT_EQ(*std::max_element(drawn.begin(), drawn.end(), by_value), *std::max_element(all.begin(), all.end(), by_value));
  EXPECT_TRUE(std::is_sorted(drawn.begin(), drawn.end(), [](const SeriesPoint& a, const SeriesPoint& b) { return a.time <= b.time; }));
  EXPECT_EQ(std::adjacent_find(drawn.begin(), drawn.end(), [](const SeriesPoint& a, const SeriesPoint& b) { return a.time == b.time; }),
            drawn.end());
}

TEST(DownsampledSeries, IgnoresAPointNotLaterThanTheLast) {
  DownsampledSeries series(4);
  series.add(SeriesPoint{10, 1.0});
  series.add(SeriesPoint{10, 5.0});
  series.add(SeriesPoint{9, -5.0});
  EXPECT_EQ(series.count(), 1);
  EXPECT_EQ(series.points(), std::vector<SeriesPoint>{(SeriesPoint{10, 1.0})});
}

TEST(DownsampledSeries, SameInputSameOutput) {
  DownsampledSeries one(32), two(32);
  for (const journal::EquityPoint& point : random_walk(50'000, 100.0)) {
    one.add(SeriesPoint{to_ms(point.time) / 1000, point.equity});
    two.add(SeriesPoint{to_ms(point.time) / 1000, point.equity});
  }
  EXPECT_EQ(one.points(), two.points());
}

TEST(EquityCurve, CoversTheWholeRunAndKeepsTheMetricsMaxDrawdown) {
  // A year of 5m points, far more than the buckets hold.
  const std::vector<journal::EquityPoint> points = random_walk(365 * 288, 10'000.0);
  EquityCurve curve(10'000.0, 256);
  for (const journal::EquityPoint& point : points) curve.add(point);
  const Metrics metrics = compute_metrics(points, {}, {}, {}, 10'000.0, 0.0, 0.0);
  ASSERT_GT(metrics.max_drawdown, 0.05);  // the walk does fall: the check below is not 0 == 0

  const std::vector<SeriesPoint> equity = curve.equity().points(), drawdown = curve.drawdown().points();
  EXPECT_LE(equity.size(), 4u * 256u);
  EXPECT_EQ(equity.front().time, to_ms(points.front().time) / 1000);
  EXPECT_EQ(equity.back().time, to_ms(points.back().time) / 1000);
  EXPECT_EQ(drawdown.front().time, equity.front().time);
  EXPECT_EQ(drawdown.back().time, equity.back().time);
  const double deepest =
      std::min_element(drawdown.begin(), drawdown.end(), [](const SeriesPoint& a, const SeriesPoint& b) { return a.value < b.value; })->value;
  EXPECT_NEAR(-deepest / 100.0, metrics.max_drawdown, 1e-12);
  EXPECT_EQ(curve.first_time(), points.front().time);
  EXPECT_EQ(curve.last_time(), points.back().time);
  // The finer level for zoomed views: more points, the same ends and extremes.
  const std::vector<SeriesPoint> detail = curve.equity_detail().points();
  EXPECT_GT(detail.size(), 4u * equity.size());
  EXPECT_LE(detail.size(), 4u * 256u * EquityCurve::kFineFactor);
  EXPECT_EQ(detail.front(), equity.front());
  EXPECT_EQ(detail.back(), equity.back());
  const auto lower = [](const SeriesPoint& a, const SeriesPoint& b) { return a.value < b.value; };
  EXPECT_EQ(std::min_element(detail.begin(), detail.end(), lower)->value, std::min_element(equity.begin(), equity.end(), lower)->value);
  EXPECT_EQ(std::max_element(detail.begin(), detail.end(), lower)->value, std::max_element(equity.begin(), equity.end(), lower)->value);
}

TEST(EquityCurve, EachDrawnPointCarriesItsTradingState) {
  EquityCurve curve(100.0, 4);
  std::vector<journal::EquityPoint> points;
  for (std::int64_t idx = 0; idx < 1000; ++idx) {
    journal::EquityPoint point = point_at(idx, 100.0 + static_cast<double>(idx % 17));
    point.state = static_cast<risk::TradingState>((idx / 100) % 4);  // states in stretches of 100 points
    points.push_back(point);
    curve.add(point);
  }
  for (const SeriesPoint& drawn : curve.equity().points()) {
    const std::int64_t index = (drawn.time * 1000 - kStartMs) / kFiveMinutesMs;
    EXPECT_EQ(drawn.tag, static_cast<int>(points[static_cast<std::size_t>(index)].state)) << index;
  }
  EXPECT_EQ(curve.equity().points().back().tag, static_cast<int>(risk::TradingState::kCautious));  // point 999: (999 / 100) % 4 = 1
}

TEST(EquityCurve, TheStartingEquityIsTheFirstPeak) {
  EquityCurve curve(100.0);
  curve.add(point_at(0, 90.0));  // below the start at once: a 10 % drawdown, as the metrics count it
  curve.add(point_at(1, 95.0));
  EXPECT_DOUBLE_EQ(curve.drawdown().points().front().value, -10.0);
  EXPECT_NEAR(curve.drawdown().points().back().value, -5.0, 1e-12);
}

TEST(EquityCurve, APointBelongsToTheMonthOfTheFiveMinutesItCloses) {
  EquityCurve curve(100.0);
  // The close at 2023-03-01 00:00 ends February's last bar; 00:05 is March's first.
  curve.add(journal::EquityPoint{timestamp_from_ms(1'677'628'800'000), 101.0, risk::TradingState::kNormal});
  EXPECT_EQ(month_of_close(timestamp_from_ms(1'677'628'800'000)), "2023-02");
  EXPECT_EQ(curve.month_end().size(), 1u);
  EXPECT_EQ(curve.month_end().begin()->first, "2023-02");
  curve.add(journal::EquityPoint{timestamp_from_ms(1'677'628'800'000 + kFiveMinutesMs), 102.0, risk::TradingState::kNormal});
  EXPECT_EQ(curve.month_end().rbegin()->first, "2023-03");
}

}  // namespace
}  // namespace winiswin::report
