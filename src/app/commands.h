// The `winiswin` subcommands. Each returns Ok or an Error whose message is the one-line
// reason main() prints before exiting non-zero.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "app/config.h"
#include "strategy/ict_strategy.h"
#include "core/error.h"
#include "core/interval.h"
#include "data/kline_file.h"
#include "ml/blend.h"
#include "ml/drift.h"
#include "ml/promotion.h"
#include "ml/trainer.h"

namespace winiswin::backtest {
struct SimulatedBacktestConfig;
}

namespace winiswin {

// Writes the synthetic market to `out`: <SYMBOL>-1m.wkl per symbol and exchangeInfo.json.
Status run_synth(const SyntheticMarketConfig& config, const std::filesystem::path& out, unsigned threads);
// Prints symbols, ranges and gaps of a kline file or of every kline file in a folder.
Status run_data_info(const std::filesystem::path& path, bool list_all);
// Converts kline files between CSV (.csv) and the binary store (.wkl); input may be any
// readable kline format. A folder converts every file inside into `out` (a folder).
Status run_data_convert(const std::filesystem::path& in, const std::filesystem::path& out);
// Resamples a kline file to a coarser interval, written in the format `out` names.
Status run_data_resample(const std::filesystem::path& in, Interval interval, const std::filesystem::path& out);

// Every indicator of the set as CSV columns, one row per bar, warm-up cells empty.
Status run_indicators(const std::filesystem::path& input, const std::filesystem::path& out);

// Every market-structure event of a kline file as JSON lines (see README "Structure").
Status run_structure(const std::filesystem::path& input, const std::filesystem::path& out);

struct SignalsOptions {
  strategy::StrategyParameters parameters;  // from the configuration
  std::filesystem::path input;   // folder of kline files (one or more per symbol)
  std::string at;                // decision time: "2025-10-09 12:00" UTC or ms
  std::string strategy = "ict_smc";
  std::string exchange_info;     // default: input/exchangeInfo.json
  std::string brackets;          // leverage brackets JSON; symbols not in it: the shipped default tiers
  double equity = 10'000.0;      // for the order intents shown
  double min_confidence = 0.35;
  std::size_t top = 10;
  bool features = false;
  std::filesystem::path model;                     // an XGBoost model file (ml train): ranks by its blended score
  double model_weight = ml::kDefaultModelWeight;   // the model's share of the score (ml/blend.h)
};
struct BacktestOptions {
  std::filesystem::path data;      // folder of 1m (else 5m) kline files; empty: the synthetic market of the config
  std::string exchange_info;       // default: data/exchangeInfo.json
  std::string brackets;            // leverage brackets JSON (optional; symbols not in it: the shipped default tiers)
  std::filesystem::path funding;   // folder of <SYMBOL>-fundingRate-*.csv (optional; else 0.01 % every 8 h)
  std::filesystem::path out;       // empty: a new folder per run under kDefaultBacktestRoot, with a latest link (app/run_folder.h)
  int threads = 1;                 // scoring threads
  std::vector<std::string> symbols;  // only these (empty: all)
  std::vector<std::string> chart_symbols;  // charted in the report (empty: the 3 most traded)
  std::string from, to;            // any form parse_utc_time takes (core/time.h): bars in [from, to)
  std::string timerange;           // freqtrade's "20260101-20260201" instead of from and to
  std::filesystem::path journal;   // also every row into this SQLite journal (optional)
  std::filesystem::path model;     // an XGBoost model file (ml train): ranks by its blended score; ml_* columns written
  double model_weight = ml::kDefaultModelWeight;  // the model's share of the score (ml/blend.h)
  bool label_every_signal = false;  // every proposed signal above min_confidence becomes a virtual position if not real
  bool preload = false;  // --data read whole before the run (SeriesFeed) instead of streamed (FileFeed)
};
// Where backtests without --out write: <root>/<UTC start>/, <root>/latest the last.
inline constexpr const char* kDefaultBacktestRoot = "backtest";
// Logs, as a warning, a file of a --data folder that the backtest or signals left out.
void warn_left_out(const LeftOut& left);
// The backtest's settings from the configuration (check causality runs the same backtest).
backtest::SimulatedBacktestConfig simulated_backtest_config(const AppConfig& config);
// Runs the backtest and writes trades.csv, virtual.csv, equity.csv and metrics.json.
Status run_backtest(const BacktestOptions& options, const AppConfig& config);

// Which Binance-compatible venue a command talks to.
struct VenueChoice {
  std::string url;    // --venue-url (the loopback venue, or any compatible base URL)
  bool testnet = false;
  bool demo = false;
};

struct FetchOptions {
  VenueChoice venue;
  std::vector<std::string> symbols;
  std::string interval = "1m";
  std::string from, to;            // UTC dates or times: bars opened in [from, to)
  std::filesystem::path out;       // <SYMBOL>-<interval>-YYYY-MM.csv per month, as Binance's data site names them
};
// Downloads klines over REST into monthly files; only what the files do not hold yet.
Status run_data_fetch(const FetchOptions& options);
// Saves the venue's exchangeInfo (checked: it must parse).
Status run_exchange_info(const VenueChoice& venue, const std::filesystem::path& out);

// The ML data sets from a journal: ml_real.csv and ml_virtual.csv in trades.csv's columns
// (the features at the decision, the outcome).
Status run_journal_export(const std::filesystem::path& journal, const std::filesystem::path& out);
// metrics.json and report.html from a journal's rows (a live or paper run's, or a backtest's
// --journal), as the backtest writes them; no candle charts (the journal holds no bars).
Status run_journal_report(const std::filesystem::path& journal, const std::filesystem::path& out);

struct RunOptions {
  std::string mode = "paper";        // paper or live
  VenueChoice venue;
  std::filesystem::path journal;     // empty: winiswin-<mode>.sqlite (paper and live never share one)
  int symbols = 200;                 // the universe: top N by 24 h quote volume
  int warmup_bars = 1000;            // 5m bars of history per symbol before it may signal
  int max_decisions = 0;             // stop after this many 5m closes (0: run until SIGINT/SIGTERM)
  std::string http;                  // HOST:PORT of the ops server (/health, /metrics, /api/*); empty: none
  std::string model;                 // an XGBoost model file (ml train): ranks by its blended score, as backtest --model
  double model_weight = ml::kDefaultModelWeight;
};
// The live decision loop on the venue's market data: simulated fills (paper), or real orders
// with keys from BINANCE_API_KEY / BINANCE_API_SECRET after start-up reconciliation (live).
struct DiscordRegisterOptions {
  std::string guild;                                      // the server's id
  std::string api_base = "https://discord.com/api/v10";  // tests point it at a fake
};
// `winiswin discord register`: /balance, /positions and /status in the guild (DISCORD_TOKEN,
// DISCORD_APPLICATION_ID from the environment).
Status run_discord_register(const DiscordRegisterOptions& options);

Status run_paper(const RunOptions& options, const AppConfig& config);
Status run_live(const RunOptions& options, const AppConfig& config);

struct VenueOptions {
  std::uint16_t port = 0;          // 0: any free port (printed)
  std::filesystem::path data;      // folder of 1m kline files; empty: the synthetic market
  std::string exchange_info;       // for --data (default: data/exchangeInfo.json)
  double speed = 60.0;             // market time per wall time
  double history_days = 1.0;       // bars before the clock's start, served as history
  bool as_recorded = false;        // keep the bars' own times (else the replay is moved to now)
  std::string faults;              // fault injection at start, as POST /control/faults takes it
};
// The Binance-compatible loopback venue (`winiswin venue`): prints "listening on
// http://127.0.0.1:PORT" as its first line and serves until SIGINT or SIGTERM.
Status run_venue(const VenueOptions& options, const AppConfig& config);

struct MlTrainOptions {
  std::vector<std::filesystem::path> datasets;  // trades.csv / virtual.csv (or the journal export's ml_*.csv)
  std::filesystem::path out;                    // the model, XGBoost JSON with the feature schema
  ml::TrainConfig train;
  std::optional<double> taker_fee;              // the label's fee rate per leg (default: the simulator's taker rate)
};
// Trains a win classifier on the data sets and writes the model (ml/trainer.h).
Status run_ml_train(const MlTrainOptions& options, const AppConfig& config);

struct MlWalkForwardOptions {
  std::filesystem::path data;       // folder of 1m (else 5m) kline files, as backtest --data
  std::string exchange_info;        // default: data/exchangeInfo.json
  std::string brackets;             // leverage brackets JSON (optional)
  std::filesystem::path funding;    // funding-rate folder (optional), as backtest --funding
  std::filesystem::path out;        // walk_forward.csv, walk_forward.json, labels/, models/
  int train_months = 0;             // K: months with data before each test month that train its model
  bool expanding = false;           // train on every month before the test month instead
  int warmup_days = 10;             // the test month's backtests start this long before it (trades counted from its start)
  std::optional<std::size_t> top_k; // precision at top k per decision (default: risk.limits.max_open_positions)
  double model_weight = ml::kDefaultModelWeight;
  double min_probability = 0.5;     // the veto variant's threshold (engine/decision_cycle.h)
  double exit_below = 0.5;          // the model exit variant's threshold (engine/decision_cycle.h)
  int threads = 1;                  // scoring threads of the backtests (results do not depend on it)
  ml::TrainConfig train;            // its validation_fraction is not used: the test month validates
  std::vector<std::string> candidates;  // models tried beside the XGBoost (app/walk_forward_candidate.h), by name
};
// Per test month: train on the months before it, evaluate on its labelled rows, and backtest
// it without the model and with it three ways — ranking, ranking + veto, ranking + sizing by
// its score (ml/walk_forward.h; writes walk_forward.csv and .json).
Status run_ml_walk_forward(const MlWalkForwardOptions& options, const AppConfig& config);

// Ranked signals with components, trade levels and order intents at one 5m close.
Status run_signals(const SignalsOptions& options, const AppConfig& config);

struct CheckCausalityOptions {
  std::filesystem::path data;        // folder of 1m (else 5m) kline files; empty: the synthetic market of the config
  std::string exchange_info;         // default: data/exchangeInfo.json
  std::vector<std::string> symbols;  // only these (empty: all)
  std::string from, to;              // the data checked: bars in [from, to) (any form parse_utc_time takes)
  int cuts = 3;                      // cut times spread over the data (unless `at` names them)
  std::vector<std::string> at;       // cut times, 5m closes
  int threads = 1;                   // scoring threads
  std::filesystem::path model;       // an XGBoost model file (ml train), checked with the strategy
  double model_weight = ml::kDefaultModelWeight;
};
// The look-ahead check (backtest/causality.h): prints what it compared and, on failure, the
// first differences, and returns an error (exit 1).
Status run_check_causality(const CheckCausalityOptions& options, const AppConfig& config);

// Drift, promotion and retraining (ml/drift.h, ml/promotion.h).
struct MlDriftOptions {
  std::vector<std::filesystem::path> reference;  // the data the model was trained on
  std::vector<std::filesystem::path> recent;     // the data it meets now
  std::filesystem::path out;                     // drift.csv and drift.json (optional)
  ml::DriftConfig drift;
};
// PSI per feature and the reference-vs-recent classifier: a table on stdout (and the files).
Status run_ml_drift(const MlDriftOptions& options, const AppConfig& config);

struct MlPromoteOptions {
  std::filesystem::path current;                 // the model in use; replaced when the candidate wins
  std::filesystem::path candidate;
  std::vector<std::filesystem::path> window;     // labelled rows after both models' data
  std::filesystem::path journal;                 // the decision is recorded here (optional)
  ml::PromotionCriterion criterion;
  std::optional<double> taker_fee;               // the label's fee rate per leg (default: the simulator's)
};
// Compares the two models on the window and installs the candidate if it wins.
Status run_ml_promote(const MlPromoteOptions& options, const AppConfig& config);

struct MlRetrainOptions {
  std::filesystem::path journal;     // the live journal: its labelled rows, and where the decision is recorded
  std::filesystem::path model;       // the current model (the path the live process loads)
  std::filesystem::path work;        // export/, drift.csv, drift.json, candidate.json
  int window_days = 7;               // the latest days of decisions: the out-of-sample window and the drift's recent rows
  bool always = false;               // retrain even when no drift is found
  ml::TrainConfig train;             // validation_fraction 0 by default: the window validates
  ml::DriftConfig drift;
  ml::PromotionCriterion criterion;
  std::optional<double> taker_fee;
};
// journal export → drift check → (if drifted, or always) train a candidate on the rows before
// the window → promote it if it beats the current model on the window.
Status run_ml_retrain(const MlRetrainOptions& options, const AppConfig& config);

}  // namespace winiswin
