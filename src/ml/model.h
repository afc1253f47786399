// The model seam: at each decision cycle one call re-scores the whole batch of proposed
// signals (trade levels and the 28 features made), and ranking uses the model's scores.
// The default model passes each signal's confidence through, so ranking is the strategy's
// own; an XGBoost model (xgboost_model.h) plugs in here without the cycle changing.
//
// Contract: `score` writes one value in [0, 1] per signal, in the batch's order, reads
// nothing but the batch (no clock, no account), and gives the same scores for the same batch.
#pragma once

#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "strategy/signal.h"

namespace winiswin::ml {

class Model {
 public:
  virtual ~Model() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  // scores.size() == batch.size().
  [[nodiscard]] virtual Status score(std::span<const strategy::Signal> batch, std::span<double> scores) const = 0;
  // The scores and, for a model that predicts one, each signal's win probability before it
  // was blended into the score (blend.h); NaN where the model has none. Both spans are as
  // long as the batch. The default: `score`, and no probabilities.
  [[nodiscard]] virtual Status evaluate(std::span<const strategy::Signal> batch, std::span<double> scores,
                                        std::span<double> probabilities) const {
    for (double& probability : probabilities) probability = std::numeric_limits<double>::quiet_NaN();
    return score(batch, scores);
  }
  // True when every score equals the signal's confidence. The cycle then ranks on the
  // strategy's scores first and proposes trade levels only for as many candidates as the
  // ranks need (proposing is most of a cycle's cost when ~180 of 200 symbols clear the bar).
  [[nodiscard]] virtual bool passes_confidence_through() const { return false; }
  // True when the model lowers some positions' size (an uncertain prediction: ensemble.h). The
  // cycle asks for size_scales only then, so every other model sizes as the risk rules say.
  [[nodiscard]] virtual bool scales_size() const { return false; }
  // One factor in (0, 1] per signal, in the batch's order, that multiplies the position the
  // risk rules size (position_sizing.h: before step rounding; the limits still apply). The
  // default: 1 for every signal.
  [[nodiscard]] virtual Status size_scales(std::span<const strategy::Signal> batch, std::span<double> scales) const {
    (void)batch;
    for (double& scale : scales) scale = 1.0;
    return Ok{};
  }
};

// A model that predicts a win probability for every signal: its score is evaluate()'s, the
// probabilities kept in a per-thread buffer (no allocation per cycle once warm).
class WinProbabilityModel : public Model {
 public:
  [[nodiscard]] Status score(std::span<const strategy::Signal> batch, std::span<double> scores) const final {
    thread_local std::vector<double> probabilities;
    probabilities.resize(batch.size());
    return evaluate(batch, scores, probabilities);
  }
  [[nodiscard]] Status evaluate(std::span<const strategy::Signal> batch, std::span<double> scores,
                                std::span<double> probabilities) const override = 0;
};

class PassThroughModel final : public Model {
 public:
  [[nodiscard]] std::string_view name() const override { return "pass-through"; }
  [[nodiscard]] Status score(std::span<const strategy::Signal> batch, std::span<double> scores) const override;
  [[nodiscard]] bool passes_confidence_through() const override { return true; }
};

// The default model, shared (it has no state).
const Model& pass_through_model();

}  // namespace winiswin::ml
