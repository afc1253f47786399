// The candidates' registry, and the first candidate: the walk-forward's own XGBoost, trained
// again through the candidate path. It checks the path itself (its measures and its month's
// trading must equal the XGBoost's) and is the yardstick the others are read against.
#include <fmt/format.h>

#include <array>

#include "app/walk_forward_candidate.h"
#include "ml/xgboost_model.h"

namespace winiswin {
namespace {

class XgboostCandidate final : public WalkForwardCandidate {
 public:
  [[nodiscard]] std::string_view name() const override { return "xgboost"; }

  [[nodiscard]] Result<CandidatePrediction> predict(const CandidateFold& fold) override {
    const std::filesystem::path model_file = fold.folder / (fold.fold.test.name + ".json");
    WINISWIN_TRY(const ml::TrainReport report, ml::train(fold.training_rows(), fold.training_config(), model_file));
    WINISWIN_TRY(std::unique_ptr<ml::XgboostModel> model, ml::XgboostModel::load(model_file, fold.model_weight));
    const std::vector<float> features = ml::feature_matrix(fold.rows, fold.split.test);
    CandidatePrediction prediction;
    prediction.probability.assign(fold.split.test.size(), 0.0);
    if (auto status = model->predict(features, prediction.probability); !status) return status.error();
    prediction.model = std::move(model);
    return prediction;
  }
};

#ifndef WINISWIN_SEQUENCE_CANDIDATES
// Built without them (CMakeLists.txt: WINISWIN_SEQUENCE_CANDIDATES): the names stay known, and say how to get them.
Result<std::unique_ptr<WalkForwardCandidate>> sequence_not_built(const CandidateContext&) {
  return make_error(ErrorCode::kInvalidArgument,
                    "the sequence candidates (lstm, transformer, cnn) are not in this build of winiswin: configure with "
                    "-DWINISWIN_SEQUENCE_CANDIDATES=ON (it links libtorch, ~0.7 s more at every start)");
}
#endif

const std::array<CandidateEntry, 8> kCandidates{{
    {"xgboost", "the walk-forward's own XGBoost through the candidate path (a check of the path, and the yardstick)", make_xgboost_candidate},
    {"bagged", "5 XGBoost members on bootstraps: ranks by their mean p, the spread lowers size (to half at the top decile)", make_bagged_candidate},
    {"bagged-rank", "the bagged ensemble ranking by its mean p, sizing as the risk rules say", make_bagged_rank_candidate},
    {"r", "the R regression (ml train --target r), ranking by its predicted R's rank among the training rows'", make_r_candidate},
    {"stale", "the XGBoost trained for the month 3 months with data earlier: does retraining help? (promotion.csv: the rule's verdicts)", make_stale_candidate},
    {"lstm", "an LSTM over the last 48 5m bars (src/ml/sequence)", make_lstm_candidate},
    {"transformer", "a Transformer encoder (one layer, 4 heads) over the last 48 5m bars (src/ml/sequence)", make_transformer_candidate},
    {"cnn", "a dilated 1-D CNN over the last 48 5m bars (src/ml/sequence)", make_cnn_candidate},
}};

}  // namespace

#ifndef WINISWIN_SEQUENCE_CANDIDATES
Result<std::unique_ptr<WalkForwardCandidate>> make_lstm_candidate(const CandidateContext& context) { return sequence_not_built(context); }
Result<std::unique_ptr<WalkForwardCandidate>> make_transformer_candidate(const CandidateContext& context) { return sequence_not_built(context); }
Result<std::unique_ptr<WalkForwardCandidate>> make_cnn_candidate(const CandidateContext& context) { return sequence_not_built(context); }
#endif

Result<std::unique_ptr<WalkForwardCandidate>> make_xgboost_candidate(const CandidateContext&) {
  return std::unique_ptr<WalkForwardCandidate>(std::make_unique<XgboostCandidate>());
}

std::span<const CandidateEntry> candidate_registry() { return kCandidates; }

Result<std::unique_ptr<WalkForwardCandidate>> make_candidate(std::string_view name, const CandidateContext& context) {
  std::string known;
  for (const CandidateEntry& entry : candidate_registry()) {
    if (entry.name == name) return entry.make(context);
    known += (known.empty() ? "" : ", ") + std::string(entry.name);
  }
  return make_error(ErrorCode::kInvalidArgument, fmt::format("--candidate {}: no such candidate (known: {})", name, known));
}

}  // namespace winiswin
