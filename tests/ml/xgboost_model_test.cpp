#include "ml/xgboost_model.h"

#include <gtest/gtest.h>

#include <fstream>

#include "scratch_folder.h"
#include "xgboost_fixture.h"

namespace winiswin::ml {
namespace {

class XgboostModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::scratch_folder("xgboost_model_test");
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
};

strategy::Signal signal_of(const std::vector<float>& rows, std::size_t row, double confidence) {
  strategy::Signal signal;
  signal.symbol = "S";
  signal.symbol += std::to_string(row);  // (g++ 12 warns falsely on "S" + to_string under -Werror=restrict)
  signal.confidence = confidence;
  for (std::size_t column = 0; column < strategy::kFeatureCount; ++column) {
    signal.features[column] = rows[row * strategy::kFeatureCount + column];
  }
  return signal;
}

TEST_F(XgboostModelTest, PredictionsEqualLibxgboostsOwnOnEveryRow) {
  const auto file = folder_ / "model.json";
  testing::train_tiny_model(file);
  const auto model = XgboostModel::load(file).value();
  const std::vector<float> rows = testing::random_rows(200, 99);  // not the training rows
  std::vector<double> probabilities(200);
  ASSERT_TRUE(model->predict(rows, probabilities).ok());
  const std::vector<float> expected = testing::libxgboost_predictions(file, rows);
  ASSERT_EQ(expected.size(), 200u);
  double lowest = 1.0, highest = 0.0;
  for (std::size_t idx = 0; idx < expected.size(); ++idx) {
    EXPECT_EQ(probabilities[idx], static_cast<double>(expected[idx])) << "row " << idx;
    lowest = std::min(lowest, probabilities[idx]);
    highest = std::max(highest, probabilities[idx]);
  }
  EXPECT_LT(lowest, 0.3);  // the model separates the rows: a constant would pass the equality too
  EXPECT_GT(highest, 0.7);
}

TEST_F(XgboostModelTest, ScoresBlendTheProbabilityWithConfidenceInOneBatch) {
  const auto file = folder_ / "model.json";
  testing::train_tiny_model(file);
  const auto model = XgboostModel::load(file, 0.75).value();
  const std::vector<float> rows = testing::random_rows(5, 3);
  std::vector<strategy::Signal> batch;
  for (std::size_t row = 0; row < 5; ++row) batch.push_back(signal_of(rows, row, 0.1 * static_cast<double>(row + 3)));
  std::vector<double> scores(5), probabilities(5), alone(5);
  ASSERT_TRUE(model->evaluate(batch, scores, probabilities).ok());
  ASSERT_TRUE(model->predict(rows, alone).ok());
  for (std::size_t idx = 0; idx < 5; ++idx) {
    EXPECT_EQ(probabilities[idx], alone[idx]);
    EXPECT_DOUBLE_EQ(scores[idx], 0.75 * alone[idx] + 0.25 * batch[idx].confidence);
  }
  std::vector<double> again(5);
  ASSERT_TRUE(model->score(batch, again).ok());
  EXPECT_EQ(again, scores);
  EXPECT_FALSE(model->passes_confidence_through());
}

TEST_F(XgboostModelTest, AModelOfAnotherFeatureVersionIsRefused) {
  const auto file = folder_ / "v999.json";
  testing::train_tiny_model(file, testing::TinyModel{.feature_version = 999});
  const auto loaded = XgboostModel::load(file);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("features v999"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("retrain"), std::string::npos) << loaded.error().message;
}

TEST_F(XgboostModelTest, AModelWithOtherFeatureNamesIsRefusedNamingTheFirst) {
  testing::TinyModel spec;
  std::swap(spec.names[6], spec.names[7]);
  const auto file = folder_ / "swapped.json";
  testing::train_tiny_model(file, spec);
  const auto loaded = XgboostModel::load(file);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("feature 6 is 'macd_5m_pct' in the model, 'rsi_5m' here"), std::string::npos)
      << loaded.error().message;
}

TEST_F(XgboostModelTest, AModelWithoutASchemaIsRefused) {
  const auto file = folder_ / "plain.json";
  testing::train_tiny_model(file, testing::TinyModel{.with_version = false});
  const auto loaded = XgboostModel::load(file);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("carries no feature schema"), std::string::npos) << loaded.error().message;
}

TEST_F(XgboostModelTest, MalformedOrMissingFilesAreRefused) {
  const auto broken = folder_ / "broken.json";
  std::ofstream(broken) << R"({"learner": {"gradient_booster": )";
  const auto loaded = XgboostModel::load(broken);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("broken.json"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("not an XGBoost model"), std::string::npos) << loaded.error().message;

  const auto truncated = folder_ / "truncated.json";
  testing::train_tiny_model(folder_ / "whole.json");
  std::ifstream whole(folder_ / "whole.json");
  std::string text((std::istreambuf_iterator<char>(whole)), std::istreambuf_iterator<char>());
  std::ofstream(truncated) << text.substr(0, text.size() / 2);
  EXPECT_FALSE(XgboostModel::load(truncated).ok());

  const auto missing = XgboostModel::load(folder_ / "absent.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no such file"), std::string::npos);
  EXPECT_FALSE(XgboostModel::load(folder_ / "whole.json", 1.5).ok());
}

TEST_F(XgboostModelTest, ABatchOfTheWrongShapeIsAnError) {
  const auto file = folder_ / "model.json";
  testing::train_tiny_model(file);
  const auto model = XgboostModel::load(file).value();
  const std::vector<float> rows = testing::random_rows(3, 1);
  std::vector<double> two(2);
  EXPECT_FALSE(model->predict(rows, two).ok());
  std::vector<double> none;
  EXPECT_TRUE(model->predict({}, none).ok());
}

}  // namespace
}  // namespace winiswin::ml
