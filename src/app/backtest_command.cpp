#include <unistd.h>

#include <chrono>
#include <thread>
#include <cstdio>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "data/file_bytes.h"
#include "data/kline_file.h"
#include "data/synthetic_market.h"
#include "engine/backtest.h"
#include "engine/metrics.h"
#include "report/html_report.h"
#include "strategy/strategy.h"
#include "venue/binance/exchange_info.h"
#include "venue/binance/leverage_brackets.h"

namespace winiswin {
namespace {

std::string trades_csv(const std::vector<engine::TradeRecord>& trades) {
  std::string out = "symbol,side,virtual,rank,confidence,decided,entry_time,entry_price,exit_time,exit_price,stop,target,"
                    "quantity,pnl,fees,r_multiple,exit_reason";
  for (const std::string_view name : strategy::kFeatureNames) out += fmt::format(",{}", name);
  out += '\n';
  for (const engine::TradeRecord& t : trades) {
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{:.6f},{},{},{},{},{},{},{},{},{:.8f},{:.8f},{:.6f},{}", t.symbol,
                   t.side == Side::kBuy ? "LONG" : "SHORT", t.is_virtual ? 1 : 0, t.rank, t.confidence, format_utc(t.decided),
                   format_utc(t.entry_time), t.entry_price, format_utc(t.exit_time), t.exit_price, t.stop.to_string(),
                   t.target.to_string(), t.quantity, t.pnl, t.fees, t.r_multiple, t.exit_reason);
    for (const double feature : t.features) fmt::format_to(std::back_inserter(out), ",{}", feature);
    out += '\n';
  }
  return out;
}

std::string equity_csv(const std::vector<engine::EquityPoint>& equity) {
  std::string out = "time,time_ms,equity,state\n";
  for (const engine::EquityPoint& point : equity) {
    fmt::format_to(std::back_inserter(out), "{},{},{:.8f},{}\n", format_utc(point.time), to_ms(point.time), point.equity,
                   risk::name_of(point.state));
  }
  return out;
}

}  // namespace

Status run_backtest(const BacktestOptions& options, const AppConfig& config) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<Instrument> instruments;
  std::vector<KlineSeries> minutes;
  std::map<std::string, std::vector<LeverageBracket>> brackets;
  if (options.data.empty()) {
    const SyntheticMarket market(config.synthetic);
    instruments = market.instruments();
    // Each symbol has its own generator: any thread may make it, the bars are the same.
    minutes.resize(instruments.size());
    const unsigned threads = static_cast<unsigned>(std::max(1, options.threads));
    {
      std::vector<std::jthread> pool;
      for (unsigned worker = 0; worker < threads; ++worker) {
        pool.emplace_back([&, worker] {
          for (std::size_t idx = worker; idx < instruments.size(); idx += threads) minutes[idx] = market.generate(idx);
        });
      }
    }
    spdlog::info("synthetic market: {} symbols × {} days", config.synthetic.symbols, config.synthetic.days);
  } else {
    const std::filesystem::path info_path =
        options.exchange_info.empty() ? options.data / "exchangeInfo.json" : std::filesystem::path(options.exchange_info);
    WINISWIN_TRY(const auto info, binance::load_exchange_info(info_path.string()));
    instruments = info.instruments;
    WINISWIN_TRY(const auto files, list_kline_files(options.data));
    std::map<std::string, KlineSeries> by_symbol;
    for (const auto& file : files) {
      WINISWIN_TRY(KlineSeries series, load_klines(file));
      if (series.interval != Interval::k1m) continue;
      auto& joined = by_symbol[series.symbol];
      if (joined.bars.empty()) {
        joined = std::move(series);
      } else {
        joined.bars.insert(joined.bars.end(), series.bars.begin(), series.bars.end());
      }
    }
    if (by_symbol.empty()) return make_error(ErrorCode::kNotFound, fmt::format("{}: no 1m kline files", options.data.string()));
    for (auto& [symbol, series] : by_symbol) {
      std::sort(series.bars.begin(), series.bars.end(), [](const Kline& a, const Kline& b) { return a.open_time < b.open_time; });
      minutes.push_back(std::move(series));
    }
  }
  // Narrow to the requested symbols and time range.
  if (!options.symbols.empty()) {
    std::erase_if(minutes, [&](const KlineSeries& series) {
      return std::find(options.symbols.begin(), options.symbols.end(), series.symbol) == options.symbols.end();
    });
    if (minutes.empty()) return make_error(ErrorCode::kNotFound, "none of the requested symbols has data");
  }
  if (!options.from.empty() || !options.to.empty()) {
    Timestamp from = Timestamp::min(), to = Timestamp::max();
    if (!options.from.empty()) {
      WINISWIN_TRY(from, parse_decision_time(options.from));
    }
    if (!options.to.empty()) {
      WINISWIN_TRY(to, parse_decision_time(options.to));
    }
    if (from >= to) return make_error(ErrorCode::kInvalidArgument, "--from must be before --to");
    for (KlineSeries& series : minutes) {
      std::erase_if(series.bars, [&](const Kline& bar) { return bar.open_time < from || bar.open_time >= to; });
    }
  }
  if (!options.brackets.empty()) {
    WINISWIN_TRY(brackets, binance::load_leverage_brackets(options.brackets));
  }
  WINISWIN_TRY(const auto strategy, strategy::make_strategy(config.strategy.name, strategy::StrategyParameters{config.strategy.ict}));
  engine::BacktestConfig backtest_config;
  backtest_config.min_confidence = config.strategy.min_confidence;
  backtest_config.sizing = config.risk.sizing;
  backtest_config.limits = config.risk.limits;
  backtest_config.state = config.risk.state;
  backtest_config.top_k = config.risk.limits.max_open_positions;
  backtest_config.threads = options.threads;
  if (isatty(fileno(stderr))) {  // a progress bar on a terminal, nothing in logs and CI
    backtest_config.progress = [](double done) {
      const int width = 40, filled = static_cast<int>(done * width);
      fmt::print(stderr, "\r[{}{}] {:3.0f} %", std::string(static_cast<std::size_t>(filled), '#'),
                 std::string(static_cast<std::size_t>(width - filled), ' '), 100.0 * done);
    };
  }
  engine::Backtest backtest(instruments, brackets, *strategy, backtest_config);
  const auto loaded = std::chrono::steady_clock::now();
  WINISWIN_TRY(const engine::BacktestResult result, backtest.run(minutes));
  const auto finished = std::chrono::steady_clock::now();
  if (backtest_config.progress) fmt::print(stderr, "\r{:60}\r", "");
  const engine::Metrics metrics = engine::compute_metrics(result, backtest_config.venue.starting_balance.to_double());

  std::error_code error;
  std::filesystem::create_directories(options.out, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create: {}", options.out.string(), error.message()));
  for (const auto& [name, text] : {std::pair{"trades.csv", trades_csv(result.trades)}, std::pair{"virtual.csv", trades_csv(result.virtuals)},
                                   std::pair{"equity.csv", equity_csv(result.equity)},
                                   std::pair{"metrics.json", engine::metrics_json(metrics)}}) {
    if (auto status = write_file_bytes(options.out / name, text); !status) return status;
  }
  // The report charts the symbol with the most real trades (the first symbol when none traded).
  std::map<std::string, int> trade_counts;
  for (const engine::TradeRecord& trade : result.trades) ++trade_counts[trade.symbol];
  const KlineSeries* charted = &minutes.front();
  int most = 0;
  for (const KlineSeries& series : minutes) {
    if (trade_counts[series.symbol] > most) most = trade_counts[series.symbol], charted = &series;
  }
  const std::string title = fmt::format("winiswin backtest — {} symbols, {} → {}", minutes.size(),
                                        result.equity.empty() ? "" : format_utc(result.equity.front().time),
                                        result.equity.empty() ? "" : format_utc(result.equity.back().time));
  const std::string html = report::html_report(report::ReportInput{title, &result, &metrics, charted});
  if (auto status = write_file_bytes(options.out / "report.html", html); !status) return status;
  const double seconds = std::chrono::duration<double>(finished - loaded).count();
  fmt::print("backtest: {} symbols, {} decisions, {} symbol-bars (5m) in {:.2f} s ({:.2f} M symbol-bars/s; data {:.2f} s)\n",
             minutes.size(), result.decisions, result.symbol_bars_5m, seconds,
             static_cast<double>(result.symbol_bars_5m) / seconds / 1e6, std::chrono::duration<double>(loaded - started).count());
  fmt::print("{}", engine::summary_table(metrics));
  fmt::print("outputs: {}/{{trades.csv, virtual.csv, equity.csv, metrics.json}}\nreport: {}\n", options.out.string(),
             (options.out / "report.html").string());
  return Ok{};
}

}  // namespace winiswin
