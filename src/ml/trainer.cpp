#include "ml/trainer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "ml/evaluation.h"
#include "ml/feature_schema.h"
#include "ml/promotion.h"
#include "ml/walk_forward.h"
#include "ml/xgboost_api.h"
#include "ml/xgboost_model.h"

namespace winiswin::ml {
namespace {

struct Part {
  std::vector<float> rows;
  std::vector<float> labels;
};

Part part_of(std::span<const LabelledRow> rows, std::span<const std::size_t> indexes, Target target) {
  Part part;
  part.rows.reserve(indexes.size() * strategy::kFeatureCount);
  for (const std::size_t idx : indexes) {
    for (const double feature : rows[idx].features) part.rows.push_back(static_cast<float>(feature));
    const double label = target == Target::kR ? rows[idx].r_net : (rows[idx].win ? 1.0 : 0.0);
    part.labels.push_back(static_cast<float>(label));
  }
  return part;
}

Result<xgb::Matrix> matrix_of(const Part& part) {
  WINISWIN_TRY(xgb::Matrix matrix, xgb::matrix(part.rows, strategy::kFeatureCount));
  if (auto status = xgb::set_labels(matrix.get(), part.labels); !status) return status.error();
  return matrix;
}

// Doubles in parameters as "%.17g" would be; fmt's shortest round-trip form is as exact.
std::vector<std::pair<std::string, std::string>> parameters(const TrainConfig& config, double scale_pos_weight) {
  const bool regression = config.target == Target::kR;
  std::vector<std::pair<std::string, std::string>> set{{"objective", regression ? "reg:squarederror" : "binary:logistic"},
                                                       {"tree_method", "hist"},
                                                       {"max_depth", std::to_string(config.max_depth)},
                                                       {"eta", fmt::format("{}", config.eta)},
                                                       {"subsample", fmt::format("{}", config.subsample)},
                                                       {"colsample_bytree", fmt::format("{}", config.colsample_bytree)},
                                                       {"min_child_weight", fmt::format("{}", config.min_child_weight)},
                                                       {"lambda", fmt::format("{}", config.lambda)}};
  if (!regression) set.emplace_back("scale_pos_weight", fmt::format("{}", scale_pos_weight));  // class balance: the win target only
  set.emplace_back("seed", std::to_string(config.seed));
  set.emplace_back("nthread", std::to_string(config.threads));
  if (regression) {
    set.emplace_back("eval_metric", "rmse");
  } else {
    set.emplace_back("eval_metric", "auc");
    set.emplace_back("eval_metric", "logloss");
  }
  return set;
}

Status check_config(const TrainConfig& config) {
  if (config.rounds < 1 || config.max_depth < 1 || !(config.eta > 0.0) || !(config.subsample > 0.0 && config.subsample <= 1.0) ||
      !(config.colsample_bytree > 0.0 && config.colsample_bytree <= 1.0) || config.threads < 1 ||
      !(config.validation_fraction >= 0.0 && config.validation_fraction < 1.0) || (config.scale_pos_weight && !(*config.scale_pos_weight > 0.0))) {
    return make_error(ErrorCode::kInvalidArgument,
                      "training needs rounds ≥ 1, max_depth ≥ 1, eta > 0, subsample and colsample_bytree in (0, 1], threads ≥ 1, "
                      "validation fraction in [0, 1) and scale_pos_weight > 0");
  }
  return Ok{};
}

// The data the model is made from — every row given, validation and censored ones included:
// the decisions from, and when the last of their labels was known. `ml promote` checks that
// its window starts after it (promotion.h).
std::vector<std::pair<std::string, std::string>> data_range(std::span<const LabelledRow> rows, Milliseconds horizon) {
  if (rows.empty()) return {};
  Timestamp from = rows.front().decided, until = label_end(rows.front(), horizon);
  for (const LabelledRow& row : rows) {
    from = std::min(from, row.decided);
    until = std::max(until, label_end(row, horizon));
  }
  return {{kDataFromAttribute, std::to_string(to_ms(from))}, {kDataUntilAttribute, std::to_string(to_ms(until))}};
}

}  // namespace

Split purged_split(std::span<const LabelledRow> rows, double validation_fraction, Milliseconds horizon) {
  Split split;
  std::vector<std::size_t> labelled;
  for (std::size_t idx = 0; idx < rows.size(); ++idx) {
    if (censored(rows[idx])) {
      ++split.censored;
    } else {
      labelled.push_back(idx);
    }
  }
  const auto held = static_cast<std::size_t>(validation_fraction * static_cast<double>(labelled.size()));
  if (held == 0) {
    split.train = std::move(labelled);
    return split;
  }
  // The validation window starts at the decision time of its first row; rows decided at
  // that very time all validate (a window is a time, not a row count).
  const Timestamp start = rows[labelled[labelled.size() - held]].decided;
  for (const std::size_t idx : labelled) {
    if (rows[idx].decided >= start) {
      split.validation.push_back(idx);
    } else if (std::max(rows[idx].decided + horizon, rows[idx].exited) >= start) {
      ++split.purged;
    } else {
      split.train.push_back(idx);
    }
  }
  return split;
}

namespace {

// Wins and losses for the classifier (and its imbalance weight); any two rows for R.
Status check_labels(const Part& training, const TrainConfig& config, TrainReport& report) {
  if (config.target == Target::kR) {
    if (training.labels.size() >= 2) return Ok{};
    return make_error(ErrorCode::kInvalidArgument, fmt::format("R regression needs two training rows or more: {} ({} purged, {} censored)",
                                                               training.labels.size(), report.split.purged, report.split.censored));
  }
  report.wins = static_cast<std::size_t>(std::count(training.labels.begin(), training.labels.end(), 1.0f));
  const std::size_t losses = training.labels.size() - report.wins;
  if (report.wins == 0 || losses == 0) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("training needs wins and losses: {} training rows, {} wins ({} purged, {} censored)",
                                                               training.labels.size(), report.wins, report.split.purged, report.split.censored));
  }
  report.scale_pos_weight = config.scale_pos_weight.value_or(static_cast<double>(losses) / static_cast<double>(report.wins));
  return Ok{};
}

Result<std::string> evaluate(BoosterHandle booster, const xgb::Matrix& train_matrix, const std::optional<xgb::Matrix>& validation_matrix,
                             int last_round) {
  std::vector<DMatrixHandle> evaluated{train_matrix.get()};
  std::vector<const char*> names{"train"};
  if (validation_matrix) {
    evaluated.push_back(validation_matrix->get());
    names.push_back("validation");
  }
  const char* evaluation = nullptr;
  if (auto status = xgb::check(XGBoosterEvalOneIter(booster, last_round, evaluated.data(), names.data(), evaluated.size(), &evaluation),
                               "XGBoosterEvalOneIter");
      !status) {
    return status.error();
  }
  return std::string(evaluation);
}

// The R model's validation RMSE and rank correlation, from its own predictions.
Status regression_metrics(BoosterHandle booster, const Part& validation, TrainReport& report) {
  std::vector<double> predicted(validation.labels.size());
  if (auto status = xgb::predict_dense(booster, validation.rows, strategy::kFeatureCount, predicted); !status) return status;
  const std::vector<double> actual(validation.labels.begin(), validation.labels.end());
  double squares = 0.0;
  for (std::size_t idx = 0; idx < actual.size(); ++idx) squares += (predicted[idx] - actual[idx]) * (predicted[idx] - actual[idx]);
  report.validation_rmse = std::sqrt(squares / static_cast<double>(actual.size()));
  report.validation_spearman = spearman(predicted, actual);
  return Ok{};
}

Status save(BoosterHandle booster, std::span<const LabelledRow> rows, const TrainConfig& config, const TrainReport& report,
            const std::filesystem::path& out) {
  if (auto status = xgb::set_feature_names(booster, current_schema().names); !status) return status.error();
  const std::pair<std::string, std::string> attributes[] = {
      {kFeatureVersionAttribute, std::to_string(strategy::kFeatureVersion)},
      {kTargetAttribute, config.target == Target::kR ? kRTargetValue : kWinTargetValue},
      {"winiswin_evaluation", report.evaluation}};
  for (const auto& [name, value] : attributes) {
    if (auto status = xgb::set_attr(booster, name, value); !status) return status.error();
  }
  for (const auto& [name, value] : data_range(rows, config.horizon)) {
    if (auto status = xgb::set_attr(booster, name, value); !status) return status.error();
  }
  return xgb::check(XGBoosterSaveModel(booster, out.c_str()), fmt::format("saving the model to {}", out.string()));
}

}  // namespace

Result<Target> parse_target(std::string_view name) {
  if (name == "win") return Target::kWin;
  if (name == "r") return Target::kR;
  return make_error(ErrorCode::kInvalidArgument, fmt::format("--target '{}': 'win' (win classifier) or 'r' (R regression)", name));
}

Result<TrainReport> train(std::span<const LabelledRow> rows, const TrainConfig& config, const std::filesystem::path& out) {
  if (auto status = check_config(config); !status) return status.error();
  TrainReport report;
  report.split = purged_split(rows, config.validation_fraction, config.horizon);
  const Part training = part_of(rows, report.split.train, config.target);
  if (auto status = check_labels(training, config, report); !status) return status.error();
  WINISWIN_TRY(const xgb::Matrix train_matrix, matrix_of(training));
  std::optional<Part> validation;
  std::optional<xgb::Matrix> validation_matrix;
  if (!report.split.validation.empty()) {
    validation = part_of(rows, report.split.validation, config.target);
    WINISWIN_TRY(validation_matrix, matrix_of(*validation));
  }
  const DMatrixHandle cached[] = {train_matrix.get()};
  WINISWIN_TRY(const xgb::Booster booster, xgb::make_booster(cached));
  for (const auto& [name, value] : parameters(config, report.scale_pos_weight)) {
    if (auto status = xgb::set_param(booster.get(), name, value); !status) return status.error();
  }
  for (int round = 0; round < config.rounds; ++round) {
    if (auto status = xgb::check(XGBoosterUpdateOneIter(booster.get(), round, train_matrix.get()), "XGBoosterUpdateOneIter"); !status) {
      return status.error();
    }
  }
  WINISWIN_TRY(report.evaluation, evaluate(booster.get(), train_matrix, validation_matrix, config.rounds - 1));
  if (config.target == Target::kR && validation) {
    if (auto status = regression_metrics(booster.get(), *validation, report); !status) return status.error();
  }
  if (auto status = save(booster.get(), rows, config, report, out); !status) return status.error();
  return report;
}

}  // namespace winiswin::ml
