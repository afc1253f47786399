// The HTML report renders offline in a real browser (Debian's headless Chromium), with
// its charts drawn and no script errors — on a backtest of real Binance klines.
#include "report/html_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "backtest/simulated_backtest.h"
#include "report/candle_chart.h"
#include "report/report_rows.h"
#include "data/kline_file.h"
#include "strategy/ict_strategy.h"
#include "support/shared_data.h"
#include "venue/binance/exchange_info.h"
#include "venue/binance/leverage_brackets.h"

namespace winiswin::report {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

std::string body_of(const std::filesystem::path& page, const std::string& fragment = "") {
  // Per process: another checkout's tests may run this one at the same time.
  const auto profile = std::filesystem::temp_directory_path() / fmt::format("winiswin_chromium_profile_{}", getpid());
  std::filesystem::remove_all(profile);
  const std::string command = std::string(kChromium) +
                              " --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
                              " --disable-component-update --disable-sync --virtual-time-budget=5000 --user-data-dir=" +
                              profile.string() + " --dump-dom file://" + page.string() + fragment + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::string dom;
  std::array<char, 65536> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) dom += buffer.data();
  pclose(pipe);
  std::filesystem::remove_all(profile);
  const auto start = dom.find("<body");
  return start == std::string::npos ? "" : dom.substr(start, dom.find('>', start) - start + 1);
}

// The value of `name="…"` in the tag `body`, empty when absent.
std::string attribute(const std::string& body, const std::string& name) {
  const auto start = body.find(name + "=\"");
  if (start == std::string::npos) return "";
  const auto value = start + name.size() + 2;
  return body.substr(value, body.find('"', value) - value);
}

TEST(HtmlReport, RealKlineBacktestRendersInHeadlessChromium) {
  if (!std::filesystem::exists(kChromium)) {
    if (testing::shared_is_required()) GTEST_FAIL() << "chromium is missing (tools/setup.sh installs it)";
    GTEST_SKIP() << "chromium not installed";
  }
  WINISWIN_SHARED_FILE(info_path, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  WINISWIN_SHARED_FILE(tiers_path, "data/rest/freqtrade_binance_leverage_tiers_2024-10.json.gz");
  std::vector<KlineSeries> minutes;
  for (const char* name : {"ALGOUSDT", "AVAXUSDT", "DOTUSDT", "FILUSDT", "LINKUSDT"}) {
    WINISWIN_SHARED_FILE(path, std::string("data/klines/futures_um/1m/") + name + "-1m-2026-02.csv.gz");
    KlineSeries series = load_klines(path).value();
    series.bars.resize(10 * 1440);  // a short range: the first ten days of February 2026
    minutes.push_back(std::move(series));
  }
  const auto info = binance::load_exchange_info(info_path.string()).value();
  const auto brackets = binance::load_leverage_brackets(tiers_path.string()).value();
  const strategy::IctStrategy strategy;
  // The zones the strategy saw, recorded by the run as `winiswin backtest` records them.
  ReportRows rows(10'000);
  backtest::SimulatedBacktestConfig config;
  config.on_zones = [&rows](const std::string& symbol, std::span<const structure::ZoneChange> changes) { rows.add_zones(symbol, changes); };
  const engine::BacktestResult result =
      backtest::SimulatedBacktest(info.tradable_usdt_perpetuals(), brackets, strategy, config).run(minutes).value();
  for (const journal::TradeRecord& trade : result.trades) ASSERT_TRUE(rows.trade(trade));
  EXPECT_EQ(result.symbol_bars_5m, 5 * 10 * 288);
  EXPECT_GT(result.trades.size() + result.virtuals.size(), 0u);
  const Metrics metrics = compute_metrics(result.equity, result.trades, result.virtuals, result.refusals, 10'000,
                                          result.fees_paid, result.funding_paid);
  const auto tick_of = [&](const std::string& symbol) {
    const auto found = std::find_if(info.instruments.begin(), info.instruments.end(), [&](const Instrument& one) { return one.symbol == symbol; });
    return found == info.instruments.end() ? Price{} : found->price_filter.tick_size;
  };
  ASSERT_EQ(tick_of("ALGOUSDT"), Price::parse("0.0001").value());
  EquityCurve curve(10'000, 64);  // few buckets: the finer level on zoom is finer
  for (const journal::EquityPoint& point : result.equity) curve.add(point);
  ASSERT_FALSE(rows.zones().zones("ALGOUSDT").empty());
  ASSERT_GE(result.trades.size(), 2u);
  ReportInput input{"real klines", result.trades, &curve, &metrics,
                    {{"ALGOUSDT", candle_chart_json(minutes[0], result.trades, tick_of("ALGOUSDT"), rows.zones().zones("ALGOUSDT"))},
                     {"FILUSDT", candle_chart_json(minutes[3], result.trades, tick_of("FILUSDT"), rows.zones().zones("FILUSDT"))}},
                    "5 symbols, 2026-02-01 … 02-10", "[risk]\nmax_open_positions = 3", 0.0425};
  input.max_listed_trades = result.trades.size() - 1;  // the list is cut, and says so
  const std::string html = html_report(input);
  EXPECT_NE(html.find("<tr><td>Data</td><td>5 symbols, 2026-02-01 … 02-10</td></tr>"), std::string::npos);
  EXPECT_NE(html.find("<tr><td>Buy and hold (the same symbols, equal parts)</td><td>4.25 %</td></tr>"), std::string::npos);
  EXPECT_NE(html.find("<pre>[risk]\nmax_open_positions = 3</pre>"), std::string::npos);
  EXPECT_NE(html.find("<tr><td>2026-02</td>"), std::string::npos);
  EXPECT_EQ(html.find("<tr><td>2026-03</td>"), std::string::npos);  // the last close, 02-11 00:00, ends February
  EXPECT_NE(html.find("<option>ALGOUSDT</option><option>FILUSDT</option>"), std::string::npos);
  EXPECT_EQ(html.find("<script src"), std::string::npos);  // nothing fetched: the library is inline
  EXPECT_NE(html.find("LightweightCharts"), std::string::npos);
  ASSERT_FALSE(metrics.refusals.empty());  // the report says how many signals each rule refused
  for (const auto& [limit, count] : metrics.refusals) {
    EXPECT_NE(html.find(fmt::format("<tr><td>Refused: {}</td><td>{}</td></tr>", limit, count)), std::string::npos) << limit;
  }
  const auto page = std::filesystem::temp_directory_path() / fmt::format("winiswin_report_test_{}.html", getpid());
  std::ofstream(page) << html;
  const std::string body = body_of(page);
  EXPECT_NE(body.find("data-charts=\"4\""), std::string::npos) << body;
  EXPECT_NE(body.find("data-errors=\"0\""), std::string::npos) << body;
  // The drawn equity runs from the run's first point to its last, and the chart shows all of
  // it; its deepest drawdown is the metrics' (printed with 6 decimals of a percent).
  const std::int64_t first = to_ms(result.equity.front().time) / 1000, last = to_ms(result.equity.back().time) / 1000;
  EXPECT_EQ(attribute(body, "data-equity-first"), std::to_string(first)) << body;
  EXPECT_EQ(attribute(body, "data-equity-last"), std::to_string(last)) << body;
  EXPECT_EQ(attribute(body, "data-equity-visible"), fmt::format("{}-{}", first, last)) << body;
  // The first chart (ALGOUSDT, tick 0.0001) formats its prices to its tick, not to cents.
  EXPECT_EQ(attribute(body, "data-price-format"), "0.0893") << body;
  EXPECT_EQ(attribute(body, "data-trade-rows"), std::to_string(std::min<std::size_t>(500, result.trades.size() - 1))) << body;
  EXPECT_EQ(attribute(body, "data-trades-listed"), std::to_string(result.trades.size() - 1)) << body;
  EXPECT_EQ(attribute(body, "data-trades-total"), std::to_string(result.trades.size())) << body;
  // The first chart's zones, as the run recorded them, are drawn as rectangles: some of them
  // lie in the part the chart opens on (its last trades).
  EXPECT_EQ(attribute(body, "data-zones"), std::to_string(std::min(kMaxZones, rows.zones().zones("ALGOUSDT").size()))) << body;
  const std::string drawn = attribute(body, "data-zones-drawn");
  ASSERT_FALSE(drawn.empty()) << body;
  EXPECT_GT(std::stoi(drawn), 0) << body;
  ASSERT_GT(metrics.max_drawdown, 0.0);
  EXPECT_NEAR(std::stod(attribute(body, "data-drawdown-min")), -100.0 * metrics.max_drawdown, 1e-6) << body;
  // Zoomed to the run's first tenth, the equity is drawn from the finer level.
  EXPECT_EQ(attribute(body, "data-equity-detail"), "") << body;  // the whole run: the coarse level
  const std::string zoomed = body_of(page, "#zoom");
  EXPECT_EQ(attribute(zoomed, "data-errors"), "0") << zoomed;
  EXPECT_EQ(attribute(zoomed, "data-equity-detail"), "fine") << zoomed;
  const std::string detail_drawn = attribute(zoomed, "data-equity-drawn");
  ASSERT_FALSE(detail_drawn.empty()) << zoomed;
  EXPECT_EQ(std::stoul(detail_drawn), curve.equity_detail().points().size());
  EXPECT_GT(curve.equity_detail().points().size(), curve.equity().points().size());
  std::filesystem::remove(page);
}

// A synthetic run with three times kMaxTradeMarkers trades on its one charted symbol: the page
// marks kMaxTradeMarkers of them and says how many it left out; ten times as many trades mark
// no more (the trade list, capped on its own, is not measured here).
TEST(HtmlReport, AChartPastTheMarkerCapStaysBoundedAndSaysItCut) {
  constexpr std::int64_t kStartMs = 1'675'209'600'000;  // 2023-02-01 00:00 UTC
  constexpr std::int64_t kBars = 30 * 288;
  KlineSeries bars{"ALGOUSDT", Interval::k5m, KlineFields::kFull, {}};
  for (std::int64_t idx = 0; idx < kBars; ++idx) {
    const Price price = Price::from_double(1.0 + 0.001 * static_cast<double>(idx % 50)).value();
    const Timestamp open = timestamp_from_ms(kStartMs + idx * 300'000);
    bars.bars.push_back(Kline{open, price, price, price, price, Quantity::from_units(1), open + Milliseconds{299'999}, Notional::from_units(1), 1,
                              Quantity{}, Notional{}});
  }
  const auto run_with = [&](std::size_t count) {
    std::vector<journal::TradeRecord> trades;
    for (std::size_t idx = 0; idx < count; ++idx) {
      journal::TradeRecord trade;
      trade.symbol = "ALGOUSDT";
      trade.entry_time = bars.bars[idx % (kBars - 1)].open_time;
      trade.exit_time = trade.entry_time + Milliseconds{300'000};
      trade.entry_price = 1.0;
      trade.pnl = (idx % 2 == 0 ? 1.0 : -1.0) * static_cast<double>(idx % 997);
      trades.push_back(trade);
    }
    return trades;
  };
  const auto chart_part = [](const std::string& html) {
    const std::size_t begin = html.find("\"charts\":"), end = html.find(",\"trades\":{", begin);
    return html.substr(begin, end - begin);
  };
  const auto page_of = [&](std::span<const journal::TradeRecord> trades, EquityCurve& curve) {
    for (std::int64_t day = 0; day <= 30; ++day) curve.add(journal::EquityPoint{timestamp_from_ms(kStartMs + day * 86'400'000), 10'000.0 + static_cast<double>(day)});
    static const Metrics metrics{};
    ReportInput input{"synthetic", trades, &curve, &metrics, {{"ALGOUSDT", candle_chart_json(bars, trades, Price{})}}, "1 symbol", "", std::nullopt};
    return html_report(input);
  };
  const std::vector<journal::TradeRecord> trades = run_with(3 * kMaxTradeMarkers), many = run_with(30 * kMaxTradeMarkers);
  EquityCurve curve(10'000, 64), many_curve(10'000, 64);
  const std::string html = page_of(trades, curve), many_html = page_of(many, many_curve);
  EXPECT_NE(html.find(fmt::format("\"tradesLeftOut\":{}}}", 2 * kMaxTradeMarkers)), std::string::npos);
  EXPECT_NE(many_html.find(fmt::format("\"tradesLeftOut\":{}}}", many.size() - kMaxTradeMarkers)), std::string::npos);
  // Bounded: ten times the trades mark no more of them, and the chart stays within the
  // candles' and the markers' budgets (48 bytes a candle or a marker at most here).
  const auto markers_in = [](const std::string& chart) {
    const std::size_t begin = chart.find("\"trades\":["), end = chart.find("],\"tradesLeftOut\"");
    return std::count(chart.begin() + static_cast<std::ptrdiff_t>(begin), chart.begin() + static_cast<std::ptrdiff_t>(end), ']');
  };
  EXPECT_EQ(markers_in(chart_part(html)), static_cast<std::ptrdiff_t>(kMaxTradeMarkers));
  EXPECT_EQ(markers_in(chart_part(many_html)), static_cast<std::ptrdiff_t>(kMaxTradeMarkers));
  for (const std::string* page : {&html, &many_html}) EXPECT_LE(chart_part(*page).size(), kMaxCandles * 48 + kMaxTradeMarkers * 48);
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "chromium not installed: the page's note is not checked";
  const auto page = std::filesystem::temp_directory_path() / fmt::format("winiswin_report_markers_test_{}.html", getpid());
  std::ofstream(page) << html;
  const std::string body = body_of(page);
  std::filesystem::remove(page);
  EXPECT_EQ(attribute(body, "data-errors"), "0") << body;
  EXPECT_EQ(attribute(body, "data-markers-left-out"), std::to_string(2 * kMaxTradeMarkers)) << body;
}

}  // namespace
}  // namespace winiswin::report
