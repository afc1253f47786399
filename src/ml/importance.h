// Feature importance of a trained model file, in this build's schema order:
// - gain: XGBoost's own "gain" (the average loss reduction of the splits on a feature,
//   XGBoosterFeatureScore), 0 for a feature no tree splits on;
// - contributions: the mean |SHAP value| of each feature over given rows (XGBoost's
//   pred_contribs, exact TreeSHAP, in log-odds), how much each feature moved these rows'
//   predictions rather than how much it helped in training.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

#include "core/error.h"

namespace winiswin::ml {

Result<std::vector<double>> feature_gain(const std::filesystem::path& model_file);

struct Contributions {
  std::vector<double> mean_absolute;  // per feature
  // Per row, the features' contributions plus the bias: the row's margin (log-odds), as
  // XGBoost defines SHAP values to add up.
  std::vector<double> margins;
};
// `rows`: row-major, the schema's feature count each (as float, XGBoost's type); NaN missing.
Result<Contributions> feature_contributions(const std::filesystem::path& model_file, std::span<const float> rows);

}  // namespace winiswin::ml
