// An R-regression model (ml train --target r: expected R net of fees, reg:squarederror) for
// ranking studies, and the map that turns its predicted R into a score in [0, 1].
//
// XgboostModel refuses these files (an R is not a win probability, and the blend and sizing
// take one); here they predict through libxgboost's in-place predict (the flat forest takes
// binary:logistic only). Not thread-safe, like XgboostModel.
//
// RankScore: a predicted R's score is its mid-rank among reference predictions (the training
// rows'), the empirical distribution function with ties counted half:
//   score(r) = (#{ref < r} + ½ · #{ref = r}) / n            ∈ [0, 1]
// — monotone in r, so it ranks as the R does, and it says "better than this share of the
// training rows", a scale the walk-forward's ranking and AUC can read. It is not a probability
// (the walk-forward then skips log loss and calibration).
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "core/error.h"
#include "ml/blend.h"
#include "ml/model.h"

namespace winiswin::ml {

class RModel {
 public:
  // Refuses a file that is not an R model of this build's feature schema.
  static Result<RModel> load(const std::filesystem::path& file);
  RModel(RModel&&) noexcept;
  RModel& operator=(RModel&&) noexcept;
  ~RModel();

  // `rows`: the 28 features, row-major, as float; one predicted R per row.
  [[nodiscard]] Status predict(std::span<const float> rows, std::span<double> r) const;

 private:
  struct Booster;
  explicit RModel(std::unique_ptr<Booster> booster);
  std::unique_ptr<Booster> booster_;
};

class RankScore {
 public:
  // Errors: no reference values, or a NaN among them.
  static Result<RankScore> fit(std::span<const double> reference);
  [[nodiscard]] double score(double r) const;

 private:
  explicit RankScore(std::vector<double> sorted) : sorted_(std::move(sorted)) {}
  std::vector<double> sorted_;
};

// The R model behind the model seam, for ranking: each signal's predicted R becomes its
// RankScore, which stands in for p in the blend with confidence (blend.h). It gives no win
// probability (evaluate's are NaN), so the veto, sizing by score and the model exit do not act.
class RRankModel final : public Model {
 public:
  RRankModel(RModel model, RankScore rank, double model_weight = kDefaultModelWeight);
  [[nodiscard]] std::string_view name() const override { return "R regression rank"; }
  [[nodiscard]] Status score(std::span<const strategy::Signal> batch, std::span<double> scores) const override;

 private:
  RModel model_;
  RankScore rank_;
  double model_weight_;
  mutable std::vector<float> rows_;
  mutable std::vector<double> r_;
};

}  // namespace winiswin::ml
