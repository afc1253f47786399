#include "ml/drift.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <numeric>
#include <random>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "ml/evaluation.h"
#include "ml/feature_schema.h"
#include "ml/xgboost_api.h"
#include "strategy/signal.h"

namespace winiswin::ml {
namespace {

constexpr std::size_t kColumns = strategy::kFeatureCount;

// Reference rows then recent rows, as XGBoost's floats; label 1 for recent.
struct Pool {
  std::vector<float> rows;
  std::vector<float> labels;
};

Pool pool_of(std::span<const LabelledRow> reference, std::span<const LabelledRow> recent, const std::vector<bool>& ignored) {
  Pool pool;
  pool.rows.reserve((reference.size() + recent.size()) * kColumns);
  for (const auto& [side, label] : {std::pair{reference, 0.0f}, std::pair{recent, 1.0f}}) {
    for (const LabelledRow& row : side) {
      for (std::size_t column = 0; column < kColumns; ++column) {
        pool.rows.push_back(ignored[column] ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(row.features[column]));
      }
      pool.labels.push_back(label);
    }
  }
  return pool;
}

// Fold of each row, stratified: each side shuffled from the seed and dealt round-robin, so every
// fold holds both sides in their proportions.
std::vector<int> assign_folds(std::size_t reference, std::size_t recent, int folds, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<int> fold_of(reference + recent);
  for (const auto& [first, count] : {std::pair{std::size_t{0}, reference}, std::pair{reference, recent}}) {
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), first);
    std::shuffle(order.begin(), order.end(), random);
    for (std::size_t idx = 0; idx < order.size(); ++idx) fold_of[order[idx]] = static_cast<int>(idx % static_cast<std::size_t>(folds));
  }
  return fold_of;
}

Pool subset(const Pool& pool, const std::vector<int>& fold_of, int fold, bool inside) {
  Pool part;
  for (std::size_t row = 0; row < pool.labels.size(); ++row) {
    if ((fold_of[row] == fold) != inside) continue;
    part.rows.insert(part.rows.end(), pool.rows.begin() + static_cast<std::ptrdiff_t>(row * kColumns),
                     pool.rows.begin() + static_cast<std::ptrdiff_t>((row + 1) * kColumns));
    part.labels.push_back(pool.labels[row]);
  }
  return part;
}

Status add_gain(BoosterHandle booster, std::vector<double>& gain) {
  bst_ulong count = 0, dimensions = 0;
  const char** names = nullptr;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  if (auto status = xgb::check(XGBoosterFeatureScore(booster, R"({"importance_type": "gain"})", &count, &names, &dimensions, &shape, &scores),
                               "XGBoosterFeatureScore");
      !status) {
    return status;
  }
  const std::vector<std::string> schema = current_schema().names;
  for (bst_ulong idx = 0; idx < count; ++idx) {
    const auto found = std::find(schema.begin(), schema.end(), names[idx]);
    if (found != schema.end()) gain[static_cast<std::size_t>(found - schema.begin())] += scores[idx];
  }
  return Ok{};
}

// Trains on `train`, predicts `held_out` into `predictions` (in its row order) and adds the
// booster's gain per feature to `gain`.
Status run_fold(const Pool& train, const Pool& held_out, const DriftConfig& config, std::vector<double>& predictions, std::vector<double>& gain) {
  WINISWIN_TRY(const xgb::Matrix matrix, xgb::matrix(train.rows, kColumns));
  if (auto status = xgb::set_labels(matrix.get(), train.labels); !status) return status;
  const DMatrixHandle cached[] = {matrix.get()};
  WINISWIN_TRY(const xgb::Booster booster, xgb::make_booster(cached));
  const double recent = static_cast<double>(std::count(train.labels.begin(), train.labels.end(), 1.0f));
  const double reference = static_cast<double>(train.labels.size()) - recent;
  // The sides weighed equally, so a small recent window is not ignored.
  const std::pair<std::string, std::string> parameters[] = {
      {"objective", "binary:logistic"}, {"tree_method", "hist"}, {"max_depth", std::to_string(config.max_depth)},
      {"eta", fmt::format("{}", config.eta)}, {"scale_pos_weight", fmt::format("{}", reference / recent)},
      {"seed", std::to_string(config.seed)}, {"nthread", "1"}};
  for (const auto& [name, value] : parameters) {
    if (auto status = xgb::set_param(booster.get(), name, value); !status) return status;
  }
  if (auto status = xgb::set_feature_names(booster.get(), current_schema().names); !status) return status;
  for (int round = 0; round < config.rounds; ++round) {
    if (auto status = xgb::check(XGBoosterUpdateOneIter(booster.get(), round, matrix.get()), "XGBoosterUpdateOneIter"); !status) return status;
  }
  predictions.assign(held_out.labels.size(), 0.0);
  if (auto status = xgb::predict_dense(booster.get(), held_out.rows, kColumns, predictions); !status) return status;
  return add_gain(booster.get(), gain);
}

Status check_config(const DriftConfig& config, std::size_t reference, std::size_t recent, std::size_t shared) {
  if (config.folds < 2 || config.rounds < 1 || config.max_depth < 1 || !(config.eta > 0.0)) {
    return make_error(ErrorCode::kInvalidArgument, "drift: the classifier needs folds ≥ 2, rounds ≥ 1, max_depth ≥ 1 and eta > 0");
  }
  const auto needed = static_cast<std::size_t>(config.folds);
  if (reference < needed || recent < needed) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("drift: {} reference{} and {} recent rows; each side needs at least {} (one per fold), far more to mean anything",
                                  reference, shared == 0 ? "" : fmt::format(" (after {} rows also in the recent ones were left out)", shared),
                                  recent, needed));
  }
  return Ok{};
}

// The classifier's pooled out-of-fold AUC, and its mean gain per feature over the folds.
Status classify(const Pool& pool, const DriftConfig& config, std::size_t reference, std::size_t recent, DriftReport& report) {
  const std::vector<int> fold_of = assign_folds(reference, recent, config.folds, config.seed);
  std::vector<double> out_of_fold(pool.labels.size(), 0.0), gain(kColumns, 0.0), predictions;
  for (int fold = 0; fold < config.folds; ++fold) {
    const Pool held_out = subset(pool, fold_of, fold, true);
    if (auto status = run_fold(subset(pool, fold_of, fold, false), held_out, config, predictions, gain); !status) {
      return status.error().with_context(fmt::format("drift classifier, fold {}", fold + 1));
    }
    std::size_t next = 0;
    for (std::size_t row = 0; row < pool.labels.size(); ++row) {
      if (fold_of[row] == fold) out_of_fold[row] = predictions[next++];
    }
  }
  // auc() takes a span of bool, which std::vector<bool> cannot give.
  const auto is_recent = std::make_unique<bool[]>(pool.labels.size());
  for (std::size_t row = 0; row < pool.labels.size(); ++row) is_recent[row] = pool.labels[row] == 1.0f;
  report.classifier_auc = auc(out_of_fold, std::span<const bool>(is_recent.get(), pool.labels.size()));
  for (std::size_t column = 0; column < kColumns; ++column) report.features[column].gain = gain[column] / config.folds;
  return Ok{};
}

// Which columns are ignored; an error names a name that is no feature.
Result<std::vector<bool>> ignored_columns(const std::vector<std::string>& ignored) {
  const std::vector<std::string> names = current_schema().names;
  std::vector<bool> columns(names.size(), false);
  for (const std::string& name : ignored) {
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("drift: '{}' is not a feature (strategy/signal.h: kFeatureNames)", name));
    }
    columns[static_cast<std::size_t>(found - names.begin())] = true;
  }
  return columns;
}

// The reference rows that are not also recent rows (drift.h).
std::vector<LabelledRow> without_shared(std::span<const LabelledRow> reference, std::span<const LabelledRow> recent) {
  using Key = std::tuple<std::string, Timestamp, bool, strategy::FeatureVector>;
  std::set<Key> recent_keys;
  for (const LabelledRow& row : recent) recent_keys.emplace(row.symbol, row.decided, row.is_virtual, row.features);
  std::vector<LabelledRow> kept;
  for (const LabelledRow& row : reference) {
    if (!recent_keys.contains(Key{row.symbol, row.decided, row.is_virtual, row.features})) kept.push_back(row);
  }
  return kept;
}

}  // namespace

Result<DriftReport> detect_drift(std::span<const LabelledRow> all_reference, std::span<const LabelledRow> recent, const DriftConfig& config) {
  const std::vector<LabelledRow> kept = without_shared(all_reference, recent);
  const std::span<const LabelledRow> reference(kept);
  if (auto status = check_config(config, reference.size(), recent.size(), all_reference.size() - reference.size()); !status) {
    return status.error();
  }
  WINISWIN_TRY(const std::vector<bool> ignored, ignored_columns(config.ignored));
  DriftReport report;
  report.shared_rows = all_reference.size() - reference.size();
  report.reference_rows = reference.size();
  report.recent_rows = recent.size();
  const std::vector<std::string> names = current_schema().names;
  std::vector<double> expected(reference.size()), actual(recent.size());
  for (std::size_t column = 0; column < kColumns; ++column) {
    for (std::size_t row = 0; row < reference.size(); ++row) expected[row] = reference[row].features[column];
    for (std::size_t row = 0; row < recent.size(); ++row) actual[row] = recent[row].features[column];
    FeatureDrift feature{names[column], ignored[column] ? std::nullopt : population_stability(expected, actual), 0.0, false};
    feature.major = feature.psi && *feature.psi > config.major_psi;
    report.major_features += feature.major ? 1 : 0;
    report.features.push_back(std::move(feature));
  }
  if (auto status = classify(pool_of(reference, recent, ignored), config, reference.size(), recent.size(), report); !status) return status.error();
  report.classifier_drifted = report.classifier_auc && *report.classifier_auc > config.drifted_auc;
  report.drifted = report.classifier_drifted || report.major_features > 0;
  return report;
}

std::vector<std::size_t> by_psi(const DriftReport& report) {
  std::vector<std::size_t> order(report.features.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t lhs, std::size_t rhs) {
    const FeatureDrift &a = report.features[lhs], &b = report.features[rhs];
    const double a_psi = a.psi.value_or(-1.0), b_psi = b.psi.value_or(-1.0);
    return a_psi != b_psi ? a_psi > b_psi : a.gain > b.gain;
  });
  return order;
}

std::vector<std::size_t> by_gain(const DriftReport& report) {
  std::vector<std::size_t> order(report.features.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t lhs, std::size_t rhs) { return report.features[lhs].gain > report.features[rhs].gain; });
  return order;
}

}  // namespace winiswin::ml
