// RollingRange (the highest high and lowest low of the last N bars) against a rescan of the
// window, and against TA-Lib's WILLR(14) on real klines: WILLR = −100 · (HH − C)/(HH − LL).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "data/kline_file.h"
#include "indicators/batch.h"
#include "indicators/rolling_range.h"
#include "support/oracle_csv.h"
#include "support/shared_data.h"

namespace winiswin::indicators {
namespace {

TEST(RollingRange, CoversTheLastNBarsAndForgetsOlderOnes) {
  RollingRange range(3);
  EXPECT_TRUE(std::isnan(range.high()));
  EXPECT_TRUE(std::isnan(range.low()));
  range.update(10, 5);
  EXPECT_EQ(range.high(), 10);
  EXPECT_EQ(range.low(), 5);
  EXPECT_EQ(range.bars_covered(), 1u);
  range.update(8, 6);
  range.update(9, 7);
  EXPECT_EQ(range.high(), 10);  // bars 1..3
  EXPECT_EQ(range.low(), 5);
  range.update(7, 6.5);  // bar 1 (10, 5) leaves: bars 2..4
  EXPECT_EQ(range.high(), 9);
  EXPECT_EQ(range.low(), 6);
  EXPECT_EQ(range.bars_covered(), 3u);
  range.update(7, 6.5);  // bars 3..5
  EXPECT_EQ(range.high(), 9);
  EXPECT_EQ(range.low(), 6.5);
  range.update(7, 6.5);  // bars 4..6: equal highs and lows tie
  EXPECT_EQ(range.high(), 7);
  EXPECT_EQ(range.low(), 6.5);
}

TEST(RollingRange, AWindowOfZeroIsTheLastBar) {
  RollingRange range(0);
  range.update(10, 5);
  range.update(8, 7);
  EXPECT_EQ(range.window(), 1u);
  EXPECT_EQ(range.high(), 8);
  EXPECT_EQ(range.low(), 7);
}

const char* const kHourly = "data/klines/futures_um_ohlcv_only/BTCUSDT-1h-2025-09_10.csv.gz";

// Every bar, for a week of 1h bars and a few short windows: the extremes of a rescan.
TEST(RollingRange, EqualsARescanOfTheWindowOnRealBars) {
  WINISWIN_SHARED_FILE(input_path, kHourly);
  const OhlcvColumns c = to_columns(load_klines(input_path).value());
  ASSERT_GT(c.high.size(), 400u);
  for (const std::size_t window : {1u, 2u, 14u, 168u}) {
    RollingRange range(window);
    for (std::size_t bar = 0; bar < c.high.size(); ++bar) {
      range.update(c.high[bar], c.low[bar]);
      const std::size_t first = bar + 1 >= window ? bar + 1 - window : 0;
      const double high = *std::max_element(c.high.begin() + static_cast<std::ptrdiff_t>(first), c.high.begin() + static_cast<std::ptrdiff_t>(bar) + 1);
      const double low = *std::min_element(c.low.begin() + static_cast<std::ptrdiff_t>(first), c.low.begin() + static_cast<std::ptrdiff_t>(bar) + 1);
      ASSERT_EQ(range.high(), high) << "window " << window << " bar " << bar;
      ASSERT_EQ(range.low(), low) << "window " << window << " bar " << bar;
    }
  }
}

// The position of the close in the 14-bar range, (C − LL)/(HH − LL), is 1 + WILLR/100
// (TA-Lib writes 0 when HH == LL, a row this skips).
TEST(RollingRange, PositionInTheRangeMatchesTaLibsWilliamsR) {
  WINISWIN_SHARED_FILE(input_path, kHourly);
  WINISWIN_SHARED_FILE(oracle_path, "oracles/talib/BTCUSDT-1h-2025-09_10.csv");
  const OhlcvColumns c = to_columns(load_klines(input_path).value());
  const testing::OracleTable oracle = testing::read_oracle(oracle_path);
  const std::vector<double>& willr = oracle.column("willr14");
  ASSERT_EQ(willr.size(), c.close.size());
  RollingRange range(14);
  std::size_t compared = 0;
  for (std::size_t bar = 0; bar < c.close.size(); ++bar) {
    range.update(c.high[bar], c.low[bar]);
    if (std::isnan(willr[bar]) || range.high() == range.low()) continue;
    const double position = (c.close[bar] - range.low()) / (range.high() - range.low());
    EXPECT_NEAR(position, 1.0 + willr[bar] / 100.0, 1e-10) << "bar " << bar;
    ++compared;
  }
  EXPECT_GT(compared, 800u);
}

}  // namespace
}  // namespace winiswin::indicators
