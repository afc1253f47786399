// winiswin: the command-line entry point. Thin: parses arguments and configuration,
// sets up logging, and hands over to a command. Errors end here as one line on stderr.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/config.h"
#include "app/walk_forward_candidate.h"

namespace {

// --candidate's help: every candidate with its line.
std::string candidate_help() {
  std::string help = "a model tried beside the XGBoost, measured and backtested the same way (repeatable):";
  for (const winiswin::CandidateEntry& entry : winiswin::candidate_registry()) help += fmt::format(" {} — {};", entry.name, entry.what);
  return help;
}

int fail(const std::string& reason) {
  fmt::print(stderr, "winiswin: error: {}\n", reason);
  return 1;
}

// Levenshtein distance, for "did you mean" (CLI11 2.1 suggests nothing).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t col = 0; col <= b.size(); ++col) row[col] = col;
  for (std::size_t a_idx = 1; a_idx <= a.size(); ++a_idx) {
    std::size_t diagonal = row[0];
    row[0] = a_idx;
    for (std::size_t b_idx = 1; b_idx <= b.size(); ++b_idx) {
      const std::size_t above = row[b_idx];
      row[b_idx] = std::min({above + 1, row[b_idx - 1] + 1, diagonal + (a[a_idx - 1] == b[b_idx - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The candidate of `names` nearest to `word`, when near enough to be a likely typo.
std::optional<std::string> nearest_of(std::string_view word, const std::vector<std::string>& names) {
  const auto nearest = std::min_element(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    return edit_distance(word, a) < edit_distance(word, b);
  });
  if (nearest == names.end() || edit_distance(word, *nearest) > std::max<std::size_t>(2, nearest->size() / 3)) return std::nullopt;
  return *nearest;
}

// The option `word` ("--out" or "--out=x") of `command` or of a command above it (options
// fall through), or nullptr.
const CLI::Option* option_named(const CLI::App* command, std::string_view word) {
  const std::string name(word.substr(0, word.find('=')));
  for (; command != nullptr; command = command->get_parent()) {
    if (const CLI::Option* option = command->get_option_no_throw(name)) return option;
  }
  return nullptr;
}

std::vector<std::string> long_option_names(const CLI::App* command) {
  std::vector<std::string> names;
  for (; command != nullptr; command = command->get_parent()) {
    for (const CLI::Option* option : command->get_options()) {
      for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    }
  }
  return names;
}

// After a failed parse: the first word that names no command where a command was expected,
// or no option of the command, as an error with the nearest name; nothing when every word
// was known (the parse failed for another reason, which CLI11 says best).
std::optional<std::string> unknown_word(const CLI::App& app, int argc, char** argv) {
  const CLI::App* current = &app;
  std::string path = "winiswin";
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    const std::string_view word = argv[arg_idx];
    if (word.starts_with("--")) {
      const CLI::Option* option = option_named(current, word);
      if (option == nullptr) {
        const auto near = nearest_of(word.substr(0, word.find('=')), long_option_names(current));
        return fmt::format("unknown option '{}' for {}{}; '{} --help' lists the options", word, path,
                           near ? fmt::format(" (did you mean '{}'?)", *near) : "", path);
      }
      if (option->get_items_expected_min() > 0 && word.find('=') == std::string_view::npos) ++arg_idx;  // its value
      continue;
    }
    const auto commands = current->get_subcommands([](const CLI::App*) { return true; });
    if (commands.empty() || word.starts_with("-")) continue;  // a value, or a short flag
    const auto named = std::find_if(commands.begin(), commands.end(), [&](const CLI::App* command) { return command->get_name() == word; });
    if (named != commands.end()) {
      current = *named;
      path += " " + current->get_name();
      continue;
    }
    std::vector<std::string> names;
    for (const CLI::App* command : commands) names.push_back(command->get_name());
    const auto near = nearest_of(word, names);
    return fmt::format("unknown command '{}'{}; '{} --help' lists the commands", word,
                       near ? fmt::format(" (did you mean '{} {}'?)", path, *near) : "", path);
  }
  return std::nullopt;
}

// A synthetic market's size from the command line: at least 1, else what is wrong.
std::optional<std::string> below_one(const std::optional<int>& value, std::string_view flag) {
  if (value && *value < 1) return fmt::format("{} must be at least 1 (got {})", flag, *value);
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace winiswin;
  CLI::App app{"winiswin — automated trading for Binance USDⓈ-M perpetual futures"};
  app.require_subcommand(1);
  app.fallthrough();  // global options (--log-level, --config) also after the command; the subcommands inherit it
  app.set_version_flag("--version", fmt::format("winiswin {} (git {})", WINISWIN_VERSION, WINISWIN_GIT_COMMIT));
  std::string config_path;
  std::string log_level;
  app.add_option("--config", config_path, "TOML configuration (see config/winiswin.example.toml)")->check(CLI::ExistingFile);
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical, off (default: config or info)");

  // synth
  auto* synth = app.add_subcommand("synth", "generate the synthetic market (1m bars + exchangeInfo.json)");
  std::optional<int> symbols, days;
  std::optional<std::uint64_t> seed;
  std::string synth_out;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  synth->add_option("--symbols", symbols, "number of symbols (default 200)");
  synth->add_option("--days", days, "days of 1m history (default 30)");
  synth->add_option("--seed", seed, "random seed (default 42)");
  synth->add_option("--out", synth_out, "output folder")->required();
  synth->add_option("--threads", threads, "worker threads (default: all cores)");

  // data
  auto* data = app.add_subcommand("data", "inspect and convert kline files");
  data->require_subcommand(1);
  auto* info = data->add_subcommand("info", "symbols, ranges and gaps of a kline file or folder");
  std::string info_path;
  bool list_all = false;
  info->add_option("path", info_path, "kline file or folder")->required();
  info->add_flag("--all", list_all, "list every file of a folder");
  auto* convert = data->add_subcommand("convert", "convert between CSV/zip/gz and the binary store (.wkl)");
  std::string convert_in, convert_out;
  convert->add_option("input", convert_in, "kline file or folder")->required();
  convert->add_option("output", convert_out, "output file (.wkl or .csv) or folder")->required();
  auto* fetch = data->add_subcommand("fetch", "download klines over REST into monthly files (only what they lack)");
  FetchOptions fetch_options;
  std::string fetch_out;
  fetch->add_option("--symbols", fetch_options.symbols, "symbols, e.g. BTCUSDT ETHUSDT")->required();
  fetch->add_option("--interval", fetch_options.interval, "kline interval (default 1m)");
  fetch->add_option("--from", fetch_options.from, "first bar: 2026-01-05, \"2026-01-05 12:00\", 2026-01-05T12:00:00Z or epoch ms")->required();
  fetch->add_option("--to", fetch_options.to, "end (exclusive), UTC")->required();
  fetch->add_option("--out", fetch_out, "folder for <SYMBOL>-<interval>-YYYY-MM.csv")->required();
  const auto venue_flags = [](CLI::App* command, VenueChoice& choice) {
    command->add_option("--venue-url", choice.url, "a Binance-compatible base URL (e.g. the loopback venue's)");
    command->add_flag("--testnet", choice.testnet, "Binance's futures testnet");
    command->add_flag("--demo", choice.demo, "Binance's demo trading");
  };
  venue_flags(fetch, fetch_options.venue);

  auto* resample = data->add_subcommand("resample", "resample klines to a coarser interval");
  std::string resample_in, resample_out, interval_name;
  resample->add_option("input", resample_in, "kline file")->required();
  resample->add_option("--interval", interval_name, "target interval, e.g. 5m, 1h")->required();
  resample->add_option("--out", resample_out, "output file (.wkl or .csv)")->required();

  // indicators
  auto* indicators = app.add_subcommand("indicators", "every indicator of a kline file as CSV columns");
  std::string indicators_in, indicators_out;
  indicators->add_option("--input", indicators_in, "kline file (CSV, .csv.gz, .zip or .wkl)")->required();
  indicators->add_option("--out", indicators_out, "output CSV")->required();

  // structure
  auto* structure = app.add_subcommand("structure", "market-structure events of a kline file as JSON lines");
  std::string structure_in, structure_out;
  structure->add_option("--input", structure_in, "kline file (CSV, .csv.gz, .zip or .wkl)")->required();
  structure->add_option("--out", structure_out, "output JSONL")->required();

  // signals
  auto* signals = app.add_subcommand("signals", "ranked signals, their components and order intents at one 5m close");
  SignalsOptions signal_options;
  std::string signals_input;
  signals->add_option("--data,--input", signals_input, "folder of kline files (1m or 5m and coarser, any format), as backtest --data")->required();
  signals->add_option("--at", signal_options.at, "decision time: \"2025-10-09 12:00\", 2025-10-09T12:00:00Z or epoch ms")->required();
  auto* strategy_flag = signals->add_option("--strategy", signal_options.strategy, "ict_smc or ema_pullback (default: config)");
  signals->add_option("--exchange-info", signal_options.exchange_info, "exchangeInfo JSON (default: INPUT/exchangeInfo.json)");
  signals->add_option("--brackets", signal_options.brackets, "leverage brackets (Binance or ccxt JSON); symbols not in it use the shipped default tiers");
  signals->add_option("--equity", signal_options.equity, "account equity for the order intents (USDT, default 10000)");
  auto* confidence_flag = signals->add_option("--min-confidence", signal_options.min_confidence, "ranking threshold (default: config)");
  signals->add_option("--top", signal_options.top, "how many ranked signals to show (default 10)");
  signals->add_flag("--features", signal_options.features, "print each signal's 28 features");
  std::string signals_model;
  signals->add_option("--model", signals_model, "rank with this XGBoost model (winiswin ml train)");
  signals->add_option("--model-weight", signal_options.model_weight, "the model's share of the ranking score, 0..1 (default 0.8)");

  // backtest
  auto* backtest = app.add_subcommand("backtest", "backtest the strategy through the simulated exchange");
  BacktestOptions backtest_options;
  std::string backtest_data, backtest_out;
  std::optional<int> backtest_count, backtest_days;
  backtest->add_option("--data", backtest_data, "folder of kline files, each symbol's finest of 1m/5m (default: the synthetic market)");
  bool synthetic_flag = false;
  backtest->add_flag("--synthetic", synthetic_flag, "use the synthetic market of the configuration (the default)");
  backtest->add_option("--symbols", backtest_options.symbols, "only these symbols (e.g. BTCUSDT ETHUSDT)");
  backtest->add_option("--synthetic-count", backtest_count, "synthetic: number of symbols (default: config, 200)");
  auto* from_flag = backtest->add_option("--from", backtest_options.from, "first bar: 2026-01-05, \"2026-01-05 12:00\", 2026-01-05T12:00:00Z or epoch ms");
  auto* to_flag = backtest->add_option("--to", backtest_options.to, "end (exclusive), in --from's forms");
  backtest->add_option("--timerange", backtest_options.timerange, "freqtrade's form: 20260101-20260201 (either side may be empty)")
      ->excludes(from_flag)
      ->excludes(to_flag);
  backtest->add_option("--days", backtest_days, "synthetic: days");
  backtest->add_option("--exchange-info", backtest_options.exchange_info, "exchangeInfo JSON for --data (default: DIR/exchangeInfo.json; winiswin exchange-info --out FILE saves one)");
  backtest->add_option("--brackets", backtest_options.brackets, "leverage brackets (Binance or ccxt JSON); symbols not in it use the shipped default tiers");
  std::string backtest_funding;
  backtest->add_option("--funding", backtest_funding, "folder of <SYMBOL>-fundingRate-*.csv or Binance's monthly <SYMBOL>-fundingRate-YYYY-MM.zip (default: 0.01 % every 8 h)");
  backtest->add_option("--out", backtest_out, "output folder (default: a new backtest/<UTC start>/ per run; backtest/latest links the last)");
  backtest->add_option("--journal", backtest_options.journal, "also write every row to this SQLite journal (the live journal's format)");
  backtest->add_option("--chart", backtest_options.chart_symbols, "symbols charted in the report (default: the 3 most traded)");
  backtest_options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  backtest->add_option("--threads", backtest_options.threads, "scoring threads (default: all cores; results do not depend on it)");
  std::string backtest_model;
  backtest->add_option("--model", backtest_model, "rank with this XGBoost model (winiswin ml train); writes ml_probability, ml_score");
  backtest->add_option("--model-weight", backtest_options.model_weight, "the model's share of the ranking score, 0..1 (default 0.8)");
  backtest->add_flag("--preload", backtest_options.preload,
                     "--data: read every file whole before the run (every row checked first; memory grows with the data) "
                     "instead of streaming them");
  backtest->add_flag("--label-all", backtest_options.label_every_signal,
                     "every proposed signal above min_confidence not traded for real becomes a virtual position (ML labels)");

  // check causality
  auto* check_command = app.add_subcommand("check", "checks of the strategy and the engine");
  check_command->require_subcommand(1);
  auto* causality = check_command->add_subcommand(
      "causality", "look-ahead check: rerun with the data after each cut removed; nothing decided before a cut may change");
  CheckCausalityOptions causality_options;
  std::string causality_data, causality_model;
  std::optional<int> causality_count, causality_days;
  causality->add_option("--data", causality_data, "folder of kline files, as backtest --data (default: the synthetic market)");
  causality->add_option("--exchange-info", causality_options.exchange_info, "exchangeInfo JSON for --data (default: DIR/exchangeInfo.json)");
  causality->add_option("--symbols", causality_options.symbols, "only these symbols");
  causality->add_option("--synthetic-count", causality_count, "synthetic: number of symbols (default: config)");
  causality->add_option("--days", causality_days, "synthetic: days");
  causality->add_option("--from", causality_options.from, "first bar of the data checked, in backtest --from's forms");
  causality->add_option("--to", causality_options.to, "end (exclusive) of the data checked");
  causality->add_option("--cuts", causality_options.cuts, "cut times spread over the data (default 3)");
  causality->add_option("--at", causality_options.at, "cut times (5m closes) instead of --cuts");
  causality->add_option("--model", causality_model, "check with this XGBoost model too (winiswin ml train)");
  causality->add_option("--model-weight", causality_options.model_weight, "the model's share of the ranking score, 0..1 (default 0.8)");
  causality_options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  causality->add_option("--threads", causality_options.threads, "scoring threads (default: all cores)");

  // ml
  auto* ml_command = app.add_subcommand("ml", "machine learning: train a model on the backtest's labels");
  ml_command->require_subcommand(1);
  auto* ml_train = ml_command->add_subcommand("train", "train an XGBoost win classifier (the model file carries the feature schema)");
  MlTrainOptions ml_train_options;
  std::vector<std::string> ml_datasets;
  std::string ml_out;
  ml_train->add_option("--dataset", ml_datasets, "trades.csv / virtual.csv files (or the journal export's)")->required();
  ml_train->add_option("--out", ml_out, "the model file (.json)")->required();
  ml::TrainConfig& train_config = ml_train_options.train;
  ml_train->add_option("--rounds", train_config.rounds, "boosting rounds (trees), default 200");
  ml_train->add_option("--max-depth", train_config.max_depth, "tree depth, default 4");
  ml_train->add_option("--eta", train_config.eta, "learning rate, default 0.05");
  ml_train->add_option("--subsample", train_config.subsample, "rows per tree, default 0.8");
  ml_train->add_option("--colsample", train_config.colsample_bytree, "features per tree, default 0.8");
  ml_train->add_option("--min-child-weight", train_config.min_child_weight, "default 5");
  ml_train->add_option("--lambda", train_config.lambda, "L2 regularisation, default 1");
  ml_train->add_option("--seed", train_config.seed, "random seed, default 42");
  ml_train->add_option("--threads", train_config.threads, "training threads, default 1 (one thread: the same file for the same rows and seed)");
  ml_train->add_option("--scale-pos-weight", train_config.scale_pos_weight, "weight of wins (default: losses / wins)");
  ml_train->add_option("--validation", train_config.validation_fraction, "latest share of decision times held out, purged by 24 h (default 0.2)");
  std::string ml_target = "win";
  ml_train->add_option("--target", ml_target,
                       "win (default: win classifier, binary:logistic) or r (R net of fees, reg:squarederror; reports RMSE and Spearman; "
                       "refused by --model, which takes win-probability models)");
  ml_train->add_option("--taker-fee", ml_train_options.taker_fee, "fee rate per leg in the label (default: the simulator's taker rate)");
  auto* ml_walk = ml_command->add_subcommand("walk-forward", "per test month: train on the months before it, measure it out of sample, "
                                                             "backtest it without the model and with it (ranking, veto, sizing) and a placebo");
  MlWalkForwardOptions walk_options;
  std::string walk_data, walk_out, walk_funding;
  ml_walk->add_option("--data", walk_data, "folder of kline files (as backtest --data)")->required();
  ml_walk->add_option("--exchange-info", walk_options.exchange_info, "exchangeInfo JSON (default: DIR/exchangeInfo.json)");
  ml_walk->add_option("--brackets", walk_options.brackets, "leverage brackets (Binance or ccxt JSON)");
  ml_walk->add_option("--funding", walk_funding, "funding-rate folder, as backtest --funding (default: 0.01 % every 8 h)");
  ml_walk->add_option("--train-months", walk_options.train_months, "K: the months with data before each test month that train its model")
      ->required();
  ml_walk->add_flag("--expanding", walk_options.expanding, "train on every month before the test month (default: the K before it)");
  ml_walk->add_option("--out", walk_out, "output folder: walk_forward.csv, walk_forward.json, labels/, models/")->required();
  ml_walk->add_option("--warmup-days", walk_options.warmup_days, "the test month's backtests start this long before it (default 10)");
  ml_walk->add_option("--top-k", walk_options.top_k, "precision at top k per decision (default: risk.limits.max_open_positions)");
  ml_walk->add_option("--model-weight", walk_options.model_weight, "the model's share of the ranking score, 0..1 (default 0.8)");
  ml_walk->add_option("--min-probability", walk_options.min_probability,
                      "the veto variant: ranks whose win probability is below this are not traded (default 0.5)");
  ml_walk->add_option("--exit-below", walk_options.exit_below,
                      "the model exit variant: open trades whose re-scored win probability falls below this close at market (default 0.5)");
  walk_options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ml_walk->add_option("--threads", walk_options.threads, "scoring threads of the backtests (default: all cores; results do not depend on it)");
  ml_walk->add_option("--candidate", walk_options.candidates, candidate_help());
  ml::TrainConfig& walk_train = walk_options.train;
  ml_walk->add_option("--rounds", walk_train.rounds, "boosting rounds (trees), default 200");
  ml_walk->add_option("--max-depth", walk_train.max_depth, "tree depth, default 4");
  ml_walk->add_option("--eta", walk_train.eta, "learning rate, default 0.05");
  ml_walk->add_option("--seed", walk_train.seed, "random seed, default 42");
  ml_walk->add_option("--scale-pos-weight", walk_train.scale_pos_weight, "weight of wins (default: losses / wins; 1 keeps probabilities calibrated)");

  // ml drift, ml promote, ml retrain (ml/drift.h, ml/promotion.h)
  const auto add_drift_thresholds = [](CLI::App* command, ml::DriftConfig& drift) {
    command->add_option("--major-psi", drift.major_psi, "a feature's PSI above this is a major shift (default 0.25, common practice)");
    command->add_option("--drifted-auc", drift.drifted_auc, "the reference-vs-recent classifier's AUC above this is drift (default 0.6)");
    command->add_option("--folds", drift.folds, "the classifier's cross-validation folds (default 5)");
    command->add_option("--ignore-feature", drift.ignored, "leave this feature out of the drift check (repeatable; e.g. entry_log10, the price level)");
  };
  const auto add_criterion = [](CLI::App* command, ml::PromotionCriterion& criterion) {
    command->add_option("--min-auc-gain", criterion.min_auc_gain, "the candidate's AUC must beat the current's by this (default 0.01)");
    command->add_option("--max-log-loss-increase", criterion.max_log_loss_increase, "the candidate's log loss may exceed the current's by this (default 0)");
    command->add_option("--min-rows", criterion.min_rows, "labelled rows the window needs to judge (default 100)");
    command->add_option("--top-k", criterion.top_k, "top-k win rate per decision, reported (default 10)");
  };
  auto* ml_drift = ml_command->add_subcommand("drift", "PSI per feature and a classifier telling reference rows from recent rows");
  MlDriftOptions drift_options;
  std::vector<std::string> drift_reference, drift_recent;
  std::string drift_out;
  ml_drift->add_option("--reference", drift_reference, "the data the model was trained on (trades.csv / virtual.csv / ml_*.csv)")->required();
  ml_drift->add_option("--recent", drift_recent, "recent labelled rows, same columns")->required();
  ml_drift->add_option("--out", drift_out, "folder for drift.csv and drift.json (optional)");
  add_drift_thresholds(ml_drift, drift_options.drift);
  auto* ml_promote = ml_command->add_subcommand("promote", "replace the current model by the candidate only if it beats it on an out-of-sample window");
  MlPromoteOptions promote_options;
  std::string promote_current, promote_candidate, promote_journal;
  std::vector<std::string> promote_window;
  ml_promote->add_option("--current", promote_current, "the model in use (kept as FILE.previous when replaced)")->required()->check(CLI::ExistingFile);
  ml_promote->add_option("--candidate", promote_candidate, "the retrained model")->required()->check(CLI::ExistingFile);
  ml_promote->add_option("--window", promote_window, "labelled rows decided after both models' data")->required();
  ml_promote->add_option("--journal", promote_journal, "record the decision in this SQLite journal (model_promotions)");
  ml_promote->add_option("--taker-fee", promote_options.taker_fee, "fee rate per leg in the label (default: the simulator's taker rate)");
  add_criterion(ml_promote, promote_options.criterion);
  auto* ml_retrain = ml_command->add_subcommand("retrain", "journal export → drift → train a candidate → promote it if better (run from a timer)");
  MlRetrainOptions retrain_options;
  retrain_options.train.validation_fraction = 0.0;
  std::string retrain_journal, retrain_model, retrain_work;
  ml_retrain->add_option("--journal", retrain_journal, "the live journal: labelled rows in, decisions recorded")->required()->check(CLI::ExistingFile);
  ml_retrain->add_option("--model", retrain_model, "the current model, the file the live process loads")->required();
  ml_retrain->add_option("--work", retrain_work, "working folder: export/, drift.csv, drift.json, candidate.json")->required();
  ml_retrain->add_option("--window-days", retrain_options.window_days, "the latest days of decisions: the out-of-sample window (default 7)");
  ml_retrain->add_flag("--always", retrain_options.always, "train and compare a candidate even without drift");
  ml_retrain->add_option("--rounds", retrain_options.train.rounds, "boosting rounds of the candidate (default 200)");
  ml_retrain->add_option("--max-depth", retrain_options.train.max_depth, "tree depth (default 4)");
  ml_retrain->add_option("--seed", retrain_options.train.seed, "random seed (default 42)");
  ml_retrain->add_option("--taker-fee", retrain_options.taker_fee, "fee rate per leg in the label (default: the simulator's taker rate)");
  add_drift_thresholds(ml_retrain, retrain_options.drift);
  add_criterion(ml_retrain, retrain_options.criterion);

  // venue
  auto* venue = app.add_subcommand("venue", "the Binance-compatible loopback venue (keys from BINANCE_API_KEY / BINANCE_API_SECRET)");
  VenueOptions venue_options;
  std::string venue_data;
  std::optional<int> venue_count, venue_days;
  venue->add_option("--port", venue_options.port, "TCP port on 127.0.0.1 (default 0: any free one, printed)");
  bool venue_synthetic = false;
  venue->add_flag("--synthetic", venue_synthetic, "replay the synthetic market of the configuration (the default)");
  venue->add_option("--data", venue_data, "replay this folder of 1m kline files instead");
  venue->add_option("--exchange-info", venue_options.exchange_info, "exchangeInfo JSON for --data (default: DIR/exchangeInfo.json)");
  venue->add_option("--synthetic-count", venue_count, "synthetic: number of symbols (default 20)");
  venue->add_option("--days", venue_days, "synthetic: days of 1m bars (default 3)");
  venue->add_option("--speed", venue_options.speed, "market time per wall time (default 60: a minute a second)");
  venue->add_option("--history-days", venue_options.history_days, "days of bars served as history before the clock starts (default 1)");
  venue->add_option("--faults", venue_options.faults, "fault injection, the JSON POST /control/faults takes (e.g. '{\"latency_ms\":50}')");
  venue->add_flag("--as-recorded", venue_options.as_recorded,
                  "keep the bars' own times (server time follows the replay; timestamps unchecked); default: the replay moved to now");

  // journal export
  auto* journal_command = app.add_subcommand("journal", "read a SQLite journal back");
  journal_command->require_subcommand(1);
  auto* journal_export = journal_command->add_subcommand("export", "the ML data sets: ml_real.csv and ml_virtual.csv");
  std::string journal_in, journal_out;
  journal_export->add_option("--journal", journal_in, "the journal file")->required();
  journal_export->add_option("--out", journal_out, "output folder")->required();
  auto* journal_report = journal_command->add_subcommand("report", "metrics.json and report.html of a journal's run, as a backtest writes them");
  journal_report->add_option("--journal", journal_in, "the journal file")->required();
  journal_report->add_option("--out", journal_out, "output folder")->required();

  // run
  auto* run_command = app.add_subcommand("run", "the live decision loop: --mode paper trades the venue's live market data with simulated fills");
  RunOptions run_options;
  std::string run_journal;
  run_command->add_option("--mode", run_options.mode, "paper (simulated fills) or live (keys from BINANCE_API_KEY / BINANCE_API_SECRET)");
  run_command->add_option("--journal", run_journal, "the SQLite journal (default winiswin-paper.sqlite or winiswin-live.sqlite)");
  run_command->add_option("--symbols", run_options.symbols, "the universe: top N by 24 h quote volume (default 200)");
  run_command->add_option("--warmup-bars", run_options.warmup_bars, "5m bars of history per symbol (default 1000)");
  run_command->add_option("--max-decisions", run_options.max_decisions, "stop after this many 5m closes (default: until SIGINT/SIGTERM)");
  run_command->add_option("--model", run_options.model, "rank with this XGBoost model (winiswin ml train), as backtest --model");
  run_command->add_option("--model-weight", run_options.model_weight, "the model's share of the ranking score, 0..1 (default 0.8)");
  run_command->add_option("--http", run_options.http,
                          "serve /health, /metrics and /api/* on HOST:PORT (127.0.0.1:9100; port 0: any, printed); a non-loopback "
                          "host needs WINISWIN_HTTP_TOKEN");
  venue_flags(run_command, run_options.venue);

  // discord register
  auto* discord_command = app.add_subcommand("discord", "Discord: the slash commands of the interactions endpoint (README, Discord)");
  discord_command->require_subcommand(1);
  auto* discord_register = discord_command->add_subcommand(
      "register", "register /balance, /positions and /status in a server (DISCORD_TOKEN, DISCORD_APPLICATION_ID from the environment)");
  DiscordRegisterOptions discord_options;
  discord_register->add_option("--guild", discord_options.guild, "the server (guild) id")->required();
  discord_register->add_option("--api-base", discord_options.api_base, "Discord's API (default https://discord.com/api/v10)");

  // exchange-info
  auto* exchange_info = app.add_subcommand("exchange-info", "save the venue's exchangeInfo (what --exchange-info reads)");
  VenueChoice exchange_info_venue;
  std::string exchange_info_out;
  exchange_info->add_option("--out", exchange_info_out, "output file (.json)")->required();
  venue_flags(exchange_info, exchange_info_venue);

  // config
  auto* config_command = app.add_subcommand("config", "print the effective configuration (every key) as TOML");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    if (const auto unknown = unknown_word(app, argc, argv)) return fail(*unknown);
    return fail(fmt::format("{} ('winiswin --help' shows the usage)", error.what()));  // one line, like every error
  }

  AppConfig config;
  if (!config_path.empty()) {
    auto loaded = load_config(config_path);
    if (!loaded) return fail(loaded.error().message);
    config = *loaded;
  }
  if (auto environment = apply_environment(config, [](const char* name) { return std::getenv(name); }); !environment) {
    return fail(environment.error().message);
  }
  if (!log_level.empty()) config.log_level = log_level;  // the command line over the environment over the file
  auto logger = spdlog::stderr_color_mt("winiswin");
  spdlog::set_default_logger(logger);
  const auto level = spdlog::level::from_str(config.log_level);
  if (level == spdlog::level::off && config.log_level != "off") return fail("unknown log level '" + config.log_level + "'");
  spdlog::set_level(level);

  try {
    Status status = Ok{};
    if (*backtest) {
      if (auto wrong = below_one(backtest_count, "--synthetic-count")) return fail(*wrong);
      if (auto wrong = below_one(backtest_days, "--days")) return fail(*wrong);
      if (backtest_options.threads < 1) return fail("--threads must be at least 1");
      if (backtest_count) config.synthetic.symbols = *backtest_count;
      if (backtest_days) config.synthetic.days = *backtest_days;
      backtest_options.data = backtest_data;
      backtest_options.funding = backtest_funding;
      backtest_options.out = backtest_out;
      backtest_options.model = backtest_model;
      status = run_backtest(backtest_options, config);
    } else if (*causality) {
      if (auto wrong = below_one(causality_count, "--synthetic-count")) return fail(*wrong);
      if (auto wrong = below_one(causality_days, "--days")) return fail(*wrong);
      if (causality_options.threads < 1) return fail("--threads must be at least 1");
      if (causality_count) config.synthetic.symbols = *causality_count;
      if (causality_days) config.synthetic.days = *causality_days;
      causality_options.data = causality_data;
      causality_options.model = causality_model;
      status = run_check_causality(causality_options, config);
    } else if (*fetch) {
      fetch_options.out = fetch_out;
      status = run_data_fetch(fetch_options);
    } else if (*ml_train) {
      ml_train_options.datasets.assign(ml_datasets.begin(), ml_datasets.end());
      ml_train_options.out = ml_out;
      const auto target = ml::parse_target(ml_target);
      if (!target) return fail(target.error().message);
      ml_train_options.train.target = *target;
      status = run_ml_train(ml_train_options, config);
    } else if (*ml_drift) {
      drift_options.reference.assign(drift_reference.begin(), drift_reference.end());
      drift_options.recent.assign(drift_recent.begin(), drift_recent.end());
      drift_options.out = drift_out;
      status = run_ml_drift(drift_options, config);
    } else if (*ml_promote) {
      promote_options.current = promote_current;
      promote_options.candidate = promote_candidate;
      promote_options.window.assign(promote_window.begin(), promote_window.end());
      promote_options.journal = promote_journal;
      status = run_ml_promote(promote_options, config);
    } else if (*ml_retrain) {
      retrain_options.journal = retrain_journal;
      retrain_options.model = retrain_model;
      retrain_options.work = retrain_work;
      status = run_ml_retrain(retrain_options, config);
    } else if (*ml_walk) {
      if (walk_options.threads < 1) return fail("--threads must be at least 1");
      walk_options.data = walk_data;
      walk_options.out = walk_out;
      walk_options.funding = walk_funding;
      status = run_ml_walk_forward(walk_options, config);
    } else if (*journal_export) {
      status = run_journal_export(journal_in, journal_out);
    } else if (*journal_report) {
      status = run_journal_report(journal_in, journal_out);
    } else if (*discord_register) {
      status = run_discord_register(discord_options);
    } else if (*run_command) {
      run_options.journal = run_journal.empty() ? "winiswin-" + run_options.mode + ".sqlite" : run_journal;
      if (run_options.mode == "paper") {
        status = run_paper(run_options, config);
      } else if (run_options.mode == "live") {
        status = run_live(run_options, config);
      } else {
        status = make_error(ErrorCode::kInvalidArgument, "--mode is paper or live");
      }
    } else if (*exchange_info) {
      status = run_exchange_info(exchange_info_venue, exchange_info_out);
    } else if (*venue) {
      if (auto wrong = below_one(venue_count, "--synthetic-count")) return fail(*wrong);
      if (auto wrong = below_one(venue_days, "--days")) return fail(*wrong);
      config.synthetic.symbols = venue_count.value_or(20);
      config.synthetic.days = venue_days.value_or(3);
      venue_options.data = venue_data;
      status = run_venue(venue_options, config);
    } else if (*config_command) {
      fmt::print("{}", describe_config(config));
    } else if (*synth) {
      if (symbols) config.synthetic.symbols = *symbols;
      if (days) config.synthetic.days = *days;
      if (seed) config.synthetic.seed = *seed;
      if (config.synthetic.symbols < 1 || config.synthetic.days < 1) return fail("--symbols and --days must be at least 1");
      status = run_synth(config.synthetic, synth_out, threads);
    } else if (*info) {
      status = run_data_info(info_path, list_all);
    } else if (*convert) {
      status = run_data_convert(convert_in, convert_out);
    } else if (*signals) {
      signal_options.input = signals_input;
      signal_options.model = signals_model;
      if (strategy_flag->count() == 0) signal_options.strategy = config.strategy.name;
      if (confidence_flag->count() == 0) signal_options.min_confidence = config.strategy.min_confidence;
      signal_options.parameters.ict = config.strategy.ict;
      status = run_signals(signal_options, config);
    } else if (*structure) {
      status = run_structure(structure_in, structure_out);
    } else if (*indicators) {
      status = run_indicators(indicators_in, indicators_out);
    } else if (*resample) {
      auto interval = parse_interval(interval_name);
      if (!interval) return fail(interval.error().message);
      status = run_data_resample(resample_in, *interval, resample_out);
    }
    if (!status) return fail(status.error().message);
  } catch (const std::exception& error) {
    return fail(std::string("internal error: ") + error.what());
  }
  return EXIT_SUCCESS;
}
