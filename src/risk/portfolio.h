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
//   venue health  the circuit breaker over the outcomes of venue calls (served or failed):
//                 its level feeds the state machine (EMERGENCY shuts down); while it backs
//                 off or is at EMERGENCY no new entry is sent
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
#include "risk/circuit_breaker.h"
#include "risk/trading_state.h"

namespace winiswin::risk {

struct PortfolioConfig {
  TradingStateConfig state;
  CircuitBreakerConfig breaker;
  int win_rate_trades = 20;
};

// What a venue call's outcome changed: the breaker's level, and with it the trading state.
struct VenueCallEffect {
  std::optional<BreakerTransition> breaker;
  std::optional<StateTransition> state;
};

class Portfolio {
 public:
  Portfolio(Notional starting_equity, Timestamp start, PortfolioConfig config = {});

  // Equity (wallet + unrealised) at `now`; opens a new day after a midnight.
  std::optional<StateTransition> mark(double equity, Timestamp now);
  // A closed real trade's net result and the equity after it.
  std::optional<StateTransition> on_trade_closed(double pnl, double equity, Timestamp now);

  // A venue call served (failed = false) or not (venue::is_venue_failure) at `now`.
  VenueCallEffect on_venue_call(bool failed, Timestamp now);
  // An operator's reset of the breaker to NORMAL (it never leaves EMERGENCY by itself).
  VenueCallEffect reset_breaker(const std::string& who, Timestamp now);
  // May new entries be sent now? Not during the breaker's back-off nor at EMERGENCY.
  [[nodiscard]] bool venue_allows(Timestamp now) const { return breaker_.allows(now); }
  [[nodiscard]] BreakerLevel breaker_level() const { return breaker_.level(); }

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
  CircuitBreaker breaker_;
  double equity_;
  Notional day_start_;
  std::int64_t day_ = 0;  // days since the epoch of the current day
  std::vector<OpenPosition> exposure_;
  indicators::RingBuffer<std::uint8_t> results_;  // 1 = win
  int wins_ = 0;
};

}  // namespace winiswin::risk
