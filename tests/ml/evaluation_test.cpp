// The walk-forward's measures on inputs small enough to check by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ml/evaluation.h"

namespace winiswin::ml {
namespace {

// std::vector<bool> has no data(): the labels as a plain array.
struct Labels {
  explicit Labels(std::initializer_list<bool> values) : values_(values.begin(), values.end()) {}
  operator std::span<const bool>() const { return {reinterpret_cast<const bool*>(values_.data()), values_.size()}; }
  std::vector<char> values_;
};

TEST(AucTest, CountsOrderedPairsAndTiesHalf) {
  // Wins 0.8, 0.4; losses 0.6, 0.2: pairs (0.8>0.6) (0.8>0.2) (0.4<0.6) (0.4>0.2) → 3 of 4.
  EXPECT_DOUBLE_EQ(*auc(std::vector<double>{0.8, 0.6, 0.4, 0.2}, Labels{true, false, true, false}), 0.75);
  // A tie between a win and a loss counts half: win 0.5 vs loss 0.5 → 0.5, vs loss 0.1 → 1: 1.5 / 2.
  EXPECT_DOUBLE_EQ(*auc(std::vector<double>{0.5, 0.5, 0.1}, Labels{true, false, false}), 0.75);
  EXPECT_DOUBLE_EQ(*auc(std::vector<double>{0.9, 0.1}, Labels{true, false}), 1.0);
  EXPECT_DOUBLE_EQ(*auc(std::vector<double>{0.1, 0.9}, Labels{true, false}), 0.0);
}

TEST(AucTest, IsNoneWithoutBothClasses) {
  EXPECT_FALSE(auc(std::vector<double>{0.3, 0.7}, Labels{true, true}).has_value());
  EXPECT_FALSE(auc(std::vector<double>{}, Labels{}).has_value());
}

TEST(LogLossTest, IsTheMeanNegativeLogLikelihood) {
  const double expected = -(std::log(0.8) + std::log(1.0 - 0.4)) / 2.0;
  EXPECT_DOUBLE_EQ(*log_loss(std::vector<double>{0.8, 0.4}, Labels{true, false}), expected);
  // p = 0 on a win is clipped, not infinite.
  EXPECT_NEAR(*log_loss(std::vector<double>{0.0}, Labels{true}), -std::log(1e-15), 1e-9);
  EXPECT_FALSE(log_loss(std::vector<double>{}, Labels{}).has_value());
}

TEST(CalibrationTest, BinsOfEqualCountByPrediction) {
  // Five rows in two bins: the lowest three, then the highest two.
  const std::vector<double> predicted{0.9, 0.1, 0.5, 0.3, 0.7};
  const auto table = calibration_table(predicted, Labels{true, false, true, false, false}, 2);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0].rows, 3u);  // 0.1 (loss), 0.3 (loss), 0.5 (win)
  EXPECT_DOUBLE_EQ(table[0].mean_predicted, 0.3);
  EXPECT_DOUBLE_EQ(table[0].observed_win_rate, 1.0 / 3.0);
  EXPECT_EQ(table[1].rows, 2u);  // 0.7 (loss), 0.9 (win)
  EXPECT_DOUBLE_EQ(table[1].mean_predicted, 0.8);
  EXPECT_DOUBLE_EQ(table[1].observed_win_rate, 0.5);
  EXPECT_EQ(calibration_table(predicted, Labels{true, false, true, false, false}, 10).size(), 5u);  // no empty bins
}

TEST(PrecisionAtTopTest, PicksTheBestScoredPerDecisionTime) {
  const Timestamp first = timestamp_from_ms(0), second = timestamp_from_ms(300'000);
  const std::vector<Timestamp> decided{first, first, first, second, second};
  const std::vector<double> score{0.2, 0.9, 0.5, 0.4, 0.6};
  const Labels won{true, false, true, true, false};
  // k = 1: 0.9 at the first time (loss), 0.6 at the second (loss).
  const TopK one = precision_at_top(decided, score, won, 1);
  EXPECT_EQ(one.picked, 2u);
  EXPECT_DOUBLE_EQ(*one.win_rate, 0.0);
  // k = 2: 0.9 (loss), 0.5 (win); 0.6 (loss), 0.4 (win) → 2 of 4.
  const TopK two = precision_at_top(decided, score, won, 2);
  EXPECT_EQ(two.picked, 4u);
  EXPECT_DOUBLE_EQ(*two.win_rate, 0.5);
  EXPECT_FALSE(precision_at_top({}, {}, Labels{}, 3).win_rate.has_value());
}

TEST(PopulationStabilityTest, IsZeroForTheSameDistributionAndMatchesTheFormula) {
  const std::vector<double> expected{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(*population_stability(expected, expected, 2), 0.0);
  // Two bins cut at 3: expected shares (0.5, 0.5); actual {1, 3, 4, 5} → (0.25, 0.75).
  const double psi = (0.25 - 0.5) * std::log(0.25 / 0.5) + (0.75 - 0.5) * std::log(0.75 / 0.5);
  EXPECT_NEAR(*population_stability(expected, std::vector<double>{1, 3, 4, 5}, 2), psi, 1e-12);
  // Everything moved above the training range: one bin empty, floored at 1e-4.
  const double moved = (1e-4 - 0.5) * std::log(1e-4 / 0.5) + (1.0 - 0.5) * std::log(1.0 / 0.5);
  EXPECT_NEAR(*population_stability(expected, std::vector<double>{10, 11}, 2), moved, 1e-12);
  EXPECT_FALSE(population_stability(expected, std::vector<double>{}, 2).has_value());
}

TEST(PopulationStabilityTest, MissingValuesAreABinOfTheirOwn) {
  const std::vector<double> expected{1, 2, 3, 4};
  const std::vector<double> actual{1, 3, NAN, NAN};
  // Bins (<3, ≥3, NaN): expected (0.5, 0.5, 0 → 1e-4); actual (0.25, 0.25, 0.5).
  const double psi = (0.25 - 0.5) * std::log(0.25 / 0.5) * 2 + (0.5 - 1e-4) * std::log(0.5 / 1e-4);
  EXPECT_NEAR(*population_stability(expected, actual, 2), psi, 1e-12);
}

}  // namespace
}  // namespace winiswin::ml
