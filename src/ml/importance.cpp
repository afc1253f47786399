#include "ml/importance.h"

#include <algorithm>

#include <fmt/format.h>

#include "ml/feature_schema.h"
#include "ml/xgboost_api.h"

namespace winiswin::ml {

Result<std::vector<double>> feature_gain(const std::filesystem::path& model_file) {
  const std::string where = fmt::format("model {}", model_file.string());
  WINISWIN_TRY(const xgb::Booster booster, xgb::make_booster({}));
  if (auto status = xgb::check(XGBoosterLoadModel(booster.get(), model_file.c_str()), "not an XGBoost model"); !status) {
    return status.error().with_context(where);
  }
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

}  // namespace winiswin::ml
