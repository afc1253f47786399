// The HTML backtest report: one file, renders offline (the charting library is inlined).
// Contents: the summary table, equity and drawdown charts, monthly returns, a per-symbol
// table, and a candle chart of one symbol with its order blocks, fair value gaps and
// trades as markers, for each charted symbol. The page records its own health for automated checks:
// <body data-charts="N" data-errors="M"> once the charts are drawn.
#pragma once

#include <string>
#include <vector>

#include "core/kline.h"
#include "engine/backtest.h"
#include "engine/metrics.h"

namespace winiswin::report {

const std::string& chart_library();  // generated at build time

struct ReportInput {
  std::string title;
  const engine::BacktestResult* result = nullptr;
  const engine::Metrics* metrics = nullptr;
  // Bars (1m or 5m, charted as 5m) of the symbols to chart, the first shown first; a menu
  // switches between them. May be empty.
  std::vector<const KlineSeries*> charts;
};

std::string html_report(const ReportInput& input);

}  // namespace winiswin::report
