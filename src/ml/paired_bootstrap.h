// Is a candidate model's gain over the current one more than noise? A paired bootstrap of
//   ΔAUC      = AUC(candidate) − AUC(current)
//   Δlog loss = log loss(candidate) − log loss(current)
// on the same labelled rows, resampled in blocks of one UTC decision day: the rows of a day share
// one market (the same moves stop or carry every signal of that day), so they are not
// independent, and resampling rows one by one would understate the spread. Each resample draws
// as many days as the window has, with replacement, and scores both models on the same drawn
// rows (paired: what differs between them is the models, not the rows).
//
// The bounds are one-sided percentile bounds at `confidence`, widened for few days: with Δ the
// window's point difference and q the ⌈(1 − c)·B⌉-th smallest ΔAUC of the B resamples,
//   lower = Δ − f·(Δ − q),   f = √(k/(k−1)) · t_{k−1}(c) / z(c)   for k decision days
// (and the upper bound of Δlog loss alike from its ⌈c·B⌉-th smallest). The plain percentile
// bound is too narrow with few blocks (on equally skilled models it was above 0 in 11 % of 7-day
// windows instead of 5 %); f ≈ 1.3 at 7 days, 1.05 at 30. One day gives no bound: there is no
// day-to-day variation to resample.
//
// Written here: no library on this machine bootstraps (Boost has none; GSL and R are not C++
// dependencies of this project), and this is a loop over a few thousand rows around the AUC and
// log loss of evaluation.h; the t and normal quantiles are Boost.Math's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/time.h"

namespace winiswin::ml {

struct BootstrapConfig {
  std::size_t resamples = 1000;
  std::uint64_t seed = 20'261'201;  // fixed: the same window and models give the same bound
  double confidence = 0.95;
};

// Both models' win probabilities on the same labelled rows, with each row's decision time.
struct PairedPredictions {
  std::span<const Timestamp> decided;
  std::span<const bool> won;
  std::span<const double> current;
  std::span<const double> candidate;
};

struct BootstrapBounds {
  std::size_t days = 0;       // decision days in the window: the blocks drawn
  std::size_t resamples = 0;  // resamples measured (a resample with wins only or losses only has no AUC: left out)
  std::optional<double> auc_gain_lower;           // ΔAUC's one-sided lower bound; none without two days and a measured resample
  std::optional<double> log_loss_increase_upper;  // Δlog loss's one-sided upper bound; likewise
};

// Deterministic for the inputs and config.seed. The spans must have one entry per row.
BootstrapBounds paired_day_bootstrap(const PairedPredictions& rows, const BootstrapConfig& config);

}  // namespace winiswin::ml
