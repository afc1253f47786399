// Performance metrics of a backtest, from its trades and its equity curve (5m closes).
//   total return   equity_end / equity_start − 1
//   CAGR           (1 + total)^(365 days / span) − 1
//   Sharpe         mean / sd of 5m equity returns × √(periods per year) (rf = 0)
//   Sortino        mean / downside sd (returns below 0, over all periods) × √(periods per year)
//   max drawdown   the largest fall from a running peak, and how long (peak → recovery or end)
//   Calmar         CAGR / max drawdown
//   win rate, profit factor (gross profit / gross loss), expectancy (mean PnL per trade),
//   average R, average holding time, exposure (share of time with a position),
//   trades per day, fees and funding paid, time in each trading state.
#pragma once

#include <string>

#include "engine/backtest.h"

namespace winiswin::engine {

struct Metrics {
  double starting_equity = 0, ending_equity = 0;
  double total_return = 0, cagr = 0, sharpe = 0, sortino = 0, calmar = 0;
  double max_drawdown = 0;
  double max_drawdown_days = 0;
  int trades = 0, wins = 0;
  double win_rate = 0, profit_factor = 0, expectancy = 0, average_r = 0, average_holding_hours = 0;
  double exposure = 0, trades_per_day = 0, fees = 0, funding = 0;
  double days = 0;
  int virtual_trades = 0;
  double virtual_win_rate = 0, virtual_average_r = 0;
  double time_normal = 0, time_cautious = 0, time_risk_averse = 0, time_shutdown = 0;  // shares of time
};

Metrics compute_metrics(const BacktestResult& result, double starting_equity);
std::string metrics_json(const Metrics& metrics);
std::string summary_table(const Metrics& metrics);

}  // namespace winiswin::engine
