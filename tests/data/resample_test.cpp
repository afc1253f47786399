#include "data/resample.h"

#include <gtest/gtest.h>

#include <limits>

#include "data/gaps.h"
#include "data/synthetic_market.h"

namespace winiswin {
namespace {

Kline minute_bar(std::int64_t minute, const char* open, const char* high, const char* low, const char* close,
                 const char* volume, std::int64_t trades) {
  Kline bar;
  bar.open_time = timestamp_from_ms(minute * 60'000);
  bar.close_time = timestamp_from_ms(minute * 60'000 + 59'999);
  bar.open = Price::parse(open).value();
  bar.high = Price::parse(high).value();
  bar.low = Price::parse(low).value();
  bar.close = Price::parse(close).value();
  bar.volume = Quantity::parse(volume).value();
  bar.quote_volume = Notional::parse(volume).value() ;
  bar.trades = trades;
  return bar;
}

// The engine's form: whole buckets at once where the bars are one, else bar by bar.
Result<std::vector<Kline>> stream_by_buckets(KlineAggregator& aggregator, std::span<const Kline> bars) {
  std::vector<Kline> completed;
  for (std::size_t at = 0, consumed = 0; at < bars.size(); at += consumed) {
    auto bar = aggregator.push_front(bars.subspan(at), consumed);
    if (!bar) return bar.error();
    if (consumed == 0) return make_error(ErrorCode::kInvalidArgument, "push_front took no bar");
    if (*bar) completed.push_back(**bar);
  }
  return completed;
}

KlineSeries minutes(std::vector<Kline> bars) {
  KlineSeries series;
  series.symbol = "TESTUSDT";
  series.interval = Interval::k1m;
  series.bars = std::move(bars);
  return series;
}

TEST(Resample, BuildsOhlcAndSumsExactly) {
  // Minutes 0..4 make the 5m bar at 0; prices chosen so high and low are in the middle.
  const auto series = minutes({minute_bar(0, "10.0", "10.2", "9.9", "10.1", "0.1", 1),
                               minute_bar(1, "10.1", "10.5", "10.0", "10.4", "0.2", 2),
                               minute_bar(2, "10.4", "10.4", "9.5", "9.6", "0.3", 3),
                               minute_bar(3, "9.6", "9.8", "9.6", "9.7", "0.4", 4),
                               minute_bar(4, "9.7", "9.9", "9.7", "9.8", "0.00000001", 5)});
  const ResampleResult result = resample(series, Interval::k5m).value();
  ASSERT_EQ(result.series.bars.size(), 1u);
  EXPECT_TRUE(result.incomplete.empty());
  const Kline& bar = result.series.bars[0];
  EXPECT_EQ(to_ms(bar.open_time), 0);
  EXPECT_EQ(to_ms(bar.close_time), 299'999);
  EXPECT_EQ(bar.open, Price::parse("10.0").value());
  EXPECT_EQ(bar.high, Price::parse("10.5").value());
  EXPECT_EQ(bar.low, Price::parse("9.5").value());
  EXPECT_EQ(bar.close, Price::parse("9.8").value());
  EXPECT_EQ(bar.volume, Quantity::parse("1.00000001").value());  // 0.1+0.2+0.3+0.4 exactly, no float noise
  EXPECT_EQ(bar.trades, 15);
  EXPECT_EQ(result.series.interval, Interval::k5m);
  EXPECT_EQ(result.series.symbol, "TESTUSDT");
}

TEST(Resample, BucketsWithMissingBarsAreSkippedAndReported) {
  std::vector<Kline> bars;
  for (std::int64_t minute = 3; minute < 20; ++minute) {
    if (minute == 12) continue;  // a hole in the 10..14 bucket
    bars.push_back(minute_bar(minute, "1", "1", "1", "1", "1", 1));
  }
  const auto series = minutes(bars);
  ASSERT_EQ(find_gaps(series).size(), 1u);
  EXPECT_EQ(find_gaps(series)[0].missing_bars, 1);
  const ResampleResult result = resample(series, Interval::k5m).value();
  // 0..4 starts late (3), 10..14 has a hole: only 5..9 and 15..19 are whole.
  ASSERT_EQ(result.series.bars.size(), 2u);
  EXPECT_EQ(to_ms(result.series.bars[0].open_time), 5 * 60'000);
  EXPECT_EQ(to_ms(result.series.bars[1].open_time), 15 * 60'000);
  ASSERT_EQ(result.incomplete.size(), 2u);
  EXPECT_EQ(to_ms(result.incomplete[0]), 0);
  EXPECT_EQ(to_ms(result.incomplete[1]), 10 * 60'000);
  EXPECT_TRUE(find_gaps(result.series).size() == 1u);  // the hole stays visible at 5m too
}

TEST(Resample, RefusesIntervalsThatDoNotDivide) {
  KlineSeries series = minutes({});
  series.interval = Interval::k3m;
  EXPECT_FALSE(resample(series, Interval::k5m).ok());
  series.interval = Interval::k1h;
  EXPECT_FALSE(resample(series, Interval::k5m).ok());
}

TEST(Resample, StreamingAggregatorMatchesBatch) {
  SyntheticMarketConfig config;
  config.symbols = 3;
  config.days = 2;
  const KlineSeries fine = SyntheticMarket(config).generate(2);
  for (const Interval coarse : {Interval::k5m, Interval::k15m, Interval::k1h, Interval::k1d}) {
    const ResampleResult batch = resample(fine, coarse).value();
    KlineAggregator aggregator(Interval::k1m, coarse);
    std::vector<Kline> streamed;
    for (const Kline& bar : fine.bars) {
      auto completed = aggregator.push(bar).value();
      if (completed) streamed.push_back(*completed);
    }
    EXPECT_EQ(streamed, batch.series.bars) << name_of(coarse);
    EXPECT_EQ(batch.series.bars.size(), fine.bars.size() / static_cast<std::size_t>(aggregator.bars_per_bucket()));
  }
}

// Gaps inside a bucket and across bucket boundaries: the streaming form skips exactly the
// buckets the batch form reports incomplete, and picks up again at the next whole one.
TEST(Resample, StreamingAggregatorSkipsIncompleteBucketsLikeBatch) {
  SyntheticMarketConfig config;
  config.symbols = 2;
  config.days = 1;
  KlineSeries fine = SyntheticMarket(config).generate(1);
  // Minute 7 (inside a 5m bucket), minutes 13–21 (across two boundaries), the first three.
  std::erase_if(fine.bars, [&](const Kline& bar) {
    const std::int64_t minute = (to_ms(bar.open_time) - to_ms(config.start)) / 60'000;
    return minute < 3 || minute == 7 || (minute >= 13 && minute <= 21) || minute == 600;
  });
  for (const Interval coarse : {Interval::k5m, Interval::k15m, Interval::k1h}) {
    const ResampleResult batch = resample(fine, coarse).value();
    ASSERT_FALSE(batch.incomplete.empty());
    KlineAggregator aggregator(Interval::k1m, coarse);
    std::vector<Kline> streamed;
    for (const Kline& bar : fine.bars) {
      if (const Kline* completed = aggregator.push(bar).value()) streamed.push_back(*completed);
    }
    EXPECT_EQ(streamed, batch.series.bars) << name_of(coarse);
    KlineAggregator by_buckets(Interval::k1m, coarse);
    EXPECT_EQ(stream_by_buckets(by_buckets, fine.bars).value(), batch.series.bars) << name_of(coarse);
  }
}

// Volume sums beyond the fixed-point range fail loudly, in both forms, and never wrap.
TEST(Resample, VolumeSumsThatOverflowAreErrors) {
  SyntheticMarketConfig config;
  config.symbols = 2;
  config.days = 1;
  KlineSeries fine = SyntheticMarket(config).generate(1);
  fine.bars.resize(5);
  fine.bars[3].quote_volume = Notional::from_raw(std::numeric_limits<std::int64_t>::max() - 10);
  fine.bars[4].quote_volume = Notional::from_raw(std::numeric_limits<std::int64_t>::max() - 10);
  const auto batch = resample(fine, Interval::k5m);
  ASSERT_FALSE(batch.ok());
  EXPECT_NE(batch.error().message.find("exceeds the fixed-point range"), std::string::npos) << batch.error().message;
  EXPECT_NE(batch.error().message.find("5m bar at"), std::string::npos) << batch.error().message;
  KlineAggregator aggregator(Interval::k1m, Interval::k5m);
  bool failed = false;
  for (const Kline& bar : fine.bars) failed |= !aggregator.push(bar).ok();
  EXPECT_TRUE(failed);
  KlineAggregator by_buckets(Interval::k1m, Interval::k5m);
  const auto streamed = stream_by_buckets(by_buckets, fine.bars);
  ASSERT_FALSE(streamed.ok());
  EXPECT_NE(streamed.error().message.find("fixed-point range"), std::string::npos) << streamed.error().message;
}

TEST(Resample, ChainedResamplingEqualsDirect) {
  SyntheticMarketConfig config;
  config.symbols = 2;
  config.days = 2;
  const KlineSeries fine = SyntheticMarket(config).generate(1);
  const auto via_5m = resample(resample(fine, Interval::k5m).value().series, Interval::k1h).value();
  const auto direct = resample(fine, Interval::k1h).value();
  EXPECT_EQ(via_5m.series.bars, direct.series.bars);
}

}  // namespace
}  // namespace winiswin
