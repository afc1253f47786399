// Feature importance of a tiny model whose label depends on features 6, 15 and 20 only
// (xgboost_fixture.h): gain and SHAP contributions find those, and the contributions add up
// to libxgboost's own prediction.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ml/importance.h"
#include "scratch_folder.h"
#include "xgboost_fixture.h"

namespace winiswin::ml {
namespace {

// Indexes of the three largest values.
std::vector<std::size_t> top_three(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::partial_sort(order.begin(), order.begin() + 3, order.end(), [&](std::size_t lhs, std::size_t rhs) { return values[lhs] > values[rhs]; });
  order.resize(3);
  std::sort(order.begin(), order.end());
  return order;
}

class ImportanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::scratch_folder("importance");
    testing::train_tiny_model(folder_ / "model.json");
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
};

TEST_F(ImportanceTest, GainFindsTheFeaturesTheLabelDependsOn) {
  const std::vector<double> gain = feature_gain(folder_ / "model.json").value();
  ASSERT_EQ(gain.size(), strategy::kFeatureCount);
  EXPECT_EQ(top_three(gain), (std::vector<std::size_t>{6, 15, 20}));
}

TEST_F(ImportanceTest, ContributionsAddUpToTheMarginAndFindTheSameFeatures) {
  const std::vector<float> rows = testing::random_rows(200, 11);
  const Contributions contributions = feature_contributions(folder_ / "model.json", rows).value();
  ASSERT_EQ(contributions.mean_absolute.size(), strategy::kFeatureCount);
  EXPECT_EQ(top_three(contributions.mean_absolute), (std::vector<std::size_t>{6, 15, 20}));
  const std::vector<float> probabilities = testing::libxgboost_predictions(folder_ / "model.json", rows);
  ASSERT_EQ(contributions.margins.size(), probabilities.size());
  for (std::size_t row = 0; row < probabilities.size(); ++row) {
    EXPECT_NEAR(1.0 / (1.0 + std::exp(-contributions.margins[row])), probabilities[row], 1e-5) << "row " << row;
  }
}

TEST_F(ImportanceTest, AMissingModelIsAnError) {
  const auto gain = feature_gain(folder_ / "none.json");
  ASSERT_FALSE(gain.ok());
  EXPECT_NE(gain.error().message.find("none.json"), std::string::npos);
}

}  // namespace
}  // namespace winiswin::ml
