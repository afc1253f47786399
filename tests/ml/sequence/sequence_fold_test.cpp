#include "ml/sequence/sequence_fold.h"

#include <gtest/gtest.h>

#include <memory>
#include <numeric>
#include <random>

#include "bars_fixture.h"
#include "ml/evaluation.h"

namespace winiswin::ml::sequence {
namespace {

constexpr std::size_t kFiveMinuteBars = 2000;
constexpr std::size_t kWindow = 16;
constexpr std::size_t kHoleBar = 1700;  // a 5m bar of the test period missing a minute

struct Planted {
  std::vector<Kline> bars;
  std::vector<DecisionRow> rows;  // in decision-time order
};

// Decisions at random 5m closes, random sides; a row wins (90 %) when the close moved its way
// over the last 3 bars before the decision: what the model must find through the signed channels.
Planted planted_market(std::size_t rows, std::uint64_t seed) {
  Planted market{minutes(5 * kFiveMinuteBars, seed), {}};
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<std::size_t> when(kWindow + 1, kFiveMinuteBars);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::vector<std::size_t> closes(rows);
  for (std::size_t& close : closes) close = when(random);
  std::sort(closes.begin(), closes.end());
  for (const std::size_t close : closes) {
    const Side side = coin(random) < 0.5 ? Side::kBuy : Side::kSell;
    const double move = market.bars[5 * close - 1].close.to_double() - market.bars[5 * (close - 3) - 1].close.to_double();
    const bool pattern = side == Side::kBuy ? move > 0.0 : move < 0.0;
    market.rows.push_back({"AAAUSDT", decision(close), side, coin(random) < 0.9 ? pattern : !pattern});
  }
  market.bars.erase(market.bars.begin() + 5 * kHoleBar + 1);
  return market;
}

TEST(SequenceFold, LearnsThePatternThroughTheWindowsAndGivesWindowlessTestRowsTheBaseRate) {
  const Planted market = planted_market(4000, 21);
  BarWindows windows = BarWindows::make(kWindow).value();
  ASSERT_TRUE(windows.add("AAAUSDT", Interval::k1m, market.bars).ok());
  std::vector<std::size_t> train(3000), test(1000);
  std::iota(train.begin(), train.end(), 0);
  std::iota(test.begin(), test.end(), 3000);
  SequenceTrainConfig config;
  config.architecture = Architecture::kCnn;
  config.hidden = 16;
  config.epochs = 15;
  config.learning_rate = 3e-3;
  const Result<FoldPrediction> fold = predict_fold(windows, market.rows, train, test, config);
  ASSERT_TRUE(fold.ok()) << fold.error().message;
  ASSERT_EQ(fold->probability.size(), test.size());
  std::size_t windowless = 0;
  std::vector<double> predicted;
  std::unique_ptr<bool[]> won(new bool[test.size()]);
  for (std::size_t position = 0; position < test.size(); ++position) {
    const DecisionRow& row = market.rows[test[position]];
    if (windows.locate(row.symbol, row.decided).miss != WindowMiss::kNone) {
      ++windowless;
      EXPECT_EQ(fold->probability[position], fold->base_rate);
      continue;
    }
    won[predicted.size()] = row.win;
    predicted.push_back(fold->probability[position]);
  }
  EXPECT_GT(windowless, 0U);  // the rows around the hole
  EXPECT_EQ(std::accumulate(fold->test_missing.begin(), fold->test_missing.end(), std::size_t{0}), windowless);
  EXPECT_GT(ml::auc(predicted, std::span<const bool>(won.get(), predicted.size())).value_or(0.0), 0.8);
}

TEST(SequenceFold, TrainingRowsWithoutAWindowAreCountedAndLeftOut) {
  const Planted market = planted_market(400, 22);
  BarWindows windows = BarWindows::make(kWindow).value();
  ASSERT_TRUE(windows.add("AAAUSDT", Interval::k1m, market.bars).ok());
  std::vector<DecisionRow> rows = market.rows;
  rows.insert(rows.begin(), {"ZZZUSDT", market.rows.front().decided, Side::kBuy, true});  // a symbol without bars
  std::vector<std::size_t> train(rows.size() - 50), test(50);
  std::iota(train.begin(), train.end(), 0);
  std::iota(test.begin(), test.end(), rows.size() - 50);
  SequenceTrainConfig config;
  config.architecture = Architecture::kCnn;
  config.epochs = 1;
  const Result<FoldPrediction> fold = predict_fold(windows, rows, train, test, config);
  ASSERT_TRUE(fold.ok()) << fold.error().message;
  EXPECT_EQ(fold->train_missing[static_cast<std::size_t>(WindowMiss::kUnknownSymbol)], 1U);
  const std::size_t missing = std::accumulate(fold->train_missing.begin(), fold->train_missing.end(), std::size_t{0});
  EXPECT_EQ(fold->report.fitting_rows + fold->report.held_out_rows + missing, train.size());
}

}  // namespace
}  // namespace winiswin::ml::sequence
