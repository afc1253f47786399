// One engine, driven two ways: the live runner given the same 5m bars one at a time, with
// the simulator behind it as paper trading has it, decides exactly what the backtest decides
// over those bars — the same trades (entries, exits, results), refusals and virtual positions.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "backtest/simulated_backtest.h"
#include "data/resample.h"
#include "engine/live_runner.h"
#include "journal/recorder.h"
#include "strategy/ict_strategy.h"
#include "support/forwarding_venue.h"
#include "support/markets.h"
#include "venue/sim/sim_venue.h"

namespace winiswin::backtest {
namespace {

std::string row(const journal::TradeRecord& t) {
  return fmt::format("{} {} {} {} {} {} {} {:.8f} {} {}", t.symbol, format_utc(t.decided), t.rank, format_utc(t.entry_time),
                     t.entry_price, format_utc(t.exit_time), t.exit_price, t.pnl, journal::name_of(t.exit_reason), t.quantity);
}

// The market's 1m bars as the 5m bars `run` is fed.
std::vector<KlineSeries> five_minute_bars(const testing::Market& market) {
  std::vector<KlineSeries> fives;
  for (const KlineSeries& minutes : market.minutes) fives.push_back(resample(minutes, Interval::k5m).value().series);
  return fives;
}

// Paper trading as `run` drives it: at each 5m close every symbol's bar to the simulator and
// then to the runner, the venue's events between, and the decision at the close; `after`
// (if given) sees each close once decided.
void trade_paper(engine::LiveRunner& runner, sim::SimVenue& venue, const std::vector<KlineSeries>& fives,
                 const std::function<void(Timestamp)>& after = {}) {
  const Timestamp start = fives.front().bars.front().open_time;
  std::vector<std::size_t> next(fives.size(), 0);
  for (Timestamp open = start; open < fives.front().bars.back().open_time; open += Milliseconds{300'000}) {  // the backtest closes what is open at the last bar
    for (std::size_t idx = 0; idx < fives.size(); ++idx) {
      const Kline& bar = fives[idx].bars[next[idx]++];
      ASSERT_EQ(bar.open_time, open);
      ASSERT_TRUE(venue.on_bar(fives[idx].symbol, bar).ok());
      ASSERT_TRUE(runner.on_venue_events().ok());
      ASSERT_TRUE(runner.on_bar(fives[idx].symbol, bar).ok());
    }
    ASSERT_TRUE(runner.decide(open + Milliseconds{300'000}).ok());
    if (after) after(open + Milliseconds{300'000});
  }
}

// A paper run over a 10-symbol, 4-day synthetic market: the simulator behind the live runner,
// recording into memory, with the backtest's taker fee; `tweak` adjusts the runner's config.
class PaperRun {
 public:
  explicit PaperRun(const std::function<void(engine::LiveRunnerConfig&)>& tweak = {})
      : market_(testing::synthetic_market(10, 4)),
        fives_(five_minute_bars(market_)),
        venue_(market_.instruments, {}, config_.venue),
        runner_(market_.instruments, {}, strategy_, ml::pass_through_model(), venue_, paper_, runner_config(tweak),
                venue_.balance().value().wallet_balance, fives_.front().bars.front().open_time) {}

  const std::vector<KlineSeries>& fives() const { return fives_; }
  sim::SimVenue& venue() { return venue_; }
  journal::MemoryRecorder& paper() { return paper_; }
  engine::LiveRunner& runner() { return runner_; }

 private:
  engine::LiveRunnerConfig runner_config(const std::function<void(engine::LiveRunnerConfig&)>& tweak) const {
    engine::LiveRunnerConfig live;
    live.cycle.taker_fee = config_.venue.taker_fee;
    if (tweak) tweak(live);
    return live;
  }

  const strategy::IctStrategy strategy_;
  const SimulatedBacktestConfig config_;
  const testing::Market market_;
  const std::vector<KlineSeries> fives_;
  sim::SimVenue venue_;
  journal::MemoryRecorder paper_;
  engine::LiveRunner runner_;
};

TEST(PaperEqualsBacktest, TheLiveRunnerOnTheSameBarsDecidesWhatTheBacktestDecides) {
  const testing::Market market = testing::synthetic_market(20, 5);
  const std::vector<KlineSeries> fives = five_minute_bars(market);
  const strategy::IctStrategy strategy;
  SimulatedBacktestConfig config;

  const engine::BacktestResult backtest = SimulatedBacktest(market.instruments, {}, strategy, config).run(fives).value();
  ASSERT_GT(backtest.trades.size(), 10u);

  // Paper: the simulator given each bar as it closes, the runner after it, the decision at the close.
  sim::SimVenue venue(market.instruments, {}, config.venue);
  journal::MemoryRecorder paper;
  engine::LiveRunnerConfig live;
  live.cycle = config.cycle;
  live.cycle.taker_fee = config.venue.taker_fee;
  live.portfolio = risk::PortfolioConfig{config.state, config.breaker};
  live.max_holding_minutes = config.max_holding_minutes;
  live.fills = config.venue.fills;
  live.client_prefix = "bt";
  const Timestamp start = fives.front().bars.front().open_time;
  engine::LiveRunner runner(market.instruments, {}, strategy, ml::pass_through_model(), venue, paper, live,
                            venue.balance().value().wallet_balance, start);
  const Timestamp last = fives.front().bars.back().open_time;
  trade_paper(runner, venue, fives);

  // Everything the backtest closed before its end-of-data close-out, the paper run closed the same way.
  std::vector<std::string> expected, got;
  for (const auto& trade : backtest.trades) {
    if (trade.exit_reason != journal::ExitReason::kEndOfData) expected.push_back(row(trade));
  }
  for (const auto& trade : paper.trades) got.push_back(row(trade));
  EXPECT_EQ(got, expected);
  std::size_t refusals = 0;
  for (const auto& refusal : backtest.refusals) {
    if (refusal.decided > last) continue;  // the backtest's final close decides nothing
    ASSERT_LT(refusals, paper.refusals.size());
    const auto& mine = paper.refusals[refusals++];
    EXPECT_EQ(fmt::format("{} {} {} {}", format_utc(mine.decided), mine.symbol, mine.rank, mine.limit),
              fmt::format("{} {} {} {}", format_utc(refusal.decided), refusal.symbol, refusal.rank, refusal.limit));
  }
  EXPECT_EQ(refusals, paper.refusals.size());
  std::size_t virtuals = 0;
  for (const auto& position : backtest.virtuals) virtuals += position.exit_reason != journal::ExitReason::kEndOfData ? 1 : 0;
  EXPECT_EQ(paper.virtuals.size(), virtuals);
  // A decision row at each close with candidates: its entries are the entries the venue took.
  ASSERT_FALSE(paper.decisions.empty());
  int entries = 0;
  for (const journal::DecisionRecord& decision : paper.decisions) entries += decision.entries;
  const auto accepted_entries = std::count_if(paper.orders.begin(), paper.orders.end(), [](const journal::OrderRecord& o) {
    return o.step == journal::OrderStep::kAccepted && o.client_id.ends_with("-E");
  });
  EXPECT_EQ(entries, accepted_entries);
}

// TRADING_ENABLED=false: every decision made and recorded, nothing sent.
TEST(PaperEqualsBacktest, WithTradingDisabledItDecidesAndRecordsButSendsNothing) {
  PaperRun run([](engine::LiveRunnerConfig& live) {
    live.trading_enabled = false;
  });
  const std::vector<KlineSeries>& fives = run.fives();
  sim::SimVenue& venue = run.venue();
  journal::MemoryRecorder& paper = run.paper();
  engine::LiveRunner& runner = run.runner();
  trade_paper(runner, venue, fives);
  EXPECT_TRUE(paper.orders.empty());
  EXPECT_TRUE(paper.trades.empty());
  EXPECT_TRUE(venue.positions().value().empty());
  const auto disabled = std::count_if(paper.refusals.begin(), paper.refusals.end(),
                                      [](const journal::RefusalRecord& r) { return r.limit == "trading_disabled"; });
  EXPECT_GT(disabled, 0) << "the ranks that would have traded are recorded as not sent";
  EXPECT_FALSE(paper.virtuals.empty());  // the ML data goes on
}

// A symbol the venue stops trading (delisted, halted) takes no new entry and no virtual
// position from then on; a trade it holds closes as before.
TEST(PaperEqualsBacktest, ASymbolNoLongerTradedOpensNothingNewAndItsTradeStillCloses) {
  PaperRun run([](engine::LiveRunnerConfig& live) {
    live.max_holding_minutes = 120;
  });
  const std::vector<KlineSeries>& fives = run.fives();
  sim::SimVenue& venue = run.venue();
  journal::MemoryRecorder& paper = run.paper();
  engine::LiveRunner& runner = run.runner();
  std::optional<std::string> halted;  // the first symbol to trade, halted right after its entry
  Timestamp halted_at{};
  trade_paper(runner, venue, fives, [&](Timestamp close) {
    if (halted || paper.orders.empty()) return;
    halted = paper.orders.front().symbol;
    halted_at = close;
    runner.set_tradable(*halted, false);
  });
  ASSERT_TRUE(halted.has_value()) << "the test needs a trade";
  const auto on_halted = [&](const auto& rows) {
    return std::count_if(rows.begin(), rows.end(), [&](const auto& row) { return row.symbol == *halted && row.decided > halted_at; });
  };
  EXPECT_EQ(on_halted(paper.trades), 0);
  EXPECT_EQ(on_halted(paper.refusals), 0);
  EXPECT_EQ(on_halted(paper.virtuals), 0);
  const auto its_trade = std::find_if(paper.trades.begin(), paper.trades.end(), [&](const journal::TradeRecord& t) { return t.symbol == *halted; });
  ASSERT_NE(its_trade, paper.trades.end()) << "the trade open when it was halted closes";
  EXPECT_LE(its_trade->decided, halted_at);
  EXPECT_GT(paper.trades.size(), 1u);  // the others go on trading
}

// Paused by the operator: from then on no entry is sent — each real rank is refused as
// "paused" — while the trade open at the pause still closes, and virtual positions go on.
TEST(PaperEqualsBacktest, PausedItSendsNoEntryButItsOpenTradeStillCloses) {
  PaperRun run([](engine::LiveRunnerConfig& live) {
    live.max_holding_minutes = 120;
  });
  const std::vector<KlineSeries>& fives = run.fives();
  sim::SimVenue& venue = run.venue();
  journal::MemoryRecorder& paper = run.paper();
  engine::LiveRunner& runner = run.runner();
  std::optional<Timestamp> paused_at;
  std::size_t orders_at_pause = 0, virtuals_at_pause = 0;
  trade_paper(runner, venue, fives, [&](Timestamp close) {
    if (paused_at || paper.orders.empty()) return;
    paused_at = close;
    orders_at_pause = paper.orders.size();
    virtuals_at_pause = paper.virtuals.size();
    runner.set_paused(true);
  });
  ASSERT_TRUE(paused_at.has_value()) << "the test needs a trade before the pause";
  const auto entries_after = std::count_if(paper.orders.begin() + static_cast<std::ptrdiff_t>(orders_at_pause), paper.orders.end(),
                                           [](const journal::OrderRecord& o) { return o.client_id.ends_with("-E"); });
  EXPECT_EQ(entries_after, 0) << "no entry sent while paused";
  const auto paused_refusals = std::count_if(paper.refusals.begin(), paper.refusals.end(),
                                             [&](const journal::RefusalRecord& r) { return r.limit == "paused"; });
  EXPECT_GT(paused_refusals, 0) << "the ranks that would have traded are recorded as refused: paused";
  EXPECT_TRUE(std::all_of(paper.refusals.begin(), paper.refusals.end(),
                          [&](const journal::RefusalRecord& r) { return r.limit != "paused" || r.decided > *paused_at; }));
  ASSERT_FALSE(paper.trades.empty()) << "the trade open at the pause closes (its stop, target or timeout)";
  EXPECT_LE(paper.trades.front().decided, *paused_at);
  EXPECT_GT(paper.virtuals.size(), virtuals_at_pause) << "virtual positions go on while paused";
}

// The operator's close: the filled trade exits at market through the executor, and closes
// with its own reason; a symbol with no trade is "not found".
TEST(PaperEqualsBacktest, AnOperatorCloseExitsTheTradeAtMarketWithItsOwnReason) {
  PaperRun run;
  const std::vector<KlineSeries>& fives = run.fives();
  sim::SimVenue& venue = run.venue();
  journal::MemoryRecorder& paper = run.paper();
  engine::LiveRunner& runner = run.runner();
  std::optional<std::string> closed;
  trade_paper(runner, venue, fives, [&](Timestamp close) {
    if (closed) return;
    const std::vector<std::string> filled = runner.trader().executor().filled_symbols();
    if (filled.empty()) return;
    closed = filled.front();
    const Status asked = runner.close_by_operator(*closed, close);
    ASSERT_TRUE(asked.ok()) << asked.error().message;
    EXPECT_EQ(runner.close_by_operator("NOSUCHUSDT", close).error().code, ErrorCode::kNotFound);
  });
  ASSERT_TRUE(closed.has_value()) << "the test needs a filled trade";
  const auto its_trade = std::find_if(paper.trades.begin(), paper.trades.end(), [&](const journal::TradeRecord& t) { return t.symbol == *closed; });
  ASSERT_NE(its_trade, paper.trades.end());
  EXPECT_EQ(its_trade->exit_reason, journal::ExitReason::kOperator);
  const bool exit_sent = std::any_of(paper.orders.begin(), paper.orders.end(), [&](const journal::OrderRecord& o) {
    return o.symbol == *closed && o.client_id.ends_with("-X") && o.type == "MARKET" && o.reduce_only;
  });
  EXPECT_TRUE(exit_sent) << "through the executor's own exit order";
}

// A live venue may not answer the account read that follows a trade's close: the close is
// still recorded and the books kept (the last mark plus the trade's PnL stands in), never lost.
TEST(PaperEqualsBacktest, ATradeClosedWhileTheAccountCannotBeReadIsStillRecorded) {
  struct FlakyAccount : testing::ForwardingVenue {
    using ForwardingVenue::ForwardingVenue;
    Result<venue::BalanceReport> balance() override {
      if (failing) return make_error(ErrorCode::kUnknownOutcome, "GET /fapi/v3/balance: HTTP 503");
      return inner_.balance();
    }
    bool failing = false;
  };
  const testing::Market market = testing::synthetic_market(10, 4);
  const std::vector<KlineSeries> fives = five_minute_bars(market);
  const strategy::IctStrategy strategy;
  SimulatedBacktestConfig config;
  const auto trades_of = [&](bool flaky) {
    sim::SimVenue sim(market.instruments, {}, config.venue);
    FlakyAccount venue(sim);
    journal::MemoryRecorder paper;
    engine::LiveRunnerConfig live;
    live.cycle.taker_fee = config.venue.taker_fee;
    const Timestamp start = fives.front().bars.front().open_time;
    engine::LiveRunner runner(market.instruments, {}, strategy, ml::pass_through_model(), venue, paper, live,
                              sim.balance().value().wallet_balance, start);
    std::vector<std::size_t> next(fives.size(), 0);
    for (Timestamp open = start; open < fives.front().bars.back().open_time; open += Milliseconds{300'000}) {
      for (std::size_t idx = 0; idx < fives.size(); ++idx) {
        const Kline& bar = fives[idx].bars[next[idx]++];
        EXPECT_TRUE(sim.on_bar(fives[idx].symbol, bar).ok());
        venue.failing = flaky;  // the account unreadable while the closes are routed
        EXPECT_TRUE(runner.on_venue_events().ok());
        venue.failing = false;
        EXPECT_TRUE(runner.on_bar(fives[idx].symbol, bar).ok());
      }
      EXPECT_TRUE(runner.decide(open + Milliseconds{300'000}).ok());
    }
    std::vector<std::string> rows;
    for (const auto& trade : paper.trades) rows.push_back(row(trade));
    return rows;
  };
  const std::vector<std::string> steady = trades_of(false);
  ASSERT_GT(steady.size(), 3u);
  EXPECT_EQ(trades_of(true), steady);
}

}  // namespace
}  // namespace winiswin::backtest
