// The placebo model: probabilities drawn from the given ones, deterministic per signal,
// blind to the signal's features and confidence, and blended as a real model's.
#include "ml/placebo_model.h"

#include <gtest/gtest.h>

#include <map>

#include "ml/blend.h"

namespace winiswin::ml {
namespace {

strategy::Signal signal_at(std::int64_t minute, const std::string& symbol, double confidence) {
  strategy::Signal signal;
  signal.symbol = symbol;
  signal.time = timestamp_from_ms(1'767'225'600'000 + minute * 300'000);
  signal.confidence = confidence;
  return signal;
}

TEST(PlaceboModel, DrawsTheGivenProbabilitiesEvenlyWhateverTheFeatures) {
  const PlaceboModel model({0.9, 0.1, 0.3, 0.7, 0.5}, kDefaultModelWeight);
  std::map<double, int> drawn;
  for (std::int64_t minute = 0; minute < 10'000; ++minute) {
    strategy::Signal signal = signal_at(minute, minute % 2 ? "AUSDT" : "BUSDT", 0.6);
    const double probability = model.probability_of(signal);
    ++drawn[probability];
    signal.confidence = 0.9;
    signal.features.fill(3.0);
    ASSERT_EQ(model.probability_of(signal), probability) << "depends on confidence or features";
  }
  ASSERT_EQ(drawn.size(), 5u);
  for (const auto& [probability, count] : drawn) {
    EXPECT_GT(count, 1700) << probability;  // 2,000 expected of each
    EXPECT_LT(count, 2300) << probability;
  }
}

TEST(PlaceboModel, ScoresBlendItsProbabilityWithTheConfidence) {
  const PlaceboModel model({0.2, 0.4, 0.8}, 0.7);
  std::vector<strategy::Signal> batch{signal_at(1, "AUSDT", 0.5), signal_at(1, "BUSDT", 0.9), signal_at(2, "AUSDT", 0.4)};
  std::vector<double> scores(3), probabilities(3);
  ASSERT_TRUE(model.evaluate(batch, scores, probabilities).ok());
  for (std::size_t idx = 0; idx < batch.size(); ++idx) {
    EXPECT_EQ(probabilities[idx], model.probability_of(batch[idx]));
    EXPECT_EQ(scores[idx], blended_score(probabilities[idx], batch[idx].confidence, 0.7));
  }
  std::vector<double> too_few(2);
  EXPECT_FALSE(model.evaluate(batch, too_few, probabilities).ok());
}

}  // namespace
}  // namespace winiswin::ml
