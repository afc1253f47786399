// A model of no skill with a real model's distribution of probabilities: the control that
// tells a veto's or a sizing's skill from the plain effect of trading less or smaller (on a
// strategy whose trades lose on average, any veto and any smaller size lose less).
//
// Each signal's probability is a quantile of the probabilities given (the real model's
// predictions on the test month's rows, in ml walk-forward), picked by a hash of its symbol,
// side and decision time: deterministic, the same distribution, and independent of the
// signal's features. Its score blends it with the confidence as XgboostModel's does (blend.h).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "ml/model.h"

namespace winiswin::ml {

class PlaceboModel final : public WinProbabilityModel {
 public:
  // `probabilities` must not be empty; each in [0, 1].
  PlaceboModel(std::vector<double> probabilities, double model_weight);

  [[nodiscard]] std::string_view name() const override { return "placebo"; }
  [[nodiscard]] Status evaluate(std::span<const strategy::Signal> batch, std::span<double> scores,
                                std::span<double> probabilities) const override;
  [[nodiscard]] double probability_of(const strategy::Signal& signal) const;

 private:
  std::vector<double> sorted_;
  double model_weight_;
};

}  // namespace winiswin::ml
