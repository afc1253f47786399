// Models beyond the walk-forward's own XGBoost, tried in the same walk-forward (issue 14:
// "models beyond one XGBoost only where they win out of sample ... kept only with the evidence
// in the report"). A candidate trains on a fold's training rows and predicts its test rows;
// `ml walk-forward` measures it as it measures its XGBoost (AUC, log loss, calibration,
// precision at top-K) and backtests the test month with the fold's model ranking, so every
// candidate is judged by one yardstick.
//
// The month's backtest scores every signal proposed at each close, not only the labelled ones
// (a symbol with an open real or virtual position is not labelled again), so the candidate
// hands over a model that scores any batch of signals: from their features, or from the
// symbol's bars closed by each signal's time (a sequence model).
//
// Adding one: a factory in its own file and a line in walk_forward_candidates.cpp's registry.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "data/kline_folder.h"
#include "ml/dataset.h"
#include "ml/model.h"
#include "ml/trainer.h"
#include "ml/walk_forward.h"

namespace winiswin {

// One fold as a candidate sees it.
struct CandidateFold {
  std::span<const ml::LabelledRow> rows;  // every labelled row of the folder, in decision-time order
  const ml::Fold& fold;                   // the test month and its training months
  const ml::FoldRows& split;              // split.train (purged) and split.test: indexes into rows
  const ml::TrainConfig& train;           // the walk-forward's XGBoost settings (seed, horizon, ...)
  std::filesystem::path folder;           // out/candidates/<name>/, created: for the candidate's files
  double model_weight;                    // the model's share of the ranking score (ml/blend.h)

  // The training rows, copied as ml::train takes them.
  [[nodiscard]] std::vector<ml::LabelledRow> training_rows() const { return ml::rows_at(rows, split.train); }
  // The walk-forward's training settings with the test month as the only validation, as for the
  // walk-forward's own model.
  [[nodiscard]] ml::TrainConfig training_config() const {
    ml::TrainConfig config = train;
    config.validation_fraction = 0.0;
    return config;
  }
};

struct CandidatePrediction {
  std::vector<double> probability;  // one p(win) in [0, 1] per split.test row, in its order
  bool is_probability = true;       // false: a score in [0, 1] (ranks only): no log loss or calibration
  // The fold's model for the test month's backtest (ml/model.h's contract: deterministic, reads
  // nothing but the batch and data closed by each signal's time). Its scores rank the signals.
  std::unique_ptr<ml::Model> model;
};

class WalkForwardCandidate {
 public:
  virtual ~WalkForwardCandidate() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  // Trained only on split.train rows (and data closed before each row's decision). Called once
  // per fold, in test-month order.
  [[nodiscard]] virtual Result<CandidatePrediction> predict(const CandidateFold& fold) = 0;
};

// What a factory may use beyond the rows.
struct CandidateContext {
  std::span<const SymbolFiles> plan;  // --data's files (for candidates that read bars)
  const ml::TrainConfig& train;
};

using CandidateFactory = std::function<Result<std::unique_ptr<WalkForwardCandidate>>(const CandidateContext&)>;
struct CandidateEntry {
  std::string_view name;
  std::string_view what;  // one line for --help and the page
  CandidateFactory make;
};

// Every candidate, by name.
std::span<const CandidateEntry> candidate_registry();
// Error: an unknown name, naming the known ones.
Result<std::unique_ptr<WalkForwardCandidate>> make_candidate(std::string_view name, const CandidateContext& context);

// The factories (one file each).
Result<std::unique_ptr<WalkForwardCandidate>> make_xgboost_candidate(const CandidateContext& context);
Result<std::unique_ptr<WalkForwardCandidate>> make_bagged_candidate(const CandidateContext& context);
Result<std::unique_ptr<WalkForwardCandidate>> make_bagged_rank_candidate(const CandidateContext& context);
Result<std::unique_ptr<WalkForwardCandidate>> make_r_candidate(const CandidateContext& context);
Result<std::unique_ptr<WalkForwardCandidate>> make_stale_candidate(const CandidateContext& context);  // walk_forward_stale_candidate.cpp
// walk_forward_sequence_candidate.cpp: the deep sequence models over the last 48 5m bars.
Result<std::unique_ptr<WalkForwardCandidate>> make_lstm_candidate(const CandidateContext& context);
Result<std::unique_ptr<WalkForwardCandidate>> make_transformer_candidate(const CandidateContext& context);
Result<std::unique_ptr<WalkForwardCandidate>> make_cnn_candidate(const CandidateContext& context);

}  // namespace winiswin
