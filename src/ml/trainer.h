// Training a win classifier on labelled rows (dataset.h) through libxgboost's C API: binary
// target (the row wins: R net of fees > 0), objective binary:logistic, the class imbalance
// weighed by scale_pos_weight = losses / wins of the training rows (unless given), and the
// model written as XGBoost JSON carrying the feature schema (xgboost_model.h).
// Or, with Target::kR, a regression of R net of fees (reg:squarederror), judged by the
// validation RMSE and the Spearman rank correlation of its predictions with the actual R
// (it is meant to rank). Its file records the target (kTargetAttribute), and
// XgboostModel::load refuses it: --model takes win-probability models.
//
// Deterministic for a seed: one thread by default, rows in decision-time order, no time or
// machine in the file — two trainings on the same rows give the same bytes.
//
// Validation: the latest `validation_fraction` of decision times is held out, and training
// rows are purged when their label window (decision + `horizon`, the 24 h a position may be
// held, or to the exit if that came later: a timeout exits at the next bar after a 5m
// close) reaches into it, so no training label overlaps the validation window. The held-out
// window is the last one, so there is nothing after it to embargo. The model is trained on
// the training rows only; its metrics on both parts are reported (and kept in the file).
// The file also records the range of the data it was made from (promotion.h: DataRange), so
// that `ml promote` can refuse a comparison window that is not out of sample.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"
#include "ml/dataset.h"

namespace winiswin::ml {

// What the model learns: the win flag (binary:logistic) or R net of fees (reg:squarederror).
enum class Target { kWin, kR };
// "win" or "r"; anything else is an error naming what is accepted.
Result<Target> parse_target(std::string_view name);

// The model file's attribute that says what it predicts; an R model's value starts "r:".
inline constexpr const char* kTargetAttribute = "winiswin_target";
inline constexpr const char* kWinTargetValue = "win: r_multiple net of taker fees > 0";
inline constexpr const char* kRTargetValue = "r: r_multiple net of taker fees (reg:squarederror)";

struct TrainConfig {
  Target target = Target::kWin;
  int rounds = 200;
  int max_depth = 4;
  double eta = 0.05;
  double subsample = 0.8;
  double colsample_bytree = 0.8;
  double min_child_weight = 5.0;
  double lambda = 1.0;
  std::uint64_t seed = 42;
  int threads = 1;
  std::optional<double> scale_pos_weight;  // none: losses / wins of the training rows
  double validation_fraction = 0.2;        // 0: train on every row
  Milliseconds horizon{24 * 60 * 60 * 1000};
};

// Which rows train and which validate (indexes into the rows, in time order).
struct Split {
  std::vector<std::size_t> train;
  std::vector<std::size_t> validation;
  std::size_t purged = 0;    // training rows whose label window reached the validation window
  std::size_t censored = 0;  // rows without an outcome (dataset.h: censored)
};
// `rows` in decision-time order (read_datasets gives them so).
Split purged_split(std::span<const LabelledRow> rows, double validation_fraction, Milliseconds horizon);

struct TrainReport {
  Split split;
  std::size_t wins = 0;  // among the training rows
  double scale_pos_weight = 1.0;
  std::string evaluation;  // libxgboost's metrics (AUC, log loss; RMSE for R) on train and validation
  // Target::kR with validation rows only: their RMSE and Spearman correlation of predicted with actual R.
  std::optional<double> validation_rmse;
  std::optional<double> validation_spearman;
};

Result<TrainReport> train(std::span<const LabelledRow> rows, const TrainConfig& config, const std::filesystem::path& out);

}  // namespace winiswin::ml
