// The three networks (private to this folder: it includes torch). Each maps a batch of
// windows [batch, bars, channels] to one logit per window [batch]; p(win) = sigmoid(logit).
#pragma once

#include <torch/nn.h>

#include <memory>

#include "ml/sequence/sequence_model.h"

namespace winiswin::ml::sequence {

class SequenceNet : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& windows) = 0;
};

// A fresh network with torch's default initialisation (from torch's global generator: seed it first).
std::shared_ptr<SequenceNet> make_network(Architecture architecture, std::size_t bars, std::size_t channels, std::size_t hidden);

}  // namespace winiswin::ml::sequence
