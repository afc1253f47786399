// A trained sequence model behind the engine's Model seam (ml/model.h), for a backtest's
// decision cycles: each signal's window is the bars of its symbol closed by its time
// (bar_windows.h: causal by construction, tested by truncation), its p(win) the model's, its
// score the documented blend with confidence (ml/blend.h). A signal without a window gets
// the training rows' win rate, as the fold's test rows do (sequence_fold.h).
//
// Probabilities already computed for a (symbol, side, time) — the fold's test rows — are
// looked up instead of running the network again: the backtest ranks by the very numbers the
// walk-forward measured, and a month's ~8 600 cycles do not each pay a forward pass.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "ml/model.h"
#include "ml/sequence/bar_windows.h"
#include "ml/sequence/sequence_model.h"

namespace winiswin::ml::sequence {

class SequenceScorer final : public WinProbabilityModel {
 public:
  SequenceScorer(std::string name, std::shared_ptr<const BarWindows> windows, std::shared_ptr<const SequenceModel> model, double base_rate,
                 double model_weight);

  void remember(std::string_view symbol, Side side, Timestamp decided, double probability);

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] Status evaluate(std::span<const strategy::Signal> batch, std::span<double> scores, std::span<double> probabilities) const override;

 private:
  using Key = std::tuple<std::string, Side, Timestamp>;
  std::string name_;
  std::shared_ptr<const BarWindows> windows_;
  std::shared_ptr<const SequenceModel> model_;
  double base_rate_;
  double model_weight_;
  std::map<Key, double, std::less<>> known_;
};

}  // namespace winiswin::ml::sequence
