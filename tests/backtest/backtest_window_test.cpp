// --from: the backtest reads warm-up bars before the window (BacktestConfig::decide_from) and
// acts from the window's start only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "backtest/simulated_backtest.h"
#include "data/kline_file.h"
#include "engine/bar_feed.h"
#include "strategy/ict_strategy.h"
#include "support/markets.h"
#include "support/shared_data.h"
#include "venue/binance/exchange_info.h"

namespace winiswin::backtest {
namespace {

using engine::BacktestResult;

// Each symbol's score at each decision (every candidate at or above min_confidence).
struct Scored {
  int side = 0;
  double confidence = 0.0;
};
using ScoresByDecision = std::map<std::pair<Timestamp, std::string>, Scored>;

struct WindowRun {
  BacktestResult result;
  ScoresByDecision scores;
};

WindowRun run_window(const std::vector<Instrument>& instruments, const std::vector<KlineSeries>& bars, Timestamp feed_from,
                     Timestamp decide_from) {
  const strategy::IctStrategy strategy;
  WindowRun run;
  SimulatedBacktestConfig config;
  config.decide_from = decide_from;
  config.on_candidates = [&](Timestamp decided, std::span<const engine::Candidate> candidates) {
    for (const engine::Candidate& candidate : candidates) {
      run.scores[{decided, candidate.snapshot->symbol}] = Scored{candidate.score->side == Side::kBuy ? 1 : -1, candidate.score->confidence};
    }
  };
  auto all = std::make_unique<engine::SeriesFeed>(engine::SeriesFeed::make(bars).value());
  auto feed = engine::narrow_feed(std::move(all), {}, feed_from, Timestamp::max()).value();
  run.result = SimulatedBacktest(instruments, {}, strategy, config).run(*feed).value();
  return run;
}

ScoresByDecision from(const ScoresByDecision& scores, Timestamp start) {
  return ScoresByDecision(scores.lower_bound({start, std::string()}), scores.end());
}

Timestamp on_five_minutes(Timestamp time) { return timestamp_from_ms(to_ms(time) - to_ms(time) % 300'000); }

// Nothing before decide_from: no decision, equity mark, trade, virtual position or refusal.
TEST(BacktestWindow, NothingIsDecidedOrMarkedBeforeTheWindow) {
  const testing::Market market = testing::synthetic_market(6, 5);
  const Timestamp start = on_five_minutes(market.minutes[0].bars.front().open_time + std::chrono::hours{60});
  const WindowRun run = run_window(market.instruments, market.minutes, Timestamp::min(), start);
  ASSERT_FALSE(run.result.equity.empty());
  EXPECT_EQ(run.result.equity.front().time, start);
  ASSERT_GT(run.result.trades.size() + run.result.virtuals.size(), 0u);
  for (const auto& trade : run.result.trades) EXPECT_GE(trade.decided, start);
  for (const auto& trade : run.result.virtuals) EXPECT_GE(trade.decided, start);
  for (const auto& refusal : run.result.refusals) EXPECT_GE(refusal.decided, start);
  ASSERT_FALSE(run.scores.empty());
  EXPECT_GE(run.scores.begin()->first.first, start);
}

// On the same bars, the run that decides from T scores every close from T on exactly as the
// run that decides from the data's start (phase 1 does not depend on the account), and a
// symbol warm by T is a candidate at T itself — not hours later.
TEST(BacktestWindow, AWarmSymbolSignalsAtTheWindowsFirstClose) {
  const testing::Market market = testing::synthetic_market(6, 5);
  const WindowRun whole = run_window(market.instruments, market.minutes, Timestamp::min(), Timestamp::min());
  // The first decision with a candidate two days in (every state warm by then).
  const Timestamp two_days = market.minutes[0].bars.front().open_time + std::chrono::hours{48};
  const auto first_candidate = whole.scores.lower_bound({two_days, std::string()});
  ASSERT_NE(first_candidate, whole.scores.end());
  const Timestamp start = first_candidate->first.first;
  const WindowRun window = run_window(market.instruments, market.minutes, Timestamp::min(), start);
  ASSERT_FALSE(window.scores.empty());
  EXPECT_EQ(window.scores.begin()->first.first, start);
  const ScoresByDecision expected = from(whole.scores, start);
  ASSERT_EQ(window.scores.size(), expected.size());
  for (auto left = window.scores.begin(), right = expected.begin(); left != window.scores.end(); ++left, ++right) {
    ASSERT_EQ(left->first, right->first);
    ASSERT_EQ(left->second.side, right->second.side);
    ASSERT_EQ(left->second.confidence, right->second.confidence);
  }
}

// Real BTC and ETH 5m bars (Sept–Oct 2025), the window from 1 October: with the warm-up
// (kWarmupHours of bars before it) the run scores every close from 1 October as the run on
// the data from 1 September does — the same candidates, sides and confidences (to the
// residue of the recursive averages' different starts: 3e-11 here; 36 h of warm-up gave 0.026
// and two candidates of 14,818 changed, 100 h gave 3e-7) — while a run started cold at
// 1 October has no candidate for its first day.
TEST(BacktestWindow, TheWarmUpDecidesAsTheWholeDataDoes) {
  WINISWIN_SHARED_FILE(info_path, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  WINISWIN_SHARED_FILE(btc_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-5m-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(eth_path, "data/klines/futures_um_ohlcv_only/ETHUSDT-5m-2025-09_10.csv.gz");
  const std::vector<KlineSeries> bars{load_klines(btc_path).value(), load_klines(eth_path).value()};
  const auto instruments = binance::load_exchange_info(info_path.string()).value().tradable_usdt_perpetuals();
  const Timestamp start = parse_utc_time("2025-10-01").value();
  const WindowRun whole = run_window(instruments, bars, Timestamp::min(), Timestamp::min());
  const WindowRun warm = run_window(instruments, bars, start - std::chrono::hours{engine::kWarmupHours}, start);
  const WindowRun cold = run_window(instruments, bars, start, start);

  const ScoresByDecision expected = from(whole.scores, start);
  ASSERT_GT(expected.size(), 100u);
  ASSERT_EQ(warm.scores.size(), expected.size());
  double largest_difference = 0.0;
  for (auto left = warm.scores.begin(), right = expected.begin(); left != warm.scores.end(); ++left, ++right) {
    ASSERT_EQ(left->first, right->first);
    ASSERT_EQ(left->second.side, right->second.side);
    largest_difference = std::max(largest_difference, std::abs(left->second.confidence - right->second.confidence));
  }
  EXPECT_LT(largest_difference, 1e-6);

  ASSERT_FALSE(cold.scores.empty());
  EXPECT_GT(cold.scores.begin()->first.first, start + std::chrono::hours{24});
}

}  // namespace
}  // namespace winiswin::backtest
