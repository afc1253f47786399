// The walk-forward candidates "bagged" and "bagged-rank": a bagged ensemble of XGBoost win
// classifiers (ml/ensemble.h: 5 members, each on a bootstrap of the fold's training rows with
// its own seed) ranking by the members' mean probability. "bagged" also lowers the size of the
// signals it is least sure of (ml::SpreadSizing, fitted on the spreads of its own training rows:
// full size up to their median spread, down to half at their top decile); "bagged-rank" sizes as
// the risk rules say, so that the two months' difference is the sizing alone.
//
// Per test month it writes candidates/<name>/<month>/: the members' model files and
// test_rows.csv, every test row's mean, spread, size scale and outcome (R net of fees, win), so
// that whether a high spread means worse trades can be read off the test rows.
#include <fmt/format.h>

#include "app/walk_forward_candidate.h"
#include "data/file_bytes.h"
#include "ml/ensemble.h"

namespace winiswin {
namespace {

std::string test_rows_csv(const CandidateFold& fold, std::span<const double> mean, std::span<const double> spread,
                          std::span<const double> scale) {
  std::string text = "decided_ms,symbol,mean,spread,size_scale,r_net,win\n";
  for (std::size_t pos = 0; pos < fold.split.test.size(); ++pos) {
    const ml::LabelledRow& row = fold.rows[fold.split.test[pos]];
    text += fmt::format("{},{},{:.6f},{:.6f},{:.6f},{:.6f},{}\n", to_ms(row.decided), row.symbol, mean[pos], spread[pos], scale[pos], row.r_net,
                        row.win ? 1 : 0);
  }
  return text;
}

class BaggedCandidate final : public WalkForwardCandidate {
 public:
  explicit BaggedCandidate(bool sizes) : sizes_(sizes) {}
  [[nodiscard]] std::string_view name() const override { return sizes_ ? "bagged" : "bagged-rank"; }

  [[nodiscard]] Result<CandidatePrediction> predict(const CandidateFold& fold) override {
    const std::filesystem::path folder = fold.folder / fold.fold.test.name;
    WINISWIN_TRY(ml::Ensemble ensemble, ml::Ensemble::train(fold.training_rows(), fold.training_config(), ml::EnsembleConfig{}, folder));
    // The size rule is fitted on the training rows' spreads: known before the test month.
    std::vector<double> train_mean(fold.split.train.size()), train_spread(fold.split.train.size());
    if (auto status = ensemble.predict(ml::feature_matrix(fold.rows, fold.split.train), train_mean, train_spread); !status) return status.error();
    WINISWIN_TRY(const ml::SpreadSizing sizing, ml::SpreadSizing::fit(train_spread));
    CandidatePrediction prediction;
    prediction.probability.resize(fold.split.test.size());
    std::vector<double> spread(fold.split.test.size()), scale;
    if (auto status = ensemble.predict(ml::feature_matrix(fold.rows, fold.split.test), prediction.probability, spread); !status) return status.error();
    for (const double value : spread) scale.push_back(sizes_ ? sizing.factor(value) : 1.0);
    if (auto status = write_file_bytes(folder / "test_rows.csv", test_rows_csv(fold, prediction.probability, spread, scale)); !status) {
      return status.error();
    }
    prediction.model = std::make_unique<ml::EnsembleModel>(std::move(ensemble), sizes_ ? std::optional(sizing) : std::nullopt, fold.model_weight);
    return prediction;
  }

 private:
  bool sizes_;
};

}  // namespace

Result<std::unique_ptr<WalkForwardCandidate>> make_bagged_candidate(const CandidateContext&) {
  return std::unique_ptr<WalkForwardCandidate>(std::make_unique<BaggedCandidate>(true));
}

Result<std::unique_ptr<WalkForwardCandidate>> make_bagged_rank_candidate(const CandidateContext&) {
  return std::unique_ptr<WalkForwardCandidate>(std::make_unique<BaggedCandidate>(false));
}

}  // namespace winiswin
