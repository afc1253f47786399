#include <unistd.h>

#include <chrono>
#include <functional>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/data_instruments.h"
#include "app/run_folder.h"
#include "data/file_bytes.h"
#include "data/funding_csv.h"
#include "data/kline_file.h"
#include "data/kline_folder.h"
#include "engine/file_feed.h"
#include "data/synthetic_market.h"
#include "backtest/simulated_backtest.h"
#include "report/metrics.h"
#include "journal/csv_recorder.h"
#include "journal/sqlite_journal.h"
#include "ml/xgboost_model.h"
#include "report/benchmark.h"
#include "report/candle_chart.h"
#include "report/html_report.h"
#include "report/report_rows.h"
#include "strategy/strategy.h"
#include "venue/binance/default_brackets.h"
#include "venue/binance/leverage_brackets.h"

namespace winiswin {
namespace {

// The benchmark over the decided window: each symbol's first bar from `from` on (its open)
// and its last bar (its close), read back from the feed as the report's charts are.
Result<std::optional<double>> buy_and_hold(engine::BarFeed& feed, Timestamp from) {
  std::vector<report::HeldSymbol> held;
  for (std::size_t index = 0; index < feed.symbols().size(); ++index) {
    const Timestamp last = feed.last_of(index);
    if (last < from) continue;  // no bar in the window
    // A feed's span lives until its next read of the symbol (the synthetic one regenerates):
    // the first open is taken before the last bar is read.
    // Searched a day at a time: a feed keeps a span's capacity per symbol, so reading a week
    // for each of 200 symbols held ~180 MB to the end of the run.
    std::optional<double> first_open;
    for (Timestamp day = from; !first_open && day <= last; day += std::chrono::days{1}) {
      WINISWIN_TRY(const std::span<const Kline> bars, feed.bars(index, day, std::min(day + std::chrono::days{1}, last + Milliseconds{1})));
      if (!bars.empty()) first_open = bars.front().open.to_double();
    }
    if (!first_open) continue;
    WINISWIN_TRY(const std::span<const Kline> last_bar, feed.bars(index, last, last + Milliseconds{1}));
    if (last_bar.empty()) continue;
    held.push_back(report::HeldSymbol{*first_open, last_bar.back().close.to_double()});
  }
  return report::equal_weight_return(held);
}

// The process's peak resident memory so far (Linux: VmHWM), in MB; 0 where unknown.
long peak_memory_mb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10) / 1024;
  }
  return 0;
}

// The output folder, made and written to before anything is loaded, so that a long run
// cannot fail at its end for want of a place to write.
Status check_output_folder(const std::filesystem::path& out) {
  std::error_code error;
  std::filesystem::create_directories(out, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("--out {}: cannot create this folder: {}", out.string(), error.message()));
  const std::filesystem::path probe = out / ".winiswin-write-check";
  if (!std::ofstream(probe)) return make_error(ErrorCode::kIo, fmt::format("--out {}: cannot write in this folder", out.string()));
  std::filesystem::remove(probe, error);
  return Ok{};
}

}  // namespace

backtest::SimulatedBacktestConfig simulated_backtest_config(const AppConfig& config) {
  backtest::SimulatedBacktestConfig backtest_config;
  backtest_config.cycle.min_confidence = config.strategy.min_confidence;
  backtest_config.cycle.sizing = config.risk.sizing;
  backtest_config.cycle.limits = config.risk.limits;
  backtest_config.state = config.risk.state;
  backtest_config.breaker = config.risk.breaker;
  backtest_config.cycle.top_k = config.risk.limits.max_open_positions;
  backtest_config.cycle.rank_depth = config.backtest.rank_depth;
  backtest_config.cycle.virtual_through = config.backtest.virtual_through;
  backtest_config.max_holding_minutes = config.backtest.max_holding_minutes;
  backtest_config.max_bridged_gap_minutes = config.backtest.max_bridged_gap_minutes;
  backtest_config.venue = config.sim;
  return backtest_config;
}

void warn_left_out(const LeftOut& left) { spdlog::warn("{}: left out: {}", left.file.string(), left.reason); }

namespace {

// --out, else a new folder of its own under backtest/ (backtest/latest names it once written).
Result<std::filesystem::path> output_folder(const BacktestOptions& options) {
  if (!options.out.empty()) return options.out;
  return make_run_folder(kDefaultBacktestRoot, std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now()));
}

}  // namespace

Status run_backtest(const BacktestOptions& options, const AppConfig& config) {
  const auto started = std::chrono::steady_clock::now();
  WINISWIN_TRY(const std::filesystem::path out, output_folder(options));
  if (auto status = check_output_folder(out); !status) return status;
  std::unique_ptr<ml::XgboostModel> model;  // none: the strategy's confidence ranks
  if (!options.model.empty()) {
    WINISWIN_TRY(model, ml::XgboostModel::load(options.model, options.model_weight));
  }
  std::vector<Instrument> instruments;
  std::vector<KlineSeries> bars;  // --data --preload: the files' bars
  std::vector<SymbolFiles> plan;  // --data: the files, streamed; the synthetic market is generated as read
  std::map<std::string, std::vector<FundingRate>> funding;
  std::optional<SyntheticMarket> market;
  DataInstruments listed;  // --data: where the instruments came from
  std::map<std::string, std::vector<LeverageBracket>> brackets;
  Timestamp from = Timestamp::min(), to = Timestamp::max();
  if (!options.from.empty()) {
    WINISWIN_TRY(from, parse_decision_time(options.from));
  }
  if (!options.to.empty()) {
    WINISWIN_TRY(to, parse_decision_time(options.to));
  }
  if (!options.timerange.empty()) {
    WINISWIN_TRY(const TimeRange range, parse_timerange(options.timerange));
    from = range.from.value_or(Timestamp::min());
    to = range.to.value_or(Timestamp::max());
  }
  const auto wanted = [&](const std::string& symbol) {
    return options.symbols.empty() || std::find(options.symbols.begin(), options.symbols.end(), symbol) != options.symbols.end();
  };
  if (options.data.empty()) {
    market.emplace(config.synthetic);
    instruments = market->instruments();
    spdlog::info("synthetic market: {} symbols × {} days", config.synthetic.symbols, config.synthetic.days);
  } else {
    if (options.preload) {
      WINISWIN_TRY(bars, load_finest_klines(options.data, wanted, FinestOf::kEachSymbol, warn_left_out));
    } else {
      WINISWIN_TRY(plan, plan_finest_klines(options.data, wanted, FinestOf::kEachSymbol, warn_left_out));
    }
    WINISWIN_TRY(listed, load_data_instruments(options.data, options.exchange_info));
    instruments = listed.instruments;
  }
  if (!options.funding.empty()) {
    WINISWIN_TRY(funding, load_funding_directory(options.funding));
  }
  if (!options.brackets.empty()) {
    WINISWIN_TRY(brackets, binance::load_leverage_brackets(options.brackets));
  }
  // Liquidation is always modelled: symbols without brackets get the shipped default tiers.
  if (const std::size_t missing = binance::count_without_brackets(instruments, brackets); missing > 0) {
    spdlog::info("leverage brackets: {} of {} symbols use the shipped default tiers (Binance, 2024-10){}", missing,
                 instruments.size(), options.brackets.empty() ? "; --brackets FILE gives current ones" : "");
    brackets = binance::with_default_brackets(instruments, std::move(brackets));
  }
  WINISWIN_TRY(const auto strategy, strategy::make_strategy(config.strategy.name, strategy::StrategyParameters{config.strategy.ict}));
  backtest::SimulatedBacktestConfig backtest_config = simulated_backtest_config(config);
  backtest_config.threads = options.threads;
  backtest_config.funding = std::move(funding);
  if (isatty(fileno(stderr))) {  // a progress bar on a terminal, nothing in logs and CI
    backtest_config.progress = [](double done) {
      const int width = 40, filled = static_cast<int>(done * width);
      fmt::print(stderr, "\r[{}{}] {:3.0f} %", std::string(static_cast<std::size_t>(filled), '#'),
                 std::string(static_cast<std::size_t>(width - filled), ' '), 100.0 * done);
    };
  }
  std::unique_ptr<engine::BarFeed> all;
  const engine::SyntheticFeed* synthetic = nullptr;
  if (market) {
    auto generated = std::make_unique<engine::SyntheticFeed>(*market);
    synthetic = generated.get();
    all = std::move(generated);
  } else if (options.preload) {
    WINISWIN_TRY(auto series_feed, engine::SeriesFeed::make(bars));
    all = std::make_unique<engine::SeriesFeed>(std::move(series_feed));
  } else {
    WINISWIN_TRY(auto file_feed, engine::FileFeed::make(std::move(plan)));
    all = std::make_unique<engine::FileFeed>(std::move(file_feed));
  }
  // --from: the warm-up bars before it are read too (its first decision is as warm as any
  // later one); the run decides, marks and trades from --from on.
  if (from >= to) return make_error(ErrorCode::kInvalidArgument, "--from must be before --to");
  const Timestamp warm_from = from == Timestamp::min() ? from : from - std::chrono::hours{engine::kWarmupHours};
  backtest_config.decide_from = from;
  WINISWIN_TRY(const std::unique_ptr<engine::BarFeed> feed, engine::narrow_feed(std::move(all), options.symbols, warm_from, to));
  if (feed->last() < from) {
    return make_error(ErrorCode::kNotFound, fmt::format("no bars between {} and {}", format_utc(from), format_utc(to)));
  }
  if (!options.data.empty()) {
    if (auto status = check_listed(listed, feed->symbols()); !status) return status;
  }
  const Timestamp window_first = std::max(feed->first(), from);  // the report's charts start here
  const auto chart_index = [&](const std::string& symbol) -> Result<std::size_t> {
    const auto found = std::find(feed->symbols().begin(), feed->symbols().end(), symbol);
    if (found == feed->symbols().end()) return make_error(ErrorCode::kNotFound, fmt::format("--chart {}: not in this backtest", symbol));
    return static_cast<std::size_t>(found - feed->symbols().begin());
  };
  for (const std::string& symbol : options.chart_symbols) {
    if (auto index = chart_index(symbol); !index) return index.error();  // before the run, not after it
  }
  backtest_config.cycle.label_every_signal = options.label_every_signal;
  // Rows go to the files as the run goes; the metrics are summed as they come; the report
  // keeps the real trades, the equity curve downsampled as it comes and the 15m zones the
  // strategy saw around the trades (not the equity points, virtual positions, refusals and
  // every zone, the bulk of a long run).
  report::MetricsBuilder metrics_builder(backtest_config.venue.starting_balance.to_double());
  report::ReportRows report_rows(backtest_config.venue.starting_balance.to_double(),
                                 std::chrono::minutes{backtest_config.max_holding_minutes});
  backtest_config.on_zones = [&report_rows](const std::string& symbol, std::span<const structure::ZoneChange> changes) {
    report_rows.add_zones(symbol, changes);
  };
  backtest::SimulatedBacktest simulated(instruments, brackets, *strategy, backtest_config,
                                        model ? static_cast<const ml::Model&>(*model) : ml::pass_through_model());
  const auto loaded = std::chrono::steady_clock::now();
  WINISWIN_TRY(const std::unique_ptr<journal::CsvRecorder> files, journal::CsvRecorder::open(
                                 out, model ? journal::TradeColumns::kWithModel : journal::TradeColumns::kStandard));
  std::vector<journal::Recorder*> recorders{files.get(), &metrics_builder, &report_rows};
  std::unique_ptr<journal::SqliteJournal> sqlite;
  if (!options.journal.empty()) {
    WINISWIN_TRY(sqlite, journal::SqliteJournal::open(options.journal, journal::Durability::kBatched));
    recorders.push_back(sqlite.get());
  }
  journal::FanOut recorder(std::move(recorders));
  WINISWIN_TRY(const engine::BacktestCounts counts, simulated.run(*feed, recorder));
  const auto finished = std::chrono::steady_clock::now();
  spdlog::info("peak memory after the run, before the report: {} MB", peak_memory_mb());
  if (backtest_config.progress) fmt::print(stderr, "\r{:60}\r", "");
  if (auto status = files->finish(); !status) return status;
  if (sqlite) {
    if (auto status = sqlite->flush(); !status) return status;
  }
  const report::Metrics metrics = metrics_builder.finish(counts.fees_paid, counts.funding_paid);
  if (auto status = write_file_bytes(out / "metrics.json", report::metrics_json(metrics)); !status) return status;
  const std::vector<journal::TradeRecord>& trades = report_rows.trades();  // what the report reads
  const report::EquityCurve& equity = report_rows.curve();
  // The report charts the symbols asked for, else the three with the most real trades (the
  // first symbol when none traded).
  std::vector<std::string> chart_symbols = options.chart_symbols;
  if (chart_symbols.empty()) {
    std::map<std::string, int> trade_counts;
    for (const journal::TradeRecord& trade : trades) ++trade_counts[trade.symbol];
    std::vector<std::pair<int, std::string>> ranked;
    for (const auto& [symbol, count] : trade_counts) ranked.emplace_back(-count, symbol);
    std::sort(ranked.begin(), ranked.end());
    for (std::size_t idx = 0; idx < ranked.size() && idx < 3; ++idx) chart_symbols.push_back(ranked[idx].second);
    if (chart_symbols.empty()) chart_symbols.push_back(feed->symbols().front());
  }
  // Each chart reads its symbol's bars a week at a time: the report holds the candles it
  // draws, not the series.
  std::vector<report::CandleChart> charts;
  for (const std::string& symbol : chart_symbols) {
    WINISWIN_TRY(const std::size_t index, chart_index(symbol));
    const auto instrument = std::find_if(instruments.begin(), instruments.end(), [&](const Instrument& one) { return one.symbol == symbol; });
    report::CandleChartBuilder chart(symbol, feed->interval_of(index), trades, instrument == instruments.end() ? Price{} : instrument->price_filter.tick_size,
                                     window_first, feed->last_of(index), report_rows.zones().zones(symbol));
    constexpr auto kChartChunk = std::chrono::days{7};
    for (Timestamp chunk = window_first; chunk <= feed->last_of(index); chunk += kChartChunk) {
      WINISWIN_TRY(const std::span<const Kline> week, feed->bars(index, chunk, std::min(chunk + kChartChunk, feed->last_of(index) + Milliseconds{1})));
      if (auto status = chart.add(week); !status) return status;
    }
    charts.push_back(report::CandleChart{symbol, chart.json()});
  }
  const std::string title = fmt::format("winiswin backtest — {} symbols, {} → {}", feed->symbols().size(),
                                        equity.first_time() ? format_utc(*equity.first_time()) : "",
                                        equity.last_time() ? format_utc(*equity.last_time()) : "");
  const std::string data_description =
      fmt::format("{}: {} symbols ({}){}{}", options.data.empty() ? "the synthetic market" : options.data.string(), feed->symbols().size(),
                  fmt::join(feed->symbols(), ", "), options.from.empty() ? "" : ", --from " + options.from,
                  options.to.empty() ? "" : ", --to " + options.to);
  WINISWIN_TRY(const std::optional<double> benchmark, buy_and_hold(*feed, window_first));
  const std::string html = report::html_report(
      report::ReportInput{title, trades, &equity, &metrics, charts, data_description, describe_config(config, options.data.empty() ? MarketSource::kSynthetic : MarketSource::kData), benchmark});
  if (auto status = write_file_bytes(out / "report.html", html); !status) return status;
  const double seconds = std::chrono::duration<double>(finished - loaded).count();
  fmt::print("backtest: {} symbols, {} decisions, {} symbol-bars (5m) in {:.2f} s ({:.2f} M symbol-bars/s; data {:.2f} s{})\n",
             feed->symbols().size(), counts.decisions, counts.symbol_bars_5m, seconds,
             static_cast<double>(counts.symbol_bars_5m) / seconds / 1e6, std::chrono::duration<double>(loaded - started).count(),
             synthetic ? fmt::format(", the market generated meanwhile: {:.2f} s of thread time", synthetic->generation_seconds()) : "");
  fmt::print("{}", report::summary_table(metrics));
  fmt::print("outputs: {}/{{trades.csv, virtual.csv, equity.csv, transitions.csv, refusals.csv, metrics.json}}\nreport: {}\n",
             out.string(),
             (out / "report.html").string());
  if (options.out.empty()) return point_latest(out);  // the run is complete: latest may name it
  return Ok{};
}

}  // namespace winiswin
