#include "risk/trading_state.h"

#include <algorithm>

#include <fmt/format.h>

namespace winiswin::risk {

std::string_view name_of(TradingState state) {
  switch (state) {
    case TradingState::kNormal: return "NORMAL";
    case TradingState::kCautious: return "CAUTIOUS";
    case TradingState::kRiskAverse: return "RISK_AVERSE";
    case TradingState::kShutdown: return "SHUTDOWN";
  }
  return "?";
}

double risk_multiplier(TradingState state) {
  switch (state) {
    case TradingState::kNormal: return 1.0;
    case TradingState::kCautious: return 0.7;
    case TradingState::kRiskAverse: return 0.5;
    case TradingState::kShutdown: return 0.0;
  }
  return 0.0;
}

TradingStateMachine::TradingStateMachine(double starting_equity, Timestamp start, TradingStateConfig config)
    : config_(config), equity_(starting_equity), peak_(starting_equity), entered_(start) {}

TradingState TradingStateMachine::level_called_for(std::string& why) const {
  const double dd = drawdown();
  const auto reason = [&](const char* what) {
    why = fmt::format("{}: {} consecutive losses, drawdown {:.2f} %, breaker {}", what, consecutive_losses_, 100.0 * dd,
                      name_of(breaker_));
  };
  if (breaker_ == BreakerLevel::kEmergency || consecutive_losses_ >= config_.shutdown_losses || dd >= config_.shutdown_drawdown) {
    reason("shutdown line crossed");
    return TradingState::kShutdown;
  }
  if (consecutive_losses_ >= config_.risk_averse_losses || dd >= config_.risk_averse_drawdown) {
    reason("risk-averse line crossed");
    return TradingState::kRiskAverse;
  }
  if (consecutive_losses_ >= config_.cautious_losses || dd >= config_.cautious_drawdown) {
    reason("cautious line crossed");
    return TradingState::kCautious;
  }
  reason("within every line");
  return TradingState::kNormal;
}

std::optional<StateTransition> TradingStateMachine::evaluate(Timestamp now) {
  // SHUTDOWN takes no trades, so a loss streak that caused it could never end: once the
  // cool-down has passed, the streak counts as served down to the risk-averse line (a few
  // more losses shut down again; wins are needed to climb further).
  // Likewise its drawdown could never shrink while nothing trades: once the cool-down has
  // passed, drawdown is measured from the equity at entry into SHUTDOWN (a further fall of
  // the shutdown line from there, e.g. positions still open, keeps it shut down).
  if (state_ == TradingState::kShutdown && breaker_ != BreakerLevel::kEmergency && now - entered_ >= config_.shutdown_cool_down) {
    peak_ = std::max(shutdown_equity_, equity_);
    if (drawdown() < config_.shutdown_drawdown) consecutive_losses_ = std::min(consecutive_losses_, config_.risk_averse_losses);
  }
  std::string why;
  const TradingState called_for = level_called_for(why);
  if (called_for > state_) {
    StateTransition transition{state_, called_for, now, why};
    if (called_for == TradingState::kShutdown) shutdown_equity_ = equity_;
    state_ = called_for;
    entered_ = now;
    wins_since_entry_ = 0;
    return transition;
  }
  if (called_for == state_ || state_ == TradingState::kNormal) return std::nullopt;
  // Recovery: one level down, after the cool-down and (outside SHUTDOWN) a run of wins.
  const bool shutdown = state_ == TradingState::kShutdown;
  if (shutdown && breaker_ == BreakerLevel::kEmergency) return std::nullopt;
  const Milliseconds waited = now - entered_;
  if (waited < (shutdown ? config_.shutdown_cool_down : config_.cool_down)) return std::nullopt;
  if (!shutdown && wins_since_entry_ < config_.recovery_wins) return std::nullopt;
  const auto to = static_cast<TradingState>(static_cast<int>(state_) - 1);
  StateTransition transition{state_, to, now,
                             fmt::format("recovered: {} wins since entering {}, {} min in it; now {}", wins_since_entry_,
                                         name_of(state_), waited.count() / 60'000, why)};
  state_ = to;
  entered_ = now;
  wins_since_entry_ = 0;
  return transition;
}

std::optional<StateTransition> TradingStateMachine::on_trade_closed(double pnl, double equity, Timestamp now) {
  if (pnl < 0) {
    ++consecutive_losses_;
    wins_since_entry_ = 0;
  } else if (pnl > 0) {
    consecutive_losses_ = 0;
    ++wins_since_entry_;
  }
  equity_ = equity;
  peak_ = std::max(peak_, equity);
  return evaluate(now);
}

std::optional<StateTransition> TradingStateMachine::on_equity(double equity, Timestamp now) {
  equity_ = equity;
  peak_ = std::max(peak_, equity);
  return evaluate(now);
}

std::optional<StateTransition> TradingStateMachine::on_breaker(BreakerLevel level, Timestamp now) {
  breaker_ = level;
  return evaluate(now);
}

std::optional<StateTransition> TradingStateMachine::on_clock(Timestamp now) { return evaluate(now); }

}  // namespace winiswin::risk
