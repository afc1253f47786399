// The HTML backtest report: one file, renders offline (the charting library is inlined).
// Contents: the summary table, equity and drawdown charts, monthly returns, a per-symbol
// table, and a candle chart of one symbol with its order blocks, fair value gaps and
// trades as markers. The page records its own health for automated checks:
// <body data-charts="N" data-errors="M"> once the charts are drawn.
#pragma once

#include <string>

#include "core/kline.h"
#include "engine/backtest.h"
#include "engine/metrics.h"

namespace winiswin::report {

const std::string& chart_library();  // generated at build time

struct ReportInput {
  std::string title;
  const engine::BacktestResult* result = nullptr;
  const engine::Metrics* metrics = nullptr;
  const KlineSeries* candles = nullptr;  // 1m bars of the symbol to chart (resampled to 5m); may be null
};

std::string html_report(const ReportInput& input);

}  // namespace winiswin::report
