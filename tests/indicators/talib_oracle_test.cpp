// Every indicator against TA-Lib's own output on real Binance klines
// (../shared/oracles/talib, computed by the npm `talib` 2.0.5 build; README there).
#include <gtest/gtest.h>

#include <cmath>

#include "data/kline_file.h"
#include "indicators/batch.h"
#include "support/oracle_csv.h"
#include "support/shared_data.h"

namespace winiswin::indicators {
namespace {

struct OracleCase {
  const char* input;
  const char* oracle;
};

const OracleCase kCases[] = {
    {"data/klines/futures_um_ohlcv_only/BTCUSDT-5m-2025-09_10.csv.gz", "oracles/talib/BTCUSDT-5m-2025-09_10.csv"},
    {"data/klines/futures_um_ohlcv_only/BTCUSDT-1h-2025-09_10.csv.gz", "oracles/talib/BTCUSDT-1h-2025-09_10.csv"},
    {"data/klines/futures_um_ohlcv_only/ETHUSDT-5m-2025-09_10.csv.gz", "oracles/talib/ETHUSDT-5m-2025-09_10.csv"},
    {"data/klines/futures_um/1m/ALGOUSDT-1m-2026-02.csv.gz", "oracles/talib/ALGOUSDT-1m-2026-02.csv.gz"},
};

constexpr double kRelativeTolerance = 1e-9;

// Warm-up cells must agree exactly (both empty); values to a relative 1e-9 of the larger
// magnitude. Near-zero outputs (MACD histogram, DI of a quiet market) are compared against
// the column's typical magnitude instead, since relative error to ~0 is meaningless.
void expect_matches(const std::string& label, const Series& ours, const std::vector<double>& theirs) {
  ASSERT_EQ(ours.size(), theirs.size()) << label;
  double scale = 0.0;
  std::size_t counted = 0;
  for (const double value : theirs) {
    if (!std::isnan(value)) {
      scale += std::fabs(value);
      ++counted;
    }
  }
  scale = counted ? scale / static_cast<double>(counted) : 1.0;
  double worst = 0.0;
  std::size_t mismatches = 0, exact = 0;
  for (std::size_t row = 0; row < ours.size(); ++row) {
    if (std::isnan(theirs[row]) || std::isnan(ours[row])) {
      if (std::isnan(theirs[row]) != std::isnan(ours[row]) && mismatches++ < 3) {
        ADD_FAILURE() << label << " row " << row << ": warm-up differs (ours " << ours[row] << ", TA-Lib " << theirs[row] << ")";
      }
      continue;
    }
    const double difference = std::fabs(ours[row] - theirs[row]);
    exact += difference == 0.0 ? 1 : 0;
    const double relative = difference / std::max({std::fabs(theirs[row]), std::fabs(ours[row]), scale * 1e-3});
    worst = std::max(worst, relative);
    if (relative > kRelativeTolerance && mismatches++ < 3) {
      ADD_FAILURE() << label << " row " << row << ": ours " << ours[row] << " TA-Lib " << theirs[row] << " (relative "
                    << relative << ")";
    }
  }
  EXPECT_EQ(mismatches, 0u) << label;
  ::testing::Test::RecordProperty(label + "_max_relative", std::to_string(worst));
  ::testing::Test::RecordProperty(label + "_bit_exact_rows", std::to_string(exact));
}

class TaLibOracle : public ::testing::TestWithParam<OracleCase> {};

TEST_P(TaLibOracle, EveryColumnMatchesTaLib) {
  WINISWIN_SHARED_FILE(input_path, GetParam().input);
  WINISWIN_SHARED_FILE(oracle_path, GetParam().oracle);
  const KlineSeries series = load_klines(input_path).value();
  const OhlcvColumns c = to_columns(series);
  const testing::OracleTable oracle = testing::read_oracle(oracle_path);
  const std::string file = input_path.filename().string() + ":";

  for (const int period : {9, 20, 50, 200}) {
    expect_matches(file + "ema" + std::to_string(period), ema(c.close, period).value(),
                   oracle.column("ema" + std::to_string(period)));
  }
  expect_matches(file + "sma20", sma(c.close, 20).value(), oracle.column("sma20"));
  expect_matches(file + "rsi14", rsi(c.close, 14).value(), oracle.column("rsi14"));
  const MacdSeries m = macd(c.close, 12, 26, 9).value();
  expect_matches(file + "macd", m.macd, oracle.column("macd"));
  expect_matches(file + "macd_signal", m.signal, oracle.column("macd_signal"));
  expect_matches(file + "macd_hist", m.histogram, oracle.column("macd_hist"));
  const BollingerSeries b = bollinger(c.close, 20, 2.0).value();
  expect_matches(file + "bb_upper", b.upper, oracle.column("bb_upper"));
  expect_matches(file + "bb_middle", b.middle, oracle.column("bb_middle"));
  expect_matches(file + "bb_lower", b.lower, oracle.column("bb_lower"));
  expect_matches(file + "trange", true_range(c.high, c.low, c.close).value(), oracle.column("trange"));
  expect_matches(file + "atr14", atr(c.high, c.low, c.close, 14).value(), oracle.column("atr14"));
  expect_matches(file + "natr14", natr(c.high, c.low, c.close, 14).value(), oracle.column("natr14"));
  const DirectionalSeries d = directional(c.high, c.low, c.close, 14).value();
  expect_matches(file + "adx14", d.adx, oracle.column("adx14"));
  expect_matches(file + "plus_di14", d.plus_di, oracle.column("plus_di14"));
  expect_matches(file + "minus_di14", d.minus_di, oracle.column("minus_di14"));
  expect_matches(file + "stddev20", stddev(c.close, 20).value(), oracle.column("stddev20"));
}

// The engine's streaming set and the batch functions give identical numbers, bit for bit.
TEST_P(TaLibOracle, StreamingSetEqualsBatchFunctions) {
  WINISWIN_SHARED_FILE(input_path, GetParam().input);
  const KlineSeries series = load_klines(input_path).value();
  const OhlcvColumns c = to_columns(series);
  const IndicatorTable table = compute_indicators(series).value();
  ASSERT_EQ(table.rows.size(), series.bars.size());
  const auto column = [&](Column which) {
    Series out;
    for (const IndicatorValues& row : table.rows) out.push_back(row[static_cast<std::size_t>(which)]);
    return out;
  };
  const auto same = [](const Series& a, const Series& b, const char* name) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t idx = 0; idx < a.size(); ++idx) {
      const bool equal = (std::isnan(a[idx]) && std::isnan(b[idx])) || a[idx] == b[idx];
      ASSERT_TRUE(equal) << name << " row " << idx << ": " << a[idx] << " vs " << b[idx];
    }
  };
  same(column(Column::kEma0), ema(c.close, 9).value(), "ema9");
  same(column(Column::kEma3), ema(c.close, 200).value(), "ema200");
  same(column(Column::kSma), sma(c.close, 20).value(), "sma20");
  same(column(Column::kRsi), rsi(c.close, 14).value(), "rsi14");
  const MacdSeries m = macd(c.close, 12, 26, 9).value();
  same(column(Column::kMacd), m.macd, "macd");
  same(column(Column::kMacdSignal), m.signal, "macd_signal");
  same(column(Column::kMacdHist), m.histogram, "macd_hist");
  const BollingerSeries b = bollinger(c.close, 20, 2.0).value();
  same(column(Column::kBbUpper), b.upper, "bb_upper");
  same(column(Column::kBbLower), b.lower, "bb_lower");
  same(column(Column::kBbWidth), b.width, "bb_width");
  same(column(Column::kTrueRange), true_range(c.high, c.low, c.close).value(), "trange");
  same(column(Column::kAtr), atr(c.high, c.low, c.close, 14).value(), "atr14");
  same(column(Column::kNatr), natr(c.high, c.low, c.close, 14).value(), "natr14");
  const DirectionalSeries d = directional(c.high, c.low, c.close, 14).value();
  same(column(Column::kAdx), d.adx, "adx14");
  same(column(Column::kPlusDi), d.plus_di, "plus_di14");
  same(column(Column::kMinusDi), d.minus_di, "minus_di14");
  same(column(Column::kStdDev), stddev(c.close, 20).value(), "stddev20");
  same(column(Column::kEmaSlope), ema_slope(c.close, 20, 5).value(), "ema_slope");
  same(column(Column::kVolumeMean), sma(c.volume, 20).value(), "volume_mean");
  Series widths;
  for (const double width : b.width) {
    if (!std::isnan(width)) widths.push_back(width);
  }
  Series ranks = percent_rank(widths, 100).value();
  ranks.insert(ranks.begin(), series.bars.size() - widths.size(), kNotReady);
  same(column(Column::kBbWidthRank), ranks, "bb_width_rank");
}

INSTANTIATE_TEST_SUITE_P(RealKlines, TaLibOracle, ::testing::ValuesIn(kCases), [](const auto& param_info) {
  std::string name = std::filesystem::path(param_info.param.oracle).filename().string();
  name = name.substr(0, name.find('.'));
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
});

}  // namespace
}  // namespace winiswin::indicators
