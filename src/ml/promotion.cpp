#include "ml/promotion.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <memory>

#include <fmt/format.h>

#include "ml/walk_forward.h"
#include "ml/xgboost_api.h"
#include "ml/xgboost_model.h"
#include "strategy/signal.h"

namespace winiswin::ml {
namespace {

Result<std::optional<std::int64_t>> millisecond_attribute(BoosterHandle booster, const char* name, const std::string& where) {
  WINISWIN_TRY(const std::string text, xgb::attr(booster, name));
  if (text.empty()) return std::optional<std::int64_t>{};
  std::int64_t value = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  if (parsed.ec != std::errc{} || parsed.ptr != text.data() + text.size()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: attribute {} is '{}', not milliseconds", where, name, text));
  }
  return std::optional<std::int64_t>(value);
}

std::string metric(const std::optional<double>& value) { return value ? fmt::format("{:.4f}", *value) : std::string("n/a"); }

// The file's bytes reach the disk before it is renamed over the current model: a crash
// leaves the old model or the new one, never a torn file.
Status sync_file(const std::filesystem::path& file) {
  const int descriptor = ::open(file.c_str(), O_RDONLY);
  if (descriptor < 0) return make_error(ErrorCode::kIo, fmt::format("{}: cannot open to sync", file.string()));
  const int synced = ::fsync(descriptor);
  ::close(descriptor);
  if (synced != 0) return make_error(ErrorCode::kIo, fmt::format("{}: fsync failed", file.string()));
  return Ok{};
}

// The window's labelled rows (censored rows left out), as the models and the measures take them.
struct LabelledWindow {
  std::vector<float> features;  // row-major, kFeatureCount per row
  std::vector<Timestamp> decided;
  std::unique_ptr<bool[]> won;  // not vector<bool>: the measures take a span of bool
  std::span<const bool> outcome() const { return {won.get(), decided.size()}; }
};

LabelledWindow labelled_part(std::span<const LabelledRow> window) {
  LabelledWindow labelled;
  std::vector<char> won;
  for (const LabelledRow& row : window) {
    if (censored(row)) continue;
    for (const double feature : row.features) labelled.features.push_back(static_cast<float>(feature));
    labelled.decided.push_back(row.decided);
    won.push_back(row.win ? 1 : 0);
  }
  labelled.won = std::make_unique<bool[]>(won.size());
  for (std::size_t idx = 0; idx < won.size(); ++idx) labelled.won[idx] = won[idx] != 0;
  return labelled;
}

Result<std::vector<double>> predict_window(const std::filesystem::path& model_file, const LabelledWindow& labelled) {
  WINISWIN_TRY(const auto model, XgboostModel::load(model_file));
  std::vector<double> probabilities(labelled.decided.size());
  if (auto status = model->predict(labelled.features, probabilities); !status) return status.error();
  return probabilities;
}

}  // namespace

Result<std::optional<DataRange>> recorded_range(const std::filesystem::path& model_file) {
  const std::string where = fmt::format("model {}", model_file.string());
  WINISWIN_TRY(const xgb::Booster booster, xgb::make_booster({}));
  if (auto status = xgb::check(XGBoosterLoadModel(booster.get(), model_file.c_str()), "not an XGBoost model"); !status) {
    return status.error().with_context(where);
  }
  WINISWIN_TRY(const std::optional<std::int64_t> from, millisecond_attribute(booster.get(), kDataFromAttribute, where));
  WINISWIN_TRY(const std::optional<std::int64_t> until, millisecond_attribute(booster.get(), kDataUntilAttribute, where));
  if (!from || !until) return std::optional<DataRange>{};
  return std::optional<DataRange>(DataRange{timestamp_from_ms(*from), timestamp_from_ms(*until)});
}

Comparison compare_predictions(const PairedPredictions& rows, const PromotionCriterion& criterion) {
  const auto measure = [&](std::span<const double> probability) {
    WindowMetrics metrics;
    metrics.rows = rows.decided.size();
    metrics.auc = auc(probability, rows.won);
    metrics.log_loss = log_loss(probability, rows.won);
    metrics.top = precision_at_top(rows.decided, probability, rows.won, criterion.top_k);
    return metrics;
  };
  return Comparison{measure(rows.current), measure(rows.candidate), paired_day_bootstrap(rows, criterion.bootstrap)};
}

Result<Comparison> compare_on_window(const std::filesystem::path& current, const std::filesystem::path& candidate,
                                     std::span<const LabelledRow> window, const PromotionCriterion& criterion) {
  const LabelledWindow labelled = labelled_part(window);
  WINISWIN_TRY(const std::vector<double> current_probability, predict_window(current, labelled));
  WINISWIN_TRY(const std::vector<double> candidate_probability, predict_window(candidate, labelled));
  return compare_predictions(PairedPredictions{labelled.decided, labelled.outcome(), current_probability, candidate_probability}, criterion);
}

PromotionDecision decide_promotion(const Comparison& comparison, const PromotionCriterion& criterion) {
  const WindowMetrics& current = comparison.current;
  const WindowMetrics& candidate = comparison.candidate;
  const auto refuse = [](std::string reason) { return PromotionDecision{false, std::move(reason)}; };
  if (candidate.rows < criterion.min_rows) {
    return refuse(fmt::format("kept: the window has {} labelled rows, fewer than the {} needed to judge", candidate.rows, criterion.min_rows));
  }
  if (!current.auc || !candidate.auc || !current.log_loss || !candidate.log_loss) {
    return refuse("kept: the window has wins only or losses only: no AUC to compare");
  }
  const std::string figures = fmt::format("AUC {} vs {} (needed +{}), log loss {} vs {} (allowed +{})", metric(candidate.auc), metric(current.auc),
                                          criterion.min_auc_gain, metric(candidate.log_loss), metric(current.log_loss),
                                          criterion.max_log_loss_increase);
  if (*candidate.auc < *current.auc + criterion.min_auc_gain) return refuse("kept: the candidate's AUC is not enough better: " + figures);
  if (*candidate.log_loss > *current.log_loss + criterion.max_log_loss_increase) return refuse("kept: the candidate's log loss is worse: " + figures);
  const BootstrapBounds& gain = comparison.gain;
  if (gain.days < 2) {
    return refuse(fmt::format("kept: the AUC gain cannot be tested for significance: the window spans {} decision day(s), the bootstrap "
                              "resamples days and needs at least 2 (pass a longer window): {}",
                              gain.days, figures));
  }
  const std::string bound = fmt::format("the AUC gain's one-sided {:g} % lower bound is {} ({} resamples of {} decision days)",
                                        100.0 * criterion.bootstrap.confidence, metric(gain.auc_gain_lower), gain.resamples, gain.days);
  if (!gain.auc_gain_lower || *gain.auc_gain_lower <= 0.0) {
    return refuse(fmt::format("kept: the candidate's AUC gain is not significant: {}; {}", bound, figures));
  }
  return PromotionDecision{true, fmt::format("promoted: {}; {}", figures, bound)};
}

Status check_out_of_sample(std::span<const LabelledRow> window, const DataRange& range, const std::string& model_name) {
  for (const LabelledRow& row : window) {
    if (row.decided < range.labels_known) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("{}: its data ran until {} (the last label known), but the window has a row decided at {} ({}): "
                                    "not out of sample — pass a window decided after {}",
                                    model_name, format_utc(range.labels_known), format_utc(row.decided), row.symbol,
                                    format_utc(range.labels_known)));
    }
  }
  return Ok{};
}

Status install_model(const std::filesystem::path& candidate, const std::filesystem::path& current) {
  std::error_code error;
  const std::filesystem::path incoming = current.string() + ".incoming";
  const std::filesystem::path previous = current.string() + ".previous";
  std::filesystem::copy_file(candidate, incoming, std::filesystem::copy_options::overwrite_existing, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("{} → {}: cannot copy: {}", candidate.string(), incoming.string(), error.message()));
  if (auto status = sync_file(incoming); !status) return status;
  std::filesystem::copy_file(current, previous, std::filesystem::copy_options::overwrite_existing, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("{} → {}: cannot keep the old model: {}", current.string(), previous.string(), error.message()));
  std::filesystem::rename(incoming, current, error);  // rename(2): readers see the old file or the new one
  if (error) return make_error(ErrorCode::kIo, fmt::format("{} → {}: cannot rename: {}", incoming.string(), current.string(), error.message()));
  return Ok{};
}

}  // namespace winiswin::ml
