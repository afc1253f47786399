// The symbol pipeline the backtest and the live runner share: a bar at a time (as a stream
// delivers them) or a chunk at a time (as the backtest reads them), from 1m or from 5m bars,
// the state at every 5m close is the same — and so is the strategy's score of it.
#include "engine/symbol_pipeline.h"

#include <gtest/gtest.h>

#include "data/resample.h"
#include "data/synthetic_market.h"
#include "strategy/ict_strategy.h"
#include "strategy/market_snapshot.h"

namespace winiswin::engine {
namespace {

struct CloseSeen {
  Timestamp time;
  bool scored = false;
  Side side = Side::kBuy;
  double confidence = 0.0;
  double close = 0.0;
};

CloseSeen seen(const Kline& five, const strategy::SymbolState& state, const strategy::Strategy& strategy) {
  const strategy::MarketSnapshot snapshot = strategy::snapshot_of(state);
  const strategy::Scoring scoring = strategy.score(snapshot);
  CloseSeen out{five.close_time, scoring.score.has_value(), Side::kBuy, 0.0, five.close.to_double()};
  if (scoring.score) {
    out.side = scoring.score->side;
    out.confidence = scoring.score->confidence;
  }
  return out;
}

void expect_same(const std::vector<CloseSeen>& a, const std::vector<CloseSeen>& b) {
  ASSERT_EQ(a.size(), b.size());
  int scored = 0;
  for (std::size_t idx = 0; idx < a.size(); ++idx) {
    ASSERT_EQ(a[idx].time, b[idx].time) << idx;
    ASSERT_EQ(a[idx].scored, b[idx].scored) << idx;
    ASSERT_EQ(a[idx].side, b[idx].side) << idx;
    ASSERT_EQ(a[idx].confidence, b[idx].confidence) << idx;  // bit for bit
    ASSERT_EQ(a[idx].close, b[idx].close) << idx;
    scored += a[idx].scored ? 1 : 0;
  }
  EXPECT_GT(scored, 100) << "the test needs warm states that score";
}

TEST(SymbolPipeline, BarByBarChunkedOrFromFiveMinuteBarsTheSameStateAtEveryClose) {
  SyntheticMarketConfig config;
  config.symbols = 1;
  config.days = 4;
  const KlineSeries minutes = SyntheticMarket(config).generate(0);
  const strategy::IctStrategy strategy;

  std::vector<CloseSeen> chunked;  // as the backtest reads: an hour of bars at a time
  SymbolPipeline backtest(minutes.symbol, Interval::k1m);
  const std::span<const Kline> all(minutes.bars);
  for (std::size_t at = 0; at < all.size();) {
    std::size_t consumed = 0;
    const Kline* five = backtest.push_front(all.subspan(at, std::min<std::size_t>(60, all.size() - at)), consumed).value();
    if (five) chunked.push_back(seen(*five, backtest.state(), strategy));
    at += consumed;
  }

  std::vector<CloseSeen> streamed;  // as a live 1m stream delivers them
  SymbolPipeline live(minutes.symbol, Interval::k1m);
  for (const Kline& bar : minutes.bars) {
    if (const Kline* five = live.push(bar).value()) streamed.push_back(seen(*five, live.state(), strategy));
  }
  expect_same(chunked, streamed);

  std::vector<CloseSeen> from_five;  // a live 5m stream: the same bars, aggregated by Binance
  SymbolPipeline five_minute(minutes.symbol, Interval::k5m);
  const ResampleResult fives = resample(minutes, Interval::k5m).value();
  for (const Kline& bar : fives.series.bars) {
    if (const Kline* five = five_minute.push(bar).value()) from_five.push_back(seen(*five, five_minute.state(), strategy));
  }
  expect_same(chunked, from_five);
}

TEST(SymbolPipeline, StartingOverWarmsUpAgain) {
  SyntheticMarketConfig config;
  config.symbols = 1;
  config.days = 3;
  const KlineSeries minutes = SyntheticMarket(config).generate(0);
  const strategy::IctStrategy strategy;
  SymbolPipeline pipeline(minutes.symbol, Interval::k1m);
  bool warm = false;
  for (const Kline& bar : minutes.bars) {
    if (const Kline* five = pipeline.push(bar).value()) warm = warm || seen(*five, pipeline.state(), strategy).scored;
  }
  ASSERT_TRUE(warm);
  pipeline.start_over();
  const Kline* five = nullptr;
  for (std::size_t idx = 0; idx < 5; ++idx) five = pipeline.push(minutes.bars[idx]).value();
  ASSERT_NE(five, nullptr);
  EXPECT_FALSE(seen(*five, pipeline.state(), strategy).scored);  // one 5m bar: nothing to score on yet
}

bool same_change(const structure::ZoneChange& a, const structure::ZoneChange& b) {
  return a.type == b.type && a.kind == b.kind && a.direction == b.direction && a.start == b.start && a.time == b.time && a.top == b.top &&
         a.bottom == b.bottom;
}

// The zones recorded are the strategy's 15m structure's own: those a 15m state fed the same
// bars shows; a start over ends them all at the last close.
TEST(SymbolPipeline, RecordsTheFifteenMinuteZonesTheStrategySees) {
  SyntheticMarketConfig config;
  config.symbols = 1;
  config.days = 6;
  const KlineSeries minutes = SyntheticMarket(config).generate(0);
  SymbolPipeline pipeline(minutes.symbol, Interval::k1m, SymbolPipeline::Zones::kRecorded);
  for (const Kline& bar : minutes.bars) ASSERT_TRUE(pipeline.push(bar));
  const std::vector<structure::ZoneChange> recorded = pipeline.zone_changes();

  strategy::TimeframeState quarter(Interval::k15m, strategy::TimeframeState::Structure::kTracked,
                                   strategy::SymbolState::indicators_without({}));
  structure::ZoneWatch watch;
  std::vector<structure::ZoneChange> expected;
  const ResampleResult quarters = resample(minutes, Interval::k15m).value();
  for (const Kline& bar : quarters.series.bars) {
    watch.before(quarter.structure());
    ASSERT_TRUE(quarter.update(bar));
    watch.after(quarter.structure(), bar, expected);
  }
  ASSERT_GT(expected.size(), 20u);
  ASSERT_EQ(recorded.size(), expected.size());
  for (std::size_t idx = 0; idx < expected.size(); ++idx) EXPECT_TRUE(same_change(recorded[idx], expected[idx])) << idx;

  pipeline.clear_zone_changes();
  pipeline.start_over();
  ASSERT_EQ(pipeline.zone_changes().size(), 1u);
  EXPECT_EQ(pipeline.zone_changes()[0].type, structure::ZoneChange::Type::kAllEnded);
  EXPECT_EQ(pipeline.zone_changes()[0].time, minutes.bars.back().close_time);
  EXPECT_TRUE(SymbolPipeline(minutes.symbol, Interval::k1m).zone_changes().empty());
}

}  // namespace
}  // namespace winiswin::engine
