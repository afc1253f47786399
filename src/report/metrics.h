// Performance metrics of a backtest, from its trades and its equity curve (5m closes).
//
// Time. Each equity point, written at a 5m close t, stands for the period [t − 5m, t); the
// run's time is the number of points × 5 min. The engine writes no points where no symbol
// has data, so a step longer than 5m between two points counts as one period (the first
// one after the gap), never the hole: `days`, CAGR, trades per day, exposure and the
// drawdown's duration all count covered time only. Without gaps this is the span from the
// first point's period start (the run's start) to the last point.
//
//   total return   equity_end / equity_start − 1
//   CAGR           (1 + total)^(365 days / days) − 1; −1 (−100 %) when equity ends ≤ 0
//                  (a wiped-out account), whatever the time
//   Sharpe         mean / sd of per-point equity returns × √(periods per year) (rf = 0); the
//                  first return is from the starting equity, and the return across a gap is
//                  one period's return (equity moved while no point was written). 0 when sd
//                  is 0 (a flat curve). A return from equity ≤ 0 is 0 (nothing left to move).
//   Sortino        mean / downside sd (returns below 0, over all periods) × √(periods per
//                  year); +inf when no period loses and the mean is positive (JSON null),
//                  0 when the curve is flat
//   max drawdown   the largest fall from a running peak, 1 − equity / peak (the starting
//                  equity is the first peak; > 1 when equity ends below 0), and the longest
//                  time in drawdown (peak → recovery or end), in covered days
//   Calmar         CAGR / max drawdown; +inf when there is no drawdown and CAGR > 0, 0 flat
//   exposure       share of the run's time with at least one real position open: the union
//                  of the trades' [entry, exit) intervals, clipped to the covered periods,
//                  over the run's time (overlapping positions count once)
//   win rate, profit factor (gross profit / gross loss; +inf with no losing trade, JSON
//   null), expectancy (mean PnL per trade), average R, average holding time (wall clock,
//   entry → exit), trades per day, fees and funding paid, time in each trading state
//   (shares of the equity points). Trade statistics are 0 when there are no trades.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "journal/recorder.h"
#include "journal/records.h"

namespace winiswin::report {

using journal::EquityPoint;
using journal::RefusalRecord;
using journal::TradeRecord;

struct Metrics {
  double starting_equity = 0, ending_equity = 0;
  double total_return = 0, cagr = 0, sharpe = 0, sortino = 0, calmar = 0;
  double max_drawdown = 0;
  double max_drawdown_days = 0;  // covered time
  int trades = 0, wins = 0;
  double win_rate = 0, profit_factor = 0, expectancy = 0, average_r = 0, average_holding_hours = 0;
  double exposure = 0, trades_per_day = 0, fees = 0, funding = 0;
  double days = 0;  // covered time: equity points × 5 min
  int virtual_trades = 0;
  double virtual_win_rate = 0, virtual_average_r = 0;
  double time_normal = 0, time_cautious = 0, time_risk_averse = 0, time_shutdown = 0;  // shares of time
  std::map<std::string, int> refusals;  // ranked signals that did not trade for real, by the rule that refused them
};

// [begin, end) in ms.
struct TimeSpan {
  std::int64_t begin = 0, end = 0;
};

// The metrics of a run from its rows as they are recorded: running sums for the equity curve,
// and per real trade only its [entry, exit) (exposure). Equity points come in strictly
// increasing time, on 5m closes (as the backtest writes them); `starting_equity` > 0.
class MetricsBuilder final : public journal::Recorder {
 public:
  explicit MetricsBuilder(double starting_equity);
  Status trade(const TradeRecord& trade) override;
  Status virtual_position(const TradeRecord& position) override;
  Status equity(const EquityPoint& point) override;
  Status refusal(const RefusalRecord& refusal) override;
  Status transition(const risk::StateTransition&) override { return Ok{}; }
  Status order(const journal::OrderRecord&) override { return Ok{}; }
  Status fill(const journal::FillRecord&) override { return Ok{}; }
  [[nodiscard]] Metrics finish(double fees, double funding) const;

 private:
  double starting_equity_;
  double last_equity_;
  double previous_, peak_, sum_ = 0, sum_squares_ = 0, downside_ = 0, max_drawdown_ = 0;
  std::int64_t points_ = 0, peak_index_ = -1, max_drawdown_periods_ = 0;
  std::array<std::int64_t, 4> in_state_{};
  std::vector<TimeSpan> covered_;  // the covered periods, merged: one span per stretch of data
  int trades_ = 0, wins_ = 0, virtual_trades_ = 0, virtual_wins_ = 0;
  double gross_profit_ = 0, gross_loss_ = 0, r_sum_ = 0, hours_ = 0, virtual_r_ = 0;
  std::vector<TimeSpan> held_;  // real trades' [entry, exit)
  std::map<std::string, int> refusals_;
};

// The same over rows in memory.
Metrics compute_metrics(std::span<const EquityPoint> equity, std::span<const TradeRecord> trades,
                        std::span<const TradeRecord> virtuals, std::span<const RefusalRecord> refusals, double starting_equity,
                        double fees, double funding);
std::string metrics_json(const Metrics& metrics);  // non-finite values as null
std::string summary_table(const Metrics& metrics);

}  // namespace winiswin::report
