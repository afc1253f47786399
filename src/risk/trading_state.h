// The trading state machine: how much risk the account may take, given its recent results.
//
//   state         multiplier  entered when (any of)
//   NORMAL        1.0         —
//   CAUTIOUS      0.7         ≥ 3 consecutive losses, or drawdown ≥ 5 %
//   RISK_AVERSE   0.5         ≥ 5 consecutive losses, or drawdown ≥ 10 %
//   SHUTDOWN      0           ≥ 8 consecutive losses, or drawdown ≥ 15 %, or the exchange
//                             circuit breaker at EMERGENCY
// Drawdown is from the equity peak. Escalation is immediate and may skip levels.
// Recovery (documented rule): one level at a time, when the conditions of the current level
// no longer hold (a win ends the loss streak; equity back above the level's drawdown
// line), after `recovery_wins` consecutive wins (2) since entering it and at least
// `cool_down` (1 h) in it. SHUTDOWN takes no new trades, so it can neither win its way out
// nor see its drawdown shrink: after its cool-down (24 h) the drawdown reference is re-based
// to the equity at entry into SHUTDOWN (the old peak is forgotten), a loss streak that
// caused it counts as the risk-averse line's (5), and it steps down to RISK_AVERSE — unless
// equity fell another 15 % from the entry since (open positions), or the circuit breaker
// is at EMERGENCY. From there 3 more losses or a 15 % fall from the new reference shut down
// again; climbing further needs wins. Every transition carries its reason.
// In SHUTDOWN only orders that reduce exposure are allowed (nautilus_trader's REDUCING).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"
#include "risk/circuit_breaker.h"

namespace winiswin::risk {

enum class TradingState : std::uint8_t { kNormal, kCautious, kRiskAverse, kShutdown };
std::string_view name_of(TradingState state);
double risk_multiplier(TradingState state);

struct TradingStateConfig {
  int cautious_losses = 3, risk_averse_losses = 5, shutdown_losses = 8;
  double cautious_drawdown = 0.05, risk_averse_drawdown = 0.10, shutdown_drawdown = 0.15;
  int recovery_wins = 2;
  Milliseconds cool_down{3'600'000};
  Milliseconds shutdown_cool_down{86'400'000};
};

struct StateTransition {
  TradingState from;
  TradingState to;
  Timestamp time;
  std::string reason;
};

class TradingStateMachine {
 public:
  TradingStateMachine(double starting_equity, Timestamp start, TradingStateConfig config = {});

  // A closed trade's result (pnl in quote currency) and the equity after it.
  std::optional<StateTransition> on_trade_closed(double pnl, double equity, Timestamp now);
  // Marked-to-market equity (funding, unrealised moves) between trades.
  std::optional<StateTransition> on_equity(double equity, Timestamp now);
  std::optional<StateTransition> on_breaker(BreakerLevel level, Timestamp now);
  // Time passing (cool-downs end even when nothing trades).
  std::optional<StateTransition> on_clock(Timestamp now);

  [[nodiscard]] TradingState state() const { return state_; }
  [[nodiscard]] double multiplier() const { return risk_multiplier(state_); }
  [[nodiscard]] bool allows_new_exposure() const { return state_ != TradingState::kShutdown; }
  [[nodiscard]] double drawdown() const { return peak_ > 0 ? 1.0 - equity_ / peak_ : 0.0; }
  [[nodiscard]] int consecutive_losses() const { return consecutive_losses_; }

 private:
  // The level today's numbers call for, and why.
  [[nodiscard]] TradingState level_called_for(std::string& why) const;
  std::optional<StateTransition> evaluate(Timestamp now);

  TradingStateConfig config_;
  TradingState state_ = TradingState::kNormal;
  double equity_;
  double peak_;
  double shutdown_equity_ = 0.0;  // equity when SHUTDOWN was last entered
  int consecutive_losses_ = 0;
  int wins_since_entry_ = 0;
  BreakerLevel breaker_ = BreakerLevel::kNormal;
  Timestamp entered_;
};

}  // namespace winiswin::risk
