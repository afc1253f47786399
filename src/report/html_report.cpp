#include "report/html_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "data/resample.h"
#include "indicators/indicator_set.h"
#include "structure/structure_set.h"

namespace winiswin::report {
namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::int64_t seconds(Timestamp time) { return to_ms(time) / 1000; }

std::string equity_series(std::span<const journal::EquityPoint> equity, bool drawdown) {
  std::string out = "[";
  double peak = 0;
  std::int64_t previous = -1;
  for (const journal::EquityPoint& point : equity) {
    if (seconds(point.time) == previous) continue;
    previous = seconds(point.time);
    peak = std::max(peak, point.equity);
    const double value = drawdown ? -100.0 * (1.0 - point.equity / peak) : point.equity;
    fmt::format_to(std::back_inserter(out), "{}{{\"time\":{},\"value\":{:.6f}}}", out.size() > 1 ? "," : "", previous, value);
  }
  return out + "]";
}

std::string monthly_table(std::span<const journal::EquityPoint> marks, double starting) {
  std::map<std::string, double> month_end;
  for (const journal::EquityPoint& point : marks) month_end[format_utc(point.time).substr(0, 7)] = point.equity;
  std::string rows;
  double previous = starting;
  for (const auto& [month, equity] : month_end) {
    const double change = 100.0 * (equity / previous - 1.0);
    rows += fmt::format("<tr><td>{}</td><td class=\"{}\">{:+.2f} %</td></tr>", month, change >= 0 ? "up" : "down", change);
    previous = equity;
  }
  return rows;
}

std::string symbol_table(std::span<const journal::TradeRecord> trades) {
  struct Row {
    int trades = 0, wins = 0;
    double pnl = 0, r = 0;
  };
  std::map<std::string, Row> rows;
  for (const journal::TradeRecord& trade : trades) {
    Row& row = rows[trade.symbol];
    ++row.trades;
    row.wins += trade.pnl > 0 ? 1 : 0;
    row.pnl += trade.pnl;
    row.r += trade.r_multiple;
  }
  std::string html;
  for (const auto& [symbol, row] : rows) {
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{:.0f} %</td><td class=\"{}\">{:.2f}</td><td>{:.2f}</td></tr>", escape(symbol),
                        row.trades, 100.0 * row.wins / row.trades, row.pnl >= 0 ? "up" : "down", row.pnl, row.r / row.trades);
  }
  return html;
}

// Candles (5m) of one symbol, with structure and trade markers.
std::pair<std::string, std::string> candle_data(const KlineSeries& minutes, std::span<const journal::TradeRecord> trades) {
  auto five = resample(minutes, Interval::k5m);
  if (!five) return {"[]", "[]"};
  std::string candles = "[";
  std::vector<std::pair<std::int64_t, std::string>> markers;
  indicators::IndicatorSet indicator_set(Interval::k5m);
  structure::StructureSet structure_set;
  for (const Kline& bar : five->series.bars) {
    fmt::format_to(std::back_inserter(candles), "{}{{\"time\":{},\"open\":{},\"high\":{},\"low\":{},\"close\":{}}}",
                   candles.size() > 1 ? "," : "", seconds(bar.open_time), bar.open.to_double(), bar.high.to_double(),
                   bar.low.to_double(), bar.close.to_double());
    if (!indicator_set.update(bar)) continue;
    for (const structure::StructureEvent& event : structure_set.update(bar, structure::StructureInputs::of(indicator_set))) {
      const bool block = event.kind == structure::EventKind::kOrderBlock && event.flag;
      const bool gap = event.kind == structure::EventKind::kFairValueGap;
      if (!block && !gap) continue;
      markers.emplace_back(seconds(event.time),
                           // Gaps are many: a small unlabelled mark; qualified order blocks are labelled.
                           fmt::format("{{\"time\":{},\"position\":\"{}\",\"color\":\"{}\",\"shape\":\"square\",\"size\":{},\"text\":\"{}\"}}",
                                       seconds(event.time), event.direction > 0 ? "belowBar" : "aboveBar",
                                       block ? "#7c4dff" : "rgba(144,164,174,0.6)", block ? 1 : 0.3, block ? "OB" : ""));
    }
  }
  candles += "]";
  const std::int64_t bucket = 300;
  for (const journal::TradeRecord& trade : trades) {
    if (trade.symbol != minutes.symbol) continue;
    const bool is_long = trade.side == Side::kBuy;
    markers.emplace_back(seconds(trade.entry_time) / bucket * bucket,
                         fmt::format("{{\"time\":{},\"position\":\"{}\",\"color\":\"{}\",\"shape\":\"{}\",\"text\":\"{} {:.4g}\"}}",
                                     seconds(trade.entry_time) / bucket * bucket, is_long ? "belowBar" : "aboveBar",
                                     is_long ? "#2e7d32" : "#c62828", is_long ? "arrowUp" : "arrowDown",
                                     is_long ? "LONG" : "SHORT", trade.entry_price));
    markers.emplace_back(seconds(trade.exit_time) / bucket * bucket,
                         fmt::format("{{\"time\":{},\"position\":\"inBar\",\"color\":\"#f9a825\",\"shape\":\"circle\",\"text\":\"{} {:+.2f}\"}}",
                                     seconds(trade.exit_time) / bucket * bucket, journal::name_of(trade.exit_reason), trade.pnl));
  }
  std::stable_sort(markers.begin(), markers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string marker_json = "[";
  for (const auto& [time, json] : markers) marker_json += (marker_json.size() > 1 ? "," : "") + json;
  return {candles, marker_json + "]"};
}

constexpr const char* kStyle = R"(
body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}.up{color:#2e7d32}.down{color:#c62828}
.chart{width:100%;height:320px;background:#fff;border:1px solid #ddd}.grid{display:flex;gap:40px;flex-wrap:wrap}
)";

}  // namespace

std::string html_report(const ReportInput& input) {
  const Metrics& m = *input.metrics;
  std::string summary;
  const auto row = [&](const char* name, const std::string& value) {
    summary += fmt::format("<tr><td>{}</td><td>{}</td></tr>", name, escape(value));
  };
  row("Equity", fmt::format("{:.2f} → {:.2f}", m.starting_equity, m.ending_equity));
  row("Total return", fmt::format("{:.2f} %", 100 * m.total_return));
  row("CAGR", fmt::format("{:.2f} %", 100 * m.cagr));
  row("Sharpe / Sortino / Calmar", fmt::format("{:.2f} / {:.2f} / {:.2f}", m.sharpe, m.sortino, m.calmar));
  row("Max drawdown", fmt::format("{:.2f} % over {:.1f} days", 100 * m.max_drawdown, m.max_drawdown_days));
  row("Trades (per day)", fmt::format("{} ({:.2f})", m.trades, m.trades_per_day));
  row("Win rate", fmt::format("{:.1f} %", 100 * m.win_rate));
  row("Profit factor", fmt::format("{:.2f}", m.profit_factor));
  row("Expectancy / average R", fmt::format("{:.2f} USDT / {:.2f}", m.expectancy, m.average_r));
  row("Average holding", fmt::format("{:.1f} h", m.average_holding_hours));
  row("Exposure", fmt::format("{:.1f} %", 100 * m.exposure));
  row("Fees / funding paid", fmt::format("{:.2f} / {:.2f} USDT", m.fees, m.funding));
  row("Virtual trades", fmt::format("{} (win {:.1f} %, average R {:.2f})", m.virtual_trades, 100 * m.virtual_win_rate, m.virtual_average_r));
  // Ranked signals that did not trade for real, by the rule that refused them.
  for (const auto& [limit, count] : m.refusals) row(fmt::format("Refused: {}", limit).c_str(), fmt::format("{}", count));
  row("Time NORMAL / CAUTIOUS / RISK_AVERSE / SHUTDOWN",
      fmt::format("{:.0f} / {:.0f} / {:.0f} / {:.0f} %", 100 * m.time_normal, 100 * m.time_cautious, 100 * m.time_risk_averse,
                  100 * m.time_shutdown));
  // Each charted symbol's candles and markers, by name, and the menu that picks one.
  std::string chart_data = "{", options;
  for (const KlineSeries* series : input.charts) {
    const auto [candles, markers] = candle_data(*series, input.trades);
    fmt::format_to(std::back_inserter(chart_data), "{}\"{}\":{{\"candles\":{},\"markers\":{}}}", chart_data.size() > 1 ? "," : "",
                   escape(series->symbol), candles, markers);
    options += fmt::format("<option>{}</option>", escape(series->symbol));
  }
  chart_data += "}";
  const std::string first = input.charts.empty() ? "" : escape(input.charts.front()->symbol);

  std::string html;
  html.reserve(chart_library().size() + 1'000'000);
  html += "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape(input.title) + "</title><style>" + kStyle +
          "</style>\n<script>\nwindow.__errors=0;window.addEventListener('error',function(){window.__errors++;"
          "document.body&&(document.body.dataset.errors=window.__errors);});\n</script>\n<script>\n" + chart_library() +
          "\n</script></head><body data-charts=\"0\" data-errors=\"0\">\n";
  html += "<h1>" + escape(input.title) + "</h1>\n<div class=\"grid\"><div><h2>Summary</h2><table>" + summary +
          "</table></div><div><h2>Monthly returns</h2><table><tr><th>month</th><th>return</th></tr>" +
          monthly_table(input.equity, m.starting_equity) +
          "</table></div><div><h2>Per symbol (real trades)</h2><table><tr><th>symbol</th><th>trades</th><th>win</th>"
          "<th>PnL</th><th>avg R</th></tr>" + symbol_table(input.trades) + "</table></div></div>\n";
  html += "<h2>Equity (USDT)</h2><div id=\"equity\" class=\"chart\"></div><h2>Drawdown (%)</h2><div id=\"drawdown\" class=\"chart\"></div>\n";
  html += "<h2><select id=\"symbol\">" + options +
          "</select> 5m with order blocks, fair value gaps and trades</h2><div id=\"candles\" class=\"chart\" style=\"height:420px\"></div>\n";
  html += fmt::format(
      "<script>\n(function(){{\nvar drawn=0;var LC=LightweightCharts;\n"
      "function make(id){{return LC.createChart(document.getElementById(id),{{autoSize:true,timeScale:{{timeVisible:true}}}});}}\n"
      "var e=make('equity');e.addLineSeries({{color:'#1565c0'}}).setData({});e.timeScale().fitContent();drawn++;\n"
      "var d=make('drawdown');d.addAreaSeries({{lineColor:'#c62828',topColor:'rgba(198,40,40,0.05)',bottomColor:'rgba(198,40,40,0.4)'}}).setData({});d.timeScale().fitContent();drawn++;\n"
      "var charts={};var c=make('candles');var s=c.addCandlestickSeries();\n"
      "function show(name){{var one=charts[name]||{{candles:[],markers:[]}};s.setData(one.candles);s.setMarkers(one.markers);c.timeScale().fitContent();}}\n"
      "var menu=document.getElementById('symbol');menu.addEventListener('change',function(){{show(menu.value);}});\n"
      "show('{}');drawn++;\n"
      "document.body.dataset.charts=drawn;document.body.dataset.errors=window.__errors;\n}})();\n</script>\n</body></html>\n",
      equity_series(input.equity, false), equity_series(input.equity, true), chart_data, first);
  return html;
}

}  // namespace winiswin::report
