// The HTML backtest report: one file, renders offline (the charting library is inlined).
// Contents: the summary table, equity and drawdown charts, monthly returns, a per-symbol
// table, and a candle chart of one symbol with its order blocks, fair value gaps and
// trades as markers, for each charted symbol. The page records its own health for automated checks:
// <body data-charts="N" data-errors="M"> once the charts are drawn.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/kline.h"
#include "journal/records.h"
#include "report/metrics.h"

namespace winiswin::report {

const std::string& chart_library();  // generated at build time

struct ReportInput {
  std::string title;
  std::span<const journal::TradeRecord> trades;   // real, closed
  std::span<const journal::EquityPoint> equity;   // at every 5m close with data
  const Metrics* metrics = nullptr;
  // Bars (1m or 5m, charted as 5m) of the symbols to chart, the first shown first; a menu
  // switches between them. May be empty.
  std::vector<const KlineSeries*> charts;
};

std::string html_report(const ReportInput& input);

}  // namespace winiswin::report
