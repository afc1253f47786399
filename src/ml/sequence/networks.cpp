#include "ml/sequence/networks.h"

#include <cmath>

namespace winiswin::ml::sequence {
namespace {

// One LSTM layer over the bars; its last hidden state → a linear logit.
class LstmNet final : public SequenceNet {
 public:
  LstmNet(std::size_t channels, std::size_t hidden)
      : lstm_(register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(static_cast<std::int64_t>(channels), static_cast<std::int64_t>(hidden))
                                                          .batch_first(true)))),
        head_(register_module("head", torch::nn::Linear(static_cast<std::int64_t>(hidden), 1))) {}

  torch::Tensor forward(const torch::Tensor& windows) override {
    const torch::Tensor states = std::get<0>(lstm_->forward(windows));  // [batch, bars, hidden]
    return head_->forward(states.select(1, states.size(1) - 1)).squeeze(1);
  }

 private:
  torch::nn::LSTM lstm_;
  torch::nn::Linear head_;
};

// Sinusoidal positions (Vaswani et al. 2017): PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(…).
torch::Tensor positional_encoding(std::size_t bars, std::size_t width) {
  torch::Tensor encoding = torch::zeros({static_cast<std::int64_t>(bars), static_cast<std::int64_t>(width)});
  for (std::size_t bar = 0; bar < bars; ++bar) {
    for (std::size_t dim = 0; dim < width; ++dim) {
      const double angle = static_cast<double>(bar) / std::pow(10000.0, static_cast<double>(dim - dim % 2) / static_cast<double>(width));
      encoding[static_cast<std::int64_t>(bar)][static_cast<std::int64_t>(dim)] = dim % 2 == 0 ? std::sin(angle) : std::cos(angle);
    }
  }
  return encoding.unsqueeze(1);  // [bars, 1, width]: broadcast over the batch
}

// Channels projected to `width`, positions added, one encoder layer of 4 heads, mean over
// the bars → a linear logit.
class TransformerNet final : public SequenceNet {
 public:
  static constexpr std::int64_t kHeads = 4;
  static constexpr std::int64_t kLayers = 1;  // two cost twice as much (Debian's libtorch multiplies on reference BLAS)
  static constexpr double kDropout = 0.1;

  TransformerNet(std::size_t bars, std::size_t channels, std::size_t width)
      : project_(register_module("project", torch::nn::Linear(static_cast<std::int64_t>(channels), static_cast<std::int64_t>(width)))),
        encoder_(register_module(
            "encoder", torch::nn::TransformerEncoder(torch::nn::TransformerEncoderOptions(
                           torch::nn::TransformerEncoderLayerOptions(static_cast<std::int64_t>(width), kHeads)
                               .dim_feedforward(2 * static_cast<std::int64_t>(width))
                               .dropout(kDropout),
                           kLayers)))),
        head_(register_module("head", torch::nn::Linear(static_cast<std::int64_t>(width), 1))) {
    positions_ = register_buffer("positions", positional_encoding(bars, width));
  }

  torch::Tensor forward(const torch::Tensor& windows) override {
    // The C++ encoder takes [bars, batch, width] (no batch_first in 1.13's options).
    const torch::Tensor projected = project_->forward(windows).transpose(0, 1) + positions_;
    return head_->forward(encoder_->forward(projected).mean(0)).squeeze(1);
  }

 private:
  torch::nn::Linear project_;
  torch::nn::TransformerEncoder encoder_;
  torch::nn::Linear head_;
  torch::Tensor positions_;
};

// Three temporal convolutions of kernel 3, dilations 1, 2, 4 (a receptive field of 15 bars),
// ReLU after each; the mean and the maximum over the bars → a linear logit.
class CnnNet final : public SequenceNet {
 public:
  CnnNet(std::size_t channels, std::size_t width)
      : conv1_(register_module("conv1", convolution(channels, width, 1))),
        conv2_(register_module("conv2", convolution(width, width, 2))),
        conv3_(register_module("conv3", convolution(width, width, 4))),
        head_(register_module("head", torch::nn::Linear(2 * static_cast<std::int64_t>(width), 1))) {}

  torch::Tensor forward(const torch::Tensor& windows) override {
    torch::Tensor x = windows.transpose(1, 2);  // [batch, channels, bars]
    x = torch::relu(conv1_->forward(x));
    x = torch::relu(conv2_->forward(x));
    x = torch::relu(conv3_->forward(x));
    const torch::Tensor pooled = torch::cat({x.mean(2), std::get<0>(x.max(2))}, 1);
    return head_->forward(pooled).squeeze(1);
  }

 private:
  static torch::nn::Conv1d convolution(std::size_t in, std::size_t out, std::int64_t dilation) {
    return torch::nn::Conv1d(torch::nn::Conv1dOptions(static_cast<std::int64_t>(in), static_cast<std::int64_t>(out), 3)
                                 .dilation(dilation)
                                 .padding(dilation));  // same length out: the whole window is the past
  }

  torch::nn::Conv1d conv1_, conv2_, conv3_;
  torch::nn::Linear head_;
};

}  // namespace

std::shared_ptr<SequenceNet> make_network(Architecture architecture, std::size_t bars, std::size_t channels, std::size_t hidden) {
  switch (architecture) {
    case Architecture::kLstm: return std::make_shared<LstmNet>(channels, hidden);
    case Architecture::kTransformer: return std::make_shared<TransformerNet>(bars, channels, hidden);
    case Architecture::kCnn: return std::make_shared<CnnNet>(channels, hidden);
  }
  return nullptr;
}

}  // namespace winiswin::ml::sequence
