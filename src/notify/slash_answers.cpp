#include "notify/slash_answers.h"

#include <fmt/format.h>

#include "notify/discord_delivery.h"

namespace winiswin::notify {
namespace {

std::string price(double value) { return fmt::format("{:.6g}", value); }

std::string duration_text(Milliseconds duration) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(duration).count();
  if (minutes < 60) return fmt::format("{} min", minutes);
  if (minutes < 24 * 60) return fmt::format("{} h {} min", minutes / 60, minutes % 60);
  return fmt::format("{} d {} h", minutes / (24 * 60), minutes / 60 % 24);
}

}  // namespace

std::string balance_answer(const ops::StatusSnapshot& status) {
  return fmt::format("💰 **Equity {:.2f} USDT** ({})\ndrawdown {:.2f} % · win rate {:.1f} % · state {} · breaker {} · open positions {}",
                     status.equity, status.mode, status.drawdown * 100.0, status.win_rate * 100.0, risk::name_of(status.state),
                     risk::name_of(status.breaker), status.positions.size());
}

std::string positions_answer(const ops::StatusSnapshot& status) {
  if (status.positions.empty()) return fmt::format("📭 No open position ({}, equity {:.2f} USDT)", status.mode, status.equity);
  std::string text = fmt::format("📈 **{} open position(s)**", status.positions.size());
  for (std::size_t idx = 0; idx < status.positions.size(); ++idx) {
    const ops::OpenPositionView& position = status.positions[idx];
    std::string line = fmt::format("\n{} {} · qty {} · entry {} · stop {} · target {} · confidence {:.2f}{}", position.side == Side::kBuy ? "LONG" : "SHORT",
                                   position.symbol, price(position.quantity), price(position.entry_price), price(position.stop),
                                   price(position.target), position.confidence, position.filled ? "" : " (entry pending)");
    const std::string more = fmt::format("\n… and {} more", status.positions.size() - idx);
    if (text.size() + line.size() + more.size() > kMaxContentChars) return text + more;  // bytes ≥ characters: a safe bound
    text += line;
  }
  return text;
}

std::string status_answer(const ops::StatusSnapshot& status, std::optional<double> resident_bytes) {
  const std::uint64_t cycles = status.cycle_latency.count();
  const std::string cycle = cycles == 0 ? std::string("no decision yet")
                                        : fmt::format("last cycle {:.1f} ms, mean {:.1f} ms over {} decisions", status.last_cycle_seconds * 1e3,
                                                      status.cycle_latency.sum_seconds() / static_cast<double>(cycles) * 1e3, cycles);
  const std::string memory = resident_bytes ? fmt::format("{:.1f} MiB resident", *resident_bytes / (1024.0 * 1024.0)) : std::string("unknown");
  const std::string last = status.last_decision ? format_utc(*status.last_decision) + " UTC" : std::string("none yet");
  return fmt::format("🛰️ **winiswin {}** · up {}\nsymbols watched {} · {}\nmemory {} · last 5m close decided {}\nvenue {} · state {} · breaker {}",
                     status.mode, duration_text(status.published - status.started), status.symbols, cycle, memory, last,
                     status.venue_reachable ? "reachable" : "FAILING", risk::name_of(status.state), risk::name_of(status.breaker));
}

}  // namespace winiswin::notify
