// The stale-model candidate: for test month M, a model trained as the walk-forward trained the one
// for the month 3 months with data earlier (its labels all known before that month starts); "no
// model" (p = 0.5, trading by confidence) where none existed; the promotion rule's verdict per
// month in promotion.csv.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "app/walk_forward_candidate.h"
#include "ml/evaluation.h"
#include "ml/promotion.h"

namespace winiswin {
namespace {

constexpr Milliseconds kTwoHours{7'200'000};
const Timestamp kJanuary = timestamp_from_ms(1'767'225'600'000);  // 2026-01-01 00:00 UTC

// Two rows every two hours from January to June 2026; a win when feature 0 is above 0.5 (90 % of
// the time): something to learn.
std::vector<ml::LabelledRow> six_months() {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<ml::LabelledRow> rows;
  for (Timestamp decided = kJanuary + kTwoHours; decided < kJanuary + std::chrono::days{181}; decided += kTwoHours) {
    for (const char* symbol : {"BTCUSDT", "ETHUSDT"}) {
      ml::LabelledRow row;
      row.symbol = symbol;
      row.decided = decided;
      row.exited = decided + kTwoHours;
      for (double& feature : row.features) feature = uniform(random);
      row.win = (row.features[0] > 0.5) == (uniform(random) < 0.9);
      row.exit_reason = row.win ? "target" : "stop";
      rows.push_back(row);
    }
  }
  return rows;
}

std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class StaleCandidateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() / ("winiswin_stale_candidate_" + std::to_string(::getpid()));
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
    train_.rounds = 20;
    rows_ = six_months();
    std::vector<Timestamp> times;
    for (const ml::LabelledRow& row : rows_) times.push_back(row.decided);
    months_ = ml::months_of(times);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  // The candidate's prediction for `fold`, as the walk-forward asks for it.
  CandidatePrediction predict(WalkForwardCandidate& candidate, const ml::Fold& fold) {
    const ml::FoldRows split = ml::split_fold(rows_, fold, train_.horizon);
    auto prediction = candidate.predict(CandidateFold{rows_, fold, split, train_, folder_, 0.8});
    EXPECT_TRUE(prediction.ok()) << prediction.error().message;
    EXPECT_EQ(prediction->probability.size(), split.test.size());
    return std::move(*prediction);
  }
  std::unique_ptr<WalkForwardCandidate> stale() {
    return make_candidate("stale", CandidateContext{{}, train_}).value();
  }
  // June's test rows' outcomes, in their order (all of June's rows are labelled).
  std::span<const bool> june_outcomes() {
    june_won_.clear();
    for (const ml::LabelledRow& row : rows_) {
      if (row.decided >= months_[5].start) june_won_.push_back(row.win ? 1 : 0);
    }
    june_flags_ = std::make_unique<bool[]>(june_won_.size());
    for (std::size_t idx = 0; idx < june_won_.size(); ++idx) june_flags_[idx] = june_won_[idx] != 0;
    return {june_flags_.get(), june_won_.size()};
  }
  ml::DataRange range_of(const std::string& month) {
    const auto range = ml::recorded_range(folder_ / (month + ".json"));
    EXPECT_TRUE(range.ok() && range->has_value()) << month;
    return range->value();
  }

  std::filesystem::path folder_;
  ml::TrainConfig train_;
  std::vector<ml::LabelledRow> rows_;
  std::vector<ml::Month> months_;
  std::vector<char> june_won_;
  std::unique_ptr<bool[]> june_flags_;
};

TEST_F(StaleCandidateTest, EachMonthGetsTheModelOfThreeMonthsEarlierOrNoModel) {
  ASSERT_EQ(months_.size(), 6u);
  const std::vector<ml::Fold> folds = ml::plan_folds(months_, 1, false).value();  // tests February to June
  const auto candidate = stale();
  std::vector<CandidatePrediction> predictions;
  for (const ml::Fold& fold : folds) predictions.push_back(predict(*candidate, fold));
  // February to April: no month lies three before them with a month to train on.
  for (std::size_t at = 0; at < 3; ++at) {
    EXPECT_EQ(predictions[at].model->name(), "pass-through") << folds[at].test.name;
    EXPECT_TRUE(std::all_of(predictions[at].probability.begin(), predictions[at].probability.end(), [](double p) { return p == 0.5; }));
    EXPECT_FALSE(std::filesystem::exists(folder_ / (folds[at].test.name + ".json")));
  }
  // May: the model for February, trained on January (labels known before February).
  EXPECT_NE(predictions[3].model->name(), "pass-through");
  const ml::DataRange may = range_of("2026-05");
  EXPECT_GE(may.first_decision, months_[0].start);
  EXPECT_LT(may.labels_known, months_[1].start);
  EXPECT_GE(may.labels_known, months_[1].start - std::chrono::days{1});
  // June: the model for March, trained on February.
  const ml::DataRange june = range_of("2026-06");
  EXPECT_GE(june.first_decision, months_[1].start);
  EXPECT_LT(june.labels_known, months_[2].start);
  // Something was learned: June's stale model ranks the test rows.
  EXPECT_GT(ml::auc(predictions[4].probability, june_outcomes()).value_or(0.0), 0.8);
  const std::vector<std::string> stale_csv = lines_of(folder_ / "stale.csv");
  ASSERT_EQ(stale_csv.size(), 6u);
  EXPECT_EQ(stale_csv[1].rfind("2026-02,none,0,", 0), 0u) << stale_csv[1];
  EXPECT_EQ(stale_csv[4].rfind("2026-05,2026-02,", 0), 0u) << stale_csv[4];
  EXPECT_EQ(stale_csv[5].rfind("2026-06,2026-03,", 0), 0u) << stale_csv[5];
  // The rule's verdict per month: against "no model", the fresh model (it learned) is promoted.
  const std::vector<std::string> promotion = lines_of(folder_ / "promotion.csv");
  ASSERT_EQ(promotion.size(), 6u);
  EXPECT_EQ(promotion[0].rfind("test_month,stale_model_month,rows,fresh_auc,stale_auc,", 0), 0u);
  EXPECT_NE(promotion[1].find(",1,\"promoted: AUC"), std::string::npos) << promotion[1];
}

// Expanding windows: the stale model trains on every month before its own test month.
TEST_F(StaleCandidateTest, WithExpandingWindowsTheStaleModelTrainsOnAllBefore) {
  const std::vector<ml::Fold> folds = ml::plan_folds(months_, 1, true).value();
  const auto candidate = stale();
  (void)predict(*candidate, folds.back());  // June: the model for March, trained on January and February
  const ml::DataRange june = range_of("2026-06");
  EXPECT_LT(june.first_decision, months_[0].start + std::chrono::days{1});
  EXPECT_LT(june.labels_known, months_[2].start);
  EXPECT_GE(june.labels_known, months_[2].start - std::chrono::days{1});
}

}  // namespace
}  // namespace winiswin
