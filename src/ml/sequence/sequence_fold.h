// One walk-forward fold for a sequence model: windows for the fold's training and test rows
// (bar_windows.h), a model trained on the training rows (sequence_model.h), p(win) for every
// test row.
//
// Rows without a window (a hole in the bars before the decision, fewer than N+1 bars, no
// bars for the symbol) are counted by reason: a training row without one is left out; a test
// row without one gets the training rows' win rate (the base rate: no information, and the
// test row keeps its place, so every test row has a prediction).
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/side.h"
#include "core/time.h"
#include "ml/sequence/bar_windows.h"
#include "ml/sequence/sequence_model.h"

namespace winiswin::ml::sequence {

// What a fold needs of a labelled row (ml::LabelledRow's fields, without the dependency).
struct DecisionRow {
  std::string_view symbol;
  Timestamp decided;
  Side side = Side::kBuy;
  bool win = false;
};

// The walk-forward candidates' window: 48 bars of 5m, the 4 hours before the decision.
inline constexpr std::size_t kDefaultWindowBars = 48;

inline constexpr std::size_t kWindowMissKinds = 5;  // WindowMiss's values, kNone included

struct FoldPrediction {
  std::vector<double> probability;  // one per test row, in its order
  std::array<std::size_t, kWindowMissKinds> train_missing{};  // training rows without a window, by WindowMiss
  std::array<std::size_t, kWindowMissKinds> test_missing{};   // test rows given the base rate, by WindowMiss
  double base_rate = 0.0;           // the training rows' win rate
  SequenceTrainReport report;
  std::shared_ptr<const SequenceModel> model;  // the fold's, for its month's backtest (sequence_scorer.h)
};

// The rows' windows as a SequenceSet (labels from `win` when `labelled`); rows without one are
// skipped and counted in `missing`, and `kept` (when given) receives the positions in `picked` of those kept.
SequenceSet window_set(const BarWindows& windows, std::span<const DecisionRow> rows, std::span<const std::size_t> picked, bool labelled,
                       std::array<std::size_t, kWindowMissKinds>& missing, std::vector<std::size_t>* kept = nullptr);

// `train` and `test`: indexes into `rows`, each in decision-time order.
Result<FoldPrediction> predict_fold(const BarWindows& windows, std::span<const DecisionRow> rows, std::span<const std::size_t> train,
                                    std::span<const std::size_t> test, const SequenceTrainConfig& config);

}  // namespace winiswin::ml::sequence
