#include "ml/importance.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "ml/feature_schema.h"
#include "ml/xgboost_api.h"
#include "strategy/signal.h"

namespace winiswin::ml {

namespace {

Result<xgb::Booster> load_booster(const std::filesystem::path& model_file) {
  WINISWIN_TRY(xgb::Booster booster, xgb::make_booster({}));
  if (auto status = xgb::check(XGBoosterLoadModel(booster.get(), model_file.c_str()), "not an XGBoost model"); !status) {
    return status.error().with_context(fmt::format("model {}", model_file.string()));
  }
  return booster;
}

}  // namespace

Result<std::vector<double>> feature_gain(const std::filesystem::path& model_file) {
  const std::string where = fmt::format("model {}", model_file.string());
  WINISWIN_TRY(const xgb::Booster booster, load_booster(model_file));
  bst_ulong count = 0, dimensions = 0;
  const char** names = nullptr;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  if (auto status = xgb::check(XGBoosterFeatureScore(booster.get(), R"({"importance_type": "gain"})", &count, &names, &dimensions, &shape, &scores),
                               "XGBoosterFeatureScore");
      !status) {
    return status.error().with_context(where);
  }
  const std::vector<std::string> schema = current_schema().names;
  std::vector<double> gain(schema.size(), 0.0);
  for (bst_ulong idx = 0; idx < count; ++idx) {
    const auto found = std::find(schema.begin(), schema.end(), names[idx]);
    if (found == schema.end()) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: feature '{}' is not in this build's schema", where, names[idx]));
    }
    gain[static_cast<std::size_t>(found - schema.begin())] = scores[idx];
  }
  return gain;
}

Result<Contributions> feature_contributions(const std::filesystem::path& model_file, std::span<const float> rows) {
  const std::size_t columns = strategy::kFeatureCount;
  const std::size_t count = rows.size() / columns;
  Contributions out;
  out.mean_absolute.assign(columns, 0.0);
  if (count == 0) return out;
  WINISWIN_TRY(const xgb::Booster booster, load_booster(model_file));
  WINISWIN_TRY(const xgb::Matrix matrix, xgb::matrix(rows, columns));
  if (auto status = xgb::set_param(booster.get(), "nthread", "1"); !status) return status.error();
  // type 2: exact SHAP contributions (TreeSHAP).
  const char* config = R"({"type": 2, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dimensions = 0;
  const float* values = nullptr;
  if (auto status = xgb::check(XGBoosterPredictFromDMatrix(booster.get(), matrix.get(), config, &shape, &dimensions, &values),
                               "XGBoosterPredictFromDMatrix (pred_contribs)");
      !status) {
    return status.error().with_context(fmt::format("model {}", model_file.string()));
  }
  if (dimensions != 2 || shape[0] != count || shape[1] != columns + 1) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("model {}: contributions of an unexpected shape", model_file.string()));
  }
  for (std::size_t row = 0; row < count; ++row) {
    double margin = 0.0;
    for (std::size_t column = 0; column <= columns; ++column) {
      const double value = values[row * (columns + 1) + column];
      margin += value;
      if (column < columns) out.mean_absolute[column] += std::abs(value);
    }
    out.margins.push_back(margin);
  }
  for (double& mean : out.mean_absolute) mean /= static_cast<double>(count);
  return out;
}

}  // namespace winiswin::ml
