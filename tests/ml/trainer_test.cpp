#include "ml/trainer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ml/xgboost_model.h"
#include "scratch_folder.h"
#include "xgboost_fixture.h"

namespace winiswin::ml {
namespace {

class TrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::scratch_folder("trainer_test");
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
};

constexpr std::int64_t kStart = 1'767'225'900'000;  // 2026-01-01 00:05
constexpr std::int64_t kHour = 3'600'000;

// One row an hour, labelled by the fixture's rule.
std::vector<LabelledRow> hourly_rows(std::size_t count) {
  const std::vector<float> features = testing::random_rows(count, 11);
  const std::vector<float> labels = testing::labels_of(features, 12);
  std::vector<LabelledRow> rows(count);
  for (std::size_t idx = 0; idx < count; ++idx) {
    rows[idx].symbol = "AUSDT";
    rows[idx].decided = timestamp_from_ms(kStart + static_cast<std::int64_t>(idx) * kHour);
    rows[idx].exit_reason = "stop";
    rows[idx].win = labels[idx] > 0.5f;
    for (std::size_t column = 0; column < strategy::kFeatureCount; ++column) {
      rows[idx].features[column] = features[idx * strategy::kFeatureCount + column];
    }
  }
  return rows;
}

std::string bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TrainConfig quick() {
  TrainConfig config;
  config.rounds = 30;
  return config;
}

TEST_F(TrainerTest, TwoTrainingsOnTheSameRowsWriteTheSameFile) {
  const auto rows = hourly_rows(600);
  const auto first = train(rows, quick(), folder_ / "first.json");
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(train(rows, quick(), folder_ / "second.json").ok());
  const std::string bytes = bytes_of(folder_ / "first.json");
  EXPECT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes, bytes_of(folder_ / "second.json"));
  TrainConfig reseeded = quick();
  reseeded.seed = 43;  // subsampling differs with the seed: so does the file
  ASSERT_TRUE(train(rows, reseeded, folder_ / "third.json").ok());
  EXPECT_NE(bytes, bytes_of(folder_ / "third.json"));
}

TEST_F(TrainerTest, TheModelLoadsWithItsSchemaAndTellsWinsFromLosses) {
  const auto rows = hourly_rows(600);
  const TrainReport report = train(rows, quick(), folder_ / "model.json").value();
  const auto model = XgboostModel::load(folder_ / "model.json");
  ASSERT_TRUE(model.ok()) << model.error().message;
  EXPECT_NE(report.evaluation.find("validation-auc"), std::string::npos) << report.evaluation;
  // On the held-out rows, wins get a higher probability than losses on average.
  double wins = 0.0, losses = 0.0;
  std::size_t win_count = 0;
  for (const std::size_t idx : report.split.validation) {
    std::vector<float> features(rows[idx].features.begin(), rows[idx].features.end());
    std::vector<double> probability(1);
    ASSERT_TRUE((*model)->predict(features, probability).ok());
    (rows[idx].win ? wins : losses) += probability[0];
    win_count += rows[idx].win ? 1 : 0;
  }
  ASSERT_GT(win_count, 0u);
  ASSERT_LT(win_count, report.split.validation.size());
  EXPECT_GT(wins / static_cast<double>(win_count), losses / static_cast<double>(report.split.validation.size() - win_count) + 0.1);
}

TEST_F(TrainerTest, TheImbalanceIsWeighedByLossesOverWins) {
  const auto rows = hourly_rows(600);
  TrainConfig config = quick();
  config.validation_fraction = 0.0;
  const TrainReport report = train(rows, config, folder_ / "model.json").value();
  const auto wins = static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const LabelledRow& row) { return row.win; }));
  EXPECT_EQ(report.wins, wins);
  EXPECT_EQ(report.split.train.size(), 600u);
  EXPECT_DOUBLE_EQ(report.scale_pos_weight, static_cast<double>(600 - wins) / static_cast<double>(wins));
  config.scale_pos_weight = 2.5;
  EXPECT_DOUBLE_EQ(train(rows, config, folder_ / "given.json").value().scale_pos_weight, 2.5);
}

TEST_F(TrainerTest, NoTrainingLabelReachesIntoTheValidationWindow) {
  auto rows = hourly_rows(200);
  rows[10].exit_reason = "end of data";
  for (LabelledRow& row : rows) row.exited = row.decided + Milliseconds{2 * kHour};
  rows[120].exited = rows[160].decided;  // held past the horizon (a timeout's last bar): its label ends in the window
  const Split split = purged_split(rows, 0.25, Milliseconds{24 * kHour});
  EXPECT_EQ(split.censored, 1u);
  ASSERT_FALSE(split.validation.empty());
  Timestamp start = Timestamp::max();
  for (const std::size_t idx : split.validation) start = std::min(start, rows[idx].decided);
  for (const std::size_t idx : split.train) {
    EXPECT_LT(rows[idx].decided + Milliseconds{24 * kHour}, start) << idx;
    EXPECT_LT(rows[idx].exited, start) << idx;
    EXPECT_NE(idx, 10u);
  }
  // Hourly rows: the 24 rows decided in the day before the window, and the one held into it.
  EXPECT_EQ(split.purged, 25u);
  EXPECT_EQ(split.train.size() + split.validation.size() + split.purged + split.censored, rows.size());
}

TEST_F(TrainerTest, RowsOfOneClassOrBadParametersAreRefused) {
  auto rows = hourly_rows(100);
  for (LabelledRow& row : rows) row.win = false;
  const auto trained = train(rows, quick(), folder_ / "model.json");
  ASSERT_FALSE(trained.ok());
  EXPECT_NE(trained.error().message.find("needs wins and losses"), std::string::npos);
  TrainConfig bad = quick();
  bad.eta = 0.0;
  EXPECT_FALSE(train(hourly_rows(100), bad, folder_ / "model.json").ok());
}

}  // namespace
}  // namespace winiswin::ml
