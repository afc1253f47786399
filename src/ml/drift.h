// Drift between the data a model was trained on (the reference) and recent data, two ways:
// - univariate: the PSI of each feature (evaluation.h: bins cut at the reference's deciles);
// - multivariate ("adversarial validation"): an XGBoost classifier is trained to tell reference
//   rows (0) from recent rows (1); its cross-validated AUC, pooled over the out-of-fold
//   predictions, is ≈ 0.5 when the two cannot be told apart, and the features its trees split
//   on most (mean gain over the folds) are those that separate them.
//
// Thresholds (common practice, not laws): a feature's PSI above 0.25 is a "major" shift (0.1 to
// 0.25 "some"); a classifier AUC above 0.6 says the recent rows are "drifted". Either makes the
// report `drifted`. Deterministic for a seed (one thread, folds drawn from the seed).
//
// A row in both sets (the same symbol, decision, virtual flag and features) is counted as recent
// only: the classifier would learn it as both, and each held-out copy would be predicted as the
// other side — an AUC far below 0.5 — when the recent files overlap the reference.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "ml/dataset.h"

namespace winiswin::ml {

struct DriftConfig {
  double major_psi = 0.25;    // a feature's PSI above this: a major shift
  double drifted_auc = 0.6;   // the classifier's cross-validated AUC above this: drifted
  int folds = 5;              // cross-validation folds of the classifier
  int rounds = 50;            // the classifier's trees (shallow: it only has to find a shift)
  int max_depth = 3;
  double eta = 0.1;
  std::uint64_t seed = 42;
  // Features left out of both measures (no PSI, missing to the classifier): for a feature
  // known to tell periods apart whatever the trades look like (as v1's price level did).
  std::vector<std::string> ignored;
};

struct FeatureDrift {
  std::string name;
  std::optional<double> psi;  // none: a side had no rows, or the feature is ignored
  double gain = 0.0;          // mean gain of the classifier's splits on it (0: never split on)
  bool major = false;         // psi > major_psi
};

struct DriftReport {
  std::size_t reference_rows = 0;
  std::size_t recent_rows = 0;
  std::size_t shared_rows = 0;  // reference rows also in the recent ones, left out of the reference
  std::vector<FeatureDrift> features;  // in schema order
  std::optional<double> classifier_auc;
  std::size_t major_features = 0;
  bool classifier_drifted = false;  // classifier_auc > drifted_auc
  bool drifted = false;             // a major feature, or the classifier
};

// Errors: too few rows on a side for the folds (each side needs at least `folds` rows), bad
// config (an ignored name that is not a feature).
Result<DriftReport> detect_drift(std::span<const LabelledRow> reference, std::span<const LabelledRow> recent, const DriftConfig& config);

// Feature indexes ordered by PSI, largest first (none last; ties: larger gain, then schema order).
std::vector<std::size_t> by_psi(const DriftReport& report);
// Feature indexes ordered by the classifier's gain, largest first (ties: schema order).
std::vector<std::size_t> by_gain(const DriftReport& report);

}  // namespace winiswin::ml
