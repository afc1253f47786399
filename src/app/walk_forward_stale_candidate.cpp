// The stale-model candidate (issue 14: "retrain on a schedule" — does retraining help?): for test
// month M, the XGBoost the walk-forward trains for the month L months with data before M
// (kStaleLag = 3) — on as many months before that month as M's fold trains on, or as existed
// (the first folds' stale models train on fewer), purged at its start — so its training rows end
// L months before those of the fresh model the walk-forward trains for M. Its measures and
// month's trading sit beside the fresh model's in the report.
//
// Where no month lies L months before M, or none before that month trains (the first folds),
// there was no model then: the candidate is "no model" — p = 0.5 for every row (AUC 0.5), and
// the month is traded by confidence alone (the pass-through model). stale.csv names each month's
// stale model and its training rows.
//
// It also applies the promotion rule (ml/promotion.h, with the day-block bootstrap) to the fresh
// model as candidate against the stale one as current, on M's test rows — out of sample for both
// — and writes each month's verdict to promotion.csv: how often the rule would have installed the
// retrained model.
#include <fmt/format.h>

#include <map>
#include <memory>

#include "app/walk_forward_candidate.h"
#include "data/file_bytes.h"
#include "ml/promotion.h"
#include "ml/xgboost_model.h"

namespace winiswin {
namespace {

constexpr int kStaleLag = 3;  // months with data between the stale model's test month and M
constexpr double kNoModel = 0.5;

// The months with data, as far as the rows and the fold show them (a month with data but no
// labelled row is not seen: it cannot train or test anything either).
std::vector<ml::Month> months_seen(const CandidateFold& fold) {
  std::map<Timestamp, ml::Month> by_start;
  for (const ml::LabelledRow& row : fold.rows) {
    const ml::Month month = ml::month_of(row.decided);
    by_start.emplace(month.start, month);
  }
  for (const ml::Month& month : fold.fold.train) by_start.emplace(month.start, month);
  by_start.emplace(fold.fold.test.start, fold.fold.test);
  std::vector<ml::Month> months;
  for (const auto& [start, month] : by_start) months.push_back(month);
  return months;
}

// The fold the walk-forward ran L months with data before M: its test month and as many months
// before it as M's fold trains on (all of them when expanding). None before the data allows it.
std::optional<ml::Fold> stale_fold(const CandidateFold& fold) {
  const std::vector<ml::Month> months = months_seen(fold);
  std::size_t at = 0;
  while (months[at].start != fold.fold.test.start) ++at;
  if (at < static_cast<std::size_t>(kStaleLag) + 1) return std::nullopt;
  const std::size_t test = at - static_cast<std::size_t>(kStaleLag);
  const std::size_t first = test - std::min(test, fold.fold.train.size());
  return ml::Fold{months[test], std::vector<ml::Month>(months.begin() + static_cast<std::ptrdiff_t>(first),
                                                       months.begin() + static_cast<std::ptrdiff_t>(test))};
}

// An XGBoost trained, as the walk-forward trains its own, on `training` (indexes into the rows).
Result<std::unique_ptr<ml::XgboostModel>> train_model(const CandidateFold& fold, std::span<const std::size_t> training,
                                                      const std::filesystem::path& file) {
  WINISWIN_TRY(const ml::TrainReport report, ml::train(ml::rows_at(fold.rows, training), fold.training_config(), file));
  return ml::XgboostModel::load(file, fold.model_weight);
}

bool learnable(std::span<const ml::LabelledRow> rows, std::span<const std::size_t> training) {
  std::size_t wins = 0;
  for (const std::size_t idx : training) wins += rows[idx].win ? 1 : 0;
  return wins > 0 && wins < training.size();
}

class StaleCandidate final : public WalkForwardCandidate {
 public:
  [[nodiscard]] std::string_view name() const override { return "stale"; }

  [[nodiscard]] Result<CandidatePrediction> predict(const CandidateFold& fold) override {
    const std::string& month = fold.fold.test.name;
    const std::vector<float> features = ml::feature_matrix(fold.rows, fold.split.test);
    CandidatePrediction prediction;
    prediction.probability.assign(fold.split.test.size(), kNoModel);
    std::string stale_from = "none";
    const std::optional<ml::Fold> earlier = stale_fold(fold);
    const ml::FoldRows earlier_rows = earlier ? ml::split_fold(fold.rows, *earlier, fold.train.horizon) : ml::FoldRows{};
    if (earlier && learnable(fold.rows, earlier_rows.train)) {
      WINISWIN_TRY(std::unique_ptr<ml::XgboostModel> stale, train_model(fold, earlier_rows.train, fold.folder / (month + ".json")));
      if (auto status = stale->predict(features, prediction.probability); !status) return status.error();
      prediction.model = std::move(stale);
      stale_from = earlier->test.name;
    } else {
      prediction.model = std::make_unique<ml::PassThroughModel>();
    }
    WINISWIN_TRY(const std::unique_ptr<ml::XgboostModel> fresh, train_model(fold, fold.split.train, fold.folder / (month + ".fresh.json")));
    std::vector<double> fresh_probability(fold.split.test.size(), 0.0);
    if (auto status = fresh->predict(features, fresh_probability); !status) return status.error();
    if (auto status = record(fold, stale_from, earlier_rows.train.size(), prediction.probability, fresh_probability); !status) return status.error();
    return prediction;
  }

 private:
  // stale.csv and promotion.csv, rewritten whole after each month (a row per month so far).
  Status record(const CandidateFold& fold, const std::string& stale_from, std::size_t stale_rows, std::span<const double> stale,
                std::span<const double> fresh) {
    std::vector<Timestamp> decided;
    const auto won = std::make_unique<bool[]>(fold.split.test.size());  // not vector<bool>: the measures take a span of bool
    for (std::size_t pos = 0; pos < fold.split.test.size(); ++pos) {
      decided.push_back(fold.rows[fold.split.test[pos]].decided);
      won[pos] = fold.rows[fold.split.test[pos]].win;
    }
    const ml::PromotionCriterion criterion;
    const ml::Comparison comparison =
        ml::compare_predictions(ml::PairedPredictions{decided, {won.get(), decided.size()}, stale, fresh}, criterion);
    const ml::PromotionDecision decision = ml::decide_promotion(comparison, criterion);
    const auto shown = [](const std::optional<double>& value) { return value ? fmt::format("{:.6f}", *value) : std::string(); };
    stale_csv_ += fmt::format("{},{},{},{}\n", fold.fold.test.name, stale_from, stale_rows, fold.split.train.size());
    promotion_csv_ += fmt::format("{},{},{},{},{},{},{},{},{},{},\"{}\"\n", fold.fold.test.name, stale_from, comparison.candidate.rows,
                                  shown(comparison.candidate.auc), shown(comparison.current.auc), shown(comparison.candidate.log_loss),
                                  shown(comparison.current.log_loss), shown(comparison.gain.auc_gain_lower), comparison.gain.days,
                                  decision.promote ? 1 : 0, decision.reason);
    if (auto status = write_file_bytes(fold.folder / "stale.csv", "test_month,stale_model_month,stale_training_rows,fresh_training_rows\n" + stale_csv_);
        !status) {
      return status;
    }
    return write_file_bytes(fold.folder / "promotion.csv",
                            "test_month,stale_model_month,rows,fresh_auc,stale_auc,fresh_log_loss,stale_log_loss,auc_gain_lower,days,promoted,reason\n" +
                                promotion_csv_);
  }

  std::string stale_csv_;
  std::string promotion_csv_;
};

}  // namespace

Result<std::unique_ptr<WalkForwardCandidate>> make_stale_candidate(const CandidateContext&) {
  return std::unique_ptr<WalkForwardCandidate>(std::make_unique<StaleCandidate>());
}

}  // namespace winiswin
