// The synthetic market must look like the real one in the ways a strategy can feel:
// fat tails, volatility clustering, co-movement with the market factor, daily rhythm.
#include "data/synthetic_market.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "data/gaps.h"
#include "data/kline_validation.h"
#include "data/resample.h"

namespace winiswin {
namespace {

std::vector<double> log_returns(const KlineSeries& series) {
  std::vector<double> returns;
  returns.reserve(series.bars.size());
  for (std::size_t bar_idx = 1; bar_idx < series.bars.size(); ++bar_idx) {
    returns.push_back(std::log(series.bars[bar_idx].close.to_double() / series.bars[bar_idx - 1].close.to_double()));
  }
  return returns;
}

double mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double kurtosis(const std::vector<double>& values) {
  const double average = mean(values);
  double second = 0, fourth = 0;
  for (const double value : values) {
    const double deviation = (value - average) * (value - average);
    second += deviation;
    fourth += deviation * deviation;
  }
  const double count = static_cast<double>(values.size());
  return (fourth / count) / ((second / count) * (second / count));
}

double autocorrelation(const std::vector<double>& values, std::size_t lag) {
  const double average = mean(values);
  double numerator = 0, denominator = 0;
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    denominator += (values[idx] - average) * (values[idx] - average);
    if (idx >= lag) numerator += (values[idx] - average) * (values[idx - lag] - average);
  }
  return numerator / denominator;
}

// OLS slope of y on x and their correlation.
std::pair<double, double> slope_and_correlation(const std::vector<double>& y, const std::vector<double>& x) {
  const double mean_x = mean(x), mean_y = mean(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t idx = 0; idx < x.size(); ++idx) {
    sxy += (x[idx] - mean_x) * (y[idx] - mean_y);
    sxx += (x[idx] - mean_x) * (x[idx] - mean_x);
    syy += (y[idx] - mean_y) * (y[idx] - mean_y);
  }
  return {sxy / sxx, sxy / std::sqrt(sxx * syy)};
}

class SyntheticMarketTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SyntheticMarketConfig config;
    config.symbols = 8;
    config.days = 30;
    market_ = new SyntheticMarket(config);
    for (std::size_t symbol_idx = 0; symbol_idx < 8; ++symbol_idx) series_.push_back(market_->generate(symbol_idx));
  }
  static void TearDownTestSuite() {
    delete market_;
    series_.clear();
  }
  static SyntheticMarket* market_;
  static std::vector<KlineSeries> series_;
};
SyntheticMarket* SyntheticMarketTest::market_ = nullptr;
std::vector<KlineSeries> SyntheticMarketTest::series_;

TEST_F(SyntheticMarketTest, BarsAreValidCompleteAndOnTheInstrumentsGrid) {
  for (std::size_t symbol_idx = 0; symbol_idx < series_.size(); ++symbol_idx) {
    const KlineSeries& series = series_[symbol_idx];
    const Instrument& instrument = market_->instruments()[symbol_idx];
    EXPECT_EQ(series.symbol, instrument.symbol);
    EXPECT_EQ(series.bars.size(), 30u * 1440u);
    EXPECT_TRUE(validate_series(series, series.symbol).ok()) << validate_series(series, series.symbol).error().message;
    EXPECT_TRUE(find_gaps(series).empty());
    for (const Kline& bar : series.bars) {
      for (const Price price : {bar.open, bar.high, bar.low, bar.close}) {
        ASSERT_TRUE(instrument.check_price(price).accepted()) << instrument.check_price(price).reason;
      }
      if (bar.volume.is_positive()) {
        ASSERT_TRUE(instrument.check_quantity(bar.volume, OrderKind::kLimit).accepted());
      }
    }
    EXPECT_TRUE(instrument.is_tradable_usdt_perpetual());
    EXPECT_TRUE(instrument.min_tradable_quantity(series.bars.back().close, OrderKind::kMarket).ok()) << instrument.symbol;
  }
  EXPECT_EQ(series_[0].symbol, "BTCUSDT");
}

TEST_F(SyntheticMarketTest, SameSeedSameMarketOtherSeedOtherMarket) {
  SyntheticMarketConfig config = market_->config();
  EXPECT_EQ(SyntheticMarket(config).generate(3).bars, series_[3].bars);
  config.seed += 1;
  EXPECT_NE(SyntheticMarket(config).generate(3).bars, series_[3].bars);
}

TEST_F(SyntheticMarketTest, StreamingInSpansGivesTheSameBars) {
  for (const std::size_t symbol : {std::size_t{0}, std::size_t{5}}) {
    SyntheticSymbolStream stream(*market_, symbol);
    std::vector<Kline> bars;
    // Uneven spans, one of them empty, then past the end.
    for (const std::size_t span : {std::size_t{1}, std::size_t{0}, std::size_t{999}, std::size_t{1440}, std::size_t{1'000'000}}) {
      stream.next(span, bars);
      EXPECT_EQ(stream.position(), bars.size());
    }
    stream.next(10, bars);
    EXPECT_EQ(bars, series_[symbol].bars) << symbol;
  }
}

TEST_F(SyntheticMarketTest, ReturnsHaveFatTails) {
  for (const KlineSeries& series : series_) {
    const double excess = kurtosis(log_returns(series));
    EXPECT_GT(excess, 5.0) << series.symbol;  // a normal distribution has 3; real 1m files 10–32
    EXPECT_LT(excess, 200.0) << series.symbol;
  }
}

TEST_F(SyntheticMarketTest, VolatilityClustersAndTheMemoryDecays) {
  for (const KlineSeries& series : series_) {
    const auto returns = resample(series, Interval::k5m).value().series;
    std::vector<double> absolute = log_returns(returns);
    for (double& value : absolute) value = std::fabs(value);
    const double lag1 = autocorrelation(absolute, 1);
    const double lag6 = autocorrelation(absolute, 6);
    const double lag120 = autocorrelation(absolute, 120);
    EXPECT_GT(lag1, 0.1) << series.symbol;  // real 5m: 0.2–0.3 at lag 1
    EXPECT_GT(lag6, 0.03) << series.symbol;
    EXPECT_GT(lag1, lag6) << series.symbol;
    EXPECT_GT(lag6, lag120) << series.symbol;
  }
}

TEST_F(SyntheticMarketTest, SymbolsFollowTheMarketWithTheirBetas) {
  const auto market_returns = log_returns(resample(series_[0], Interval::k5m).value().series);
  for (std::size_t symbol_idx = 1; symbol_idx < series_.size(); ++symbol_idx) {
    const auto returns = log_returns(resample(series_[symbol_idx], Interval::k5m).value().series);
    const auto [slope, correlation] = slope_and_correlation(returns, market_returns);
    const double beta = market_->beta(symbol_idx);
    EXPECT_GE(beta, 0.5);
    EXPECT_LE(beta, 1.5);
    EXPECT_NEAR(slope, beta, 0.12 * beta) << series_[symbol_idx].symbol;
    EXPECT_GT(correlation, 0.55) << series_[symbol_idx].symbol;  // real 5m: 0.77–0.92
    EXPECT_LT(correlation, 0.97) << series_[symbol_idx].symbol;
  }
}

TEST_F(SyntheticMarketTest, VolumeFollowsTheTimeOfDay) {
  for (const KlineSeries& series : series_) {
    std::array<double, 24> volume_by_hour{};
    for (const Kline& bar : series.bars) {
      const auto hour = (to_ms(bar.open_time) / 3'600'000) % 24;
      volume_by_hour[static_cast<std::size_t>(hour)] += bar.quote_volume.to_double();
    }
    const auto [low, high] = std::minmax_element(volume_by_hour.begin(), volume_by_hour.end());
    const double ratio = *high / *low;
    EXPECT_GT(ratio, 1.8) << series.symbol;  // real files: 2.4–3.0
    EXPECT_LT(ratio, 5.0) << series.symbol;
    EXPECT_EQ(high - volume_by_hour.begin() >= 11 && high - volume_by_hour.begin() <= 17, true) << series.symbol;
  }
}

TEST_F(SyntheticMarketTest, PricesSpreadLikeRealPerpetuals) {
  SyntheticMarketConfig config;
  config.symbols = 200;
  config.days = 1;
  const SyntheticMarket market(config);
  std::size_t below_one = 0, above_hundred = 0;
  std::set<std::int64_t> ticks;
  for (const Instrument& instrument : market.instruments()) {
    const double price = instrument.price_filter.max_price.to_double() / 100.0;
    below_one += price < 1.0 ? 1 : 0;
    above_hundred += price >= 100.0 ? 1 : 0;
    ticks.insert(instrument.price_filter.tick_size.raw());
  }
  EXPECT_GT(below_one, 40u);
  EXPECT_GT(above_hundred, 10u);
  EXPECT_GT(ticks.size(), 6u);
}

}  // namespace
}  // namespace winiswin
