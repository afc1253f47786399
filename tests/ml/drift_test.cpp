// Drift: two samples of one distribution are not told apart (the classifier's AUC near 0.5, every
// PSI small); a shift of one feature is found by both measures and named first.
#include "ml/drift.h"

#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "strategy/signal.h"

namespace winiswin::ml {
namespace {

constexpr std::size_t kShifted = 9;  // natr_15m

// Rows of independent standard normal features from `seed`; `shift` added to one feature.
std::vector<LabelledRow> sample(std::size_t count, unsigned seed, double shift = 0.0) {
  std::mt19937 random(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<LabelledRow> rows(count);
  for (std::size_t idx = 0; idx < count; ++idx) {
    rows[idx].decided = timestamp_from_ms(1'767'225'900'000 + static_cast<std::int64_t>(idx) * 300'000);
    for (double& feature : rows[idx].features) feature = normal(random);
    rows[idx].features[kShifted] += shift;
  }
  return rows;
}

TEST(DriftTest, TwoSamplesOfOneDistributionAreNotDrifted) {
  const auto reference = sample(1500, 1), recent = sample(1500, 2);
  const auto report = detect_drift(reference, recent, {});
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_TRUE(report->classifier_auc.has_value());
  // Out-of-fold AUC of a classifier on pure noise: 0.5 up to sampling noise (its standard error
  // here is about 0.011; 0.05 is more than four of them).
  EXPECT_NEAR(*report->classifier_auc, 0.5, 0.05);
  EXPECT_FALSE(report->classifier_drifted);
  EXPECT_EQ(report->major_features, 0u);
  EXPECT_FALSE(report->drifted);
  ASSERT_EQ(report->features.size(), strategy::kFeatureCount);
  for (const FeatureDrift& feature : report->features) {
    ASSERT_TRUE(feature.psi.has_value()) << feature.name;
    EXPECT_LT(*feature.psi, 0.05) << feature.name;  // ~0.01 expected for 10 bins of 1500 rows
  }
  EXPECT_EQ(report->reference_rows, 1500u);
  EXPECT_EQ(report->recent_rows, 1500u);
}

TEST(DriftTest, AShiftedFeatureIsDetectedAndNamedFirst) {
  const auto reference = sample(1500, 1), recent = sample(500, 2, 1.0);
  const auto report = detect_drift(reference, recent, {});
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->drifted);
  EXPECT_TRUE(report->classifier_drifted);
  EXPECT_GT(*report->classifier_auc, 0.7);  // a one-σ shift: ≈ 0.76 for the best single-feature rule
  EXPECT_EQ(report->major_features, 1u);
  EXPECT_TRUE(report->features[kShifted].major);
  EXPECT_EQ(report->features[kShifted].name, "natr_15m");
  EXPECT_EQ(by_psi(*report).front(), kShifted);
  EXPECT_EQ(by_gain(*report).front(), kShifted);
  // The shifted feature separates the samples far more than any other.
  EXPECT_GT(report->features[kShifted].gain, 3.0 * report->features[by_gain(*report)[1]].gain);
}

TEST(DriftTest, TheSameInputAndSeedGiveTheSameReport) {
  const auto reference = sample(300, 3), recent = sample(200, 4, 0.3);
  const auto first = detect_drift(reference, recent, {}).value();
  const auto second = detect_drift(reference, recent, {}).value();
  EXPECT_EQ(first.classifier_auc, second.classifier_auc);
  for (std::size_t idx = 0; idx < first.features.size(); ++idx) EXPECT_EQ(first.features[idx].gain, second.features[idx].gain);
}

// Recent rows that are also in the reference would be learnt as both sides (an AUC far below
// 0.5): they are left out of the reference.
TEST(DriftTest, RowsInBothSetsCountAsRecentOnly) {
  const auto reference = sample(1000, 5);
  const std::vector<LabelledRow> recent(reference.begin() + 500, reference.end());
  const auto report = detect_drift(reference, recent, {}).value();
  EXPECT_EQ(report.shared_rows, 500u);
  EXPECT_EQ(report.reference_rows, 500u);
  EXPECT_NEAR(*report.classifier_auc, 0.5, 0.07);
  EXPECT_FALSE(report.drifted);
}

TEST(DriftTest, AnIgnoredFeatureIsLeftOutOfBothMeasures) {
  const auto reference = sample(1000, 1), recent = sample(400, 2, 1.0);
  DriftConfig config;
  config.ignored = {"natr_15m"};
  const auto report = detect_drift(reference, recent, config).value();
  EXPECT_FALSE(report.features[kShifted].psi.has_value());
  EXPECT_EQ(report.features[kShifted].gain, 0.0);
  EXPECT_FALSE(report.drifted);
  EXPECT_NEAR(*report.classifier_auc, 0.5, 0.07);
  config.ignored = {"no_such_feature"};
  const auto unknown = detect_drift(reference, recent, config);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("no_such_feature"), std::string::npos) << unknown.error().message;
}

// The retrain timer's unit passes its drift options to `ml retrain` unchecked until it runs:
// a feature it leaves out must be one this build computes (v2 removed entry_log10, which the
// unit used to name), or the weekly retrain fails on the first check.
TEST(DriftTest, TheRetrainUnitIgnoresOnlyFeaturesOfThisBuild) {
  std::ifstream in(std::string(WINISWIN_SOURCE_DIR) + "/deploy/winiswin-retrain.service");
  ASSERT_TRUE(in.good()) << "deploy/winiswin-retrain.service not found";
  std::stringstream text;
  text << in.rdbuf();
  std::istringstream words(text.str());
  bool runs_retrain = false;
  for (std::string word, previous; words >> word; previous = word) {
    runs_retrain = runs_retrain || (previous == "ml" && word == "retrain");
    if (previous != "--ignore-feature") continue;
    DriftConfig config;
    config.ignored = {word};
    const auto report = detect_drift(sample(200, 1), sample(200, 2), config);
    EXPECT_TRUE(report.ok()) << word << ": " << report.error().message;
  }
  EXPECT_TRUE(runs_retrain) << "the unit no longer runs ml retrain: this test reads the wrong line";
}

TEST(DriftTest, TooFewRowsOrABadConfigAreRefused) {
  const auto reference = sample(100, 1), recent = sample(3, 2);
  const auto few = detect_drift(reference, recent, {});
  ASSERT_FALSE(few.ok());
  EXPECT_NE(few.error().message.find("3 recent rows"), std::string::npos) << few.error().message;
  DriftConfig one_fold;
  one_fold.folds = 1;
  EXPECT_FALSE(detect_drift(reference, sample(100, 2), one_fold).ok());
}

}  // namespace
}  // namespace winiswin::ml
