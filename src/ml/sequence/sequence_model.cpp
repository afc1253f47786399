#include "ml/sequence/sequence_model.h"

#include <fmt/format.h>
#include <torch/nn.h>
#include <torch/optim.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "ml/sequence/networks.h"

namespace winiswin::ml::sequence {
namespace {

constexpr std::size_t kEvaluationBatch = 1024;
constexpr double kGradientClip = 1.0;   // LSTMs blow up now and then without it
constexpr float kMinDeviation = 1e-6F;  // a constant channel is centred, not divided by 0

Status check_config(const SequenceTrainConfig& config) {
  if (config.hidden == 0 || config.epochs == 0 || config.batch == 0 || config.threads < 1 || config.max_train_rows < 2) {
    return make_error(ErrorCode::kInvalidArgument, "sequence training: hidden, epochs, batch and threads must be at least 1, max_train_rows at least 2");
  }
  if (config.architecture == Architecture::kTransformer && config.hidden % 4 != 0) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("transformer width {}: a multiple of its 4 heads", config.hidden));
  }
  if (!(config.early_stop_fraction >= 0.0 && config.early_stop_fraction < 0.5)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("early_stop_fraction {}: in [0, 0.5)", config.early_stop_fraction));
  }
  if (!(config.learning_rate > 0.0) || !(config.weight_decay >= 0.0)) {
    return make_error(ErrorCode::kInvalidArgument, "sequence training: learning_rate must be above 0, weight_decay 0 or more");
  }
  return Ok{};
}

Status check_values(const SequenceSet& rows) {
  if (rows.length == 0 || rows.channels == 0 || rows.values.size() % (rows.length * rows.channels) != 0) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("sequence set: {} values are not rows of {} bars × {} channels", rows.values.size(),
                                                               rows.length, rows.channels));
  }
  const auto bad = std::find_if(rows.values.begin(), rows.values.end(), [](float value) { return !std::isfinite(value); });
  if (bad != rows.values.end()) {
    const auto at = static_cast<std::size_t>(bad - rows.values.begin());
    const std::size_t per_row = rows.length * rows.channels;
    return make_error(ErrorCode::kInvalidArgument, fmt::format("sequence set: row {}, bar {}, channel {} is {} (windows must be finite)", at / per_row,
                                                               at % per_row / rows.channels, at % rows.channels, *bad));
  }
  return Ok{};
}

// [rows, bars, channels] of rows [first, first + count), standardised per channel.
torch::Tensor standardised(const SequenceSet& rows, std::size_t first, std::size_t count, std::span<const float> mean, std::span<const float> scale) {
  const std::size_t per_row = rows.length * rows.channels;
  torch::Tensor out = torch::empty({static_cast<std::int64_t>(count), static_cast<std::int64_t>(rows.length), static_cast<std::int64_t>(rows.channels)});
  float* values = out.data_ptr<float>();
  const float* in = rows.values.data() + first * per_row;
  for (std::size_t at = 0; at < count * per_row; ++at) {
    const std::size_t channel = at % rows.channels;
    values[at] = (in[at] - mean[channel]) * scale[channel];
  }
  return out;
}

torch::Tensor labels(const SequenceSet& rows, std::size_t first, std::size_t count) {
  torch::Tensor out = torch::empty({static_cast<std::int64_t>(count)});
  float* values = out.data_ptr<float>();
  for (std::size_t row = 0; row < count; ++row) values[row] = rows.wins[first + row] != 0 ? 1.0F : 0.0F;
  return out;
}

}  // namespace

std::string_view name_of(Architecture architecture) {
  switch (architecture) {
    case Architecture::kLstm: return "lstm";
    case Architecture::kTransformer: return "transformer";
    case Architecture::kCnn: return "cnn";
  }
  return "?";
}

struct SequenceModel::Impl {
  SequenceTrainConfig config;
  std::size_t length = 0;
  std::size_t channels = 0;
  std::vector<float> mean;
  std::vector<float> scale;  // 1 / standard deviation
  std::shared_ptr<SequenceNet> net;
  SequenceTrainReport report;

  void fit_standardisation(const SequenceSet& rows, std::size_t first, std::size_t count);
  [[nodiscard]] torch::Tensor logits(const torch::Tensor& windows) const;
  [[nodiscard]] double held_out_loss(const torch::Tensor& windows, const torch::Tensor& wins, const torch::Tensor& pos_weight) const;
  void run_epochs(const torch::Tensor& fit_windows, const torch::Tensor& fit_wins, const torch::Tensor& held_windows, const torch::Tensor& held_wins);
};

void SequenceModel::Impl::fit_standardisation(const SequenceSet& rows, std::size_t first, std::size_t count) {
  std::vector<double> sum(channels, 0.0), sum_squares(channels, 0.0);
  const std::size_t per_row = length * channels;
  const float* in = rows.values.data() + first * per_row;
  for (std::size_t at = 0; at < count * per_row; ++at) {
    sum[at % channels] += in[at];
    sum_squares[at % channels] += static_cast<double>(in[at]) * in[at];
  }
  const auto samples = static_cast<double>(count * length);
  mean.assign(channels, 0.0F);
  scale.assign(channels, 1.0F);
  for (std::size_t channel = 0; channel < channels; ++channel) {
    const double average = sum[channel] / samples;
    const double deviation = std::sqrt(std::max(0.0, sum_squares[channel] / samples - average * average));
    mean[channel] = static_cast<float>(average);
    scale[channel] = 1.0F / std::max(static_cast<float>(deviation), kMinDeviation);
  }
}

torch::Tensor SequenceModel::Impl::logits(const torch::Tensor& windows) const {
  std::vector<torch::Tensor> parts;
  for (std::int64_t first = 0; first < windows.size(0); first += static_cast<std::int64_t>(kEvaluationBatch)) {
    parts.push_back(net->forward(windows.narrow(0, first, std::min<std::int64_t>(static_cast<std::int64_t>(kEvaluationBatch), windows.size(0) - first))));
  }
  return torch::cat(parts);
}

double SequenceModel::Impl::held_out_loss(const torch::Tensor& windows, const torch::Tensor& wins, const torch::Tensor& pos_weight) const {
  torch::NoGradGuard no_grad;
  net->eval();
  const torch::Tensor loss = torch::nn::functional::binary_cross_entropy_with_logits(
      logits(windows), wins, torch::nn::functional::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(pos_weight));
  return loss.item<double>();
}

// Adam over shuffled batches; after each epoch the held-out loss picks the weights kept.
void SequenceModel::Impl::run_epochs(const torch::Tensor& fit_windows, const torch::Tensor& fit_wins, const torch::Tensor& held_windows,
                                     const torch::Tensor& held_wins) {
  const torch::Tensor pos_weight = torch::full({1}, report.pos_weight);
  const auto loss_options = torch::nn::functional::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(pos_weight);
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(config.learning_rate).weight_decay(config.weight_decay));
  std::mt19937_64 shuffle(config.seed);
  std::vector<std::int64_t> order(static_cast<std::size_t>(fit_windows.size(0)));
  std::iota(order.begin(), order.end(), 0);
  std::vector<torch::Tensor> best;
  report.best_held_out_loss = std::numeric_limits<double>::infinity();
  for (std::size_t epoch = 1; epoch <= config.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), shuffle);
    net->train();
    for (std::size_t first = 0; first < order.size(); first += config.batch) {
      const std::size_t count = std::min(config.batch, order.size() - first);
      const torch::Tensor picked = torch::from_blob(order.data() + first, {static_cast<std::int64_t>(count)}, torch::kLong);
      optimizer.zero_grad();
      const torch::Tensor loss = torch::nn::functional::binary_cross_entropy_with_logits(
          net->forward(fit_windows.index_select(0, picked)), fit_wins.index_select(0, picked), loss_options);
      loss.backward();
      torch::nn::utils::clip_grad_norm_(net->parameters(), kGradientClip);
      optimizer.step();
    }
    report.epochs_run = epoch;
    const double loss = held_windows.size(0) > 0 ? held_out_loss(held_windows, held_wins, pos_weight) : 0.0;
    if (held_windows.size(0) == 0 || loss < report.best_held_out_loss) {
      report.best_held_out_loss = loss;
      report.best_epoch = epoch;
      torch::NoGradGuard no_grad;
      best.clear();
      for (const torch::Tensor& parameter : net->parameters()) best.push_back(parameter.detach().clone());
    } else if (epoch - report.best_epoch >= config.patience) {
      break;
    }
  }
  torch::NoGradGuard no_grad;
  const std::vector<torch::Tensor> parameters = net->parameters();
  for (std::size_t index = 0; index < parameters.size(); ++index) parameters[index].copy_(best[index]);
  net->eval();
}

Result<SequenceModel> SequenceModel::train(const SequenceSet& rows, const SequenceTrainConfig& config) {
  if (auto status = check_config(config); !status) return status.error();
  if (auto status = check_values(rows); !status) return status.error();
  const std::size_t total = rows.rows();
  if (total == 0) return make_error(ErrorCode::kInvalidArgument, "sequence training: no training rows");
  if (rows.wins.size() != total) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("sequence training: {} labels for {} rows", rows.wins.size(), total));
  }
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->length = rows.length;
  impl->channels = rows.channels;
  const std::size_t first = total > config.max_train_rows ? total - config.max_train_rows : 0;
  const std::size_t kept = total - first;
  const auto held = static_cast<std::size_t>(static_cast<double>(kept) * config.early_stop_fraction);
  const std::size_t fitting = kept - held;
  const auto wins = static_cast<std::size_t>(std::count(rows.wins.begin() + static_cast<std::ptrdiff_t>(first),
                                                        rows.wins.begin() + static_cast<std::ptrdiff_t>(first + fitting), std::uint8_t{1}));
  if (wins == 0 || wins == fitting) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("sequence training: {} of {} fitting rows win: both wins and losses are needed", wins, fitting));
  }
  impl->report = {fitting, held, first, 0, 0, 0.0, static_cast<double>(fitting - wins) / static_cast<double>(wins)};
  impl->fit_standardisation(rows, first, fitting);
  torch::set_num_threads(config.threads);
  torch::manual_seed(config.seed);
  impl->net = make_network(config.architecture, rows.length, rows.channels, config.hidden);
  impl->run_epochs(standardised(rows, first, fitting, impl->mean, impl->scale), labels(rows, first, fitting),
                   standardised(rows, first + fitting, held, impl->mean, impl->scale), labels(rows, first + fitting, held));
  return SequenceModel(std::move(impl));
}

Result<std::vector<double>> SequenceModel::predict(const SequenceSet& rows) const {
  if (rows.length != impl_->length || rows.channels != impl_->channels) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("sequence predict: rows of {} bars × {} channels for a model of {} × {}", rows.length,
                                                               rows.channels, impl_->length, impl_->channels));
  }
  if (auto status = check_values(rows); !status) return status.error();
  if (rows.rows() == 0) return std::vector<double>{};
  torch::set_num_threads(impl_->config.threads);
  torch::NoGradGuard no_grad;
  impl_->net->eval();
  const torch::Tensor probabilities = torch::sigmoid(impl_->logits(standardised(rows, 0, rows.rows(), impl_->mean, impl_->scale))).to(torch::kDouble);
  const double* values = probabilities.data_ptr<double>();
  return std::vector<double>(values, values + probabilities.numel());
}

const SequenceTrainReport& SequenceModel::report() const { return impl_->report; }

SequenceModel::SequenceModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SequenceModel::SequenceModel(SequenceModel&&) noexcept = default;
SequenceModel& SequenceModel::operator=(SequenceModel&&) noexcept = default;
SequenceModel::~SequenceModel() = default;

}  // namespace winiswin::ml::sequence
