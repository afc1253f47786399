#include "ml/model.h"

#include <fmt/format.h>

namespace winiswin::ml {

Status PassThroughModel::score(std::span<const strategy::Signal> batch, std::span<double> scores) const {
  if (scores.size() != batch.size()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("model {}: {} scores for {} signals", name(), scores.size(), batch.size()));
  }
  for (std::size_t idx = 0; idx < batch.size(); ++idx) scores[idx] = batch[idx].confidence;
  return Ok{};
}

const Model& pass_through_model() {
  static const PassThroughModel model;
  return model;
}

}  // namespace winiswin::ml
