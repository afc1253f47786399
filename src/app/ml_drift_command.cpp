// winiswin ml drift: how far recent labelled rows have moved from a model's training rows
// (ml/drift.h) — a table on stdout, drift.csv and drift.json with --out.
#include <fmt/format.h>

#include "app/commands.h"
#include "app/ml_retraining.h"
#include "data/file_bytes.h"
#include "ml/dataset.h"

namespace winiswin {
namespace {

constexpr std::size_t kSeparatingShown = 5;
constexpr double kSomeShiftPsi = 0.1;  // the convention's lower band (evaluation.h)

std::string optional_number(const std::optional<double>& value) { return value ? fmt::format("{:.6f}", *value) : std::string(); }
std::string json_number(const std::optional<double>& value) { return value ? fmt::format("{:.6f}", *value) : std::string("null"); }

std::string shift_of(const ml::FeatureDrift& feature, double major_psi) {
  if (!feature.psi) return "n/a";
  if (*feature.psi > major_psi) return "MAJOR";
  return *feature.psi > kSomeShiftPsi ? "some" : "stable";
}

std::string drift_csv(const ml::DriftReport& report) {
  std::string text = "feature,psi,major,classifier_gain\n";
  for (const ml::FeatureDrift& feature : report.features) {
    text += fmt::format("{},{},{},{:.6f}\n", feature.name, optional_number(feature.psi), feature.major ? 1 : 0, feature.gain);
  }
  return text;
}

std::string drift_json(const ml::DriftReport& report, const ml::DriftConfig& config) {
  std::string features, separating;
  for (const ml::FeatureDrift& feature : report.features) {
    features += fmt::format(R"({}    {{"name": "{}", "psi": {}, "major": {}, "classifier_gain": {:.6f}}})", features.empty() ? "" : ",\n",
                            feature.name, json_number(feature.psi), feature.major, feature.gain);
  }
  const std::vector<std::size_t> by_gain = ml::by_gain(report);
  for (std::size_t idx = 0; idx < by_gain.size() && idx < kSeparatingShown; ++idx) {
    if (report.features[by_gain[idx]].gain <= 0.0) break;
    separating += fmt::format(R"({}"{}")", separating.empty() ? "" : ", ", report.features[by_gain[idx]].name);
  }
  return fmt::format(R"({{
  "reference_rows": {}, "recent_rows": {}, "shared_rows": {},
  "thresholds": {{"major_psi": {}, "drifted_auc": {}, "folds": {}}},
  "classifier_auc": {}, "classifier_drifted": {}, "major_features": {}, "drifted": {},
  "separating": [{}],
  "features": [
{}
  ]
}}
)",
                     report.reference_rows, report.recent_rows, report.shared_rows, config.major_psi, config.drifted_auc, config.folds,
                     json_number(report.classifier_auc), report.classifier_drifted, report.major_features, report.drifted, separating, features);
}

}  // namespace

void print_drift(const ml::DriftReport& report, const ml::DriftConfig& config) {
  fmt::print("drift: {} reference rows, {} recent rows", report.reference_rows, report.recent_rows);
  fmt::print("{}\n", report.shared_rows == 0 ? "" : fmt::format(" ({} rows in both left out of the reference)", report.shared_rows));
  fmt::print("{:<26} {:>9} {:>7} {:>14}\n", "feature (by PSI)", "PSI", "shift", "classifier gain");
  for (const std::size_t idx : ml::by_psi(report)) {
    const ml::FeatureDrift& feature = report.features[idx];
    fmt::print("{:<26} {:>9} {:>7} {:>14.3f}\n", feature.name, feature.psi ? fmt::format("{:.4f}", *feature.psi) : "n/a",
               shift_of(feature, config.major_psi), feature.gain);
  }
  const std::vector<std::size_t> by_gain = ml::by_gain(report);
  std::string separating;
  for (std::size_t idx = 0; idx < by_gain.size() && idx < kSeparatingShown && report.features[by_gain[idx]].gain > 0.0; ++idx) {
    separating += (separating.empty() ? "" : ", ") + report.features[by_gain[idx]].name;
  }
  fmt::print("classifier (reference vs recent, {}-fold): AUC {} (≈ 0.5: cannot tell them apart; drifted above {}); separating most: {}\n",
             config.folds, report.classifier_auc ? fmt::format("{:.4f}", *report.classifier_auc) : "n/a", config.drifted_auc,
             separating.empty() ? "none" : separating);
  fmt::print("verdict: {} ({} feature(s) with PSI > {}, classifier {})\n", report.drifted ? "DRIFTED" : "no drift", report.major_features,
             config.major_psi, report.classifier_drifted ? "drifted" : "not drifted");
}

Status write_drift_files(const ml::DriftReport& report, const ml::DriftConfig& config, const std::filesystem::path& out) {
  std::error_code made;
  std::filesystem::create_directories(out, made);
  if (made) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create: {}", out.string(), made.message()));
  if (auto status = write_file_bytes(out / "drift.csv", drift_csv(report)); !status) return status;
  return write_file_bytes(out / "drift.json", drift_json(report, config));
}

Status run_ml_drift(const MlDriftOptions& options, const AppConfig& config) {
  ml::DatasetOptions dataset_options;  // the features are read as they are; the fee only labels
  dataset_options.taker_fee = config.sim.taker_fee.to_double();
  WINISWIN_TRY(const std::vector<ml::LabelledRow> reference, ml::read_datasets(options.reference, dataset_options));
  WINISWIN_TRY(const std::vector<ml::LabelledRow> recent, ml::read_datasets(options.recent, dataset_options));
  WINISWIN_TRY(const ml::DriftReport report, ml::detect_drift(reference, recent, options.drift));
  print_drift(report, options.drift);
  if (options.out.empty()) return Ok{};
  if (auto status = write_drift_files(report, options.drift, options.out); !status) return status;
  fmt::print("files: {}, {}\n", (options.out / "drift.csv").string(), (options.out / "drift.json").string());
  return Ok{};
}

}  // namespace winiswin
