#include "report/report_tables.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <map>
#include <numeric>
#include <vector>

#include <fmt/format.h>

#include "report/html_text.h"

namespace winiswin::report {
namespace {

// Sums over a group of trades.
struct Group {
  int trades = 0, wins = 0;
  double pnl = 0, r = 0, fees = 0;
  void add(const journal::TradeRecord& trade) {
    ++trades;
    wins += trade.pnl > 0 ? 1 : 0;
    pnl += trade.pnl;
    r += trade.r_multiple;
    fees += trade.fees;
  }
};

const char* sign_class(double value) { return value >= 0 ? "up" : "down"; }

template <typename Key>
std::string group_table(const std::string& title, const std::string& key_name, const std::map<Key, Group>& groups,
                        const std::function<std::string(const Key&)>& label) {
  std::string html = fmt::format("<div><h2>{}</h2><table><tr><th>{}</th><th>trades</th><th>win</th><th>PnL</th><th>avg PnL</th>"
                                 "<th>avg R</th><th>fees</th></tr>",
                                 title, key_name);
  for (const auto& [key, group] : groups) {
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{:.0f} %</td><td class=\"{}\">{:.2f}</td><td>{:.2f}</td><td>{:.2f}</td><td>{:.2f}</td></tr>",
                        label(key), group.trades, 100.0 * group.wins / group.trades, sign_class(group.pnl), group.pnl,
                        group.pnl / group.trades, group.r / group.trades, group.fees);
  }
  return html + "</table></div>";
}

std::string minute_of(Timestamp time) { return format_utc(time).substr(0, 16); }

std::string extremes_table(const std::string& title, std::span<const journal::TradeRecord> trades, bool best) {
  std::vector<const journal::TradeRecord*> sorted;
  for (const journal::TradeRecord& trade : trades) sorted.push_back(&trade);
  // Stable: among equal PnLs the earlier recorded comes first, so the page is the same each run.
  std::stable_sort(sorted.begin(), sorted.end(),
                   [best](const journal::TradeRecord* a, const journal::TradeRecord* b) { return best ? a->pnl > b->pnl : a->pnl < b->pnl; });
  sorted.resize(std::min(sorted.size(), kBestAndWorst));
  std::string html = fmt::format("<div><h2>{}</h2><table><tr><th>symbol</th><th>side</th><th>entry (UTC)</th><th>held</th>"
                                 "<th>exit</th><th>PnL</th><th>R</th></tr>",
                                 title);
  for (const journal::TradeRecord* trade : sorted) {
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.1f} h</td><td>{}</td><td class=\"{}\">{:+.2f}</td><td>{:+.2f}</td></tr>",
                        escape_html(trade->symbol), trade->side == Side::kBuy ? "long" : "short", minute_of(trade->entry_time),
                        static_cast<double>(to_ms(trade->exit_time) - to_ms(trade->entry_time)) / 3'600'000.0,
                        journal::name_of(trade->exit_reason), sign_class(trade->pnl), trade->pnl, trade->r_multiple);
  }
  return html + "</table></div>";
}

}  // namespace

std::string next_month(const std::string& month) {
  int year = std::stoi(month.substr(0, 4)), number = std::stoi(month.substr(5, 2)) + 1;
  if (number > 12) number = 1, ++year;
  return fmt::format("{:04}-{:02}", year, number);
}

std::string month_closed(const journal::TradeRecord& trade) {
  const bool at_last_close = trade.exit_reason == journal::ExitReason::kDataGap || trade.exit_reason == journal::ExitReason::kEndOfData;
  return at_last_close ? month_of_close(trade.exit_time) : format_utc(trade.exit_time).substr(0, 7);
}

std::string monthly_rows(const EquityCurve& curve, std::span<const journal::TradeRecord> trades) {
  const std::map<std::string, double>& month_end = curve.month_end();
  if (month_end.empty()) return "";
  std::map<std::string, Group> closed;
  for (const journal::TradeRecord& trade : trades) closed[month_closed(trade)].add(trade);
  std::string rows;
  double previous = curve.starting_equity();
  const std::string last = month_end.rbegin()->first;
  for (std::string month = month_end.begin()->first; month <= last; month = next_month(month)) {
    const auto found = month_end.find(month);
    const Group group = closed.contains(month) ? closed.at(month) : Group{};
    if (found == month_end.end()) {
      rows += fmt::format("<tr class=\"none\"><td>{}</td><td>no data</td><td></td><td></td></tr>", month);
      continue;
    }
    const double change = 100.0 * (found->second / previous - 1.0);
    rows += fmt::format("<tr><td>{}</td><td class=\"{}\">{:+.2f} %</td><td>{}</td><td class=\"{}\">{:.2f}</td></tr>", month,
                        sign_class(change), change, group.trades, sign_class(group.pnl), group.pnl);
    previous = found->second;
  }
  return rows;
}

std::string trade_tables(std::span<const journal::TradeRecord> trades) {
  std::map<std::string, Group> by_reason, by_side, by_symbol;
  std::map<int, Group> by_hour;
  for (const journal::TradeRecord& trade : trades) {
    by_reason[std::string(journal::name_of(trade.exit_reason))].add(trade);
    by_side[trade.side == Side::kBuy ? "long" : "short"].add(trade);
    by_symbol[trade.symbol].add(trade);
    by_hour[std::stoi(format_utc(trade.entry_time).substr(11, 2))].add(trade);
  }
  const std::function<std::string(const std::string&)> as_is = [](const std::string& key) { return escape_html(key); };
  const std::function<std::string(const int&)> hour = [](const int& key) { return fmt::format("{:02}:00", key); };
  return group_table("By exit reason", "exit", by_reason, as_is) + group_table("By side", "side", by_side, as_is) +
         group_table("By symbol", "symbol", by_symbol, as_is) + group_table("By hour of entry (UTC)", "hour", by_hour, hour) +
         extremes_table("Best trades", trades, true) + extremes_table("Worst trades", trades, false);
}

std::string drawdown_periods_table(const EquityCurve& curve) {
  std::string html = "<div><h2>Deepest drawdown periods</h2><table><tr><th>peak</th><th>trough</th><th>recovered</th><th>depth</th>"
                     "<th>days</th></tr>";
  for (const DrawdownPeriod& period : curve.drawdown_periods().deepest()) {
    const Timestamp end = period.recovered ? *period.recovered : curve.last_time().value_or(period.trough);
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"down\">{:.2f} %</td><td>{:.1f}</td></tr>", minute_of(period.peak),
                        minute_of(period.trough), period.recovered ? minute_of(*period.recovered) : "not yet", 100.0 * period.depth,
                        static_cast<double>(to_ms(end) - to_ms(period.peak)) / 86'400'000.0);
  }
  return html + "</table></div>";
}

std::string daily_returns_table(const EquityCurve& curve) {
  const DailyReturns::Histogram counts = curve.daily_returns().histogram();
  const auto occupied = [](std::int64_t count) { return count > 0; };
  const auto first = std::find_if(counts.begin(), counts.end(), occupied);
  if (first == counts.end()) return "";
  const auto last = std::find_if(counts.rbegin(), counts.rend(), occupied).base();
  const std::int64_t most = *std::max_element(counts.begin(), counts.end());
  std::string html = "<div><h2>Daily returns</h2><table><tr><th>return</th><th>days</th><th></th></tr>";
  for (auto bin = first; bin != last; ++bin) {
    const int index = static_cast<int>(bin - counts.begin());
    const double low = 100.0 * DailyReturns::bin_low(index), high = 100.0 * DailyReturns::bin_low(index + 1);
    const std::string range = index == 0                          ? fmt::format("&lt; {:+.1f} %", high)
                              : index == DailyReturns::kBins - 1 ? fmt::format("≥ {:+.1f} %", low)
                                                                  : fmt::format("{:+.1f} … {:+.1f} %", low, high);
    html += fmt::format("<tr><td>{}</td><td>{}</td><td style=\"text-align:left\"><div class=\"bar {}\" style=\"width:{}px\"></div></td></tr>",
                        range, *bin, low < 0 ? "neg" : "pos", *bin * 160 / most);
  }
  return html + "</table></div>";
}

namespace {

// Indexes of the trades listed: all of them, or the `cap` with the largest |PnL|, in recorded order.
std::vector<std::size_t> listed_trades(std::span<const journal::TradeRecord> trades, std::size_t cap) {
  std::vector<std::size_t> listed(trades.size());
  std::iota(listed.begin(), listed.end(), std::size_t{0});
  if (trades.size() <= cap) return listed;
  std::stable_sort(listed.begin(), listed.end(), [&](std::size_t a, std::size_t b) { return std::abs(trades[a].pnl) > std::abs(trades[b].pnl); });
  listed.resize(cap);
  std::sort(listed.begin(), listed.end());
  return listed;
}

}  // namespace

std::string trade_list_json(std::span<const journal::TradeRecord> trades, std::size_t cap) {
  std::map<std::string, int> symbols, reasons;
  for (const journal::TradeRecord& trade : trades) {
    symbols.emplace(trade.symbol, 0);
    reasons.emplace(std::string(journal::name_of(trade.exit_reason)), 0);
  }
  const auto names = [](std::map<std::string, int>& index) {
    std::string out = "[";
    int next = 0;
    for (auto& [name, number] : index) {
      number = next++;
      out += (out.size() > 1 ? ",\"" : "\"") + name + "\"";
    }
    return out + "]";
  };
  std::string out = "{\"symbols\":" + names(symbols) + ",\"reasons\":" + names(reasons) + ",\"total\":" + std::to_string(trades.size()) +
                    ",\"rows\":[";
  bool first = true;
  for (const std::size_t index : listed_trades(trades, cap)) {
    const journal::TradeRecord& trade = trades[index];
    fmt::format_to(std::back_inserter(out), "{}[{},{},{},{},{},{},{:.2f},{:.2f},{:.2f},{}]", first ? "" : ",", symbols.at(trade.symbol),
                   trade.side == Side::kBuy ? 1 : -1, to_ms(trade.entry_time) / 1000, to_ms(trade.exit_time) / 1000, trade.entry_price,
                   trade.exit_price, trade.pnl, trade.r_multiple, trade.fees, reasons.at(std::string(journal::name_of(trade.exit_reason))));
    first = false;
  }
  return out + "]}";
}

}  // namespace winiswin::report
