// The backtest's account rules over whole runs: each test pins a defect of issue 11 (the
// daily limit that never reset, pending entries not counted, virtual positions blocking
// real trades, SHUTDOWN that never ended, sizing inputs never filled).
#include <gtest/gtest.h>

#include <map>

#include "data/synthetic_market.h"
#include "engine/backtest.h"
#include "strategy/ict_strategy.h"

namespace winiswin::engine {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

struct Market {
  std::vector<Instrument> instruments;
  std::vector<KlineSeries> minutes;
};

Market synthetic(int symbols, int days) {
  SyntheticMarketConfig config;
  config.symbols = symbols;
  config.days = days;
  const SyntheticMarket market(config);
  Market out{market.instruments(), {}};
  for (std::size_t idx = 0; idx < out.instruments.size(); ++idx) out.minutes.push_back(market.generate(idx));
  return out;
}

// A state machine that never leaves NORMAL, so only the rule under test refuses.
risk::TradingStateConfig never_cautious() {
  risk::TradingStateConfig state;
  state.cautious_losses = state.risk_averse_losses = state.shutdown_losses = 1'000'000;
  state.cautious_drawdown = state.risk_averse_drawdown = state.shutdown_drawdown = 2.0;
  return state;
}

BacktestResult run(const Market& market, const BacktestConfig& config) {
  const strategy::IctStrategy strategy;
  return Backtest(market.instruments, {}, strategy, config).run(market.minutes).value();
}

// The daily loss limit compares with the equity at the last 00:00 UTC: a bad day stops
// new trades for that day only.
TEST(AccountRules, TheDailyLossLimitResetsAtMidnight) {
  const Market market = synthetic(12, 12);
  BacktestConfig config;
  config.state = never_cautious();
  config.cycle.limits.daily_loss_limit = 0.01;
  const BacktestResult result = run(market, config);
  std::map<std::int64_t, double> day_start, equity_at;  // by day; by decision time
  for (const EquityPoint& point : result.equity) {
    day_start.emplace(to_ms(point.time) / kDayMs, point.equity);  // the first mark of each day
    equity_at[to_ms(point.time)] = point.equity;
  }
  std::int64_t first_refused_day = -1;
  for (const RefusalRecord& refusal : result.refusals) {
    if (refusal.reason.find("daily loss limit") == std::string::npos) continue;
    const std::int64_t day = to_ms(refusal.decided) / kDayMs;
    if (first_refused_day < 0) first_refused_day = day;
    // Refused only when the equity really was 1 % below that day's start.
    EXPECT_LE(equity_at.at(to_ms(refusal.decided)), 0.99 * day_start.at(day) + 1e-6) << format_utc(refusal.decided);
  }
  ASSERT_GE(first_refused_day, 0) << "no day lost 1 %: the test needs one";
  const auto later = std::count_if(result.trades.begin(), result.trades.end(),
                                   [&](const TradeRecord& trade) { return to_ms(trade.decided) / kDayMs > first_refused_day; });
  EXPECT_GT(later, 0) << "no real trade after the first day the limit refused";
}

}  // namespace
}  // namespace winiswin::engine
