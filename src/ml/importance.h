// Feature importance of a trained model file: XGBoost's own "gain" (the average loss
// reduction of the splits on a feature, XGBoosterFeatureScore), one value per feature of this
// build's schema in its order — 0 for a feature no tree splits on.
#pragma once

#include <filesystem>
#include <vector>

#include "core/error.h"

namespace winiswin::ml {

Result<std::vector<double>> feature_gain(const std::filesystem::path& model_file);

}  // namespace winiswin::ml
