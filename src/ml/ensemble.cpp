#include "ml/ensemble.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include <fmt/format.h>

#include "ml/xgboost_model.h"

namespace winiswin::ml {
namespace {

Status check_config(const EnsembleConfig& config) {
  if (config.members < 1) return make_error(ErrorCode::kInvalidArgument, fmt::format("an ensemble needs 1 member or more, not {}", config.members));
  if (config.resampling == Resampling::kSubsample && !(config.subsample > 0.0 && config.subsample <= 1.0)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("ensemble subsample {}: a share of the rows in (0, 1]", config.subsample));
  }
  return Ok{};
}

// Member `member`'s rows: drawn from `labelled` (indexes into rows, time order), sorted back
// into time order. A bootstrap draws labelled.size() with replacement; a subsample draws its
// share without (a partial Fisher–Yates shuffle).
std::vector<LabelledRow> resample(std::span<const LabelledRow> rows, std::vector<std::size_t> labelled, const EnsembleConfig& config,
                                  std::uint64_t seed, std::size_t member) {
  std::seed_seq seeds{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32), static_cast<std::uint32_t>(member)};
  std::mt19937_64 random(seeds);
  std::vector<std::size_t> drawn;
  if (config.resampling == Resampling::kBootstrap) {
    std::uniform_int_distribution<std::size_t> pick(0, labelled.size() - 1);
    drawn.reserve(labelled.size());
    for (std::size_t draw = 0; draw < labelled.size(); ++draw) drawn.push_back(labelled[pick(random)]);
  } else {
    const auto count = std::max<std::size_t>(1, static_cast<std::size_t>(config.subsample * static_cast<double>(labelled.size())));
    for (std::size_t draw = 0; draw < count; ++draw) {
      std::uniform_int_distribution<std::size_t> pick(draw, labelled.size() - 1);
      std::swap(labelled[draw], labelled[pick(random)]);
    }
    drawn.assign(labelled.begin(), labelled.begin() + static_cast<std::ptrdiff_t>(count));
  }
  std::sort(drawn.begin(), drawn.end());
  std::vector<LabelledRow> sample;
  sample.reserve(drawn.size());
  for (const std::size_t idx : drawn) sample.push_back(rows[idx]);
  return sample;
}

// The value at nearest rank ⌈q·n⌉ of sorted values (1-based).
double nearest_rank(std::span<const double> sorted, double quantile) {
  const auto rank = static_cast<std::size_t>(std::ceil(quantile * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

Ensemble::Ensemble(std::vector<std::unique_ptr<XgboostModel>> members, std::vector<std::filesystem::path> files)
    : members_(std::move(members)), files_(std::move(files)) {}
Ensemble::Ensemble(Ensemble&&) noexcept = default;
Ensemble& Ensemble::operator=(Ensemble&&) noexcept = default;
Ensemble::~Ensemble() = default;

Result<Ensemble> Ensemble::train(std::span<const LabelledRow> rows, const TrainConfig& train, const EnsembleConfig& config,
                                 const std::filesystem::path& folder) {
  if (auto status = check_config(config); !status) return status.error();
  std::vector<std::size_t> labelled;
  for (std::size_t idx = 0; idx < rows.size(); ++idx) {
    if (!censored(rows[idx])) labelled.push_back(idx);
  }
  if (labelled.empty()) return make_error(ErrorCode::kInvalidArgument, fmt::format("an ensemble needs labelled rows: {} given, all censored", rows.size()));
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create the ensemble's folder: {}", folder.string(), error.message()));
  std::vector<std::filesystem::path> files;
  for (int member = 0; member < config.members; ++member) {
    const std::vector<LabelledRow> sample = resample(rows, labelled, config, train.seed, static_cast<std::size_t>(member));
    TrainConfig member_config = train;
    member_config.seed = train.seed + static_cast<std::uint64_t>(member);
    const std::filesystem::path file = folder / fmt::format("member_{}.json", member);
    if (auto report = ml::train(sample, member_config, file); !report.ok()) {
      return report.error().with_context(fmt::format("ensemble member {} of {}", member + 1, config.members));
    }
    files.push_back(file);
  }
  return load(files);
}

Result<Ensemble> Ensemble::load(std::span<const std::filesystem::path> member_files) {
  if (member_files.empty()) return make_error(ErrorCode::kInvalidArgument, "an ensemble needs at least one member file");
  std::vector<std::unique_ptr<XgboostModel>> members;
  for (const std::filesystem::path& file : member_files) {
    WINISWIN_TRY(std::unique_ptr<XgboostModel> member, XgboostModel::load(file));
    members.push_back(std::move(member));
  }
  return Ensemble(std::move(members), std::vector<std::filesystem::path>(member_files.begin(), member_files.end()));
}

Status Ensemble::predict_member(std::size_t member, std::span<const float> rows, std::span<double> probabilities) const {
  if (member >= members_.size()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("ensemble member {}: it has {}", member, members_.size()));
  }
  return members_[member]->predict(rows, probabilities);
}

Status Ensemble::predict(std::span<const float> rows, std::span<double> mean, std::span<double> spread) const {
  if (rows.size() % strategy::kFeatureCount != 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("ensemble: {} feature values are not rows of {}", rows.size(), strategy::kFeatureCount));
  }
  const std::size_t count = rows.size() / strategy::kFeatureCount;
  if (mean.size() != count || spread.size() != count) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("ensemble: {} rows but {} means and {} spreads to write", count, mean.size(), spread.size()));
  }
  // Two passes over the members (mean, then squared deviations): exact enough and no
  // cancellation from Σp² − (Σp)²/K.
  each_.resize(members_.size());
  for (std::size_t member = 0; member < members_.size(); ++member) {
    each_[member].resize(count);
    if (auto status = members_[member]->predict(rows, each_[member]); !status) {
      return status.error().with_context(fmt::format("ensemble member {} ({})", member + 1, files_[member].string()));
    }
  }
  const auto members = static_cast<double>(members_.size());
  for (std::size_t row = 0; row < count; ++row) {
    double sum = 0.0;
    for (const std::vector<double>& probabilities : each_) sum += probabilities[row];
    mean[row] = sum / members;
    double squares = 0.0;
    for (const std::vector<double>& probabilities : each_) squares += (probabilities[row] - mean[row]) * (probabilities[row] - mean[row]);
    spread[row] = std::sqrt(squares / members);
  }
  return Ok{};
}

Result<SpreadSizing> SpreadSizing::fit(std::span<const double> training_spreads, double floor) {
  if (training_spreads.empty()) return make_error(ErrorCode::kInvalidArgument, "spread sizing needs the training rows' spreads: none given");
  if (!(floor > 0.0 && floor <= 1.0)) return make_error(ErrorCode::kInvalidArgument, fmt::format("spread sizing floor {}: a factor in (0, 1]", floor));
  std::vector<double> sorted(training_spreads.begin(), training_spreads.end());
  for (const double spread : sorted) {
    if (!(spread >= 0.0)) return make_error(ErrorCode::kInvalidArgument, fmt::format("spread sizing: spread {} is not a standard deviation", spread));
  }
  std::sort(sorted.begin(), sorted.end());
  return SpreadSizing{nearest_rank(sorted, 0.5), nearest_rank(sorted, 0.9), floor};
}

double SpreadSizing::factor(double spread) const {
  if (!(spread > median)) return 1.0;
  if (spread >= top_decile) return floor;
  return 1.0 - (1.0 - floor) * (spread - median) / (top_decile - median);
}

EnsembleModel::EnsembleModel(Ensemble ensemble, std::optional<SpreadSizing> sizing, double model_weight)
    : ensemble_(std::move(ensemble)), sizing_(sizing), model_weight_(model_weight) {}

Status EnsembleModel::predict_batch(std::span<const strategy::Signal> batch) const {
  rows_.resize(batch.size() * strategy::kFeatureCount);
  for (std::size_t row = 0; row < batch.size(); ++row) {
    for (std::size_t column = 0; column < strategy::kFeatureCount; ++column) {
      rows_[row * strategy::kFeatureCount + column] = static_cast<float>(batch[row].features[column]);
    }
  }
  mean_.resize(batch.size());
  spread_.resize(batch.size());
  return ensemble_.predict(rows_, mean_, spread_);
}

Status EnsembleModel::evaluate(std::span<const strategy::Signal> batch, std::span<double> scores, std::span<double> probabilities) const {
  if (scores.size() != batch.size() || probabilities.size() != batch.size()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {} scores and {} probabilities for {} signals", name(), scores.size(),
                                                               probabilities.size(), batch.size()));
  }
  if (auto status = predict_batch(batch); !status) return status;
  for (std::size_t idx = 0; idx < batch.size(); ++idx) {
    probabilities[idx] = mean_[idx];
    scores[idx] = blended_score(mean_[idx], batch[idx].confidence, model_weight_);
  }
  return Ok{};
}

Status EnsembleModel::size_scales(std::span<const strategy::Signal> batch, std::span<double> scales) const {
  if (scales.size() != batch.size()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {} size scales for {} signals", name(), scales.size(), batch.size()));
  }
  if (!sizing_) return Model::size_scales(batch, scales);
  if (auto status = predict_batch(batch); !status) return status;
  for (std::size_t idx = 0; idx < batch.size(); ++idx) scales[idx] = sizing_->factor(spread_[idx]);
  return Ok{};
}

}  // namespace winiswin::ml
