// The HTML backtest report: one file, renders offline (the charting library is inlined).
// Contents: the summary table, monthly returns, the run's data range and configuration,
// results by exit reason, side, symbol and hour, the best and worst trades, the deepest
// drawdown periods and the daily returns' distribution (report_tables.h), the equity, drawdown
// and rolling Sharpe of the whole run (downsampled as the run went, see equity_curve.h), the
// sortable list of real trades (at most max_listed_trades), and for each charted symbol its
// candles around its trades, priced to its own tick, with the trades as markers and the 15m
// order blocks and fair value gaps the run recorded as rectangles over their lifetime (see
// candle_chart.h). Its size is bounded by the drawn points (≤ 4 per bucket), the
// trade list's cap, the zones' and the charted symbols' trades, not by the run's length.
//
// The page records its own health for automated checks, once the charts are drawn:
// <body data-charts="N" data-errors="M" data-equity-first="t" data-equity-last="t"
// data-drawdown-min="x" data-equity-visible="from-to">: the drawn equity series' first and
// last times (seconds), its deepest drawdown (percent), and the time range the equity chart
// shows; data-price-format="…": 0.0893 as the first candle chart's price axis writes it;
// data-trade-rows="n": the rows of the trade list shown (at most 500 until "show all");
// data-trades-listed="n" data-trades-total="m": the trades the list holds of the run's;
// data-zones="n" data-zones-drawn="k": the zones of the chart shown, those in its last paint;
// data-equity-detail="fine|coarse" data-equity-drawn="n": the equity level shown once the view
// changed level, and its points (the page opened with #zoom shows the run's first tenth).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "journal/records.h"
#include "report/equity_curve.h"
#include "report/metrics.h"
#include "report/report_tables.h"

namespace winiswin::report {

const std::string& chart_library();  // generated at build time

// A charted symbol: its chart's JSON, from CandleChartBuilder or candle_chart_json
// (candle_chart.h), which read its bars around the trades, priced to its tick.
struct CandleChart {
  std::string symbol;
  std::string json;
};

struct ReportInput {
  std::string title;
  std::span<const journal::TradeRecord> trades;  // real, closed
  const EquityCurve* equity = nullptr;
  const Metrics* metrics = nullptr;
  // The symbols to chart, the first shown first; a menu switches between them. May be empty.
  std::vector<CandleChart> charts;
  std::string data_description;  // what the run read (shown as is)
  std::string configuration;     // the effective configuration (TOML, shown as is); may be empty
  // The benchmark: the same symbols bought in equal parts at the first decision's open and held
  // to the last close, unlevered, no fees (none when the bars are not at hand).
  std::optional<double> buy_and_hold;
  // The trade list's bound (report_tables.h): beyond it the list holds the trades with the
  // largest |PnL| and says so.
  std::size_t max_listed_trades = kMaxListedTrades;
};

std::string html_report(const ReportInput& input);

}  // namespace winiswin::report
