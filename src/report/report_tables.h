// The report's tables, from recorded rows only: the monthly returns (from the equity curve's
// month ends; a month between the first and the last without a point says "no data"), the
// real trades' results grouped by exit reason, side, symbol and hour of day (UTC, of the entry),
// the best and worst trades, and the trade list as compact JSON for the page's sortable table.
// The metrics are not recomputed here: these are sums over trades, by group.
#pragma once

#include <span>
#include <string>

#include "journal/records.h"
#include "report/equity_curve.h"

namespace winiswin::report {

inline constexpr std::size_t kBestAndWorst = 5;

// The month ("YYYY-MM") a trade closed in: its exit's, except for a close-out where its data
// stops ("data gap", "end of data"), stamped at the close of its last bar — 00:00 on the 1st
// for a month's last bar — which belongs to that bar's month, as an equity mark does
// (month_of_close). Other exits are stamped at the open of the bar they fill in.
std::string month_closed(const journal::TradeRecord& trade);

// <tr> rows: month, return (or "no data"), trades closed in the month (month_closed), their PnL.
std::string monthly_rows(const EquityCurve& curve, std::span<const journal::TradeRecord> trades);

// Tables (<div><h2>…</h2><table>…</table></div>) of the results by exit reason, side, symbol,
// hour of day, and the best and worst trades.
std::string trade_tables(std::span<const journal::TradeRecord> trades);

// The trade list's bound: ~60 bytes a row, so ~1.2 MB of a report that should stay under 5 MB
// whatever the run's length. The tables above it count every trade.
inline constexpr std::size_t kMaxListedTrades = 20'000;

// {"symbols":[…],"reasons":[…],"total":n,"rows":[[symbol idx,side ±1,entry t,exit t,entry
// price,exit price,pnl,r,fees,reason idx],…]}: the trades in recorded order, times in seconds.
// More than `cap` trades: the `cap` with the largest |PnL| (the ends of a list sorted by PnL
// are exact; earlier ones first among equals), still in recorded order; `total` counts all.
std::string trade_list_json(std::span<const journal::TradeRecord> trades, std::size_t cap = kMaxListedTrades);

// The deepest drawdown periods: peak, trough, recovery (or "not yet"), depth, days from the
// peak to the recovery (or to the last point).
std::string drawdown_periods_table(const EquityCurve& curve);

// The daily returns' distribution: one row per 0.5 % bin from the lowest to the highest
// occupied, with its count and a bar.
std::string daily_returns_table(const EquityCurve& curve);

// "YYYY-MM" → the month after.
std::string next_month(const std::string& month);

}  // namespace winiswin::report
