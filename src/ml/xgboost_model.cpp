#include "ml/xgboost_model.h"

#include <charconv>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "ml/feature_schema.h"
#include "ml/flat_forest.h"
#include "ml/trainer.h"
#include "ml/xgboost_api.h"

namespace winiswin::ml {

struct XgboostModel::Booster {
  xgb::Booster handle;
  // The same model in flat arrays: what predicts (equal to libxgboost bit for bit, ~10× faster);
  // empty for a model it cannot evaluate (flat_forest.h), which libxgboost then predicts.
  std::optional<FlatForest> forest;
};

namespace {

Result<FeatureSchema> schema_of(BoosterHandle booster, const std::string& where) {
  FeatureSchema schema;
  WINISWIN_TRY(const std::string version, xgb::attr(booster, kFeatureVersionAttribute));
  if (version.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: the model carries no feature schema (attribute {}): train it with winiswin ml train",
                                  where, kFeatureVersionAttribute));
  }
  const auto parsed = std::from_chars(version.data(), version.data() + version.size(), schema.version);
  if (parsed.ec != std::errc{} || parsed.ptr != version.data() + version.size()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {} is '{}', not a number", where, kFeatureVersionAttribute, version));
  }
  WINISWIN_TRY(schema.names, xgb::feature_names(booster));
  return schema;
}

// An R-regression model (ml train --target r) predicts R, not a probability: blended with
// confidence as one it would rank and size on nonsense, so it is refused by name.
Status check_win_target(BoosterHandle booster, const std::string& where) {
  WINISWIN_TRY(const std::string target, xgb::attr(booster, kTargetAttribute));
  if (target.starts_with("r:")) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: an R-regression model ranks by expected R; --model takes win-probability models (ml train --target win)", where));
  }
  return Ok{};
}

}  // namespace

XgboostModel::XgboostModel(std::unique_ptr<Booster> booster, std::string name, double model_weight)
    : booster_(std::move(booster)), name_(std::move(name)), model_weight_(model_weight) {}

XgboostModel::~XgboostModel() = default;

Result<std::unique_ptr<XgboostModel>> XgboostModel::load(const std::filesystem::path& file, double model_weight, Predictor predictor) {
  const std::string where = fmt::format("model {}", file.string());
  if (!(model_weight >= 0.0 && model_weight <= 1.0)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: model weight {} is outside [0, 1]", where, model_weight));
  }
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    return make_error(ErrorCode::kNotFound, fmt::format("{}: no such file", where));
  }
  WINISWIN_TRY(xgb::Booster booster, xgb::make_booster({}));
  if (auto status = xgb::check(XGBoosterLoadModel(booster.get(), file.c_str()), "not an XGBoost model"); !status) {
    return status.error().with_context(where);
  }
  WINISWIN_TRY(const FeatureSchema schema, schema_of(booster.get(), where));
  if (auto status = check_schema(schema, where); !status) return status.error();
  if (auto status = check_win_target(booster.get(), where); !status) return status.error();
  // Prediction on the decision loop's thread only: a second thread was slower here (TOOLCHAIN.md).
  if (auto status = xgb::set_param(booster.get(), "nthread", "1"); !status) return status.error().with_context(where);
  auto owned = std::make_unique<Booster>(Booster{std::move(booster), std::nullopt});
  if (predictor == Predictor::kFlatForest) {
    if (auto forest = FlatForest::load(file); forest && forest->feature_count() <= strategy::kFeatureCount) {
      owned->forest = std::move(forest).value();
    }
  }
  return std::unique_ptr<XgboostModel>(new XgboostModel(std::move(owned), "xgboost " + file.filename().string(), model_weight));
}

Status XgboostModel::predict(std::span<const float> rows, std::span<double> probabilities) const {
  if (rows.size() != probabilities.size() * strategy::kFeatureCount) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {} feature values for {} rows of {}", name_, rows.size(),
                                                               probabilities.size(), strategy::kFeatureCount));
  }
  if (booster_->forest) return booster_->forest->predict(rows, strategy::kFeatureCount, probabilities);
  return xgb::predict_dense(booster_->handle.get(), rows, strategy::kFeatureCount, probabilities);
}

bool XgboostModel::predicts_through_flat_forest() const { return booster_->forest.has_value(); }

Status XgboostModel::evaluate(std::span<const strategy::Signal> batch, std::span<double> scores, std::span<double> probabilities) const {
  if (scores.size() != batch.size() || probabilities.size() != batch.size()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {} scores and {} probabilities for {} signals", name_, scores.size(),
                                                               probabilities.size(), batch.size()));
  }
  rows_.resize(batch.size() * strategy::kFeatureCount);
  for (std::size_t row = 0; row < batch.size(); ++row) {
    for (std::size_t column = 0; column < strategy::kFeatureCount; ++column) {
      rows_[row * strategy::kFeatureCount + column] = static_cast<float>(batch[row].features[column]);
    }
  }
  if (auto status = predict(rows_, probabilities); !status) return status;
  for (std::size_t idx = 0; idx < batch.size(); ++idx) {
    scores[idx] = blended_score(probabilities[idx], batch[idx].confidence, model_weight_);
  }
  return Ok{};
}


}  // namespace winiswin::ml
