#include "ml/r_model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "ml/feature_schema.h"
#include "ml/trainer.h"
#include "ml/xgboost_api.h"
#include "ml/xgboost_model.h"
#include "strategy/signal.h"

namespace winiswin::ml {

struct RModel::Booster {
  xgb::Booster handle;
};

RModel::RModel(std::unique_ptr<Booster> booster) : booster_(std::move(booster)) {}
RModel::RModel(RModel&&) noexcept = default;
RModel& RModel::operator=(RModel&&) noexcept = default;
RModel::~RModel() = default;

Result<RModel> RModel::load(const std::filesystem::path& file) {
  const std::string where = fmt::format("R model {}", file.string());
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) return make_error(ErrorCode::kNotFound, fmt::format("{}: no such file", where));
  WINISWIN_TRY(xgb::Booster booster, xgb::make_booster({}));
  if (auto status = xgb::check(XGBoosterLoadModel(booster.get(), file.c_str()), "not an XGBoost model"); !status) {
    return status.error().with_context(where);
  }
  WINISWIN_TRY(const std::string target, xgb::attr(booster.get(), kTargetAttribute));
  if (!target.starts_with("r:")) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: not an R model ({} is '{}'): train it with ml train --target r", where,
                                                               kTargetAttribute, target));
  }
  FeatureSchema schema;
  WINISWIN_TRY(const std::string version, xgb::attr(booster.get(), kFeatureVersionAttribute));
  schema.version = version.empty() ? 0 : std::atoi(version.c_str());
  WINISWIN_TRY(schema.names, xgb::feature_names(booster.get()));
  if (auto status = check_schema(schema, where); !status) return status.error();
  if (auto status = xgb::set_param(booster.get(), "nthread", "1"); !status) return status.error().with_context(where);
  return RModel(std::make_unique<Booster>(Booster{std::move(booster)}));
}

Status RModel::predict(std::span<const float> rows, std::span<double> r) const {
  if (rows.size() != r.size() * strategy::kFeatureCount) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("R model: {} feature values for {} rows of {}", rows.size(), r.size(), strategy::kFeatureCount));
  }
  return xgb::predict_dense(booster_->handle.get(), rows, strategy::kFeatureCount, r);
}

Result<RankScore> RankScore::fit(std::span<const double> reference) {
  if (reference.empty()) return make_error(ErrorCode::kInvalidArgument, "a rank score needs reference predictions: none given");
  std::vector<double> sorted(reference.begin(), reference.end());
  if (std::any_of(sorted.begin(), sorted.end(), [](double value) { return std::isnan(value); })) {
    return make_error(ErrorCode::kInvalidArgument, "a rank score's reference predictions hold a NaN");
  }
  std::sort(sorted.begin(), sorted.end());
  return RankScore(std::move(sorted));
}

double RankScore::score(double r) const {
  const auto below = std::lower_bound(sorted_.begin(), sorted_.end(), r);
  const auto above = std::upper_bound(below, sorted_.end(), r);
  const auto less = static_cast<double>(below - sorted_.begin());
  const auto equal = static_cast<double>(above - below);
  return (less + 0.5 * equal) / static_cast<double>(sorted_.size());
}

RRankModel::RRankModel(RModel model, RankScore rank, double model_weight)
    : model_(std::move(model)), rank_(std::move(rank)), model_weight_(model_weight) {}

Status RRankModel::score(std::span<const strategy::Signal> batch, std::span<double> scores) const {
  if (scores.size() != batch.size()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {} scores for {} signals", name(), scores.size(), batch.size()));
  }
  rows_.resize(batch.size() * strategy::kFeatureCount);
  for (std::size_t row = 0; row < batch.size(); ++row) {
    for (std::size_t column = 0; column < strategy::kFeatureCount; ++column) {
      rows_[row * strategy::kFeatureCount + column] = static_cast<float>(batch[row].features[column]);
    }
  }
  r_.resize(batch.size());
  if (auto status = model_.predict(rows_, r_); !status) return status;
  for (std::size_t idx = 0; idx < batch.size(); ++idx) scores[idx] = blended_score(rank_.score(r_[idx]), batch[idx].confidence, model_weight_);
  return Ok{};
}

}  // namespace winiswin::ml
