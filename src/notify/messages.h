// The texts Discord is sent, from the journal's rows (plain values; nothing here sends).
// Markdown as Discord renders it; numbers rounded for a phone screen, not for accounting
// (the journal keeps the exact ones).
#pragma once

#include <optional>
#include <string>

#include "journal/records.h"
#include "risk/trading_state.h"

namespace winiswin::notify {

// |target − planned entry| / |planned entry − stop|: the reward the trade was planned for, in
// units of its risk; 0 when the stop is at the entry.
double reward_to_risk(const journal::TradeRecord& trade);

std::string trade_opened_text(const journal::TradeRecord& trade, double quantity);
std::string trade_closed_text(const journal::TradeRecord& trade);
std::string state_change_text(const risk::StateTransition& transition);
std::string breaker_text(const journal::BreakerEvent& event);
std::string drawdown_warning_text(double drawdown, double equity, double peak, double threshold);

// One UTC day of trading, for the daily report.
struct DailyReport {
  Timestamp day;  // 00:00 UTC
  int trades = 0;
  int wins = 0;
  double pnl = 0.0;            // Σ net results, USDT
  double max_drawdown = 0.0;   // the deepest fall from the equity peak seen that day, 0..1
  double equity = 0.0;         // at the day's last mark
  bool model_loaded = false;
  int scored_trades = 0;       // trades the model gave a probability
  double probability_sum = 0.0;
  int scored_wins = 0;
  double brier_sum = 0.0;      // Σ (p − won)²
};
std::string daily_report_text(const DailyReport& report);

}  // namespace winiswin::notify
