// The walk-forward candidate "r": the R regression (ml train --target r: R net of fees,
// reg:squarederror) trained on the fold's training rows, ranking by its predicted R. The seam
// takes a score in [0, 1]: each predicted R becomes its mid-rank among the training rows' own
// predictions (ml::RankScore) — monotone, so it ranks as the R does; not a probability, so log
// loss and calibration are skipped (is_probability = false). In the month's backtest the rank
// score stands in for p in the blend with confidence (ml::RRankModel).
#include <fmt/format.h>

#include "app/walk_forward_candidate.h"
#include "ml/r_model.h"

namespace winiswin {
namespace {

class RCandidate final : public WalkForwardCandidate {
 public:
  [[nodiscard]] std::string_view name() const override { return "r"; }

  [[nodiscard]] Result<CandidatePrediction> predict(const CandidateFold& fold) override {
    ml::TrainConfig config = fold.training_config();
    config.target = ml::Target::kR;
    const std::filesystem::path file = fold.folder / (fold.fold.test.name + ".json");
    if (auto report = ml::train(fold.training_rows(), config, file); !report.ok()) return report.error();
    WINISWIN_TRY(ml::RModel model, ml::RModel::load(file));
    std::vector<double> train_r(fold.split.train.size()), test_r(fold.split.test.size());
    if (auto status = model.predict(ml::feature_matrix(fold.rows, fold.split.train), train_r); !status) return status.error();
    if (auto status = model.predict(ml::feature_matrix(fold.rows, fold.split.test), test_r); !status) return status.error();
    WINISWIN_TRY(ml::RankScore rank, ml::RankScore::fit(train_r));
    CandidatePrediction prediction;
    prediction.is_probability = false;
    for (const double r : test_r) prediction.probability.push_back(rank.score(r));
    prediction.model = std::make_unique<ml::RRankModel>(std::move(model), std::move(rank), fold.model_weight);
    return prediction;
  }
};

}  // namespace

Result<std::unique_ptr<WalkForwardCandidate>> make_r_candidate(const CandidateContext&) {
  return std::unique_ptr<WalkForwardCandidate>(std::make_unique<RCandidate>());
}

}  // namespace winiswin
