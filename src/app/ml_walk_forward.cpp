// winiswin ml walk-forward: per test month, a model trained on the months before it
// (ml/walk_forward.h), its measures on the month's labelled rows (ml/evaluation.h), and the
// month backtested without the model and with it: ranking; ranking and vetoing (min_probability);
// ranking and sizing by its score; ranking and the model exit (exit_below: open trades closed
// when their re-scored win probability falls below it, against holding them to stop, target or
// timeout); and the veto, the sizing and the exit by a placebo (placebo_model.h).
//
// The labels come from one label-all backtest over the whole folder (every proposed signal a
// trade or a virtual position), split by decision time: cheaper than a backtest per fold and
// the same rows, since a decision at T sees only bars closed by T. Training rows whose label
// window reaches the test month are purged (split_fold); training uses only months before the
// test month, so no embargo after it is needed.
#include <spdlog/spdlog.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <thread>

#include "app/commands.h"
#include "app/data_instruments.h"
#include "app/walk_forward_candidate.h"
#include "app/walk_forward_output.h"
#include "app/walk_forward_page.h"
#include "backtest/simulated_backtest.h"
#include "data/file_bytes.h"
#include "data/funding_csv.h"
#include "data/kline_folder.h"
#include "engine/file_feed.h"
#include "journal/csv_recorder.h"
#include "ml/dataset.h"
#include "ml/evaluation.h"
#include "ml/importance.h"
#include "ml/blend.h"
#include "ml/placebo_model.h"
#include "ml/walk_forward.h"
#include "ml/xgboost_model.h"
#include "strategy/strategy.h"
#include "venue/binance/default_brackets.h"
#include "venue/binance/exchange_info.h"
#include "venue/binance/leverage_brackets.h"

namespace winiswin {
namespace {

// What every backtest of the walk-forward shares: the folder's bars and the run's settings.
struct Market {
  std::vector<Instrument> instruments;
  std::map<std::string, std::vector<LeverageBracket>> brackets;
  std::vector<SymbolFiles> plan;  // --data's files, streamed by each backtest
  backtest::SimulatedBacktestConfig config;
};

Result<Market> load_market(const MlWalkForwardOptions& options, const AppConfig& config) {
  Market market;
  WINISWIN_TRY(const DataInstruments listed, load_data_instruments(options.data, options.exchange_info));
  market.instruments = listed.instruments;
  WINISWIN_TRY(market.plan, plan_finest_klines(options.data, [](const std::string&) { return true; }, FinestOf::kEachSymbol, warn_left_out));
  std::vector<std::string> symbols;
  for (const SymbolFiles& files : market.plan) symbols.push_back(files.symbol);
  if (auto status = check_listed(listed, symbols); !status) return status.error();
  if (!options.brackets.empty()) {
    WINISWIN_TRY(market.brackets, binance::load_leverage_brackets(options.brackets));
  }
  market.brackets = binance::with_default_brackets(market.instruments, std::move(market.brackets));
  market.config = simulated_backtest_config(config);  // as `winiswin backtest` sets it
  market.config.threads = options.threads;
  if (!options.funding.empty()) {
    WINISWIN_TRY(market.config.funding, load_funding_directory(options.funding));
  }
  return market;
}

// The months holding a bar of any symbol: each symbol's months read through the feed, one
// at a time (a month in its span holds a bar or not).
Result<std::vector<ml::Month>> months_with_data(const Market& market) {
  WINISWIN_TRY(engine::FileFeed feed, engine::FileFeed::make(market.plan));
  std::vector<Timestamp> starts;
  for (std::size_t index = 0; index < feed.symbols().size(); ++index) {
    for (ml::Month month = ml::month_of(market.plan[index].files.front().first); month.start <= feed.last_of(index);
         month = ml::month_of(month.end)) {
      WINISWIN_TRY(const std::span<const Kline> bars, feed.bars(index, month.start, month.end));
      if (!bars.empty()) starts.push_back(month.start);
    }
  }
  return ml::months_of(starts);
}

// Every proposed signal of the whole folder, labelled (trades.csv and virtual.csv in out/labels).
Result<std::vector<ml::LabelledRow>> label_everything(const Market& market, const strategy::Strategy& strategy,
                                                      const std::filesystem::path& folder, const AppConfig& config) {
  backtest::SimulatedBacktestConfig labelling = market.config;
  labelling.cycle.label_every_signal = true;
  WINISWIN_TRY(engine::FileFeed feed, engine::FileFeed::make(market.plan));
  WINISWIN_TRY(const std::unique_ptr<journal::CsvRecorder> files, journal::CsvRecorder::open(folder));
  backtest::SimulatedBacktest simulated(market.instruments, market.brackets, strategy, labelling);
  WINISWIN_TRY(const engine::BacktestCounts counts, simulated.run(feed, *files));
  if (auto status = files->finish(); !status) return status.error();
  spdlog::info("labels: {} decisions over {} symbols", counts.decisions, market.plan.size());
  ml::DatasetOptions dataset_options;
  dataset_options.taker_fee = config.sim.taker_fee.to_double();
  const std::vector<std::filesystem::path> files_read{folder / "trades.csv", folder / "virtual.csv"};
  return ml::read_datasets(files_read, dataset_options);
}

// How the model acts in a month's backtest beyond ranking (engine/decision_cycle.h).
struct ModelUse {
  std::optional<double> min_probability;  // the veto
  bool size_by_model_score = false;
  std::optional<double> exit_below;  // the model exit
};

// The test month backtested from `warmup` before its start to its end; trades decided in it count.
Result<MonthTrading> trade_month(const Market& market, const strategy::Strategy& strategy, const ml::Month& month, Milliseconds warmup,
                                 const ml::Model& model, const ModelUse& use = {}) {
  WINISWIN_TRY(engine::FileFeed all, engine::FileFeed::make(market.plan));
  WINISWIN_TRY(const std::unique_ptr<engine::BarFeed> feed,
               engine::narrow_feed(std::make_unique<engine::FileFeed>(std::move(all)), {}, month.start - warmup, month.end));
  backtest::SimulatedBacktestConfig config = market.config;
  config.cycle.min_probability = use.min_probability;
  config.cycle.size_by_model_score = use.size_by_model_score;
  config.cycle.exit_below = use.exit_below;
  backtest::SimulatedBacktest simulated(market.instruments, market.brackets, strategy, config, model);
  WINISWIN_TRY(const engine::BacktestResult result, simulated.run(*feed));
  MonthTrading trading;
  trading.vetoed = static_cast<std::size_t>(std::count_if(result.refusals.begin(), result.refusals.end(), [&](const auto& refusal) {
    return refusal.limit == "model_veto" && refusal.decided >= month.start && refusal.decided < month.end;
  }));
  double pnl = 0.0, r_sum = 0.0;
  std::size_t wins = 0;
  for (const journal::TradeRecord& trade : result.trades) {
    if (trade.decided < month.start || trade.decided >= month.end) continue;
    ++trading.trades;
    pnl += trade.pnl;
    r_sum += trade.r_multiple;
    wins += trade.pnl > 0 ? 1 : 0;
    trading.model_exits += trade.exit_reason == journal::ExitReason::kModelExit ? 1 : 0;
  }
  trading.return_pct = 100.0 * pnl / market.config.venue.starting_balance.to_double();
  if (trading.trades > 0) {
    trading.win_rate = static_cast<double>(wins) / static_cast<double>(trading.trades);
    trading.average_r = r_sum / static_cast<double>(trading.trades);
  }
  return trading;
}

std::vector<std::optional<double>> drift(std::span<const ml::LabelledRow> rows, const ml::FoldRows& split) {
  std::vector<std::optional<double>> psi;
  for (std::size_t feature = 0; feature < strategy::kFeatureCount; ++feature) {
    std::vector<double> train, test;
    for (const std::size_t idx : split.train) train.push_back(rows[idx].features[feature]);
    for (const std::size_t idx : split.test) test.push_back(rows[idx].features[feature]);
    psi.push_back(ml::population_stability(train, test));
  }
  return psi;
}

// The first-ranked signal's win rate by the model's score and by confidence, over the
// decisions with two or more signals: with one, both rankings pick it.
void rank_first(std::span<const Timestamp> decided, std::span<const double> score, std::span<const double> confidence,
                std::span<const bool> wins, const std::map<Timestamp, std::size_t>& signals_at, FoldResult& fold) {
  std::vector<Timestamp> times;
  std::vector<double> scores, confidences;
  std::unique_ptr<bool[]> won(new bool[decided.size()]);
  std::size_t kept = 0;
  for (std::size_t pos = 0; pos < decided.size(); ++pos) {
    if (signals_at.at(decided[pos]) < 2) continue;
    times.push_back(decided[pos]);
    scores.push_back(score[pos]);
    confidences.push_back(confidence[pos]);
    won[kept++] = wins[pos];
  }
  fold.model_first = ml::precision_at_top(times, scores, std::span<const bool>(won.get(), kept), 1);
  fold.confidence_first = ml::precision_at_top(times, confidences, std::span<const bool>(won.get(), kept), 1);
}

// A model's measures on the test rows, from its probabilities on them (the XGBoost's and each
// candidate's alike). A score that is not a probability has no log loss or calibration.
struct TestMeasures {
  std::optional<double> auc, log_loss, base_log_loss;
  std::vector<ml::CalibrationBin> calibration;
  std::vector<double> score;  // the blended score the backtest ranks by, per test row
  ml::TopK top;               // by that score
};
struct TestRows {
  std::vector<Timestamp> decided;
  std::vector<double> confidence;
  std::unique_ptr<bool[]> won;  // std::vector<bool> has no span
  std::size_t count = 0;
  [[nodiscard]] std::span<const bool> wins() const { return {won.get(), count}; }
};
TestRows test_rows(std::span<const ml::LabelledRow> rows, std::span<const std::size_t> test) {
  TestRows out;
  out.won.reset(new bool[test.size()]);
  out.count = test.size();
  for (std::size_t pos = 0; pos < test.size(); ++pos) {
    const ml::LabelledRow& row = rows[test[pos]];
    out.won[pos] = row.win;
    out.decided.push_back(row.decided);
    out.confidence.push_back(row.confidence);
  }
  return out;
}
TestMeasures measure(const TestRows& test, std::span<const double> probability, double base_rate, double model_weight, std::size_t top_k,
                     bool is_probability) {
  TestMeasures out;
  out.auc = ml::auc(probability, test.wins());
  if (is_probability) {
    out.log_loss = ml::log_loss(probability, test.wins());
    out.base_log_loss = ml::log_loss(std::vector<double>(probability.size(), base_rate), test.wins());
    out.calibration = ml::calibration_table(probability, test.wins());
  }
  for (std::size_t pos = 0; pos < probability.size(); ++pos) {
    out.score.push_back(ml::blended_score(probability[pos], test.confidence[pos], model_weight));
  }
  out.top = ml::precision_at_top(test.decided, out.score, test.wins(), top_k);
  return out;
}

// The model's measures on the test rows (FoldResult's fields but the trading); `probability`:
// its predictions on them.
Status evaluate(std::span<const ml::LabelledRow> rows, const ml::XgboostModel& model, const std::filesystem::path& model_file,
                FoldResult& fold, std::vector<double>& probability) {
  const std::vector<float> features = ml::feature_matrix(rows, fold.rows.test);
  WINISWIN_TRY(const ml::Contributions contributions, ml::feature_contributions(model_file, features));
  fold.shap = contributions.mean_absolute;
  probability.assign(fold.rows.test.size(), 0.0);
  if (auto status = model.predict(features, probability); !status) return status;
  const TestRows test = test_rows(rows, fold.rows.test);
  for (std::size_t pos = 0; pos < test.count; ++pos) fold.test_wins += test.won[pos] ? 1 : 0;
  const double base_rate = static_cast<double>(fold.train_wins) / static_cast<double>(fold.rows.train.size());
  TestMeasures measures = measure(test, probability, base_rate, model.model_weight(), fold.top_k, true);
  fold.auc = measures.auc;
  fold.log_loss = measures.log_loss;
  fold.base_log_loss = measures.base_log_loss;
  fold.calibration = std::move(measures.calibration);
  fold.model_top = measures.top;
  fold.confidence_top = ml::precision_at_top(test.decided, test.confidence, test.wins(), fold.top_k);
  std::map<Timestamp, std::size_t> signals_at;
  for (const Timestamp time : test.decided) ++signals_at[time];
  fold.decisions = signals_at.size();
  fold.contested_decisions =
      static_cast<std::size_t>(std::count_if(signals_at.begin(), signals_at.end(), [&](const auto& entry) { return entry.second > fold.top_k; }));
  rank_first(test.decided, measures.score, test.confidence, test.wins(), signals_at, fold);
  fold.psi = drift(rows, fold.rows);
  return Ok{};
}

struct Run {
  const MlWalkForwardOptions& options;
  const Market& market;
  const strategy::Strategy& strategy;
  std::span<const ml::LabelledRow> rows;
  std::size_t top_k;
  std::span<const std::unique_ptr<WalkForwardCandidate>> candidates;
};

Status check_prediction(const CandidatePrediction& prediction, std::size_t test_rows, std::string_view name) {
  const auto bad = [&](std::string_view what) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("candidate {}: {} (for {} test rows)", name, what, test_rows));
  };
  if (prediction.probability.size() != test_rows) return bad(fmt::format("{} predictions", prediction.probability.size()));
  if (prediction.model == nullptr) return bad("no model for the month's backtest");
  for (const double probability : prediction.probability) {
    if (!(probability >= 0.0 && probability <= 1.0)) return bad(fmt::format("a prediction of {}, outside [0, 1]", probability));
  }
  return Ok{};
}

// A candidate's test month: trained and measured on the fold's rows, then the month backtested
// with it ranking.
Result<CandidateResult> run_candidate(const Run& run, const FoldResult& fold, WalkForwardCandidate& candidate, Milliseconds warmup) {
  CandidateResult result;
  result.name = std::string(candidate.name());
  const std::filesystem::path folder = run.options.out / "candidates" / result.name;
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create this folder: {}", folder.string(), error.message()));
  const CandidateFold view{run.rows, fold.fold, fold.rows, run.options.train, folder, run.options.model_weight};
  WINISWIN_TRY(const CandidatePrediction prediction, candidate.predict(view));
  if (auto status = check_prediction(prediction, fold.rows.test.size(), result.name); !status) return status.error();
  result.is_probability = prediction.is_probability;
  const double base_rate = static_cast<double>(fold.train_wins) / static_cast<double>(fold.rows.train.size());
  TestMeasures measures = measure(test_rows(run.rows, fold.rows.test), prediction.probability, base_rate, run.options.model_weight, fold.top_k,
                                  prediction.is_probability);
  result.auc = measures.auc;
  result.log_loss = measures.log_loss;
  result.calibration = std::move(measures.calibration);
  result.top = measures.top;
  WINISWIN_TRY(result.ranking, trade_month(run.market, run.strategy, fold.fold.test, warmup, *prediction.model));
  spdlog::info("{} {}: AUC {}, ranking {:.2f} % ({} trades)", fold.fold.test.name, result.name, result.auc.value_or(-1.0), result.ranking.return_pct,
               result.ranking.trades);
  return result;
}

Result<FoldResult> run_fold(const Run& run, const ml::Fold& fold_plan) {
  FoldResult fold;
  fold.fold = fold_plan;
  fold.top_k = run.top_k;
  fold.rows = ml::split_fold(run.rows, fold_plan, run.options.train.horizon);
  const std::vector<ml::LabelledRow> training = ml::rows_at(run.rows, fold.rows.train);
  fold.train_wins = static_cast<std::size_t>(std::count_if(training.begin(), training.end(), [](const auto& row) { return row.win; }));
  if (fold.rows.test.empty() || fold.train_wins == 0 || fold.train_wins == training.size()) {
    fold.skipped = fmt::format("{} training rows ({} wins), {} test rows: nothing to learn or to test", training.size(), fold.train_wins,
                               fold.rows.test.size());
    return fold;
  }
  ml::TrainConfig train_config = run.options.train;
  train_config.validation_fraction = 0.0;  // the test month is the validation
  const std::filesystem::path model_file = run.options.out / "models" / (fold_plan.test.name + ".json");
  WINISWIN_TRY(const ml::TrainReport report, ml::train(training, train_config, model_file));
  WINISWIN_TRY(const std::unique_ptr<ml::XgboostModel> model, ml::XgboostModel::load(model_file, run.options.model_weight));
  std::vector<double> test_probabilities;
  if (auto status = evaluate(run.rows, *model, model_file, fold, test_probabilities); !status) return status.error();
  WINISWIN_TRY(fold.gain, ml::feature_gain(model_file));
  const Milliseconds warmup = std::chrono::days{run.options.warmup_days};
  WINISWIN_TRY(fold.without_model, trade_month(run.market, run.strategy, fold_plan.test, warmup, ml::pass_through_model()));
  WINISWIN_TRY(fold.with_model, trade_month(run.market, run.strategy, fold_plan.test, warmup, *model));
  WINISWIN_TRY(fold.with_veto, trade_month(run.market, run.strategy, fold_plan.test, warmup, *model, {run.options.min_probability, false, std::nullopt}));
  WINISWIN_TRY(fold.with_sizing, trade_month(run.market, run.strategy, fold_plan.test, warmup, *model, {std::nullopt, true, std::nullopt}));
  const ModelUse exit{std::nullopt, false, run.options.exit_below};
  WINISWIN_TRY(fold.with_exit, trade_month(run.market, run.strategy, fold_plan.test, warmup, *model, exit));
  // The controls: the same veto, sizing and exit by a model of no skill with the model's
  // distribution of probabilities on this month's rows (its exit draws a new probability at each
  // close: a random exit at the threshold's rate in that distribution).
  const ml::PlaceboModel placebo(std::move(test_probabilities), run.options.model_weight);
  WINISWIN_TRY(fold.placebo_veto, trade_month(run.market, run.strategy, fold_plan.test, warmup, placebo, {run.options.min_probability, false, std::nullopt}));
  WINISWIN_TRY(fold.placebo_sizing, trade_month(run.market, run.strategy, fold_plan.test, warmup, placebo, {std::nullopt, true, std::nullopt}));
  WINISWIN_TRY(fold.placebo_exit, trade_month(run.market, run.strategy, fold_plan.test, warmup, placebo, exit));
  for (const std::unique_ptr<WalkForwardCandidate>& candidate : run.candidates) {
    WINISWIN_TRY(CandidateResult result, run_candidate(run, fold, *candidate, warmup));
    fold.candidates.push_back(std::move(result));
  }
  spdlog::info("{}: trained on {} rows, AUC {}, without the model {:.2f} % ({} trades), ranking {:.2f} % ({}), vetoing {:.2f} % ({}), sizing {:.2f} % ({}), "
               "exit {:.2f} % ({} of {} exited)",
               fold_plan.test.name, training.size(), fold.auc.value_or(-1.0), fold.without_model.return_pct, fold.without_model.trades,
               fold.with_model.return_pct, fold.with_model.trades, fold.with_veto.return_pct, fold.with_veto.trades, fold.with_sizing.return_pct,
               fold.with_sizing.trades, fold.with_exit.return_pct, fold.with_exit.model_exits, fold.with_exit.trades);
  return fold;
}

std::string setup_json(const MlWalkForwardOptions& options, std::size_t top_k, std::size_t rows) {
  const ml::TrainConfig& train = options.train;
  return fmt::format(
      R"({{"train_months": {}, "expanding": {}, "warmup_days": {}, "top_k": {}, "model_weight": {}, "min_probability": {}, "exit_below": {}, "labelled_rows": {}, )"
      R"("horizon_hours": {}, "rounds": {}, "max_depth": {}, "eta": {}, "subsample": {}, "colsample_bytree": {}, "min_child_weight": {}, "seed": {}}})",
      options.train_months, options.expanding, options.warmup_days, top_k, options.model_weight, options.min_probability, options.exit_below, rows,
      std::chrono::duration_cast<std::chrono::hours>(train.horizon).count(), train.rounds, train.max_depth, train.eta, train.subsample,
      train.colsample_bytree, train.min_child_weight, train.seed);
}

Status check_options(const MlWalkForwardOptions& options) {
  if (options.train_months < 1) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("--train-months {}: at least 1 month must train each model", options.train_months));
  }
  if (options.warmup_days < 0) return make_error(ErrorCode::kInvalidArgument, "--warmup-days must be 0 or more");
  if (options.top_k && *options.top_k < 1) return make_error(ErrorCode::kInvalidArgument, "--top-k must be at least 1");
  if (!(options.model_weight >= 0.0 && options.model_weight <= 1.0)) return make_error(ErrorCode::kInvalidArgument, "--model-weight is in [0, 1]");
  if (!(options.min_probability >= 0.0 && options.min_probability <= 1.0)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("--min-probability {}: a probability is in [0, 1]", options.min_probability));
  }
  if (!(options.exit_below >= 0.0 && options.exit_below <= 1.0)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("--exit-below {}: a probability is in [0, 1]", options.exit_below));
  }
  return Ok{};
}

}  // namespace

Status run_ml_walk_forward(const MlWalkForwardOptions& options, const AppConfig& config) {
  if (auto status = check_options(options); !status) return status;
  WINISWIN_TRY(const Market market, load_market(options, config));
  std::vector<std::unique_ptr<WalkForwardCandidate>> candidates;
  for (const std::string& name : options.candidates) {
    WINISWIN_TRY(std::unique_ptr<WalkForwardCandidate> candidate, make_candidate(name, CandidateContext{market.plan, options.train}));
    candidates.push_back(std::move(candidate));
  }
  WINISWIN_TRY(const std::vector<ml::Month> months, months_with_data(market));
  WINISWIN_TRY(const std::vector<ml::Fold> folds, ml::plan_folds(months, options.train_months, options.expanding));
  std::error_code error;
  std::filesystem::create_directories(options.out / "models", error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("--out {}: cannot create this folder: {}", options.out.string(), error.message()));
  WINISWIN_TRY(const auto strategy, strategy::make_strategy(config.strategy.name, strategy::StrategyParameters{config.strategy.ict}));
  WINISWIN_TRY(const std::vector<ml::LabelledRow> rows, label_everything(market, *strategy, options.out / "labels", config));
  const std::size_t top_k = options.top_k.value_or(static_cast<std::size_t>(config.risk.limits.max_open_positions));
  fmt::print("walk-forward: {} months with data, {} test months, {} labelled rows\n", months.size(), folds.size(), rows.size());
  const Run run{options, market, *strategy, rows, top_k, candidates};
  std::vector<FoldResult> results;
  for (const ml::Fold& fold : folds) {
    WINISWIN_TRY(FoldResult result, run_fold(run, fold));
    results.push_back(std::move(result));
  }
  if (auto status = write_file_bytes(options.out / "walk_forward.csv", walk_forward_csv(results)); !status) return status;
  if (auto status = write_file_bytes(options.out / "walk_forward.json", walk_forward_json(results, setup_json(options, top_k, rows.size())));
      !status) {
    return status;
  }
  if (!candidates.empty()) {
    if (auto status = write_file_bytes(options.out / "candidates.csv", candidates_csv(results)); !status) return status;
  }
  const std::string summary = walk_forward_summary(results) + candidates_summary(results);
  const std::string title = fmt::format("winiswin ml walk-forward — {}, {} {} month{} training each test month", options.data.string(),
                                        options.expanding ? "all (at least" : "the", options.train_months, options.train_months == 1 ? "" : "s");
  if (auto status = write_file_bytes(options.out / "walk_forward.html", walk_forward_page(results, options.expanding ? title + ")" : title, summary));
      !status) {
    return status;
  }
  fmt::print("{}outputs: {}/{{walk_forward.csv, walk_forward.json, walk_forward.html, labels/, models/{}}}\n", summary, options.out.string(),
             candidates.empty() ? "" : ", candidates.csv, candidates/");
  return Ok{};
}

}  // namespace winiswin
