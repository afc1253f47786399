#include "ml/sequence/sequence_scorer.h"

#include <gtest/gtest.h>

#include <random>

#include "bars_fixture.h"
#include "ml/blend.h"

namespace winiswin::ml::sequence {
namespace {

constexpr std::size_t kWindow = 12;

std::shared_ptr<const SequenceModel> small_model(std::size_t length) {
  std::mt19937_64 random(3);
  std::normal_distribution<float> noise(0.0F, 1.0F);
  SequenceSet rows{length, kChannelCount, std::vector<float>(200 * length * kChannelCount), {}};
  for (float& value : rows.values) value = noise(random);
  for (std::size_t row = 0; row < 200; ++row) rows.wins.push_back(row % 2);
  SequenceTrainConfig config;
  config.architecture = Architecture::kCnn;
  config.epochs = 1;
  return std::make_shared<const SequenceModel>(SequenceModel::train(rows, config).value());
}

strategy::Signal signal_at(std::string symbol, std::size_t close, Side side, double confidence) {
  strategy::Signal signal;
  signal.symbol = std::move(symbol);
  signal.time = decision(close);
  signal.side = side;
  signal.confidence = confidence;
  return signal;
}

TEST(SequenceScorer, ScoresRememberedWindowlessAndNewSignalsAsTheFoldDoes) {
  auto windows = std::make_shared<BarWindows>(BarWindows::make(kWindow).value());
  ASSERT_TRUE(windows->add("AAAUSDT", Interval::k1m, minutes(5 * 100, 4)).ok());
  const std::shared_ptr<const SequenceModel> model = small_model(kWindow);
  SequenceScorer scorer("cnn", windows, model, 0.37, 0.8);
  scorer.remember("AAAUSDT", Side::kSell, decision(50), 0.91);
  const std::vector<strategy::Signal> batch = {signal_at("AAAUSDT", 50, Side::kSell, 0.6), signal_at("AAAUSDT", 5, Side::kBuy, 0.5),
                                               signal_at("BBBUSDT", 50, Side::kBuy, 0.4), signal_at("AAAUSDT", 60, Side::kBuy, 0.7),
                                               signal_at("AAAUSDT", 50, Side::kBuy, 0.3)};
  std::vector<double> scores(batch.size()), probabilities(batch.size());
  ASSERT_TRUE(scorer.evaluate(batch, scores, probabilities).ok());
  EXPECT_EQ(probabilities[0], 0.91);  // remembered
  EXPECT_EQ(probabilities[1], 0.37);  // too few bars: the base rate
  EXPECT_EQ(probabilities[2], 0.37);  // no bars
  // The others: the model on their windows, the remembered one's other side included.
  SequenceSet fresh{kWindow, kChannelCount, std::vector<float>(2 * kWindow * kChannelCount), {}};
  windows->fill(windows->locate("AAAUSDT", decision(60)).ref, Side::kBuy, std::span<float>(fresh.values).first(kWindow * kChannelCount));
  windows->fill(windows->locate("AAAUSDT", decision(50)).ref, Side::kBuy, std::span<float>(fresh.values).last(kWindow * kChannelCount));
  const std::vector<double> expected = model->predict(fresh).value();
  EXPECT_EQ(probabilities[3], expected[0]);
  EXPECT_EQ(probabilities[4], expected[1]);
  for (std::size_t at = 0; at < batch.size(); ++at) EXPECT_EQ(scores[at], blended_score(probabilities[at], batch[at].confidence, 0.8));
  std::vector<double> again(batch.size());
  ASSERT_TRUE(scorer.score(batch, again).ok());
  EXPECT_EQ(again, scores);
}

}  // namespace
}  // namespace winiswin::ml::sequence
