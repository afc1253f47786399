// What ml drift, ml promote and ml retrain share (src/app only): the drift's table and files,
// and one promotion decision — measured, checked out of sample, installed, journalled.
#pragma once

#include <filesystem>
#include <span>

#include "core/error.h"
#include "ml/dataset.h"
#include "ml/drift.h"
#include "ml/promotion.h"

namespace winiswin {

void print_drift(const ml::DriftReport& report, const ml::DriftConfig& config);
// drift.csv (schema order) and drift.json in `out` (created).
Status write_drift_files(const ml::DriftReport& report, const ml::DriftConfig& config, const std::filesystem::path& out);

struct PromotionRun {
  std::filesystem::path current;
  std::filesystem::path candidate;
  std::filesystem::path journal;  // empty: the decision is printed only
  ml::PromotionCriterion criterion;
};
// Refuses a window that is not after both models' recorded data (a model that records none
// is taken on the caller's word, said on stdout); else measures both, decides, journals the
// decision either way (before installing: intent before action), and installs the candidate
// when it wins. True when promoted.
Result<bool> promote_on_window(const PromotionRun& run, std::span<const ml::LabelledRow> window);

}  // namespace winiswin
