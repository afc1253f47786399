#include "notify/messages.h"

#include <cmath>

#include <fmt/format.h>

namespace winiswin::notify {
namespace {

std::string_view direction(Side side) { return side == Side::kBuy ? "LONG" : "SHORT"; }

// A price with the digits it needs (prices run from 0.0001 to 100 000): 6 significant.
std::string price(double value) { return fmt::format("{:.6g}", value); }

std::string model_line(const journal::TradeRecord& trade) {
  return trade.ml_probability ? fmt::format(" · model p(win) {:.2f}", *trade.ml_probability) : std::string();
}

}  // namespace

double reward_to_risk(const journal::TradeRecord& trade) {
  const double entry = trade.planned_entry.to_double();
  const double risk = std::abs(entry - trade.stop.to_double());
  return risk > 0.0 ? std::abs(trade.target.to_double() - entry) / risk : 0.0;
}

std::string trade_opened_text(const journal::TradeRecord& trade, double quantity) {
  return fmt::format("🟢 **Opened {} {}** at {} · qty {}\nstop {} · target {} · confidence {:.2f} · reward:risk {:.2f}{}",
                     direction(trade.side), trade.symbol, price(trade.entry_price), price(quantity), price(trade.stop.to_double()),
                     price(trade.target.to_double()), trade.confidence, reward_to_risk(trade), model_line(trade));
}

std::string trade_closed_text(const journal::TradeRecord& trade) {
  const bool won = trade.pnl > 0.0;
  return fmt::format("{} **Closed {} {}** ({}) · result {:+.2f} USDT ({:+.2f} R)\nentry {} → exit {} · confidence {:.2f} · reward:risk {:.2f}{}",
                     won ? "✅" : "❌", direction(trade.side), trade.symbol, journal::name_of(trade.exit_reason), trade.pnl,
                     journal::r_multiple(trade), price(trade.entry_price), price(trade.exit_price), trade.confidence, reward_to_risk(trade),
                     model_line(trade));
}

std::string state_change_text(const risk::StateTransition& transition) {
  const bool worse = static_cast<int>(transition.to) > static_cast<int>(transition.from);
  return fmt::format("{} **Trading state {} → {}**: {}", worse ? "⚠️" : "ℹ️", risk::name_of(transition.from), risk::name_of(transition.to),
                     transition.reason);
}

std::string breaker_text(const journal::BreakerEvent& event) {
  const bool tripped = static_cast<int>(event.to) > static_cast<int>(event.from);
  return fmt::format("{} **Circuit breaker {}: {} → {}**: {}", tripped ? "🚨" : "ℹ️", tripped ? "tripped" : "eased", risk::name_of(event.from),
                     risk::name_of(event.to), event.reason);
}

std::string drawdown_warning_text(double drawdown, double equity, double peak, double threshold) {
  return fmt::format("⚠️ **Drawdown {:.1f} %** (over {:.0f} %): equity {:.2f} USDT, peak {:.2f} USDT", drawdown * 100.0, threshold * 100.0,
                     equity, peak);
}

std::string daily_report_text(const DailyReport& report) {
  const std::string day = format_utc(report.day).substr(0, 10);
  const double win_rate = report.trades > 0 ? 100.0 * report.wins / report.trades : 0.0;
  std::string text = fmt::format("📊 **Daily report {}**\ntrades {} · win rate {:.1f} % · PnL {:+.2f} USDT · max drawdown {:.2f} % · equity {:.2f} USDT",
                                 day, report.trades, win_rate, report.pnl, report.max_drawdown * 100.0, report.equity);
  if (!report.model_loaded) return text;
  if (report.scored_trades == 0) return text + "\nmodel: no scored trade closed today";
  const double mean_probability = report.probability_sum / report.scored_trades;
  const double realised = static_cast<double>(report.scored_wins) / report.scored_trades;
  return text + fmt::format("\nmodel: {} trades scored · mean p(win) {:.2f} vs realised {:.2f} · Brier {:.3f}", report.scored_trades,
                            mean_probability, realised, report.brier_sum / report.scored_trades);
}

}  // namespace winiswin::notify
