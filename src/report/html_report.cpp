#include "report/html_report.h"

#include <iterator>
#include <map>

#include <fmt/format.h>

#include "report/candle_chart.h"

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

// [[t,v],…]: the page expands it into the charting library's {time, value}.
std::string series_json(const DownsampledSeries& series) {
  std::string out = "[";
  for (const SeriesPoint& point : series.points()) {
    fmt::format_to(std::back_inserter(out), "{}[{},{:.6f}]", out.size() > 1 ? "," : "", point.time, point.value);
  }
  return out + "]";
}

std::string monthly_table(const EquityCurve& curve) {
  std::string rows;
  double previous = curve.starting_equity();
  for (const auto& [month, equity] : curve.month_end()) {
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

std::string summary_rows(const Metrics& m) {
  std::string summary;
  const auto row = [&](const std::string& name, const std::string& value) {
    summary += fmt::format("<tr><td>{}</td><td>{}</td></tr>", escape(name), escape(value));
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
  for (const auto& [limit, count] : m.refusals) row(fmt::format("Refused: {}", limit), fmt::format("{}", count));
  row("Time NORMAL / CAUTIOUS / RISK_AVERSE / SHUTDOWN",
      fmt::format("{:.0f} / {:.0f} / {:.0f} / {:.0f} %", 100 * m.time_normal, 100 * m.time_cautious, 100 * m.time_risk_averse,
                  100 * m.time_shutdown));
  return summary;
}

constexpr const char* kStyle = R"(
body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}.up{color:#2e7d32}.down{color:#c62828}
.chart{width:100%;height:320px;background:#fff;border:1px solid #ddd}.grid{display:flex;gap:40px;flex-wrap:wrap}
)";

// Draws window.REPORT. The equity and drawdown charts may hold thousands of points: their
// minimum bar spacing is near zero so that fitting the content shows the whole run (the
// library's default, 0.5 px, shows only the last ~2 points per pixel of width).
constexpr const char* kScript = R"(
(function(){
var R=window.REPORT,LC=LightweightCharts,drawn=0,body=document.body;
function make(id,whole){return LC.createChart(document.getElementById(id),{autoSize:true,timeScale:{timeVisible:true,minBarSpacing:whole?0.0001:0.5,lockVisibleTimeRangeOnResize:whole}});}
function line(a){return a.map(function(p){return{time:p[0],value:p[1]};});}
var e=make('equity',true),es=e.addLineSeries({color:'#1565c0'});es.setData(line(R.equity));e.timeScale().fitContent();drawn++;
var d=make('drawdown',true),ds=d.addAreaSeries({lineColor:'#c62828',topColor:'rgba(198,40,40,0.05)',bottomColor:'rgba(198,40,40,0.4)'});
ds.setData(line(R.drawdown));d.timeScale().fitContent();drawn++;
var c=make('candles',false),s=c.addCandlestickSeries();
function marks(one){var m=[];
one.zones.forEach(function(z){m.push({time:z[0],position:z[1]>0?'belowBar':'aboveBar',color:z[2]?'#7c4dff':'rgba(144,164,174,0.6)',shape:'square',size:z[2]?1:0.3,text:z[2]?'OB':''});});
one.trades.forEach(function(t){var up=t[1]>0;
m.push({time:t[0],position:up?'belowBar':'aboveBar',color:up?'#2e7d32':'#c62828',shape:up?'arrowUp':'arrowDown',text:(up?'LONG ':'SHORT ')+t[2].toFixed(one.precision)});
m.push({time:t[3],position:'inBar',color:'#f9a825',shape:'circle',text:t[4]+' '+(t[5]>=0?'+':'')+t[5].toFixed(2)});});
m.sort(function(a,b){return a.time-b.time;});return m;}
function show(name){var one=R.charts[name]||{interval:'',precision:2,minMove:0.01,candles:[],zones:[],trades:[]};document.getElementById('interval').textContent=one.interval;
s.applyOptions({priceFormat:{type:'price',precision:one.precision,minMove:one.minMove}});
s.setData(one.candles.map(function(b){return{time:b[0],open:b[1],high:b[2],low:b[3],close:b[4]};}));s.setMarkers(marks(one));c.timeScale().fitContent();}
var menu=document.getElementById('symbol');menu.addEventListener('change',function(){show(menu.value);});
show(R.first);drawn++;body.dataset.priceFormat=s.priceFormatter().format(0.0893);
var ed=es.data(),low=0;ds.data().forEach(function(p){if(p.value<low)low=p.value;});
body.dataset.equityFirst=ed.length?ed[0].time:'';body.dataset.equityLast=ed.length?ed[ed.length-1].time:'';body.dataset.drawdownMin=low;
body.dataset.charts=drawn;body.dataset.errors=window.__errors;
setTimeout(function(){var r=e.timeScale().getVisibleRange();body.dataset.equityVisible=r?r.from+'-'+r.to:'none';},100);
})();
)";

}  // namespace

std::string html_report(const ReportInput& input) {
  const Metrics& m = *input.metrics;
  const EquityCurve& curve = *input.equity;
  // Each charted symbol's candles and markers, by name, and the menu that picks one.
  std::string chart_data = "{", options;
  for (const ChartedSymbol& chart : input.charts) {
    fmt::format_to(std::back_inserter(chart_data), "{}\"{}\":{}", chart_data.size() > 1 ? "," : "", escape(chart.bars->symbol),
                   candle_chart_json(*chart.bars, input.trades, chart.tick_size));
    options += fmt::format("<option>{}</option>", escape(chart.bars->symbol));
  }
  chart_data += "}";
  const std::string first = input.charts.empty() ? "" : escape(input.charts.front().bars->symbol);

  std::string html;
  html.reserve(chart_library().size() + 1'000'000);
  html += "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape(input.title) + "</title><style>" + kStyle +
          "</style>\n<script>\nwindow.__errors=0;window.addEventListener('error',function(){window.__errors++;"
          "document.body&&(document.body.dataset.errors=window.__errors);});\n</script>\n<script>\n" + chart_library() +
          "\n</script></head><body data-charts=\"0\" data-errors=\"0\">\n";
  html += "<h1>" + escape(input.title) + "</h1>\n<div class=\"grid\"><div><h2>Summary</h2><table>" + summary_rows(m) +
          "</table></div><div><h2>Monthly returns</h2><table><tr><th>month</th><th>return</th></tr>" + monthly_table(curve) +
          "</table></div><div><h2>Per symbol (real trades)</h2><table><tr><th>symbol</th><th>trades</th><th>win</th>"
          "<th>PnL</th><th>avg R</th></tr>" + symbol_table(input.trades) + "</table></div></div>\n";
  html += fmt::format("<h2>Equity (USDT), the whole run: {} points drawn of {}</h2><div id=\"equity\" class=\"chart\"></div>"
                      "<h2>Drawdown (%)</h2><div id=\"drawdown\" class=\"chart\"></div>\n",
                      curve.equity().points().size(), curve.equity().count());
  html += "<h2><select id=\"symbol\">" + options +
          "</select> <span id=\"interval\"></span> candles around its trades, with order blocks, fair value gaps and trades</h2>"
          "<div id=\"candles\" class=\"chart\" style=\"height:420px\"></div>\n";
  html += "<script>\nwindow.REPORT={\"equity\":" + series_json(curve.equity()) + ",\"drawdown\":" + series_json(curve.drawdown()) +
          ",\"charts\":" + chart_data + ",\"first\":\"" + first + "\"};\n" + kScript + "</script>\n</body></html>\n";
  return html;
}

}  // namespace winiswin::report
