// A bagged ensemble of XGBoost win classifiers whose disagreement is the uncertainty.
//
// K members (default 5), each trained by the ordinary trainer (trainer.h: same parameters,
// same purged split) on its own resample of the labelled rows — a bootstrap (n rows drawn
// with replacement) or a subsample (a share drawn without replacement) — and with its own
// XGBoost seed (TrainConfig::seed + member index). The resampled rows keep decision-time
// order (the drawn indexes are sorted), as the trainer's purged split needs.
//
// A row's prediction is the members' mean probability and their spread, the population
// standard deviation across members:
//   mean   = (1/K) Σ p_k
//   spread = sqrt((1/K) Σ (p_k − mean)²)          (probability units, 0 when all agree)
// Each member predicts through XgboostModel (the flat forest, libxgboost only for a forest
// the flat one refuses), so the ensemble costs K forests per batch.
//
// Deterministic for a seed: the resamples come from std::mt19937_64 seeded with
// (TrainConfig::seed, member index), and each member's training is deterministic (trainer.h).
// Not thread-safe (it and its members reuse buffers between calls), like XgboostModel.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/error.h"
#include "ml/blend.h"
#include "ml/dataset.h"
#include "ml/model.h"
#include "ml/trainer.h"

namespace winiswin::ml {

class XgboostModel;

enum class Resampling { kBootstrap, kSubsample };

struct EnsembleConfig {
  int members = 5;
  Resampling resampling = Resampling::kBootstrap;
  double subsample = 0.632;  // kSubsample: the share of the labelled rows each member draws (a bootstrap's distinct share)
};

class Ensemble {
 public:
  // Trains the members into folder/member_<k>.json (the folder is created). Censored rows are
  // left out before resampling (they are not labels); an error when a member's resample
  // cannot train (e.g. no wins), naming the member.
  static Result<Ensemble> train(std::span<const LabelledRow> rows, const TrainConfig& train, const EnsembleConfig& config,
                                const std::filesystem::path& folder);
  // An ensemble of model files written by the trainer (at least one; the same file may repeat).
  static Result<Ensemble> load(std::span<const std::filesystem::path> member_files);

  Ensemble(Ensemble&&) noexcept;
  Ensemble& operator=(Ensemble&&) noexcept;
  ~Ensemble();

  // `rows`: the 28 features, row-major, as float; `mean` and `spread` one per row.
  [[nodiscard]] Status predict(std::span<const float> rows, std::span<double> mean, std::span<double> spread) const;
  // One member's own probabilities (as predict's members give them), for checks.
  [[nodiscard]] Status predict_member(std::size_t member, std::span<const float> rows, std::span<double> probabilities) const;
  [[nodiscard]] std::size_t member_count() const { return members_.size(); }
  [[nodiscard]] const std::vector<std::filesystem::path>& member_files() const { return files_; }

 private:
  Ensemble(std::vector<std::unique_ptr<XgboostModel>> members, std::vector<std::filesystem::path> files);

  std::vector<std::unique_ptr<XgboostModel>> members_;
  std::vector<std::filesystem::path> files_;
  mutable std::vector<std::vector<double>> each_;  // each member's probabilities, reused call to call
};

// The size factor from the spread ("high uncertainty lowers size"), fitted on the spreads of
// the rows the ensemble was trained on:
//   spread ≤ median                → 1
//   median < spread < 90th pct     → linear from 1 down to `floor`
//   spread ≥ 90th pct              → floor
// Why this shape: the typical signal (half of them) keeps the size the risk rules give, and only
// the ensemble's least sure tenth is cut to the floor; the floor (0.5 by default) is above 0
// because the spread is not known to predict losses here — a zero would be a veto, which is a
// separate, measured rule (min_probability). Percentiles by nearest rank on the sorted spreads.
struct SpreadSizing {
  double median = 0.0;
  double top_decile = 0.0;  // the 90th percentile
  double floor = 0.5;

  // Errors: no spreads, a NaN or negative spread, a floor outside (0, 1].
  static Result<SpreadSizing> fit(std::span<const double> training_spreads, double floor = 0.5);
  // In [floor, 1].
  [[nodiscard]] double factor(double spread) const;
};

// The ensemble behind the model seam: p(win) = the members' mean, blended with confidence into
// the score (blend.h) as XgboostModel's; with a SpreadSizing, each signal's size scale is its
// factor of the spread (model.h: size_scales), else it sizes as the risk rules say. size_scales
// predicts the batch again (the cycle asks for scores and scales in two calls): K more forests
// per cycle, only for a model that scales. Not thread-safe (Ensemble is not).
class EnsembleModel final : public WinProbabilityModel {
 public:
  EnsembleModel(Ensemble ensemble, std::optional<SpreadSizing> sizing, double model_weight = kDefaultModelWeight);

  [[nodiscard]] std::string_view name() const override { return "bagged ensemble"; }
  [[nodiscard]] Status evaluate(std::span<const strategy::Signal> batch, std::span<double> scores,
                                std::span<double> probabilities) const override;
  [[nodiscard]] bool scales_size() const override { return sizing_.has_value(); }
  [[nodiscard]] Status size_scales(std::span<const strategy::Signal> batch, std::span<double> scales) const override;

 private:
  // The batch's features, its means and spreads, into the scratch buffers.
  Status predict_batch(std::span<const strategy::Signal> batch) const;

  Ensemble ensemble_;
  std::optional<SpreadSizing> sizing_;
  double model_weight_;
  mutable std::vector<float> rows_;
  mutable std::vector<double> mean_, spread_;
};

}  // namespace winiswin::ml
