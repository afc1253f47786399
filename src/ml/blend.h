// How a model's win probability and the strategy's confidence make the score the decision
// cycle ranks by (written beside each record as `ml_score`, the probability as `ml_probability`).
//
//   ml_score = w · p + (1 − w) · confidence        w = model_weight ∈ [0, 1], default 0.8
//
// p is the model's probability that the signal wins (its R net of fees > 0, dataset.h).
// Linear, so both terms stay in [0, 1] and so does the score. Why the model dominates:
// confidence is already one of its 28 features, and on real data a higher confidence did not
// mean a better trade (issue 14); why not w = 1: between signals the model cannot tell apart,
// the strategy's order decides rather than noise in the fourth decimal. w = 1 ranks on the
// probability alone, w = 0 on confidence alone (then the ranks equal a run without a model,
// though the columns are written). Sizing still reads the signal's confidence (this slice).
#pragma once

namespace winiswin::ml {

inline constexpr double kDefaultModelWeight = 0.8;

constexpr double blended_score(double probability, double confidence, double model_weight) {
  return model_weight * probability + (1.0 - model_weight) * confidence;
}

}  // namespace winiswin::ml
