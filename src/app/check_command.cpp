// `winiswin check causality`: the look-ahead check of backtest/causality.h on the
// configured strategy (and --model), over --data or the synthetic market.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/data_instruments.h"
#include "backtest/causality.h"
#include "backtest/simulated_backtest.h"
#include "data/kline_folder.h"
#include "data/synthetic_market.h"
#include "engine/bar_feed.h"
#include "engine/file_feed.h"
#include "ml/xgboost_model.h"
#include "strategy/strategy.h"
#include "venue/binance/default_brackets.h"

namespace winiswin {
namespace {

struct Window {
  Timestamp from = Timestamp::min();
  Timestamp to = Timestamp::max();
};

Result<Window> window_of(const CheckCausalityOptions& options) {
  Window window;
  if (!options.from.empty()) {
    WINISWIN_TRY(window.from, parse_decision_time(options.from));
  }
  if (!options.to.empty()) {
    WINISWIN_TRY(window.to, parse_decision_time(options.to));
  }
  return window;
}

// The data checked: --data's files planned once, each run streaming them (its own feed)
// through a window ending at its cut.
struct CheckedData {
  std::vector<Instrument> instruments;
  std::vector<SymbolFiles> plan;            // --data
  std::optional<SyntheticMarket> market;    // else
};

Result<CheckedData> load_data(const CheckCausalityOptions& options, const AppConfig& config) {
  CheckedData data;
  if (options.data.empty()) {
    data.market.emplace(config.synthetic);
    data.instruments = data.market->instruments();
    return data;
  }
  WINISWIN_TRY(const DataInstruments listed, load_data_instruments(options.data, options.exchange_info));
  data.instruments = listed.instruments;
  const auto wanted = [&](const std::string& symbol) {
    return options.symbols.empty() || std::find(options.symbols.begin(), options.symbols.end(), symbol) != options.symbols.end();
  };
  WINISWIN_TRY(data.plan, plan_finest_klines(options.data, wanted, FinestOf::kEachSymbol, warn_left_out));
  std::vector<std::string> symbols;
  for (const SymbolFiles& files : data.plan) symbols.push_back(files.symbol);
  if (auto status = check_listed(listed, symbols); !status) return status.error();
  return data;
}

Result<std::unique_ptr<engine::BarFeed>> feed_of(const CheckedData& data, const CheckCausalityOptions& options, Window window) {
  std::unique_ptr<engine::BarFeed> all;
  if (data.market) {
    all = std::make_unique<engine::SyntheticFeed>(*data.market);
  } else {
    WINISWIN_TRY(auto file_feed, engine::FileFeed::make(data.plan));
    all = std::make_unique<engine::FileFeed>(std::move(file_feed));
  }
  return engine::narrow_feed(std::move(all), options.symbols, window.from, window.to);
}

Result<std::vector<Timestamp>> cuts_of(const CheckCausalityOptions& options, const engine::BarFeed& feed) {
  if (options.at.empty()) {
    if (options.cuts < 1) return make_error(ErrorCode::kInvalidArgument, "--cuts must be at least 1");
    return backtest::spread_cuts(feed.first(), feed.last(), options.cuts);
  }
  std::vector<Timestamp> cuts;
  for (const std::string& text : options.at) {
    WINISWIN_TRY(const Timestamp cut, parse_decision_time(text));
    if (to_ms(cut) % duration_ms(Interval::k5m) != 0) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("--at {}: not a 5m close (decisions happen on 5m boundaries)", text));
    }
    if (cut <= feed.first() || cut > feed.last()) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("--at {}: outside the data ({} to {})", text, format_utc(feed.first()),
                                                                 format_utc(feed.last())));
    }
    cuts.push_back(cut);
  }
  std::sort(cuts.begin(), cuts.end());
  return cuts;
}

void print_report(const backtest::CausalityReport& report) {
  for (std::size_t idx = 0; idx < report.cuts.size(); ++idx) {
    const auto differing = std::count_if(report.differences.begin(), report.differences.end(),
                                         [&](const backtest::CausalityDifference& difference) { return difference.cut == report.cuts[idx]; });
    fmt::print("cut at {}: {} rows decided before it compared, {}\n", format_utc(report.cuts[idx]), report.rows_compared[idx],
               differing == 0 ? "identical" : fmt::format("DIFFERENT (first {} shown)", differing));
  }
  for (const backtest::CausalityDifference& difference : report.differences) {
    fmt::print("difference before the cut at {}:\n  all data:  {}\n  cut data:  {}\n", format_utc(difference.cut), difference.full,
               difference.truncated);
  }
}

}  // namespace

Status run_check_causality(const CheckCausalityOptions& options, const AppConfig& config) {
  WINISWIN_TRY(const Window window, window_of(options));
  std::unique_ptr<ml::XgboostModel> model;  // none: the strategy's confidence ranks
  if (!options.model.empty()) {
    WINISWIN_TRY(model, ml::XgboostModel::load(options.model, options.model_weight));
  }
  WINISWIN_TRY(const auto strategy, strategy::make_strategy(config.strategy.name, strategy::StrategyParameters{config.strategy.ict}));
  WINISWIN_TRY(const CheckedData data, load_data(options, config));
  WINISWIN_TRY(const std::unique_ptr<engine::BarFeed> whole, feed_of(data, options, window));
  WINISWIN_TRY(const std::vector<Timestamp> cuts, cuts_of(options, *whole));
  backtest::CausalityCheck check;
  check.instruments = data.instruments;
  check.brackets = binance::with_default_brackets(data.instruments, {});
  check.config = simulated_backtest_config(config);
  check.config.threads = options.threads;
  const backtest::FeedBefore feed_before = [&](Timestamp cut) { return feed_of(data, options, Window{window.from, std::min(cut, window.to)}); };
  fmt::print("check causality: {} on {} ({} symbols, {} to {}){}, {} cuts\n", strategy->name(),
             options.data.empty() ? "the synthetic market" : options.data.string(), whole->symbols().size(), format_utc(whole->first()),
             format_utc(whole->last()), model ? ", with the model " + options.model.string() : "", cuts.size());
  WINISWIN_TRY(const backtest::CausalityReport report,
               backtest::check_causality(check, *strategy, model ? static_cast<const ml::Model&>(*model) : ml::pass_through_model(), feed_before, cuts));
  print_report(report);
  if (!report.passed()) {
    return make_error(ErrorCode::kInvalidArgument, "look-ahead: what was decided before a cut changed when the data after it was removed");
  }
  fmt::print("pass: nothing decided before a cut depends on the data after it\n");
  return Ok{};
}

}  // namespace winiswin
