#include "ml/xgboost_api.h"

#include <cstdint>
#include <limits>

#include <fmt/format.h>

namespace winiswin::ml::xgb {

Status check(int rc, std::string_view what) {
  if (rc == 0) return Ok{};
  return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {}", what, XGBGetLastError()));
}

Result<Booster> make_booster(std::span<const DMatrixHandle> training) {
  BoosterHandle handle = nullptr;
  // XGBoost takes a non-const array of handles it only reads.
  std::vector<DMatrixHandle> matrices(training.begin(), training.end());
  if (auto status = check(XGBoosterCreate(matrices.data(), matrices.size(), &handle), "XGBoosterCreate"); !status) return status.error();
  return Booster(handle);
}

Status set_param(BoosterHandle booster, const std::string& name, const std::string& value) {
  return check(XGBoosterSetParam(booster, name.c_str(), value.c_str()), fmt::format("xgboost parameter {}={}", name, value));
}

Status set_attr(BoosterHandle booster, const std::string& name, const std::string& value) {
  return check(XGBoosterSetAttr(booster, name.c_str(), value.c_str()), fmt::format("xgboost attribute {}", name));
}

Result<std::string> attr(BoosterHandle booster, const std::string& name) {
  const char* value = nullptr;
  int found = 0;
  if (auto status = check(XGBoosterGetAttr(booster, name.c_str(), &value, &found), fmt::format("xgboost attribute {}", name)); !status) {
    return status.error();
  }
  return found && value ? std::string(value) : std::string();
}

Result<std::vector<std::string>> feature_names(BoosterHandle booster) {
  bst_ulong count = 0;
  const char** names = nullptr;
  if (auto status = check(XGBoosterGetStrFeatureInfo(booster, "feature_name", &count, &names), "xgboost feature names"); !status) {
    return status.error();
  }
  return std::vector<std::string>(names, names + count);
}

Status set_feature_names(BoosterHandle booster, const std::vector<std::string>& names) {
  std::vector<const char*> pointers;
  for (const std::string& name : names) pointers.push_back(name.c_str());
  return check(XGBoosterSetStrFeatureInfo(booster, "feature_name", pointers.data(), pointers.size()), "xgboost feature names");
}

Result<Matrix> matrix(std::span<const float> rows, std::size_t columns) {
  DMatrixHandle handle = nullptr;
  const std::size_t count = columns == 0 ? 0 : rows.size() / columns;
  if (auto status = check(XGDMatrixCreateFromMat(rows.data(), count, columns, std::numeric_limits<float>::quiet_NaN(), &handle),
                          "XGDMatrixCreateFromMat");
      !status) {
    return status.error();
  }
  return Matrix(handle);
}

Status set_labels(DMatrixHandle matrix, std::span<const float> labels) {
  return check(XGDMatrixSetFloatInfo(matrix, "label", labels.data(), labels.size()), "xgboost labels");
}

Status predict_dense(BoosterHandle booster, std::span<const float> rows, std::size_t columns, std::span<double> out) {
  const std::size_t count = columns == 0 ? 0 : rows.size() / columns;
  if (out.size() != count) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("xgboost predict: {} outputs for {} rows", out.size(), count));
  }
  if (count == 0) return Ok{};
  // numpy's __array_interface__ (version 3) over our buffer: no copy on our side.
  const std::string array = fmt::format(R"({{"data":[{},true],"shape":[{},{}],"typestr":"<f4","version":3}})",
                                        reinterpret_cast<std::uintptr_t>(rows.data()), count, columns);
  // type 0: the transformed value (a probability for binary:logistic); every tree; cache_id
  // is required by 1.7.4.
  constexpr const char* kConfig =
      R"({"type":0,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false,"cache_id":0,"missing":NaN})";
  const bst_ulong* shape = nullptr;
  bst_ulong dimensions = 0;
  const float* result = nullptr;
  if (auto status = check(XGBoosterPredictFromDense(booster, array.c_str(), kConfig, nullptr, &shape, &dimensions, &result),
                          "XGBoosterPredictFromDense");
      !status) {
    return status;
  }
  bst_ulong values = 1;
  for (bst_ulong dim = 0; dim < dimensions; ++dim) values *= shape[dim];
  if (values != count) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("xgboost predict: {} values for {} rows (a model of one output, binary:logistic, is needed)", values, count));
  }
  // The library's buffer is thread-local and reused by the next call: copied now.
  for (std::size_t idx = 0; idx < count; ++idx) out[idx] = static_cast<double>(result[idx]);
  return Ok{};
}

}  // namespace winiswin::ml::xgb
