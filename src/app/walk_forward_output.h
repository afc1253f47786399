// What `ml walk-forward` measured per test month, and how it is written: walk_forward.csv (a
// row per test month), walk_forward.json (the same with the calibration tables, feature
// importance and PSI per feature) and the summary printed at the end.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ml/evaluation.h"
#include "ml/walk_forward.h"

namespace winiswin {

// One backtest of the test month: only trades decided in the month count.
struct MonthTrading {
  std::size_t trades = 0;
  double return_pct = 0.0;  // their net PnL (fees, funding) over the starting balance, in %
  std::optional<double> win_rate;  // PnL > 0
  std::optional<double> average_r;  // as the backtest's metrics: R before fees
  std::size_t model_exits = 0;  // trades decided in the month closed by the model exit
  std::size_t vetoed = 0;  // the veto's refusals decided in the month (a signal proposed again at each close is refused again)
};

// A candidate model's test month (walk_forward_candidate.h): its measures on the month's
// labelled rows, as the XGBoost's, and the month backtested with it ranking.
struct CandidateResult {
  std::string name;
  bool is_probability = true;  // false: a score in [0, 1]; no log loss or calibration
  std::optional<double> auc, log_loss;
  std::vector<ml::CalibrationBin> calibration;
  ml::TopK top;         // precision at top-K by the blended score
  MonthTrading ranking; // the month with the candidate's model ranking
};

struct FoldResult {
  ml::Fold fold;
  ml::FoldRows rows;
  std::string skipped;  // why the fold was not evaluated (empty: it was)
  std::size_t train_wins = 0;
  std::size_t test_wins = 0;
  std::optional<double> auc, log_loss;
  // The log loss of predicting the training rows' win rate for every test row: a model that
  // does not beat it knows less than the base rate.
  std::optional<double> base_log_loss;
  std::vector<ml::CalibrationBin> calibration;
  std::size_t top_k = 0;
  // Decision times of the test month with signals, and those with more than top_k: only where
  // signals outnumber the free slots can a model's ranking change what is traded (ranking alone
  // vetoes nothing, and sizing reads the confidence, blend.h; the veto and sizing variants do).
  std::size_t decisions = 0, contested_decisions = 0;
  ml::TopK model_top, confidence_top;  // by the blended score the backtest ranks by, by confidence
  // The same for the first-ranked signal alone (k = 1), at decisions with two or more signals.
  ml::TopK model_first, confidence_first;
  std::vector<double> gain;            // per feature (ml/importance.h)
  std::vector<double> shap;            // mean |SHAP contribution| per feature on the test rows
  std::vector<std::optional<double>> psi;  // per feature, test rows against training rows
  // The month's backtests: without a model; with it ranking; ranking and vetoing ranks whose
  // probability is below min_probability; ranking and sizing by its blended score. The controls:
  // the veto and the sizing by a placebo, a model of no skill with the model's distribution of
  // probabilities on the month's rows (ml/placebo_model.h). with_exit: ranking and the model exit
  // (exit_below), against with_model (ranking, holding to stop, target or timeout); placebo_exit
  // its control.
  MonthTrading without_model, with_model, with_veto, with_sizing, placebo_veto, placebo_sizing, with_exit, placebo_exit;
  std::vector<CandidateResult> candidates;  // in the order of --candidate
};

std::string walk_forward_csv(const std::vector<FoldResult>& folds);
std::string walk_forward_json(const std::vector<FoldResult>& folds, const std::string& setup);
std::string walk_forward_summary(const std::vector<FoldResult>& folds);

// The candidates (walk_forward_candidate_output.cpp): candidates.csv, a row per test month and
// candidate beside the XGBoost's figures; a fold's "candidates" JSON list; the summary's lines;
// the page's section (empty without candidates).
std::string candidates_csv(const std::vector<FoldResult>& folds);
std::string candidates_json(const FoldResult& fold);
std::string candidates_summary(const std::vector<FoldResult>& folds);
std::string candidates_section(const std::vector<FoldResult>& folds);

}  // namespace winiswin
