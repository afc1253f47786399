// Our own indicators (no TA-Lib counterpart) against brute-force definitions, and the
// input contract of the streaming set.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "data/synthetic_market.h"
#include "indicators/batch.h"
#include "indicators/trend.h"

namespace winiswin::indicators {
namespace {

KlineSeries synthetic(int days = 3) {
  SyntheticMarketConfig config;
  config.symbols = 2;
  config.days = days;
  return SyntheticMarket(config).generate(1);
}

TEST(Indicators, WarmUpLengthsMatchTaLibLookbacks) {
  const OhlcvColumns c = to_columns(synthetic());
  const auto first_value = [](const Series& series) {
    return std::find_if(series.begin(), series.end(), [](double v) { return !std::isnan(v); }) - series.begin();
  };
  EXPECT_EQ(first_value(ema(c.close, 9).value()), 8);
  EXPECT_EQ(first_value(sma(c.close, 20).value()), 19);
  EXPECT_EQ(first_value(rsi(c.close, 14).value()), 14);
  EXPECT_EQ(first_value(macd(c.close, 12, 26, 9).value().macd), 33);
  EXPECT_EQ(first_value(macd(c.close, 12, 26, 9).value().signal), 33);
  EXPECT_EQ(first_value(bollinger(c.close, 20, 2).value().upper), 19);
  EXPECT_EQ(first_value(atr(c.high, c.low, c.close, 14).value()), 14);
  EXPECT_EQ(first_value(true_range(c.high, c.low, c.close).value()), 1);
  EXPECT_EQ(first_value(directional(c.high, c.low, c.close, 14).value().plus_di), 14);
  EXPECT_EQ(first_value(directional(c.high, c.low, c.close, 14).value().adx), 27);
  EXPECT_EQ(first_value(ema_slope(c.close, 20, 5).value()), 24);
}

TEST(Indicators, EmaSlopeIsPercentPerBarOverTheLookback) {
  const OhlcvColumns c = to_columns(synthetic());
  const Series averages = ema(c.close, 20).value();
  const Series slope = ema_slope(c.close, 20, 5).value();
  for (std::size_t idx = 24; idx < c.close.size(); ++idx) {
    const double expected = 100.0 * (averages[idx] - averages[idx - 5]) / averages[idx - 5] / 5.0;
    ASSERT_DOUBLE_EQ(slope[idx], expected) << idx;
  }
}

TEST(Indicators, PercentRankCountsValuesAtOrBelowTheCurrent) {
  const Series values = {5, 1, 4, 4, 2, 9, 0, 4};
  const Series ranks = percent_rank(values, 4).value();
  EXPECT_TRUE(std::isnan(ranks[2]));
  EXPECT_DOUBLE_EQ(ranks[3], 3.0 / 4.0);  // window 5 1 4 4: three ≤ 4
  EXPECT_DOUBLE_EQ(ranks[4], 2.0 / 4.0);  // 1 4 4 2: 1, 2
  EXPECT_DOUBLE_EQ(ranks[5], 1.0);        // 4 4 2 9
  EXPECT_DOUBLE_EQ(ranks[6], 1.0 / 4.0);  // 4 2 9 0
  EXPECT_DOUBLE_EQ(ranks[7], 3.0 / 4.0);  // 2 9 0 4
}

// The vectorised count against a plain one, on ties, NaNs and a long random run; windows
// around the vector widths (whole blocks of 8, remainders of every length).
TEST(Indicators, PercentRankEqualsACountOverTheWindow) {
  std::mt19937_64 random(7);
  Series values;
  for (int idx = 0; idx < 5'000; ++idx) {
    const auto draw = random() % 100;
    values.push_back(draw < 3 ? std::nan("") : static_cast<double>(draw % 17));  // many ties, some NaN
  }
  for (const int window : {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 100}) {
    PercentRank rank(window);
    for (std::size_t idx = 0; idx < values.size(); ++idx) {
      rank.update(values[idx]);
      if (idx + 1 < static_cast<std::size_t>(window)) continue;
      std::size_t at_or_below = 0;
      for (std::size_t back = idx + 1 - static_cast<std::size_t>(window); back <= idx; ++back) {
        at_or_below += values[back] <= values[idx] ? 1 : 0;
      }
      ASSERT_EQ(rank.value(), static_cast<double>(at_or_below) / window) << window << " " << idx;
    }
  }
}

// Each vector width this CPU has counts exactly what the plain loop counts, at every length
// around the widths (remainders of every size), with ties and NaNs.
TEST(Indicators, EveryCountImplementationAgrees) {
  std::mt19937_64 random(3);
  std::vector<double> values(130);
  for (double& value : values) {
    const auto draw = random() % 50;
    value = draw < 2 ? std::nan("") : static_cast<double>(draw % 9);
  }
  const auto implementations = count_at_or_below_implementations();
  ASSERT_GE(implementations.size(), 1u);
  for (std::size_t size = 0; size <= values.size(); ++size) {
    for (const double limit : {-1.0, 0.0, 3.0, 3.5, 8.0, 100.0}) {
      std::size_t expected = 0;
      for (std::size_t idx = 0; idx < size; ++idx) expected += values[idx] <= limit ? 1 : 0;
      for (const CountImplementation& implementation : implementations) {
        ASSERT_EQ(implementation.count(values.data(), size, limit), expected) << implementation.name << " size " << size;
      }
      ASSERT_EQ(count_at_or_below(values.data(), size, limit), expected) << "dispatched, size " << size;
    }
  }
}

TEST(Indicators, ReturnStdDevAndVolumeMeanMatchBruteForce) {
  const KlineSeries series = synthetic();
  const OhlcvColumns c = to_columns(series);
  const IndicatorTable table = compute_indicators(series).value();
  for (std::size_t idx = 20; idx < c.close.size(); ++idx) {
    double mean = 0, square = 0, volume = 0;
    for (std::size_t back = idx - 19; back <= idx; ++back) {
      const double r = std::log(c.close[back] / c.close[back - 1]);
      mean += r / 20.0;
      volume += c.volume[back] / 20.0;
    }
    for (std::size_t back = idx - 19; back <= idx; ++back) {
      const double r = std::log(c.close[back] / c.close[back - 1]);
      square += (r - mean) * (r - mean) / 20.0;
    }
    const IndicatorValues& row = table.rows[idx];
    ASSERT_NEAR(row[static_cast<std::size_t>(Column::kReturnStdDev)], std::sqrt(square), 1e-9) << idx;
    ASSERT_NEAR(row[static_cast<std::size_t>(Column::kVolumeMean)], volume, 1e-9 * volume) << idx;
  }
  EXPECT_TRUE(std::isnan(table.rows[19][static_cast<std::size_t>(Column::kReturnStdDev)]));
}

TEST(Indicators, BandWidthIsTheBandsOverTheMiddle) {
  const OhlcvColumns c = to_columns(synthetic());
  const BollingerSeries b = bollinger(c.close, 20, 2.0).value();
  const Series deviation = stddev(c.close, 20).value();
  for (std::size_t idx = 19; idx < c.close.size(); ++idx) {
    ASSERT_DOUBLE_EQ(b.width[idx], (b.upper[idx] - b.lower[idx]) / b.middle[idx]);
    ASSERT_NEAR(b.upper[idx] - b.middle[idx], 2.0 * deviation[idx], 1e-9 * b.middle[idx]);
  }
}

TEST(Indicators, FlatSeriesGivesZerosNotNaN) {
  const Series flat(60, 0.1077);
  const Series deviation = stddev(flat, 20).value();
  EXPECT_EQ(deviation[30], 0.0);  // E[x²] − E[x]² cancels to ~1e-18: TA-Lib outputs exactly 0
  EXPECT_EQ(rsi(flat, 14).value()[30], 0.0);
  const DirectionalSeries d = directional(flat, flat, flat, 14).value();
  EXPECT_EQ(d.plus_di[30], 0.0);
  EXPECT_EQ(d.adx[40], 0.0);
  EXPECT_EQ(atr(flat, flat, flat, 14).value()[30], 0.0);
}

TEST(Indicators, BatchRejectsBadInputNamingTheIndex) {
  Series close = {1, 2, 3, std::nan(""), 5};
  const auto result = ema(close, 2);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("value[3]"), std::string::npos) << result.error().message;
  const double infinity = std::numeric_limits<double>::infinity();
  for (const Series& bad : {Series{1, 2, infinity, 4, 5}, Series{1, 2, 3, 4, infinity}, Series{1, -infinity, 3, 4, 5}}) {
    EXPECT_FALSE(ema(bad, 2).ok());
    EXPECT_FALSE(sma(bad, 2).ok());
    EXPECT_FALSE(stddev(bad, 2).ok());
    EXPECT_FALSE(bollinger(bad, 2, 2.0).ok());
  }
  EXPECT_NE(sma(Series{1, 2, infinity, 4, 5}, 2).error().message.find("value[2]"), std::string::npos);
  EXPECT_FALSE(ema(Series{std::nan("")}, 3).ok());  // shorter than the period, still checked
  Series short_output(2);
  EXPECT_FALSE(ema(Series{1, 2, 3}, 2, short_output).ok());
  close[3] = -4;
  EXPECT_NE(rsi(close, 2).error().message.find("close[3]"), std::string::npos);
  EXPECT_FALSE(rsi(close, 2).ok());
  EXPECT_FALSE(ema(Series{1, 2}, 0).ok());
  EXPECT_FALSE(macd(Series{1, 2}, 26, 12, 9).ok());
  EXPECT_FALSE(atr(Series{1, 2}, Series{1}, Series{1, 2}, 14).ok());
}

TEST(IndicatorSet, RejectsOutOfOrderAndInvalidBarsWithoutChangingState) {
  const KlineSeries series = synthetic(1);
  IndicatorSet set(Interval::k1m);
  for (std::size_t idx = 0; idx < 100; ++idx) ASSERT_TRUE(set.update(series.bars[idx]).ok());
  const IndicatorValues before = set.values();

  const auto repeated = set.update(series.bars[99]);
  ASSERT_FALSE(repeated.ok());
  EXPECT_NE(repeated.error().message.find("is not after the previous bar"), std::string::npos);
  EXPECT_FALSE(set.update(series.bars[50]).ok());
  Kline broken = series.bars[100];
  broken.low = broken.high + Price::from_raw(1);
  EXPECT_NE(set.update(broken).error().message.find("invalid"), std::string::npos);
  broken = series.bars[100];
  broken.close = Price{};
  EXPECT_FALSE(set.update(broken).ok());

  const IndicatorValues after = set.values();
  for (std::size_t column = 0; column < kColumnCount; ++column) {
    EXPECT_TRUE(before[column] == after[column] || (std::isnan(before[column]) && std::isnan(after[column]))) << column;
  }
  EXPECT_EQ(set.bars_seen(), 100);
}

TEST(IndicatorSet, ReportsGapsInsteadOfSmoothingThem) {
  const KlineSeries series = synthetic(1);
  IndicatorSet set(Interval::k1m);
  EXPECT_EQ(set.update(series.bars[0]).value().missing_bars, 0);
  EXPECT_EQ(set.update(series.bars[1]).value().missing_bars, 0);
  EXPECT_EQ(set.update(series.bars[5]).value().missing_bars, 3);
  EXPECT_EQ(set.update(series.bars[6]).value().missing_bars, 0);
  EXPECT_EQ(set.bars_seen(), 4);  // nothing invented
}

TEST(IndicatorSet, ColumnNamesFollowTheConfiguredPeriods) {
  IndicatorConfig config;
  config.ema_periods = {5, 10, 30, 100};
  config.rsi_period = 7;
  const IndicatorSet set(Interval::k5m, config);
  const auto names = set.column_names();
  EXPECT_EQ(names[0], "ema5");
  EXPECT_EQ(names[static_cast<std::size_t>(Column::kRsi)], "rsi7");
  EXPECT_EQ(names[static_cast<std::size_t>(Column::kEmaSlope)], "ema20_slope5");
}

// Columns turned off read as NaN; every other column is exactly what the full set computes
// (whole indicators are skipped only when none of their columns is wanted).
TEST(IndicatorSet, ColumnsOffLeaveEveryOtherColumnBitForBit) {
  const KlineSeries series = synthetic();
  const std::vector<std::vector<Column>> offs = {
      std::vector<Column>(kReportOnlyColumns),
      {Column::kAdx, Column::kPlusDi, Column::kMinusDi, Column::kEmaSlope, Column::kVolumeMean},
      {Column::kBbUpper, Column::kBbMiddle, Column::kBbLower, Column::kBbWidth, Column::kBbWidthRank},
      {Column::kBbWidthRank, Column::kMacdSignal, Column::kTrueRange},  // part of an indicator: the rest stays
  };
  for (const std::vector<Column>& off : offs) {
    IndicatorConfig lean;
    for (const Column column : off) lean.columns = lean.columns.without({column});
    IndicatorSet full(series.interval), partial(series.interval, lean);
    for (const Kline& bar : series.bars) {
      ASSERT_TRUE(full.update(bar).ok());
      ASSERT_TRUE(partial.update(bar).ok());
      const IndicatorValues a = full.values(), b = partial.values();
      for (std::size_t column = 0; column < kColumnCount; ++column) {
        const bool is_off = std::find(off.begin(), off.end(), static_cast<Column>(column)) != off.end();
        EXPECT_EQ(partial.computes(static_cast<Column>(column)), !is_off);
        if (is_off || std::isnan(a[column])) {
          ASSERT_TRUE(std::isnan(b[column])) << column;
        } else {
          ASSERT_EQ(a[column], b[column]) << column;
        }
      }
    }
  }
}

}  // namespace
}  // namespace winiswin::indicators
