// Out-of-sample measures of a win classifier, as the walk-forward reports them: AUC, log loss,
// a calibration table, precision at the top of each decision's ranking, and the drift of a
// feature between training and test rows (PSI). Pure functions over predictions and labels.
//
// Written here rather than taken from libxgboost: its evaluator needs a DMatrix and returns
// text, the calibration table, top-k per decision time and PSI it does not compute at all, and
// these few lines are checked by hand in tests/ml/evaluation_test.cpp.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/time.h"

namespace winiswin::ml {

// The probability that a random win is scored above a random loss (ties count half): the
// Mann–Whitney U over average ranks. None when there are no wins or no losses.
std::optional<double> auc(std::span<const double> predicted, std::span<const bool> won);

// Each value's rank from 1 in ascending order, tied values sharing the mean of their ranks.
std::vector<double> average_ranks(std::span<const double> values);

// Spearman's rank correlation (Pearson's over average ranks, ties sharing theirs); NaN when
// either side is constant or there are fewer than two values.
double spearman(std::span<const double> x, std::span<const double> y);

// Mean of −[y·ln p + (1−y)·ln(1−p)], p clipped to [1e-15, 1 − 1e-15] as XGBoost does.
// None for no rows.
std::optional<double> log_loss(std::span<const double> predicted, std::span<const bool> won);

struct CalibrationBin {
  std::size_t rows = 0;
  double mean_predicted = 0.0;
  double observed_win_rate = 0.0;
};
// Rows sorted by prediction (ties: the given order) and cut into `bins` groups of equal count
// (the first rows.size() % bins groups one larger); empty groups are left out.
std::vector<CalibrationBin> calibration_table(std::span<const double> predicted, std::span<const bool> won, std::size_t bins = 10);

// At each decision time, the k rows of highest score (ties: the given order) are picked; the
// result is the win rate over every pick of every decision time, and how many were picked.
struct TopK {
  std::size_t picked = 0;
  std::optional<double> win_rate;
};
TopK precision_at_top(std::span<const Timestamp> decided, std::span<const double> score, std::span<const bool> won, std::size_t k);

// Population stability index of `actual` against `expected`:
//   Σ (a_i − e_i) · ln(a_i / e_i)
// over bins cut at the deciles of `expected` (distinct cut values only, so a feature with few
// values gets fewer bins; values equal to a cut fall in the bin above it); a_i, e_i the shares
// of rows per bin (missing values, NaN, in a bin of their own), floored at 1e-4 so an empty bin does not make it infinite. None when either
// side is empty. Conventionally < 0.1 stable, 0.1–0.25 some shift, > 0.25 a large shift.
std::optional<double> population_stability(std::span<const double> expected, std::span<const double> actual, std::size_t bins = 10);

}  // namespace winiswin::ml
