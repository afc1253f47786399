// winiswin ml retrain: the scheduled chain (deploy/winiswin-retrain.timer) —
//   1. the journal's labelled rows (journal export: ml_real.csv, ml_virtual.csv);
//   2. the window: decisions of the latest `window_days`; the rows before it whose labels were
//      known before it starts (purged by the 24 h horizon) are the reference;
//   3. drift of the window against the reference (ml/drift.h); no drift and not --always: stop;
//   4. a candidate trained on the reference rows only;
//   5. promoted over the current model if it beats it on the window (ml/promotion.h), the
//      decision journalled either way.
// The live process loads its model at start: a promoted model is used from its next restart.
#include <fmt/format.h>

#include "app/commands.h"
#include "app/ml_retraining.h"
#include "ml/dataset.h"
#include "ml/trainer.h"
#include "ml/walk_forward.h"

namespace winiswin {
namespace {

constexpr Milliseconds kDay{24 * 60 * 60 * 1000};

struct Sides {
  std::vector<ml::LabelledRow> reference;  // label known before the window starts
  std::vector<ml::LabelledRow> window;     // decided in the window
  std::size_t purged = 0;
};

Sides split_at_window(const std::vector<ml::LabelledRow>& rows, Timestamp start, Milliseconds horizon) {
  Sides sides;
  for (const ml::LabelledRow& row : rows) {
    if (row.decided >= start) {
      sides.window.push_back(row);
    } else if (ml::label_end(row, horizon) < start) {
      sides.reference.push_back(row);
    } else {
      ++sides.purged;
    }
  }
  return sides;
}

Status check_options(const MlRetrainOptions& options) {
  if (options.window_days < 1) return make_error(ErrorCode::kInvalidArgument, "--window-days must be at least 1");
  if (!std::filesystem::is_regular_file(options.model)) {
    return make_error(ErrorCode::kNotFound, fmt::format("{}: no current model: train a first one with winiswin ml train", options.model.string()));
  }
  return Ok{};
}

}  // namespace

Status run_ml_retrain(const MlRetrainOptions& options, const AppConfig& config) {
  if (auto status = check_options(options); !status) return status;
  const std::filesystem::path exported = options.work / "export";
  if (auto status = run_journal_export(options.journal, exported); !status) return status;
  ml::DatasetOptions dataset_options;
  dataset_options.taker_fee = options.taker_fee.value_or(config.sim.taker_fee.to_double());
  const std::vector<std::filesystem::path> files{exported / "ml_real.csv", exported / "ml_virtual.csv"};
  WINISWIN_TRY(const std::vector<ml::LabelledRow> rows, ml::read_datasets(files, dataset_options));
  if (rows.empty()) return make_error(ErrorCode::kNotFound, fmt::format("{}: no labelled rows yet", options.journal.string()));
  const Timestamp start = rows.back().decided - kDay * options.window_days;
  const Sides sides = split_at_window(rows, start, options.train.horizon);
  fmt::print("rows: {} — reference {} (labels known before {}), window {} (the latest {} days), purged {}\n", rows.size(),
             sides.reference.size(), format_utc(start), sides.window.size(), options.window_days, sides.purged);
  WINISWIN_TRY(const ml::DriftReport drift, ml::detect_drift(sides.reference, sides.window, options.drift));
  print_drift(drift, options.drift);
  if (auto status = write_drift_files(drift, options.drift, options.work); !status) return status;
  if (!drift.drifted && !options.always) {
    fmt::print("no drift: nothing retrained, the current model stays ({})\n", options.model.string());
    return Ok{};
  }
  const std::filesystem::path candidate = options.work / "candidate.json";
  WINISWIN_TRY(const ml::TrainReport trained, ml::train(sides.reference, options.train, candidate));
  fmt::print("candidate: {} ({} training rows, {} wins; metrics {})\n", candidate.string(), trained.split.train.size(), trained.wins,
             trained.evaluation);
  const PromotionRun run{options.model, candidate, options.journal, options.criterion};
  WINISWIN_TRY(const bool promoted, promote_on_window(run, sides.window));
  if (promoted) fmt::print("the live process loads {} at its next start (restart it to use the new model)\n", options.model.string());
  return Ok{};
}

}  // namespace winiswin
