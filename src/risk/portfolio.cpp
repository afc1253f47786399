#include "risk/portfolio.h"

#include <algorithm>

namespace winiswin::risk {
namespace {
constexpr std::int64_t kDayMs = 86'400'000;
std::int64_t day_of(Timestamp time) {
  const std::int64_t ms = to_ms(time);
  return ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs;
}
}  // namespace

Portfolio::Portfolio(Notional starting_equity, Timestamp start, PortfolioConfig config)
    : config_(config),
      machine_(starting_equity.to_double(), start, config.state),
      breaker_(config.breaker),
      equity_(starting_equity.to_double()),
      day_start_(starting_equity),
      day_(day_of(start)),
      results_(static_cast<std::size_t>(std::max(1, config.win_rate_trades))) {}

void Portfolio::roll_day(double equity, Timestamp now) {
  equity_ = equity;
  const std::int64_t day = day_of(now);
  if (day == day_) return;
  day_ = day;
  // Equity is wallet + unrealised PnL; a negative wallet (cross margin) leaves no day to lose.
  const auto exact = Notional::from_double(equity);
  day_start_ = equity > 0 && exact ? *exact : Notional{};
}

std::optional<StateTransition> Portfolio::mark(double equity, Timestamp now) {
  roll_day(equity, now);
  return machine_.on_equity(equity, now);
}

std::optional<StateTransition> Portfolio::on_trade_closed(double pnl, double equity, Timestamp now) {
  if (results_.full()) wins_ -= results_.oldest();
  const std::uint8_t win = pnl > 0 ? 1 : 0;
  results_.push(win);
  wins_ += win;
  equity_ = equity;
  return machine_.on_trade_closed(pnl, equity, now);
}

VenueCallEffect Portfolio::on_venue_call(bool failed, Timestamp now) {
  VenueCallEffect effect;
  effect.breaker = failed ? breaker_.record_failure(now) : breaker_.record_success(now);
  if (effect.breaker) effect.state = machine_.on_breaker(breaker_.level(), now);
  return effect;
}

VenueCallEffect Portfolio::reset_breaker(const std::string& who, Timestamp now) {
  VenueCallEffect effect;
  effect.breaker = breaker_.reset(who);
  effect.state = machine_.on_breaker(breaker_.level(), now);
  return effect;
}

void Portfolio::set_exposure(const std::string& symbol, Notional notional, bool pending) {
  for (OpenPosition& position : exposure_) {
    if (position.symbol != symbol) continue;
    position.notional = notional;
    position.pending = pending;
    return;
  }
  exposure_.push_back(OpenPosition{symbol, notional, pending});
}

void Portfolio::clear_exposure(const std::string& symbol) {
  std::erase_if(exposure_, [&](const OpenPosition& position) { return position.symbol == symbol; });
}

bool Portfolio::holds(const std::string& symbol) const {
  return std::any_of(exposure_.begin(), exposure_.end(), [&](const OpenPosition& position) { return position.symbol == symbol; });
}

double Portfolio::win_rate() const {
  return results_.size() == 0 ? 0.5 : static_cast<double>(wins_) / static_cast<double>(results_.size());
}

}  // namespace winiswin::risk
