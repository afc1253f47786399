#include "engine/bar_feed.h"

#include <gtest/gtest.h>

#include "backtest/simulated_backtest.h"
#include "data/resample.h"
#include "strategy/ict_strategy.h"

namespace winiswin::engine {
namespace {

constexpr std::int64_t kMinute = 60'000;

SyntheticMarketConfig small_market(int symbols, int days) {
  SyntheticMarketConfig config;
  config.symbols = symbols;
  config.days = days;
  return config;
}

Timestamp minute_at(const SyntheticMarket& market, std::int64_t minute) {
  return market.config().start + Milliseconds{minute * kMinute};
}

TEST(SyntheticFeed, SpansAreSlicesOfTheWholeSeriesInAnyReadingOrder) {
  const SyntheticMarket market(small_market(3, 2));
  SyntheticFeed feed(market);
  ASSERT_EQ(feed.symbols().size(), 3u);
  EXPECT_EQ(feed.first(), market.config().start);
  EXPECT_EQ(feed.last(), minute_at(market, 2 * 1440 - 1));
  const KlineSeries whole = market.generate(2);
  const auto expect_slice = [&](std::int64_t begin, std::int64_t end) {
    const auto span = feed.bars(2, minute_at(market, begin), minute_at(market, end)).value();
    const std::vector<Kline> expected(whole.bars.begin() + begin, whole.bars.begin() + std::min<std::int64_t>(end, 2880));
    EXPECT_EQ(std::vector<Kline>(span.begin(), span.end()), expected) << begin << ".." << end;
  };
  expect_slice(0, 1440);
  expect_slice(1440, 2000);   // continues
  expect_slice(2500, 9999);   // skips ahead, clipped at the end
  expect_slice(100, 200);     // goes back: starts over, same bars
  EXPECT_TRUE(feed.bars(2, minute_at(market, 5000), minute_at(market, 6000)).value().empty());
  // A time between minutes starts at the next whole minute.
  const auto span = feed.bars(2, minute_at(market, 10) + Milliseconds{1}, minute_at(market, 12)).value();
  ASSERT_EQ(span.size(), 1u);
  EXPECT_EQ(span[0], whole.bars[11]);
}

// Reads go forward from where the last span ended; any other order (back, far ahead, over
// gaps, between bar times) must give the same bars as filtering the whole series.
TEST(SeriesFeed, SpansMatchTheSeriesInAnyReadingOrder) {
  const SyntheticMarket market(small_market(2, 2));
  std::vector<KlineSeries> series{market.generate(1)};
  std::erase_if(series[0].bars, [&](const Kline& bar) {
    const std::int64_t minute = (to_ms(bar.open_time) - to_ms(market.config().start)) / kMinute;
    return (minute >= 100 && minute < 400) || minute % 97 == 0;
  });
  SeriesFeed feed = SeriesFeed::make(series).value();
  const auto expect_slice = [&](Timestamp from, Timestamp to) {
    std::vector<Kline> expected;
    for (const Kline& bar : series[0].bars) {
      if (bar.open_time >= from && bar.open_time < to) expected.push_back(bar);
    }
    const auto span = feed.bars(0, from, to).value();
    EXPECT_EQ(std::vector<Kline>(span.begin(), span.end()), expected) << format_utc(from) << " .. " << format_utc(to);
  };
  const auto at = [&](std::int64_t minute) { return minute_at(market, minute); };
  for (std::int64_t hour = 0; hour < 48; ++hour) expect_slice(at(hour * 60), at(hour * 60 + 60));  // forward, as the engine reads
  expect_slice(at(30), at(700));                     // back to the start, across the gap
  expect_slice(at(700), at(701));                    // one bar
  expect_slice(at(2000), at(2000));                  // empty
  expect_slice(at(150), at(350));                    // inside the gap: empty
  expect_slice(at(2879), at(5000));                  // the last bar, past the end
  expect_slice(at(-50), at(3));                      // before the start
  expect_slice(at(10) + Milliseconds{1}, at(12));    // between bar times
  expect_slice(at(1000), at(900));                   // reversed: empty
}

TEST(SeriesFeed, RejectsWhatTheEngineCannotWalk) {
  const SyntheticMarket market(small_market(2, 1));
  std::vector<KlineSeries> series{market.generate(0), market.generate(1)};
  EXPECT_TRUE(SeriesFeed::make(series).ok());
  auto twice = series;
  twice.push_back(series[0]);
  EXPECT_NE(SeriesFeed::make(twice).error().message.find("given twice"), std::string::npos);
  auto disordered = series;
  std::swap(disordered[1].bars[5], disordered[1].bars[6]);
  EXPECT_NE(SeriesFeed::make(disordered).error().message.find("out of order"), std::string::npos);
  auto coarse = series;
  coarse[0].interval = Interval::k15m;
  EXPECT_NE(SeriesFeed::make(coarse).error().message.find("1m or 5m"), std::string::npos);
  auto mislabelled = series;  // 1m bars said to be 5m
  mislabelled[0].interval = Interval::k5m;
  EXPECT_NE(SeriesFeed::make(mislabelled).error().message.find("off the 5m grid"), std::string::npos);
  EXPECT_FALSE(SeriesFeed::make({}).ok());
}

TEST(NarrowFeed, KeepsTheRequestedSymbolsAndWindow) {
  const SyntheticMarket market(small_market(4, 2));
  const Timestamp from = minute_at(market, 60), to = minute_at(market, 120);
  auto narrowed = narrow_feed(std::make_unique<SyntheticFeed>(market), {"SYN003USDT", "BTCUSDT"}, from, to).value();
  ASSERT_EQ(narrowed->symbols(), (std::vector<std::string>{"BTCUSDT", "SYN003USDT"}));  // the feed's order
  EXPECT_EQ(narrowed->first(), from);
  EXPECT_EQ(narrowed->last(), to - Milliseconds{kMinute});
  const auto span = narrowed->bars(1, market.config().start, market.config().start + Milliseconds{86'400'000}).value();
  ASSERT_EQ(span.size(), 60u);
  EXPECT_EQ(span.front(), market.generate(3).bars[60]);

  EXPECT_EQ(narrow_feed(std::make_unique<SyntheticFeed>(market), {"NOPEUSDT"}, Timestamp::min(), Timestamp::max()).error().code,
            ErrorCode::kNotFound);
  EXPECT_FALSE(narrow_feed(std::make_unique<SyntheticFeed>(market), {}, from + Milliseconds{1}, to).ok());
  EXPECT_FALSE(narrow_feed(std::make_unique<SyntheticFeed>(market), {}, to, from).ok());
  const Timestamp after = minute_at(market, 5000);
  EXPECT_FALSE(narrow_feed(std::make_unique<SyntheticFeed>(market), {}, after, after + Milliseconds{kMinute}).ok());
}

// Streaming the market a day at a time decides exactly what holding it all in memory does.
TEST(SyntheticFeed, BacktestEqualsTheOneOverWholeSeries) {
  const SyntheticMarket market(small_market(8, 4));
  std::vector<KlineSeries> whole;
  for (std::size_t idx = 0; idx < market.instruments().size(); ++idx) whole.push_back(market.generate(idx));
  const strategy::IctStrategy strategy;
  const BacktestResult from_memory = backtest::SimulatedBacktest(market.instruments(), {}, strategy, backtest::SimulatedBacktestConfig{}).run(whole).value();
  SyntheticFeed feed(market);
  const BacktestResult streamed = backtest::SimulatedBacktest(market.instruments(), {}, strategy, backtest::SimulatedBacktestConfig{}).run(feed).value();
  ASSERT_GT(from_memory.trades.size() + from_memory.virtuals.size(), 0u);
  EXPECT_EQ(streamed.symbol_bars_5m, from_memory.symbol_bars_5m);
  ASSERT_EQ(streamed.trades.size(), from_memory.trades.size());
  ASSERT_EQ(streamed.virtuals.size(), from_memory.virtuals.size());
  for (std::size_t idx = 0; idx < streamed.trades.size(); ++idx) {
    EXPECT_EQ(streamed.trades[idx].entry_time, from_memory.trades[idx].entry_time);
    EXPECT_EQ(streamed.trades[idx].pnl, from_memory.trades[idx].pnl);
  }
  ASSERT_EQ(streamed.equity.size(), from_memory.equity.size());
  for (std::size_t idx = 0; idx < streamed.equity.size(); ++idx) ASSERT_EQ(streamed.equity[idx].equity, from_memory.equity[idx].equity);
}

// A symbol with only 5m bars among 1m symbols is walked with them: every 5m close decides on
// the same states as a walk of everyone's 5m bars (phase 1 aggregates 1m bars into exactly the
// resampled 5m ones), candidate for candidate. The bridged hole is 0 so that a 5m symbol taken
// for a 1m one (its next bar 4 minutes "late") would start over at every bar and never signal.
TEST(SeriesFeed, AFiveMinuteSymbolAmongOneMinuteSymbolsDecidesAsInAFiveMinuteWalk) {
  const SyntheticMarket market(small_market(4, 3));
  std::vector<KlineSeries> mixed, fives;
  for (std::size_t idx = 0; idx < market.instruments().size(); ++idx) {
    KlineSeries minutes = market.generate(idx);
    KlineSeries five = resample(minutes, Interval::k5m).value().series;
    mixed.push_back(idx % 2 == 0 ? std::move(minutes) : five);
    fives.push_back(std::move(five));
  }
  using Seen = std::vector<std::tuple<Timestamp, std::string, double>>;
  const auto run = [&](const std::vector<KlineSeries>& series, Seen& seen) {
    backtest::SimulatedBacktestConfig config;
    config.max_bridged_gap_minutes = 0;
    config.on_candidates = [&seen](Timestamp decision, std::span<const Candidate> candidates) {
      for (const Candidate& candidate : candidates) seen.emplace_back(decision, candidate.snapshot->symbol, candidate.score->confidence);
    };
    const strategy::IctStrategy strategy;
    return backtest::SimulatedBacktest(market.instruments(), {}, strategy, config).run(series).value();
  };
  Seen mixed_seen, fives_seen;
  const BacktestResult mixed_result = run(mixed, mixed_seen);
  const BacktestResult fives_result = run(fives, fives_seen);
  EXPECT_EQ(mixed_result.decisions, fives_result.decisions);
  EXPECT_EQ(mixed_result.symbol_bars_5m, fives_result.symbol_bars_5m);
  ASSERT_EQ(mixed_seen, fives_seen);
  const auto five_minute_symbol = [&](const auto& seen) { return std::get<1>(seen) == mixed[1].symbol; };
  EXPECT_GT(std::count_if(mixed_seen.begin(), mixed_seen.end(), five_minute_symbol), 10) << "the 5m symbol signals";
  // Through a window, each symbol ends at its last bar closing by the window's end.
  auto whole = std::make_unique<SeriesFeed>(SeriesFeed::make(mixed).value());
  const Timestamp to = minute_at(market, 1440);
  const auto narrowed = narrow_feed(std::move(whole), {}, Timestamp::min(), to).value();
  EXPECT_EQ(narrowed->interval(), Interval::k1m);
  EXPECT_EQ(narrowed->interval_of(1), Interval::k5m);
  EXPECT_EQ(narrowed->last_of(0), to - Milliseconds{kMinute});
  EXPECT_EQ(narrowed->last_of(1), to - Milliseconds{5 * kMinute});
  EXPECT_FALSE(narrow_feed(std::make_unique<SeriesFeed>(SeriesFeed::make(mixed).value()), {}, minute_at(market, 61), to).ok())
      << "--from off the coarsest bars' boundaries";
  // The last equity mark is at the close of the last bar, as in the 5m walk.
  ASSERT_FALSE(mixed_result.equity.empty());
  EXPECT_EQ(mixed_result.equity.back().time, fives_result.equity.back().time);
}

}  // namespace
}  // namespace winiswin::engine
