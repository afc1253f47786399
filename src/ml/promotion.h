// Promoting a retrained model: the candidate replaces the current model only when it beats it
// on the latest out-of-sample window — rows decided after both models' data (the range a model
// records when `ml train` writes it, trainer.h) — by a stated criterion:
//
//   promote ⇔ AUC(candidate) ≥ AUC(current) + min_auc_gain
//             and log loss(candidate) ≤ log loss(current) + max_log_loss_increase
//             and the one-sided 95 % lower bound of AUC(candidate) − AUC(current) > 0
//
// on the window's labelled rows (censored rows left out), both with at least `min_rows` rows and
// both classes. AUC because the model ranks the signals; log loss so that a better ranking bought
// with wild probabilities does not pass. The bound is a paired bootstrap resampling decision days
// (paired_bootstrap.h): on a few hundred rows an AUC gain of 0.01–0.05 is within noise, and the
// margin alone let noise swap models back and forth. The log loss difference's upper bound is
// reported, not judged. The top-k win rate per decision is reported, not judged (too few picks
// per week to tell models apart).
//
// Installing is atomic for a reader of the current path (the live process reads it at start):
// the candidate is copied beside it and renamed over it; the old file is kept as PATH.previous.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "core/error.h"
#include "core/time.h"
#include "ml/dataset.h"
#include "ml/evaluation.h"
#include "ml/paired_bootstrap.h"

namespace winiswin::ml {

// The data a model was made from, as `ml train` records it (attributes of the model file).
struct DataRange {
  Timestamp first_decision;  // the earliest row's decision
  Timestamp labels_known;    // the latest time any of its labels became known (walk_forward.h: label_end)
};
inline constexpr const char* kDataFromAttribute = "winiswin_data_from_ms";
inline constexpr const char* kDataUntilAttribute = "winiswin_data_until_ms";

// None when the model records no range (trained before ranges were recorded, or elsewhere).
Result<std::optional<DataRange>> recorded_range(const std::filesystem::path& model_file);

struct WindowMetrics {
  std::size_t rows = 0;  // labelled (not censored) rows scored
  std::optional<double> auc;
  std::optional<double> log_loss;
  TopK top;
};

struct PromotionCriterion {
  double min_auc_gain = 0.01;
  double max_log_loss_increase = 0.0;
  std::size_t min_rows = 100;
  std::size_t top_k = 10;
  BootstrapConfig bootstrap;  // 1,000 resamples of decision days, fixed seed, 95 % one-sided
};

// Both models measured on the same labelled rows, and the bootstrap of their differences.
struct Comparison {
  WindowMetrics current;
  WindowMetrics candidate;
  BootstrapBounds gain;
};
// From both models' probabilities on the window's labelled rows (pure).
Comparison compare_predictions(const PairedPredictions& rows, const PromotionCriterion& criterion);
// Both model files scored on the window's labelled rows (censored rows left out), then compared.
Result<Comparison> compare_on_window(const std::filesystem::path& current, const std::filesystem::path& candidate,
                                     std::span<const LabelledRow> window, const PromotionCriterion& criterion);

struct PromotionDecision {
  bool promote = false;
  std::string reason;  // why, in one line with the figures
};
PromotionDecision decide_promotion(const Comparison& comparison, const PromotionCriterion& criterion);

// An error when a row of `window` was decided before `range.labels_known` (its outcome
// overlaps the model's data) — naming the model, the first such row and what to do.
Status check_out_of_sample(std::span<const LabelledRow> window, const DataRange& range, const std::string& model_name);

// `candidate` becomes `current` atomically (copy beside it, then rename over it); the old
// current is kept as `current` + ".previous". The candidate file is left where it was.
Status install_model(const std::filesystem::path& candidate, const std::filesystem::path& current);

}  // namespace winiswin::ml
