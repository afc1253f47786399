#include "report/metrics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <fmt/format.h>

namespace winiswin::report {
namespace {
constexpr double kMillisecondsPerDay = 86'400'000.0;
constexpr double kMillisecondsPerHour = 3'600'000.0;
constexpr std::int64_t kPeriodMs = 300'000;        // one 5m equity period
constexpr double kPeriodsPerYear = 365.0 * 288.0;  // 5m periods
constexpr double kInfinity = std::numeric_limits<double>::infinity();

using Span = TimeSpan;

// Sorts and merges overlapping or touching spans: the union, as disjoint spans in order.
std::vector<Span> union_of(std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::vector<Span> merged;
  for (const Span& span : spans) {
    if (!merged.empty() && span.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, span.end);
    } else {
      merged.push_back(span);
    }
  }
  return merged;
}

// |a ∩ b| in ms, for two unions (disjoint, in order): one sweep, O(|a| + |b|).
std::int64_t intersection_ms(const std::vector<Span>& a, const std::vector<Span>& b) {
  std::int64_t total = 0;
  for (std::size_t a_idx = 0, b_idx = 0; a_idx < a.size() && b_idx < b.size();) {
    const std::int64_t begin = std::max(a[a_idx].begin, b[b_idx].begin), end = std::min(a[a_idx].end, b[b_idx].end);
    if (end > begin) total += end - begin;
    if (a[a_idx].end < b[b_idx].end) {
      ++a_idx;
    } else {
      ++b_idx;
    }
  }
  return total;
}
}  // namespace

MetricsBuilder::MetricsBuilder(double starting_equity)
    : starting_equity_(starting_equity), last_equity_(starting_equity), previous_(starting_equity), peak_(starting_equity) {}

Status MetricsBuilder::equity(const EquityPoint& point) {
  // Returns, drawdown, time in states. The starting equity is the first peak, at the start of
  // the first period (index −1); a drawdown lasts (point index − peak index) periods.
  const double r = previous_ > 0 ? point.equity / previous_ - 1.0 : 0.0;
  sum_ += r;
  sum_squares_ += r * r;
  if (r < 0) downside_ += r * r;
  previous_ = last_equity_ = point.equity;
  if (point.equity >= peak_) {
    peak_ = point.equity;
    peak_index_ = points_;
  }
  const double drawdown = peak_ > 0 ? 1.0 - point.equity / peak_ : 0.0;
  max_drawdown_ = std::max(max_drawdown_, drawdown);
  if (drawdown > 0) max_drawdown_periods_ = std::max(max_drawdown_periods_, points_ - peak_index_);
  ++in_state_[static_cast<std::size_t>(point.state)];
  ++points_;
  // The covered periods: the point at close t stands for [t − 5m, t); consecutive points join.
  const Span period{to_ms(point.time) - kPeriodMs, to_ms(point.time)};
  if (!covered_.empty() && period.begin <= covered_.back().end) {
    covered_.back().end = std::max(covered_.back().end, period.end);
  } else {
    covered_.push_back(period);
  }
  return Ok{};
}

Status MetricsBuilder::trade(const TradeRecord& trade) {
  ++trades_;
  if (trade.pnl > 0) ++wins_, gross_profit_ += trade.pnl;
  else gross_loss_ -= trade.pnl;
  r_sum_ += trade.r_multiple;
  hours_ += static_cast<double>(to_ms(trade.exit_time) - to_ms(trade.entry_time)) / kMillisecondsPerHour;
  if (trade.exit_time > trade.entry_time) held_.push_back(Span{to_ms(trade.entry_time), to_ms(trade.exit_time)});
  return Ok{};
}

Status MetricsBuilder::virtual_position(const TradeRecord& position) {
  ++virtual_trades_;
  virtual_r_ += position.r_multiple;
  virtual_wins_ += position.r_multiple > 0 ? 1 : 0;
  return Ok{};
}

Status MetricsBuilder::refusal(const RefusalRecord& refusal) {
  ++refusals_[refusal.limit];
  return Ok{};
}

Metrics MetricsBuilder::finish(double fees, double funding) const {
  Metrics m;
  m.starting_equity = starting_equity_;
  m.ending_equity = last_equity_;
  m.total_return = m.ending_equity / starting_equity_ - 1.0;
  // Covered time: one 5m period per equity point (a gap between points counts one period).
  const auto periods = static_cast<double>(points_);
  const double covered_ms = periods * static_cast<double>(kPeriodMs);
  m.days = covered_ms / kMillisecondsPerDay;
  if (m.ending_equity <= 0) {
    m.cagr = -1.0;  // wiped out: nothing compounds back from ≤ 0
  } else if (m.days > 0) {
    m.cagr = std::pow(m.ending_equity / starting_equity_, 365.0 / m.days) - 1.0;
  }
  m.max_drawdown = max_drawdown_;
  m.max_drawdown_days = static_cast<double>(max_drawdown_periods_) * static_cast<double>(kPeriodMs) / kMillisecondsPerDay;
  if (periods > 1) {
    const double mean = sum_ / periods;
    const double sd = std::sqrt(std::max(0.0, sum_squares_ / periods - mean * mean));
    const double downside_sd = std::sqrt(downside_ / periods);
    if (sd > 0) m.sharpe = mean / sd * std::sqrt(kPeriodsPerYear);
    if (downside_sd > 0) {
      m.sortino = mean / downside_sd * std::sqrt(kPeriodsPerYear);
    } else if (mean > 0) {
      m.sortino = kInfinity;  // gains and not one losing period
    }
  }
  if (periods > 0) {
    m.time_normal = static_cast<double>(in_state_[0]) / periods;
    m.time_cautious = static_cast<double>(in_state_[1]) / periods;
    m.time_risk_averse = static_cast<double>(in_state_[2]) / periods;
    m.time_shutdown = static_cast<double>(in_state_[3]) / periods;
  }
  if (m.max_drawdown > 0) {
    m.calmar = m.cagr / m.max_drawdown;
  } else if (m.cagr > 0) {
    m.calmar = kInfinity;  // growth without a drawdown
  }
  m.trades = trades_;
  m.wins = wins_;
  if (m.trades > 0) {
    m.win_rate = static_cast<double>(m.wins) / m.trades;
    m.expectancy = (gross_profit_ - gross_loss_) / m.trades;
    m.average_r = r_sum_ / m.trades;
    m.average_holding_hours = hours_ / m.trades;
  }
  m.profit_factor = gross_loss_ > 0 ? gross_profit_ / gross_loss_ : (gross_profit_ > 0 ? kInfinity : 0.0);
  if (m.days > 0) {
    m.trades_per_day = m.trades / m.days;
    // exposure = |(∪ [entry, exit)) ∩ covered periods| / covered time; O(n log n) in trades.
    const auto exposed_ms = static_cast<double>(intersection_ms(union_of(held_), covered_));
    m.exposure = exposed_ms / covered_ms;
  }
  m.fees = fees;
  m.funding = funding;
  m.virtual_trades = virtual_trades_;
  if (m.virtual_trades > 0) {
    m.virtual_win_rate = static_cast<double>(virtual_wins_) / m.virtual_trades;
    m.virtual_average_r = virtual_r_ / m.virtual_trades;
  }
  m.refusals = refusals_;
  return m;
}

Metrics compute_metrics(std::span<const EquityPoint> equity, std::span<const TradeRecord> trades,
                        std::span<const TradeRecord> virtuals, std::span<const RefusalRecord> refusals, double starting_equity,
                        double fees, double funding) {
  MetricsBuilder builder(starting_equity);
  for (const EquityPoint& point : equity) (void)builder.equity(point);  // the builder's calls cannot fail
  for (const TradeRecord& trade : trades) (void)builder.trade(trade);
  for (const TradeRecord& position : virtuals) (void)builder.virtual_position(position);
  for (const RefusalRecord& refusal : refusals) (void)builder.refusal(refusal);
  return builder.finish(fees, funding);
}

namespace {
// "a 3, b 5" — each limit with its count, in name order.
std::string refusal_counts(const Metrics& m, fmt::format_string<const std::string&, const int&> item) {
  std::string out;
  for (const auto& [limit, count] : m.refusals) out += (out.empty() ? "" : ", ") + fmt::format(item, limit, count);
  return out;
}
}  // namespace

std::string metrics_json(const Metrics& m) {
  const auto number = [](double value) { return std::isfinite(value) ? fmt::format("{:.10g}", value) : std::string("null"); };
  return fmt::format(
      "{{\n  \"starting_equity\": {},\n  \"ending_equity\": {},\n  \"total_return\": {},\n  \"cagr\": {},\n  \"sharpe\": {},\n"
      "  \"sortino\": {},\n  \"calmar\": {},\n  \"max_drawdown\": {},\n  \"max_drawdown_days\": {},\n  \"trades\": {},\n"
      "  \"win_rate\": {},\n  \"profit_factor\": {},\n  \"expectancy\": {},\n  \"average_r\": {},\n"
      "  \"average_holding_hours\": {},\n  \"exposure\": {},\n  \"trades_per_day\": {},\n  \"fees\": {},\n  \"funding\": {},\n"
      "  \"days\": {},\n  \"virtual_trades\": {},\n  \"virtual_win_rate\": {},\n  \"virtual_average_r\": {},\n"
      "  \"time_in_state\": {{\"NORMAL\": {}, \"CAUTIOUS\": {}, \"RISK_AVERSE\": {}, \"SHUTDOWN\": {}}},\n"
      "  \"refusals_by_limit\": {{{}}}\n}}\n",
      number(m.starting_equity), number(m.ending_equity), number(m.total_return), number(m.cagr), number(m.sharpe),
      number(m.sortino), number(m.calmar), number(m.max_drawdown), number(m.max_drawdown_days), m.trades, number(m.win_rate),
      number(m.profit_factor), number(m.expectancy), number(m.average_r), number(m.average_holding_hours), number(m.exposure),
      number(m.trades_per_day), number(m.fees), number(m.funding), number(m.days), m.virtual_trades, number(m.virtual_win_rate),
      number(m.virtual_average_r), number(m.time_normal), number(m.time_cautious), number(m.time_risk_averse),
      number(m.time_shutdown), refusal_counts(m, "\"{}\": {}"));
}

std::string summary_table(const Metrics& m) {
  std::string out;
  const auto row = [&](const char* name, const std::string& value) { out += fmt::format("  {:<24} {:>16}\n", name, value); };
  const auto percent = [](double value) { return fmt::format("{:.2f} %", 100.0 * value); };
  row("equity", fmt::format("{:.2f} → {:.2f}", m.starting_equity, m.ending_equity));
  row("total return", percent(m.total_return));
  row("CAGR", percent(m.cagr));
  row("Sharpe / Sortino", fmt::format("{:.2f} / {:.2f}", m.sharpe, m.sortino));
  row("max drawdown", fmt::format("{} ({:.1f} d)", percent(m.max_drawdown), m.max_drawdown_days));
  row("Calmar", fmt::format("{:.2f}", m.calmar));
  row("trades (per day)", fmt::format("{} ({:.2f})", m.trades, m.trades_per_day));
  row("win rate", percent(m.win_rate));
  row("profit factor", fmt::format("{:.2f}", m.profit_factor));
  row("expectancy (USDT)", fmt::format("{:.2f}", m.expectancy));
  row("average R", fmt::format("{:.2f}", m.average_r));
  row("average holding", fmt::format("{:.1f} h", m.average_holding_hours));
  row("fees / funding", fmt::format("{:.2f} / {:.2f}", m.fees, m.funding));
  row("virtual trades", fmt::format("{} (win {}, avg R {:.2f})", m.virtual_trades, percent(m.virtual_win_rate), m.virtual_average_r));
  if (!m.refusals.empty()) row("refused, by limit", refusal_counts(m, "{} {}"));
  row("time NORMAL/CAU/RA/SD", fmt::format("{:.0f}/{:.0f}/{:.0f}/{:.0f} %", 100 * m.time_normal, 100 * m.time_cautious,
                                         100 * m.time_risk_averse, 100 * m.time_shutdown));
  return out;
}

}  // namespace winiswin::report
