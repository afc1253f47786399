// libxgboost's C API (Debian 12: 1.7.4) behind small owners and Status returns, for the .cpp
// files of src/ml only: nothing outside this folder includes xgboost's headers.
//
// Traps of 1.7.4 handled here (../shared/TOOLCHAIN.md): XGBoosterPredictFromDense needs
// "cache_id" in its configuration ("Invalid cast, from Null to Integer" otherwise), and its
// output buffer is thread-local to the library — copied out before anything else calls it.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <xgboost/c_api.h>

#include "core/error.h"

namespace winiswin::ml::xgb {

// An error carrying XGBoost's own message when `rc` says the call failed.
Status check(int rc, std::string_view what);

struct BoosterDeleter {
  void operator()(void* handle) const { XGBoosterFree(handle); }
};
struct MatrixDeleter {
  void operator()(void* handle) const { XGDMatrixFree(handle); }
};
using Booster = std::unique_ptr<void, BoosterDeleter>;
using Matrix = std::unique_ptr<void, MatrixDeleter>;

// A booster over `training` matrices (none: for loading a model into).
Result<Booster> make_booster(std::span<const DMatrixHandle> training);
Status set_param(BoosterHandle booster, const std::string& name, const std::string& value);
Status set_attr(BoosterHandle booster, const std::string& name, const std::string& value);
// The attribute's value; empty when the model has none.
Result<std::string> attr(BoosterHandle booster, const std::string& name);
Result<std::vector<std::string>> feature_names(BoosterHandle booster);
Status set_feature_names(BoosterHandle booster, const std::vector<std::string>& names);

// A dense matrix of `rows.size() / columns` rows, row-major; NaN is missing.
Result<Matrix> matrix(std::span<const float> rows, std::size_t columns);
Status set_labels(DMatrixHandle matrix, std::span<const float> labels);

// Values of `rows` (row-major, `columns` each) by in-place prediction: the probability for
// binary:logistic. One value per row, copied into `out`.
Status predict_dense(BoosterHandle booster, std::span<const float> rows, std::size_t columns, std::span<double> out);

}  // namespace winiswin::ml::xgb
