#include "ml/trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "ml/evaluation.h"
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

// One row an hour whose R net of fees is a known function of one feature (rsi_5m, column 6)
// plus noise; the other features are noise.
std::vector<LabelledRow> rows_with_r(std::size_t count) {
  auto rows = hourly_rows(count);
  std::mt19937 random(21);
  std::normal_distribution<double> noise(0.0, 0.2);
  for (LabelledRow& row : rows) {
    const double feature = std::isnan(row.features[6]) ? 0.0 : row.features[6];
    row.r_net = 2.0 * std::tanh(feature) - 0.3 + noise(random);
    row.win = row.r_net > 0.0;
  }
  return rows;
}

TEST_F(TrainerTest, TheRRegressionRanksRowsByTheFeatureThatMakesTheirR) {
  const auto rows = rows_with_r(800);
  TrainConfig config = quick();
  config.target = Target::kR;
  config.rounds = 60;
  const auto report = train(rows, config, folder_ / "r.json");
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_TRUE(report->validation_spearman.has_value());
  EXPECT_GT(*report->validation_spearman, 0.8) << report->evaluation;
  // Better than predicting the mean: R's spread on these rows is ~1.4.
  EXPECT_LT(*report->validation_rmse, 0.6) << report->evaluation;
  EXPECT_NE(report->evaluation.find("validation-rmse"), std::string::npos) << report->evaluation;
  EXPECT_NE(bytes_of(folder_ / "r.json").find("reg:squarederror"), std::string::npos);
  // Its own Spearman from the model's predictions, not a number the trainer could make up.
  std::vector<float> features;
  std::vector<double> actual;
  for (const std::size_t idx : report->split.validation) {
    for (const double value : rows[idx].features) features.push_back(static_cast<float>(value));
    actual.push_back(rows[idx].r_net);
  }
  xgb::Booster booster = xgb::make_booster({}).value();
  ASSERT_EQ(XGBoosterLoadModel(booster.get(), (folder_ / "r.json").c_str()), 0);
  std::vector<double> predicted(actual.size());
  ASSERT_TRUE(xgb::predict_dense(booster.get(), features, strategy::kFeatureCount, predicted).ok());
  EXPECT_NEAR(spearman(predicted, actual), *report->validation_spearman, 1e-6);
}

TEST_F(TrainerTest, TheRRegressionWritesTheSameBytesForASeedAndRecordsItsTarget) {
  const auto rows = rows_with_r(400);
  TrainConfig config = quick();
  config.target = Target::kR;
  ASSERT_TRUE(train(rows, config, folder_ / "first.json").ok());
  ASSERT_TRUE(train(rows, config, folder_ / "second.json").ok());
  const std::string bytes = bytes_of(folder_ / "first.json");
  EXPECT_EQ(bytes, bytes_of(folder_ / "second.json"));
  EXPECT_NE(bytes.find(kRTargetValue), std::string::npos);
  config.seed = 43;
  ASSERT_TRUE(train(rows, config, folder_ / "third.json").ok());
  EXPECT_NE(bytes, bytes_of(folder_ / "third.json"));
  // The win classifier on the same rows records its own target.
  ASSERT_TRUE(train(rows, quick(), folder_ / "win.json").ok());
  EXPECT_NE(bytes_of(folder_ / "win.json").find(kWinTargetValue), std::string::npos);
}

TEST_F(TrainerTest, AnRModelIsRefusedWhereAWinProbabilityIsExpected) {
  TrainConfig config = quick();
  config.target = Target::kR;
  ASSERT_TRUE(train(rows_with_r(300), config, folder_ / "r.json").ok());
  const auto loaded = XgboostModel::load(folder_ / "r.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("an R-regression model ranks by expected R; --model takes win-probability models"), std::string::npos)
      << loaded.error().message;
}

TEST_F(TrainerTest, TargetsAreWinOrROnly) {
  EXPECT_EQ(parse_target("win").value(), Target::kWin);
  EXPECT_EQ(parse_target("r").value(), Target::kR);
  for (const char* typo : {"R2", "wins", "", "regression"}) {
    const auto parsed = parse_target(typo);
    ASSERT_FALSE(parsed.ok()) << typo;
    EXPECT_NE(parsed.error().message.find("'win'"), std::string::npos) << parsed.error().message;
  }
}

TEST_F(TrainerTest, SpearmanUsesAverageRanks) {
  const std::vector<double> x{1, 2, 3, 4}, monotone{10, 20, 25, 100}, reversed{4, 3, 2, 1}, ties{1, 1, 2, 2};
  EXPECT_DOUBLE_EQ(spearman(x, monotone), 1.0);
  EXPECT_DOUBLE_EQ(spearman(x, reversed), -1.0);
  // ranks 1.5 1.5 3.5 3.5 against 1 2 3 4: 4 / sqrt(5 * 4)
  EXPECT_NEAR(spearman(x, ties), 4.0 / std::sqrt(20.0), 1e-12);
  EXPECT_TRUE(std::isnan(spearman(x, std::vector<double>{1, 1, 1, 1})));
}

}  // namespace
}  // namespace winiswin::ml
