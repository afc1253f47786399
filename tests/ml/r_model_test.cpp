#include "ml/r_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ml/evaluation.h"
#include "ml/trainer.h"
#include "scratch_folder.h"
#include "xgboost_fixture.h"

namespace winiswin::ml {
namespace {

constexpr std::int64_t kStart = 1'767'225'900'000;  // 2026-01-01 00:05
constexpr std::int64_t kHour = 3'600'000;

class RModelTest : public testing::ScratchFolderTest {};

// One row an hour whose R net of fees follows feature 6, plus noise.
std::vector<LabelledRow> r_rows(std::size_t count, unsigned seed) {
  const std::vector<float> features = testing::random_rows(count, seed);
  std::vector<LabelledRow> rows(count);
  for (std::size_t idx = 0; idx < count; ++idx) {
    LabelledRow& row = rows[idx];
    row.symbol = "AUSDT";
    row.decided = timestamp_from_ms(kStart + static_cast<std::int64_t>(idx) * kHour);
    row.exit_reason = "stop";
    for (std::size_t column = 0; column < strategy::kFeatureCount; ++column) row.features[column] = features[idx * strategy::kFeatureCount + column];
    const double signal = std::isnan(row.features[6]) ? 0.0 : row.features[6];
    row.r_net = signal + 0.3 * std::sin(static_cast<double>(idx));
    row.win = row.r_net > 0;
  }
  return rows;
}

std::vector<float> features_of(const std::vector<LabelledRow>& rows) {
  std::vector<float> out;
  for (const LabelledRow& row : rows) {
    for (const double value : row.features) out.push_back(static_cast<float>(value));
  }
  return out;
}

TEST_F(RModelTest, PredictsTheRegressionsRAndRanksAsItDoes) {
  TrainConfig config;
  config.target = Target::kR;
  config.rounds = 40;
  config.validation_fraction = 0.0;
  ASSERT_TRUE(train(r_rows(600, 3), config, folder_ / "r.json").ok());
  const Result<RModel> model = RModel::load(folder_ / "r.json");
  ASSERT_TRUE(model.ok()) << model.error().message;
  const std::vector<LabelledRow> test = r_rows(200, 4);
  std::vector<double> predicted(test.size()), actual;
  ASSERT_TRUE(model->predict(features_of(test), predicted).ok());
  for (const LabelledRow& row : test) actual.push_back(row.r_net);
  EXPECT_GT(spearman(predicted, actual), 0.8);
}

// Behind the model seam: the score is the predicted R's rank score blended with confidence;
// no win probability.
TEST_F(RModelTest, TheRankModelScoresByTheRankOfThePredictedR) {
  TrainConfig config;
  config.target = Target::kR;
  config.rounds = 20;
  config.validation_fraction = 0.0;
  ASSERT_TRUE(train(r_rows(300, 5), config, folder_ / "r.json").ok());
  const std::vector<LabelledRow> test = r_rows(40, 6);
  std::vector<double> predicted(test.size());
  ASSERT_TRUE(RModel::load(folder_ / "r.json").value().predict(features_of(test), predicted).ok());
  const std::vector<double> reference{-1.0, -0.2, 0.0, 0.4, 1.1};
  const RRankModel model(RModel::load(folder_ / "r.json").value(), RankScore::fit(reference).value(), 0.8);
  std::vector<strategy::Signal> batch(test.size());
  for (std::size_t row = 0; row < test.size(); ++row) {
    batch[row].confidence = 0.5;
    batch[row].features = test[row].features;
  }
  std::vector<double> scores(test.size()), probabilities(test.size());
  ASSERT_TRUE(model.evaluate(batch, scores, probabilities).ok());
  const RankScore rank = RankScore::fit(reference).value();
  for (std::size_t row = 0; row < test.size(); ++row) {
    EXPECT_DOUBLE_EQ(scores[row], blended_score(rank.score(predicted[row]), 0.5, 0.8)) << row;
    EXPECT_TRUE(std::isnan(probabilities[row]));
  }
}

TEST_F(RModelTest, AWinModelOrNoFileIsRefused) {
  testing::train_tiny_model(folder_ / "win.json");
  const auto win = RModel::load(folder_ / "win.json");
  ASSERT_FALSE(win.ok());
  EXPECT_NE(win.error().message.find("not an R model"), std::string::npos) << win.error().message;
  EXPECT_FALSE(RModel::load(folder_ / "absent.json").ok());
}

TEST(RankScoreTest, IsTheMidRankAmongTheReference) {
  const std::vector<double> reference{0.3, -1.0, 0.3, 2.0};  // sorted: -1, 0.3, 0.3, 2
  const RankScore rank = RankScore::fit(reference).value();
  EXPECT_DOUBLE_EQ(rank.score(-5.0), 0.0);
  EXPECT_DOUBLE_EQ(rank.score(-1.0), 0.125);  // half of one tie
  EXPECT_DOUBLE_EQ(rank.score(0.0), 0.25);
  EXPECT_DOUBLE_EQ(rank.score(0.3), 0.5);     // one below, two ties
  EXPECT_DOUBLE_EQ(rank.score(1.0), 0.75);
  EXPECT_DOUBLE_EQ(rank.score(9.0), 1.0);
  EXPECT_FALSE(RankScore::fit({}).ok());
  EXPECT_FALSE(RankScore::fit(std::vector<double>{0.1, std::nan("")}).ok());
}

}  // namespace
}  // namespace winiswin::ml
