#include "ml/sequence/sequence_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <random>

#include "ml/evaluation.h"

namespace winiswin::ml::sequence {
namespace {

constexpr std::size_t kBars = 24;
constexpr std::size_t kChannels = 3;

// Noise windows with a planted pattern: a row wins (with 90 % probability) when the sum of its
// last 4 bars' first channel is above 0 — what the models must find; the other channels are noise.
SequenceSet planted(std::size_t rows, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<float> noise(0.0F, 1.0F);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  SequenceSet set{kBars, kChannels, {}, {}};
  for (std::size_t row = 0; row < rows; ++row) {
    float recent = 0.0F;
    for (std::size_t bar = 0; bar < kBars; ++bar) {
      for (std::size_t channel = 0; channel < kChannels; ++channel) {
        const float value = noise(random);
        set.values.push_back(value);
        if (channel == 0 && bar >= kBars - 4) recent += value;
      }
    }
    const bool pattern = recent > 0.0F;
    set.wins.push_back(coin(random) < 0.9 ? pattern : !pattern);
  }
  return set;
}

SequenceTrainConfig quick(Architecture architecture) {
  SequenceTrainConfig config;
  config.architecture = architecture;
  config.hidden = 16;
  config.epochs = 12;
  config.patience = 4;
  config.batch = 64;
  config.learning_rate = 3e-3;
  config.seed = 5;
  return config;
}

double auc_of(const std::vector<double>& probability, const std::vector<std::uint8_t>& wins) {
  std::unique_ptr<bool[]> won(new bool[wins.size()]);
  for (std::size_t row = 0; row < wins.size(); ++row) won[row] = wins[row] != 0;
  return ml::auc(probability, std::span<const bool>(won.get(), wins.size())).value_or(0.0);
}

class EachArchitecture : public ::testing::TestWithParam<Architecture> {};

TEST_P(EachArchitecture, LearnsAPlantedPatternOutOfSample) {
  const SequenceSet train = planted(3000, 1);
  const SequenceSet test = planted(1000, 2);
  const Result<SequenceModel> model = SequenceModel::train(train, quick(GetParam()));
  ASSERT_TRUE(model.ok()) << model.error().message;
  const Result<std::vector<double>> probability = model->predict(test);
  ASSERT_TRUE(probability.ok()) << probability.error().message;
  ASSERT_EQ(probability->size(), test.rows());
  for (const double p : *probability) ASSERT_TRUE(p >= 0.0 && p <= 1.0) << p;
  EXPECT_GT(auc_of(*probability, test.wins), 0.8) << name_of(GetParam()) << ", best epoch " << model->report().best_epoch;
  EXPECT_EQ(model->report().held_out_rows, 450U);  // the latest 15 % of 3000
}

TEST_P(EachArchitecture, TheSameSeedGivesTheSamePredictions) {
  const SequenceSet train = planted(600, 3);
  const SequenceSet test = planted(200, 4);
  SequenceTrainConfig config = quick(GetParam());
  config.epochs = 3;
  const std::vector<double> first = SequenceModel::train(train, config).value().predict(test).value();
  const std::vector<double> second = SequenceModel::train(train, config).value().predict(test).value();
  EXPECT_EQ(first, second);
  config.seed = 6;
  EXPECT_NE(first, SequenceModel::train(train, config).value().predict(test).value());
}

INSTANTIATE_TEST_SUITE_P(Sequence, EachArchitecture, ::testing::Values(Architecture::kLstm, Architecture::kTransformer, Architecture::kCnn),
                         [](const auto& param_info) { return std::string(name_of(param_info.param)); });

void expect_refused(const SequenceSet& rows, const SequenceTrainConfig& config, std::string_view words) {
  const Result<SequenceModel> model = SequenceModel::train(rows, config);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.error().message.find(words), std::string::npos) << model.error().message;
}

TEST(SequenceModel, BadTrainingInputIsRefusedWithAReason) {
  const SequenceTrainConfig config = quick(Architecture::kLstm);
  expect_refused(SequenceSet{kBars, kChannels, {}, {}}, config, "no training rows");
  SequenceSet one_class = planted(100, 8);
  std::fill(one_class.wins.begin(), one_class.wins.end(), std::uint8_t{1});
  expect_refused(one_class, config, "both wins and losses");
  SequenceSet with_nan = planted(100, 8);
  with_nan.values[7 * kBars * kChannels + 5 * kChannels + 2] = std::numeric_limits<float>::quiet_NaN();
  expect_refused(with_nan, config, "row 7, bar 5, channel 2");
  SequenceSet unlabelled = planted(100, 8);
  unlabelled.wins.pop_back();
  expect_refused(unlabelled, config, "99 labels for 100 rows");
  SequenceTrainConfig odd_width = quick(Architecture::kTransformer);
  odd_width.hidden = 10;
  expect_refused(planted(100, 8), odd_width, "multiple of its 4 heads");
}

TEST(SequenceModel, PredictRefusesWindowsOfAnotherShape) {
  SequenceTrainConfig config = quick(Architecture::kCnn);
  config.epochs = 1;
  const SequenceModel model = SequenceModel::train(planted(200, 9), config).value();
  const SequenceSet longer{kBars + 1, kChannels, std::vector<float>((kBars + 1) * kChannels, 0.0F), {}};
  EXPECT_FALSE(model.predict(longer).ok());
  SequenceSet with_inf = planted(3, 9);
  with_inf.values[1] = std::numeric_limits<float>::infinity();
  EXPECT_FALSE(model.predict(with_inf).ok());
}

TEST(SequenceModel, OnlyTheMostRecentRowsTrain) {
  SequenceTrainConfig config = quick(Architecture::kCnn);
  config.epochs = 1;
  config.max_train_rows = 100;
  const SequenceModel model = SequenceModel::train(planted(250, 10), config).value();
  EXPECT_EQ(model.report().dropped_oldest, 150U);
  EXPECT_EQ(model.report().fitting_rows + model.report().held_out_rows, 100U);
}

}  // namespace
}  // namespace winiswin::ml::sequence
