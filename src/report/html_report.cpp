#include "report/html_report.h"

#include <iterator>
#include <map>

#include <fmt/format.h>

#include "report/candle_chart.h"
#include "report/html_text.h"
#include "report/report_tables.h"

namespace winiswin::report {
namespace {

// [[t,v],…] ([[t,v,tag],…] with tags): the page expands it into the charting library's
// {time, value}.
std::string series_json(const DownsampledSeries& series, bool with_tags = false) {
  std::string out = "[";
  for (const SeriesPoint& point : series.points()) {
    fmt::format_to(std::back_inserter(out), "{}[{},{:.6f}", out.size() > 1 ? "," : "", point.time, point.value);
    out += with_tags ? fmt::format(",{}]", point.tag) : "]";
  }
  return out + "]";
}

std::string summary_rows(const Metrics& m, std::optional<double> buy_and_hold) {
  std::string summary;
  const auto row = [&](const std::string& name, const std::string& value) {
    summary += fmt::format("<tr><td>{}</td><td>{}</td></tr>", escape_html(name), escape_html(value));
  };
  row("Equity", fmt::format("{:.2f} → {:.2f}", m.starting_equity, m.ending_equity));
  row("Total return", fmt::format("{:.2f} %", 100 * m.total_return));
  if (buy_and_hold) row("Buy and hold (the same symbols, equal parts)", fmt::format("{:.2f} %", 100 * *buy_and_hold));
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

// What ran on what: the data and its range, and the effective configuration.
std::string run_table(const ReportInput& input, const EquityCurve& curve) {
  const auto when = [](const std::optional<Timestamp>& time) { return time ? format_utc(*time) : std::string("—"); };
  std::string html = "<div><h2>Run</h2><table>";
  html += fmt::format("<tr><td>Data</td><td>{}</td></tr>", escape_html(input.data_description));
  html += fmt::format("<tr><td>First / last 5m close</td><td>{} / {}</td></tr>", when(curve.first_time()), when(curve.last_time()));
  html += fmt::format("<tr><td>Covered</td><td>{:.1f} days ({} closes)</td></tr>", input.metrics->days, curve.equity().count());
  html += "</table>";
  if (!input.configuration.empty()) html += "<h2>Configuration</h2><pre>" + escape_html(input.configuration) + "</pre>";
  return html + "</div>";
}

constexpr const char* kStyle = R"(
body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}.up{color:#2e7d32}.down{color:#c62828}
.chart{width:100%;height:320px;background:#fff;border:1px solid #ddd}.grid{display:flex;gap:40px;flex-wrap:wrap}
tr.none td{color:#999}.bar{height:10px}.bar.neg{background:#c62828}.bar.pos{background:#2e7d32}#trades th{cursor:pointer;user-select:none}#trades tbody tr{cursor:pointer}#trades tbody tr:hover{background:#eef}
pre{font-size:12px;background:#fff;border:1px solid #ddd;padding:8px;max-height:320px;overflow:auto}
)";

// Draws window.REPORT. The equity and drawdown charts may hold thousands of points: their
// minimum bar spacing is near zero so that fitting the content shows the whole run (the
// library's default, 0.5 px, shows only the last ~2 points per pixel of width).
constexpr const char* kScript = R"(
(function(){
var R=window.REPORT,LC=LightweightCharts,drawn=0,body=document.body;
function make(id,whole){return LC.createChart(document.getElementById(id),{autoSize:true,timeScale:{timeVisible:true,minBarSpacing:whole?0.0001:0.5,lockVisibleTimeRangeOnResize:whole}});}
function line(a){return a.map(function(p){return{time:p[0],value:p[1]};});}
var e=make('equity',true),es=e.addLineSeries({color:'#1565c0'});es.setData(line(R.equity));
// The trading state at each drawn point, as a band along the bottom of the equity chart.
var STATE=['rgba(46,125,50,0.5)','rgba(249,168,37,0.6)','rgba(239,108,0,0.7)','rgba(198,40,40,0.8)'];
var band=e.addHistogramSeries({priceScaleId:'state',priceLineVisible:false,lastValueVisible:false});
e.priceScale('state').applyOptions({scaleMargins:{top:0.94,bottom:0},visible:false});
function states(a){return a.map(function(p){return{time:p[0],value:1,color:STATE[p[2]]};});}band.setData(states(R.equity));e.timeScale().fitContent();drawn++;
// Detail on zoom: below a quarter of the run in view, the equity line and its state band are
// the finer level (R.equityDetail, 8 times the buckets), restored above it; the view stays.
var whole=R.equity.length?R.equity[R.equity.length-1][0]-R.equity[0][0]:0,detailed=false,swapping=false;
function detail(r){if(swapping||!r||!R.equityDetail.length)return;var want=(r.to-r.from)<whole/4;if(want===detailed)return;
swapping=true;detailed=want;var a=want?R.equityDetail:R.equity;es.setData(line(a));band.setData(states(a));e.timeScale().setVisibleRange(r);swapping=false;
body.dataset.equityDetail=want?'fine':'coarse';body.dataset.equityDrawn=es.data().length;}
e.timeScale().subscribeVisibleTimeRangeChange(detail);
var d=make('drawdown',true),ds=d.addAreaSeries({lineColor:'#c62828',topColor:'rgba(198,40,40,0.05)',bottomColor:'rgba(198,40,40,0.4)'});
ds.setData(line(R.drawdown));d.timeScale().fitContent();drawn++;
var h=make('sharpe',true);h.addLineSeries({color:'#6a1b9a'}).setData(line(R.sharpe));h.timeScale().fitContent();drawn++;
// The candle chart opens on its last kShown bars (all of a long run's trades at once are unreadable); a trade row moves it.
var c=make('candles',false),s=c.addCandlestickSeries(),kShown=200,BAR={'5m':300,'15m':900,'1h':3600,'4h':14400,'1d':86400};
function marks(one){var m=[];
one.trades.forEach(function(t){var up=t[1]>0;
m.push({time:t[0],position:up?'belowBar':'aboveBar',color:up?'#2e7d32':'#c62828',shape:up?'arrowUp':'arrowDown',text:(up?'LONG ':'SHORT ')+t[2].toFixed(one.precision)});
m.push({time:t[3],position:'inBar',color:'#f9a825',shape:'circle',text:t[4]+' '+(t[5]>=0?'+':'')+t[5].toFixed(2)});});
m.sort(function(a,b){return a.time-b.time;});return m;}
// The zones: rectangles behind the candles from each zone's bar to the close of the 15m bar it
// ended with (faint until the close of the bar it became known with; open ones to the right
// edge), drawn by a series primitive, the library's own hook for custom drawing. A time maps
// to the candles' logical index (the time scale has no gaps): within a bar by its share of the
// bar, in a gap between windows to the edge of the bar before.
var Z={zones:[],times:[],bar:300},QUARTER=900,ZC=[['rgba(198,40,40,0.22)','rgba(46,125,50,0.22)'],['rgba(239,108,0,0.16)','rgba(21,101,192,0.16)']];
function logical(t){var a=Z.times,n=a.length,lo=0,hi=n;while(lo<hi){var mid=(lo+hi)>>1;if(a[mid]<=t)lo=mid+1;else hi=mid;}
if(lo===0)return -0.5;return lo-1.5+Math.min(1,(t-a[lo-1])/Z.bar);}
function drawZones(ctx,size){var ts=c.timeScale(),n=0;if(!Z.times.length)return;
// The library maps whole logical indexes only: a fraction goes by the bar spacing.
var x0=ts.logicalToCoordinate(0),step=ts.logicalToCoordinate(1)-x0;function x(l){return x0+l*step;}
var right=x(Z.times.length-0.5);
Z.zones.forEach(function(z){var xa=x(logical(z[0])),xk=x(logical(z[1]+QUARTER)),
xe=z[2]===null?right:x(logical(z[2]+QUARTER)),y0=s.priceToCoordinate(z[3]),y1=s.priceToCoordinate(z[4]);
if(y0===null||y1===null||xe<0||xa>size.width||Math.max(y0,y1)<0||Math.min(y0,y1)>size.height)return;
var top=Math.min(y0,y1),h=Math.max(1,Math.abs(y1-y0)),color=ZC[z[6]?0:1][z[5]>0?1:0];
ctx.fillStyle=color;ctx.globalAlpha=0.35;ctx.fillRect(xa,top,Math.max(0,xk-xa),h);ctx.globalAlpha=1;ctx.fillRect(xk,top,Math.max(1,xe-xk),h);n++;});
body.dataset.zonesDrawn=n;}
var zoneView={zOrder:function(){return 'bottom';},renderer:function(){return{draw:function(target){target.useMediaCoordinateSpace(function(scope){drawZones(scope.context,scope.mediaSize);});}};}};
s.attachPrimitive({paneViews:function(){return [zoneView];},updateAllViews:function(){}});
function show(name){var one=R.charts[name]||{interval:'',precision:2,minMove:0.01,candles:[],zones:[],zonesLeftOut:0,trades:[],tradesLeftOut:0};document.getElementById('interval').textContent=one.interval;
Z.zones=one.zones;Z.times=one.candles.map(function(b){return b[0];});Z.bar=BAR[one.interval]||300;body.dataset.zones=one.zones.length;
document.getElementById('zones-note').textContent=one.zonesLeftOut?'; '+one.zonesLeftOut+' of the smallest gaps left out ('+one.zones.length+' zones drawn)':'';
document.getElementById('markers-note').textContent=one.tradesLeftOut?'; '+one.tradesLeftOut+' trades of the smallest |PnL| not marked ('+one.trades.length+' marked)':'';body.dataset.markersLeftOut=one.tradesLeftOut||0;
s.applyOptions({priceFormat:{type:'price',precision:one.precision,minMove:one.minMove}});
s.setData(one.candles.map(function(b){return{time:b[0],open:b[1],high:b[2],low:b[3],close:b[4]};}));s.setMarkers(marks(one));
var n=one.candles.length;if(n>kShown)c.timeScale().setVisibleLogicalRange({from:n-kShown,to:n});else c.timeScale().fitContent();}
var menu=document.getElementById('symbol');menu.addEventListener('change',function(){show(menu.value);});
function focus(row){var name=L.symbols[row[0]],one=R.charts[name];if(!one)return;if(menu.value!==name){menu.value=name;show(name);}
var bar=BAR[one.interval]||300;c.timeScale().setVisibleRange({from:row[2]-36*bar,to:row[3]+12*bar});document.getElementById('candles').scrollIntoView();}
var L=R.trades,order=L.rows.map(function(r,i){return i;}),by=-1,up=true,limit=500;
var cols=[['#',function(i){return i;}],['symbol',function(i){return L.symbols[L.rows[i][0]];}],['side',function(i){return L.rows[i][1];}],
['entry (UTC)',function(i){return L.rows[i][2];}],['exit (UTC)',function(i){return L.rows[i][3];}],['held h',function(i){return L.rows[i][3]-L.rows[i][2];}],
['entry',function(i){return L.rows[i][4];}],['exit',function(i){return L.rows[i][5];}],['PnL',function(i){return L.rows[i][6];}],
['R',function(i){return L.rows[i][7];}],['fees',function(i){return L.rows[i][8];}],['exit reason',function(i){return L.reasons[L.rows[i][9]];}]];
function when(t){return new Date(t*1000).toISOString().slice(0,16).replace('T',' ');}
function cells(i){var r=L.rows[i];return [i+1,L.symbols[r[0]],r[1]>0?'long':'short',when(r[2]),when(r[3]),((r[3]-r[2])/3600).toFixed(1),r[4],r[5],
'<span class="'+(r[6]>=0?'up':'down')+'">'+r[6].toFixed(2)+'</span>',r[7].toFixed(2),r[8].toFixed(2),L.reasons[r[9]]];}
function table(){var t=document.getElementById('trades'),h='<thead><tr>';
cols.forEach(function(col,k){h+='<th data-k="'+k+'">'+col[0]+(k===by?(up?' ▲':' ▼'):'')+'</th>';});h+='</tr></thead><tbody>';
var n=Math.min(limit,order.length);for(var k=0;k<n;k++){h+='<tr data-i="'+order[k]+'"><td>'+cells(order[k]).join('</td><td>')+'</td></tr>';}
t.innerHTML=h+'</tbody>';body.dataset.tradeRows=n;
document.getElementById('more').style.display=n<order.length?'':'none';
document.getElementById('shown').textContent=n+' of '+order.length+(L.total>order.length?' listed — the run has '+L.total+
' trades; the list holds the '+order.length+' with the largest |PnL| (the tables above count all of them)':'');}
document.getElementById('trades').addEventListener('click',function(ev){var th=ev.target.closest('th'),tr=ev.target.closest('tbody tr');
if(th){var k=+th.dataset.k;up=k===by?!up:true;by=k;var key=cols[k][1];
order.sort(function(a,b){var x=key(a),y=key(b);return (x<y?-1:x>y?1:a-b)*(up?1:-1);});table();}
else if(tr){focus(L.rows[+tr.dataset.i]);}});
document.getElementById('more').addEventListener('click',function(){limit=order.length;table();});
table();body.dataset.tradesListed=L.rows.length;body.dataset.tradesTotal=L.total;
show(R.first);drawn++;body.dataset.priceFormat=s.priceFormatter().format(0.0893);
var ed=es.data(),low=0;ds.data().forEach(function(p){if(p.value<low)low=p.value;});
body.dataset.equityFirst=ed.length?ed[0].time:'';body.dataset.equityLast=ed.length?ed[ed.length-1].time:'';body.dataset.drawdownMin=low;
body.dataset.charts=drawn;body.dataset.errors=window.__errors;
setTimeout(function(){var r=e.timeScale().getVisibleRange();body.dataset.equityVisible=r?r.from+'-'+r.to:'none';
// For automated checks: #zoom shows the run's first tenth, as a reader zooming in would.
if(location.hash==='#zoom'&&r)e.timeScale().setVisibleRange({from:r.from,to:r.from+(r.to-r.from)/10});},100);
})();
)";

}  // namespace

std::string html_report(const ReportInput& input) {
  const Metrics& m = *input.metrics;
  const EquityCurve& curve = *input.equity;
  // Each charted symbol's candles and markers, by name, and the menu that picks one.
  std::string chart_data = "{", options;
  for (const CandleChart& chart : input.charts) {
    fmt::format_to(std::back_inserter(chart_data), "{}\"{}\":{}", chart_data.size() > 1 ? "," : "", escape_html(chart.symbol), chart.json);
    options += fmt::format("<option>{}</option>", escape_html(chart.symbol));
  }
  chart_data += "}";
  const std::string first = input.charts.empty() ? "" : escape_html(input.charts.front().symbol);

  std::string html;
  html.reserve(chart_library().size() + 1'000'000);
  html += "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape_html(input.title) + "</title><style>" + kStyle +
          "</style>\n<script>\nwindow.__errors=0;window.addEventListener('error',function(){window.__errors++;"
          "document.body&&(document.body.dataset.errors=window.__errors);});\n</script>\n<script>\n" + chart_library() +
          "\n</script></head><body data-charts=\"0\" data-errors=\"0\">\n";
  html += "<h1>" + escape_html(input.title) + "</h1>\n<div class=\"grid\"><div><h2>Summary</h2><table>" + summary_rows(m, input.buy_and_hold) +
          "</table></div><div><h2>Monthly returns</h2><table><tr><th>month</th><th>return</th><th>trades closed</th><th>PnL</th></tr>" +
          monthly_rows(curve, input.trades) + "</table></div>" + run_table(input, curve) + "</div>\n";
  html += fmt::format("<h2>Equity (USDT), the whole run: {} points drawn of {}; the band below: trading state "
                      "<span style=\"color:#2e7d32\">NORMAL</span> <span style=\"color:#f9a825\">CAUTIOUS</span> "
                      "<span style=\"color:#ef6c00\">RISK_AVERSE</span> <span style=\"color:#c62828\">SHUTDOWN</span></h2>"
                      "<div id=\"equity\" class=\"chart\"></div>"
                      "<h2>Drawdown (%)</h2><div id=\"drawdown\" class=\"chart\"></div>\n"
                      "<h2>Rolling Sharpe ({} days of daily returns, annualised)</h2><div id=\"sharpe\" class=\"chart\" style=\"height:200px\"></div>\n",
                      curve.equity().points().size(), curve.equity().count(), DailyReturns::kRollingDays);
  html += "<h2><select id=\"symbol\">" + options +
          "</select> <span id=\"interval\"></span> candles around its trades, with the trades and the 15m zones the run's strategy saw: "
          "order blocks (qualified, the ones it scores: <span style=\"color:#2e7d32\">demand</span> / <span style=\"color:#c62828\">supply</span>) and "
          "fair value gaps (<span style=\"color:#1565c0\">up</span> / <span style=\"color:#ef6c00\">down</span>), from their bar to their end, faint until "
          "known<span id=\"zones-note\"></span><span id=\"markers-note\"></span></h2>"
          "<div id=\"candles\" class=\"chart\" style=\"height:420px\"></div>\n";
  html += "<div class=\"grid\">" + trade_tables(input.trades) + drawdown_periods_table(curve) + daily_returns_table(curve) + "</div>\n";
  html += "<h2>Real trades (<span id=\"shown\"></span>; a header sorts, a row shows the trade on the candle chart when its symbol "
          "is charted) <button id=\"more\">show all</button></h2><table id=\"trades\"></table>\n";
  // The finer level only when it is finer: a short run's coarse series is already every point.
  const std::string detail = curve.equity_detail().bucket_width() < curve.equity().bucket_width() ? series_json(curve.equity_detail(), true) : "[]";
  html += "<script>\nwindow.REPORT={\"equity\":" + series_json(curve.equity(), true) + ",\"equityDetail\":" + detail +
          ",\"drawdown\":" + series_json(curve.drawdown()) +
          ",\"sharpe\":" + series_json(curve.daily_returns().rolling_sharpe()) +
          ",\"charts\":" + chart_data + ",\"trades\":" + trade_list_json(input.trades, input.max_listed_trades) + ",\"first\":\"" + first + "\"};\n" + kScript + "</script>\n</body></html>\n";
  return html;
}

}  // namespace winiswin::report
