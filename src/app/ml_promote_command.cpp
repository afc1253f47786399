// winiswin ml promote: the candidate replaces the current model only if it beats it on the
// latest out-of-sample window (ml/promotion.h); every decision is journalled.
#include <algorithm>
#include <chrono>
#include <memory>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/ml_retraining.h"
#include "journal/sqlite_journal.h"

namespace winiswin {
namespace {

// Each model's recorded data must end before the window starts.
Status check_window(const PromotionRun& run, std::span<const ml::LabelledRow> window) {
  for (const std::filesystem::path& model : {run.current, run.candidate}) {
    WINISWIN_TRY(const std::optional<ml::DataRange> range, ml::recorded_range(model));
    if (!range) {
      fmt::print("note: model {} records no range of its data (trained before winiswin recorded it): the window is taken as out of "
                 "sample on your word\n",
                 model.string());
      continue;
    }
    if (auto status = ml::check_out_of_sample(window, *range, "model " + model.string()); !status) return status;
  }
  return Ok{};
}

std::string measured(const char* name, const ml::WindowMetrics& metrics, std::size_t top_k) {
  const auto shown = [](const std::optional<double>& value) { return value ? fmt::format("{:.4f}", *value) : std::string("n/a"); };
  return fmt::format("{:<10} AUC {}  log loss {}  top-{} win rate {} ({} picks)", name, shown(metrics.auc), shown(metrics.log_loss), top_k,
                     shown(metrics.top.win_rate), metrics.top.picked);
}

std::string bootstrap_line(const ml::BootstrapBounds& gain, const ml::BootstrapConfig& config) {
  const auto shown = [](const std::optional<double>& value) { return value ? fmt::format("{:+.4f}", *value) : std::string("n/a"); };
  return fmt::format("bootstrap  {} resamples of {} decision days (seed {}): AUC gain ≥ {}, log loss increase ≤ {} (one-sided {:g} %)",
                     gain.resamples, gain.days, config.seed, shown(gain.auc_gain_lower), shown(gain.log_loss_increase_upper),
                     100.0 * config.confidence);
}

journal::ModelPromotionRecord record_of(const PromotionRun& run, std::span<const ml::LabelledRow> window, const ml::Comparison& comparison,
                                        const ml::PromotionDecision& decision) {
  const ml::WindowMetrics& current = comparison.current;
  const ml::WindowMetrics& candidate = comparison.candidate;
  journal::ModelPromotionRecord row;
  row.time = std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now());
  row.current = std::filesystem::absolute(run.current).string();
  row.candidate = std::filesystem::absolute(run.candidate).string();
  row.window_from = window.front().decided;
  row.window_to = window.back().decided;
  row.window_rows = static_cast<std::int64_t>(candidate.rows);
  row.current_auc = current.auc;
  row.candidate_auc = candidate.auc;
  row.current_log_loss = current.log_loss;
  row.candidate_log_loss = candidate.log_loss;
  row.current_top_k = current.top.win_rate;
  row.candidate_top_k = candidate.top.win_rate;
  row.top_k = static_cast<int>(run.criterion.top_k);
  row.auc_gain_lower = comparison.gain.auc_gain_lower;
  row.log_loss_increase_upper = comparison.gain.log_loss_increase_upper;
  row.resamples = static_cast<std::int64_t>(comparison.gain.resamples);
  row.resampled_days = static_cast<std::int64_t>(comparison.gain.days);
  row.promoted = decision.promote;
  row.reason = decision.reason;
  return row;
}

}  // namespace

Result<bool> promote_on_window(const PromotionRun& run, std::span<const ml::LabelledRow> window) {
  if (window.empty()) return make_error(ErrorCode::kInvalidArgument, "promote: the window has no rows");
  if (auto status = check_window(run, window); !status) return status.error();
  // Opened before anything is installed: a journal that cannot record the decision stops it.
  std::unique_ptr<journal::SqliteJournal> journal;
  if (!run.journal.empty()) {
    WINISWIN_TRY(journal, journal::SqliteJournal::open(run.journal));
  }
  WINISWIN_TRY(const ml::Comparison comparison, ml::compare_on_window(run.current, run.candidate, window, run.criterion));
  const ml::PromotionDecision decision = ml::decide_promotion(comparison, run.criterion);
  fmt::print("window: {} → {}, {} labelled rows\n{}\n{}\n{}\n", format_utc(window.front().decided), format_utc(window.back().decided),
             comparison.candidate.rows, measured("current", comparison.current, run.criterion.top_k),
             measured("candidate", comparison.candidate, run.criterion.top_k), bootstrap_line(comparison.gain, run.criterion.bootstrap));
  fmt::print("{}\n", decision.reason);
  // The journal records the decision before the model is replaced (ARCHITECTURE: intent before
  // action); an install that then fails is recorded too, as not promoted.
  journal::ModelPromotionRecord record = record_of(run, window, comparison, decision);
  if (journal) {
    if (auto status = journal->model_promotion(record); !status) return status.error();
    fmt::print("journalled in {} (model_promotions)\n", run.journal.string());
  }
  if (!decision.promote) return false;
  if (auto installed = ml::install_model(run.candidate, run.current); !installed) {
    record.promoted = false;
    record.reason = "install failed: " + installed.error().message;
    if (journal) (void)journal->model_promotion(record);  // the install's error is the one reported
    return installed.error();
  }
  fmt::print("installed: {} (the old model kept as {}.previous)\n", run.current.string(), run.current.string());
  return true;
}

Status run_ml_promote(const MlPromoteOptions& options, const AppConfig& config) {
  ml::DatasetOptions dataset_options;
  dataset_options.taker_fee = options.taker_fee.value_or(config.sim.taker_fee.to_double());
  WINISWIN_TRY(const std::vector<ml::LabelledRow> window, ml::read_datasets(options.window, dataset_options));
  const PromotionRun run{options.current, options.candidate, options.journal, options.criterion};
  WINISWIN_TRY(const bool promoted, promote_on_window(run, window));
  (void)promoted;  // either way a decision, not an error: the exit code is 0
  return Ok{};
}

}  // namespace winiswin
