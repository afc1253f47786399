// The account's books as risk reads them, the same in backtest, paper and live: equity as
// it is marked, the day's starting equity, real exposure (open positions and pending
// entries), the results of closed trades, and the trading state machine they drive.
//
//   day start     the equity at the last 00:00 UTC: the first mark at or after a midnight
//                 opens the day (marks come at every 5m close, so the 00:00 close itself
//                 where there is one); the daily loss limit compares with it
//   exposure      one row per symbol, |quantity| × price: an entry counts from the moment it
//                 is placed (pending) until its position closes or the entry is withdrawn,
//                 so entries placed in one cycle count against the limits of the next ranks
//   win rate      wins / closed real trades over the last `win_rate_trades` (0.5 before any)
// Not thread-safe: one decision loop owns it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/fixed_point.h"
#include "core/time.h"
#include "indicators/ring_buffer.h"
#include "risk/account_limits.h"
#include "risk/trading_state.h"

namespace winiswin::risk {

struct PortfolioConfig {
  TradingStateConfig state;
  int win_rate_trades = 20;
};

class Portfolio {
 public:
  Portfolio(Notional starting_equity, Timestamp start, PortfolioConfig config = {});

  // Equity (wallet + unrealised) at `now`; opens a new day after a midnight.
  std::optional<StateTransition> mark(double equity, Timestamp now);
  // A closed real trade's net result and the equity after it.
  std::optional<StateTransition> on_trade_closed(double pnl, double equity, Timestamp now);

  // Exposure by symbol: placed (pending) or filled; cleared when the position closes or the
  // entry is withdrawn.
  void set_exposure(const std::string& symbol, Notional notional, bool pending);
  void clear_exposure(const std::string& symbol);
  [[nodiscard]] std::span<const OpenPosition> exposure() const { return exposure_; }
  [[nodiscard]] bool holds(const std::string& symbol) const;

  [[nodiscard]] Notional day_start_equity() const { return day_start_; }
  [[nodiscard]] double equity() const { return equity_; }
  [[nodiscard]] double win_rate() const;
  [[nodiscard]] TradingState state() const { return machine_.state(); }
  [[nodiscard]] const TradingStateMachine& state_machine() const { return machine_; }

 private:
  void roll_day(double equity, Timestamp now);

  PortfolioConfig config_;
  TradingStateMachine machine_;
  double equity_;
  Notional day_start_;
  std::int64_t day_ = 0;  // days since the epoch of the current day
  std::vector<OpenPosition> exposure_;
  indicators::RingBuffer<std::uint8_t> results_;  // 1 = win
  int wins_ = 0;
};

}  // namespace winiswin::risk
