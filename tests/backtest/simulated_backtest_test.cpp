#include "backtest/simulated_backtest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "data/synthetic_market.h"
#include "data/funding_csv.h"
#include "data/kline_file.h"
#include "strategy/ict_strategy.h"
#include "support/markets.h"
#include "support/shared_data.h"
#include "venue/binance/exchange_info.h"
#include "venue/binance/leverage_brackets.h"

namespace winiswin::engine {
namespace {

using Fixture = testing::Market;

Fixture synthetic(int symbols, int days) { return testing::synthetic_market(symbols, days); }

std::string decisions_of(const std::vector<TradeRecord>& records, Timestamp before) {
  std::vector<std::string> lines;
  for (const TradeRecord& r : records) {
    if (r.decided >= before) continue;
    lines.push_back(fmt::format("{} {} {} {} {} {} {}", to_ms(r.decided), r.symbol, r.rank, r.side == Side::kBuy ? "L" : "S",
                                r.stop.to_string(), r.target.to_string(), r.is_virtual));
  }
  std::sort(lines.begin(), lines.end());
  std::string joined;
  for (const std::string& line : lines) joined += line + "\n";
  return joined;
}

TEST(Backtest, SameInputsGiveTheSameResults) {
  const Fixture fixture = synthetic(10, 7);
  const strategy::IctStrategy strategy;
  const auto run = [&] { return backtest::SimulatedBacktest(fixture.instruments, {}, strategy, backtest::SimulatedBacktestConfig{}).run(fixture.minutes).value(); };
  const BacktestResult first = run(), second = run();
  ASSERT_GT(first.trades.size() + first.virtuals.size(), 0u);
  EXPECT_EQ(decisions_of(first.trades, Timestamp::max()), decisions_of(second.trades, Timestamp::max()));
  ASSERT_EQ(first.equity.size(), second.equity.size());
  for (std::size_t idx = 0; idx < first.equity.size(); ++idx) ASSERT_EQ(first.equity[idx].equity, second.equity[idx].equity);
}

TEST(Backtest, OneThreadOrManyGiveIdenticalResults) {
  const Fixture fixture = synthetic(12, 5);
  const strategy::IctStrategy strategy;
  const auto run = [&](int threads) {
    backtest::SimulatedBacktestConfig config;
    config.threads = threads;
    return backtest::SimulatedBacktest(fixture.instruments, {}, strategy, config).run(fixture.minutes).value();
  };
  const BacktestResult one = run(1), three = run(3);
  EXPECT_EQ(decisions_of(one.trades, Timestamp::max()), decisions_of(three.trades, Timestamp::max()));
  EXPECT_EQ(decisions_of(one.virtuals, Timestamp::max()), decisions_of(three.virtuals, Timestamp::max()));
  ASSERT_EQ(one.equity.size(), three.equity.size());
  for (std::size_t idx = 0; idx < one.equity.size(); ++idx) ASSERT_EQ(one.equity[idx].equity, three.equity[idx].equity);
  EXPECT_EQ(one.symbol_bars_5m, three.symbol_bars_5m);
  EXPECT_EQ(one.symbol_bars_5m, 12 * 5 * 288);
}

// The decisions before T do not change when the bars after T are removed.
TEST(Backtest, NoLookAhead) {
  Fixture fixture = synthetic(10, 7);
  const strategy::IctStrategy strategy;
  const BacktestResult full = backtest::SimulatedBacktest(fixture.instruments, {}, strategy, backtest::SimulatedBacktestConfig{}).run(fixture.minutes).value();
  const Timestamp cut = fixture.minutes[0].bars[fixture.minutes[0].bars.size() * 3 / 4].open_time;
  for (KlineSeries& series : fixture.minutes) {
    std::erase_if(series.bars, [&](const Kline& bar) { return bar.open_time >= cut; });
  }
  const BacktestResult truncated = backtest::SimulatedBacktest(fixture.instruments, {}, strategy, backtest::SimulatedBacktestConfig{}).run(fixture.minutes).value();
  const std::string before_full = decisions_of(full.trades, cut) + decisions_of(full.virtuals, cut);
  const std::string before_truncated = decisions_of(truncated.trades, cut) + decisions_of(truncated.virtuals, cut);
  EXPECT_FALSE(before_full.empty());
  EXPECT_EQ(before_full, before_truncated);
  // Every mark but the truncated run's last, which includes closing what was open at its end.
  ASSERT_GT(truncated.equity.size(), 1u);
  for (std::size_t idx = 0; idx + 1 < truncated.equity.size(); ++idx) {
    ASSERT_EQ(full.equity[idx].equity, truncated.equity[idx].equity);
  }
}

// A symbol whose tick is coarser than any stop distance can never be traded nor ranked
// (decision_cycle_test pins that its rank goes to the next candidate).
TEST(Backtest, ACandidateTheTickCannotPlaceIsNeverRanked) {
  Fixture fixture = synthetic(6, 4);
  Instrument& coarse = fixture.instruments[2];
  coarse.price_filter.tick_size = Price::from_units(1'000'000);
  coarse.price_filter.min_price = coarse.price_filter.tick_size;
  coarse.price_filter.max_price = Price::from_units(10'000'000);
  const strategy::IctStrategy strategy;
  const BacktestResult result = backtest::SimulatedBacktest(fixture.instruments, {}, strategy, backtest::SimulatedBacktestConfig{}).run(fixture.minutes).value();
  std::map<std::int64_t, std::vector<int>> ranks_by_decision;
  for (const auto* records : {&result.trades, &result.virtuals}) {
    for (const TradeRecord& record : *records) {
      EXPECT_NE(record.symbol, coarse.symbol);
      ranks_by_decision[to_ms(record.decided)].push_back(record.rank);
    }
  }
  ASSERT_FALSE(ranks_by_decision.empty());
  for (auto& [decided, ranks] : ranks_by_decision) {  // one record per rank at most
    std::sort(ranks.begin(), ranks.end());
    ASSERT_EQ(std::adjacent_find(ranks.begin(), ranks.end()), ranks.end()) << decided;
  }
}

TEST(Backtest, RealTradesAreProtectedSizedAndAccounted) {
  const Fixture fixture = synthetic(10, 7);
  const strategy::IctStrategy strategy;
  backtest::SimulatedBacktestConfig config;
  const BacktestResult result = backtest::SimulatedBacktest(fixture.instruments, {}, strategy, config).run(fixture.minutes).value();
  ASSERT_GT(result.trades.size(), 0u);
  double pnl = 0;
  for (const TradeRecord& trade : result.trades) {
    EXPECT_FALSE(trade.is_virtual);
    EXPECT_GT(trade.quantity, 0.0);
    EXPECT_GE(trade.exit_time, trade.entry_time);
    EXPECT_EQ(trade.entry_time, trade.decided);  // filled at the open right after the decision
    const double direction = trade.side == Side::kBuy ? 1.0 : -1.0;
    EXPECT_GT((trade.entry_price - trade.stop.to_double()) * direction, -1e-9) << trade.symbol;
    // A stop exit never loses much more than 2 % of the starting equity (slippage aside).
    if (trade.exit_reason == ExitReason::kStop) {
      EXPECT_LT(-trade.pnl, 0.02 * 10'000 * 1.5) << trade.symbol;
    }
    pnl += trade.pnl;
  }
  // Equity at the end = start + every closed trade's net PnL (nothing else moves money here).
  EXPECT_NEAR(result.equity.back().equity, 10'000 + pnl, 1.0);
}

// The order journal agrees with the trades: each real trade's entry, stop and target were
// sent and accepted before its entry filled, each fill is one of ours, and the fills' fees
// are the trades' fees.
TEST(Backtest, OrdersAndFillsAreJournaledAndAgreeWithTheTrades) {
  const Fixture fixture = synthetic(10, 7);
  const strategy::IctStrategy strategy;
  backtest::SimulatedBacktestConfig config;
  const BacktestResult result = backtest::SimulatedBacktest(fixture.instruments, {}, strategy, config).run(fixture.minutes).value();
  ASSERT_GT(result.trades.size(), 0u);
  std::map<std::string, std::vector<journal::OrderStep>> steps;  // by client id
  for (const journal::OrderRecord& order : result.orders) steps[order.client_id].push_back(order.step);
  double fill_fees = 0;
  std::map<std::string, int> fills_by_symbol;
  for (const journal::FillRecord& fill : result.fills) {
    ASSERT_TRUE(steps.contains(fill.client_id) || fill.liquidation) << "[" << fill.client_id << "] " << fill.symbol << ": a fill of an order never sent";
    fill_fees += fill.fee.to_double();
    ++fills_by_symbol[fill.symbol];
  }
  double trade_fees = 0;
  std::map<std::string, int> trades_by_symbol;
  for (const TradeRecord& trade : result.trades) {
    trade_fees += trade.fees;
    ++trades_by_symbol[trade.symbol];
  }
  EXPECT_NEAR(fill_fees, trade_fees, 1e-6);
  for (const auto& [symbol, trades] : trades_by_symbol) EXPECT_EQ(fills_by_symbol[symbol], 2 * trades) << symbol;  // in, out
  for (const auto& [id, order_steps] : steps) {
    ASSERT_FALSE(order_steps.empty());
    EXPECT_TRUE(order_steps.front() == journal::OrderStep::kSent || order_steps.front() == journal::OrderStep::kCancelSent) << id;
    if (id.ends_with("-E")) {
      EXPECT_EQ(order_steps, (std::vector{journal::OrderStep::kSent, journal::OrderStep::kAccepted})) << id;
    }
  }
  const auto sent = std::count_if(result.orders.begin(), result.orders.end(),
                                  [](const journal::OrderRecord& o) { return o.step == journal::OrderStep::kSent && o.close_position; });
  EXPECT_GE(sent, 2 * static_cast<std::int64_t>(result.trades.size()));  // a stop and a target for each
}

// Real 5m bars (the finest data for BTC and ETH in Sept–Oct 2025, through the 10 October
// crash) with Binance's real funding history: the engine walks 5m bars, and the data's
// rates replace the default schedule (all-zero rates cost exactly nothing).
TEST(Backtest, RealFiveMinuteBarsWithRealFunding) {
  WINISWIN_SHARED_FILE(info_path, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  WINISWIN_SHARED_FILE(tiers_path, "data/rest/freqtrade_binance_leverage_tiers_2024-10.json.gz");
  WINISWIN_SHARED_FILE(btc_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-5m-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(eth_path, "data/klines/futures_um_ohlcv_only/ETHUSDT-5m-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(funding_path, "data/funding/BTCUSDT-fundingRate-2025-09_10.csv");
  const std::vector<KlineSeries> bars{load_klines(btc_path).value(), load_klines(eth_path).value()};
  const auto instruments = binance::load_exchange_info(info_path.string()).value().tradable_usdt_perpetuals();
  const auto brackets = binance::load_leverage_brackets(tiers_path.string()).value();
  const strategy::IctStrategy strategy;
  backtest::SimulatedBacktestConfig config;
  config.funding = load_funding_directory(funding_path.parent_path()).value();
  const BacktestResult real = backtest::SimulatedBacktest(instruments, brackets, strategy, config).run(bars).value();
  EXPECT_EQ(real.symbol_bars_5m, static_cast<std::int64_t>(bars[0].bars.size() + bars[1].bars.size()));
  ASSERT_GT(real.trades.size(), 10u);
  EXPECT_NE(real.funding_paid, 0.0);

  const BacktestResult scheduled = backtest::SimulatedBacktest(instruments, brackets, strategy, backtest::SimulatedBacktestConfig{}).run(bars).value();
  EXPECT_NE(scheduled.funding_paid, real.funding_paid);

  backtest::SimulatedBacktestConfig free = config;
  for (auto& [symbol, rates] : free.funding) {
    for (FundingRate& rate : rates) rate.rate = Ratio{};
  }
  const BacktestResult zero = backtest::SimulatedBacktest(instruments, brackets, strategy, free).run(bars).value();
  EXPECT_EQ(zero.funding_paid, 0.0);
  // Some trade held a position across a funding time, so the zero really was charged as zero.
  bool spans_funding = false;
  for (const TradeRecord& trade : zero.trades) {
    for (const FundingRate& rate : free.funding.at(trade.symbol)) {
      spans_funding |= trade.entry_time < rate.time && rate.time + Milliseconds{300'000} < trade.exit_time;
    }
  }
  EXPECT_TRUE(spans_funding);
}

// R is in units of the planned risk: an entry that filled beyond its stop (a gap at the
// open) has a result in R, not 0.
TEST(Backtest, RIsMeasuredAgainstThePlannedRisk) {
  TradeRecord trade;
  trade.side = Side::kBuy;
  trade.planned_entry = Price::from_units(100);
  trade.stop = Price::from_units(98);
  trade.entry_price = 97.5;  // gapped through the stop at the fill
  trade.exit_price = 97.0;
  EXPECT_DOUBLE_EQ(r_multiple(trade), -0.25);
  trade.side = Side::kSell;
  trade.stop = Price::from_units(102);
  trade.entry_price = 101.0;
  trade.exit_price = 96.0;
  EXPECT_DOUBLE_EQ(r_multiple(trade), 2.5);
}

}  // namespace
}  // namespace winiswin::engine
