// An XGBoost binary classifier behind the model seam: a model file (XGBoost's JSON, as
// `winiswin ml train` writes it and any XGBoost reads it) that carries the feature schema it
// was trained on — the feature names (XGBoost's own `feature_names`) and the feature version
// (the attribute `winiswin_feature_version`). A file whose schema differs from this build's
// is refused at load, with what differs.
//
// Each cycle: one batch prediction over every proposed signal (the model's trees in flat
// arrays, flat_forest.h, equal to libxgboost's predictions bit for bit; libxgboost's in-place
// predict, one thread, for a model the flat forest cannot evaluate), the probability that each wins, blended with its confidence into
// the score the cycle ranks by (blend.h). Not thread-safe: one decision loop scores with it
// (it reuses a row buffer between cycles). libxgboost stays out of this header.
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "ml/blend.h"
#include "ml/model.h"

namespace winiswin::ml {

inline constexpr const char* kFeatureVersionAttribute = "winiswin_feature_version";

// What predicts: the flat forest (the default; libxgboost for a model it refuses), or
// libxgboost always (to compare the two, bench/ml_bench.cpp).
enum class Predictor { kFlatForest, kLibxgboost };

class XgboostModel final : public WinProbabilityModel {
 public:
  // model_weight ∈ [0, 1]: the model's share of the score (blend.h).
  static Result<std::unique_ptr<XgboostModel>> load(const std::filesystem::path& file, double model_weight = kDefaultModelWeight,
                                                    Predictor predictor = Predictor::kFlatForest);
  ~XgboostModel() override;
  XgboostModel(const XgboostModel&) = delete;
  XgboostModel& operator=(const XgboostModel&) = delete;

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] Status evaluate(std::span<const strategy::Signal> batch, std::span<double> scores,
                                std::span<double> probabilities) const override;
  // Win probabilities of rows of the 28 features (row-major, as float, XGBoost's own type):
  // one per row.
  [[nodiscard]] Status predict(std::span<const float> rows, std::span<double> probabilities) const;
  [[nodiscard]] double model_weight() const { return model_weight_; }
  // False when libxgboost predicts (a model the flat forest refuses: flat_forest.h).
  [[nodiscard]] bool predicts_through_flat_forest() const;

 private:
  struct Booster;
  XgboostModel(std::unique_ptr<Booster> booster, std::string name, double model_weight);

  std::unique_ptr<Booster> booster_;
  std::string name_;
  double model_weight_;
  mutable std::vector<float> rows_;  // the batch's features, reused cycle to cycle
};

}  // namespace winiswin::ml
