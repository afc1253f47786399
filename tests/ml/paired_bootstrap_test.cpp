// The paired day-block bootstrap behind promotion: a planted edge is significant, a model is not
// significantly better than itself, a marginal gain on few rows is refused for significance
// while the same edge on many days is promoted, a gain made on one day alone is not significant,
// and the bound is a function of the seed.
#include "ml/paired_bootstrap.h"

#include <memory>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ml/promotion.h"

namespace winiswin::ml {
namespace {

const Timestamp kStart = timestamp_from_ms(1'767'225'900'000);  // 2026-01-01 00:05 UTC
constexpr Milliseconds kDay{86'400'000};

struct Window {
  std::vector<Timestamp> decided;
  std::unique_ptr<bool[]> won;  // PairedPredictions takes a span of bool
  std::vector<double> current, candidate;
  PairedPredictions paired() const { return {decided, {won.get(), decided.size()}, current, candidate}; }
};

// `days` decision days of `per_day` rows (spread over each day), 40 % wins. Both models score
// each row at random in [0.3, 0.7] (independently); the candidate's score is moved by
// ±skill/2 toward the outcome: `skill` is its planted edge.
Window planted(std::size_t days, std::size_t per_day, double skill, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> score(0.3, 0.7);
  Window window;
  window.won = std::make_unique<bool[]>(days * per_day);
  const Milliseconds step = kDay / static_cast<std::int64_t>(per_day);
  for (std::size_t day = 0; day < days; ++day) {
    for (std::size_t row = 0; row < per_day; ++row) {
      const std::size_t idx = window.decided.size();
      window.decided.push_back(kStart + kDay * static_cast<std::int64_t>(day) + step * static_cast<std::int64_t>(row));
      window.won[idx] = random() % 5 < 2;
      window.current.push_back(score(random));
      window.candidate.push_back(score(random) + skill * (window.won[idx] ? 0.5 : -0.5));
    }
  }
  return window;
}

TEST(PairedBootstrapTest, APlantedEdgeIsSignificantAndPromoted) {
  const Window window = planted(30, 100, 0.1, 1);
  const Comparison comparison = compare_predictions(window.paired(), PromotionCriterion{});
  EXPECT_EQ(comparison.gain.days, 30u);
  EXPECT_EQ(comparison.gain.resamples, 1000u);
  ASSERT_TRUE(comparison.gain.auc_gain_lower.has_value());
  EXPECT_GT(*comparison.gain.auc_gain_lower, 0.1);  // AUC ≈ 0.72 against 0.5
  EXPECT_LT(*comparison.gain.auc_gain_lower, *comparison.candidate.auc - *comparison.current.auc);
  EXPECT_LT(*comparison.gain.log_loss_increase_upper, 0.0);  // its probabilities moved toward the outcome
  const PromotionDecision decision = decide_promotion(comparison, PromotionCriterion{});
  EXPECT_TRUE(decision.promote) << decision.reason;
}

TEST(PairedBootstrapTest, AModelAgainstItselfIsNotSignificantlyBetter) {
  Window window = planted(30, 100, 0.0, 2);
  window.candidate = window.current;
  const Comparison comparison = compare_predictions(window.paired(), PromotionCriterion{});
  EXPECT_EQ(comparison.gain.auc_gain_lower, 0.0);  // every resample scores both alike
  EXPECT_EQ(comparison.gain.log_loss_increase_upper, 0.0);
  PromotionCriterion no_margin;
  no_margin.min_auc_gain = 0.0;  // the point thresholds pass: the bootstrap refuses it
  const PromotionDecision decision = decide_promotion(comparison, no_margin);
  EXPECT_FALSE(decision.promote);
  EXPECT_NE(decision.reason.find("not significant"), std::string::npos) << decision.reason;
}

// A candidate better than the current on three days of six and worse on two (its score moved
// toward the outcome, or away from it): a net gain on 180 rows that passes the point thresholds,
// but resamples drawing more of its bad days than of its good ones lose.
TEST(PairedBootstrapTest, AMarginalGainOnFewRowsIsRefusedForSignificanceButNotOnManyDays) {
  const PromotionCriterion criterion;
  Window few = planted(6, 30, 0.0, 3);
  constexpr double kMove[] = {0.08, -0.08, 0.08, -0.08, 0.08, 0.0};  // per day
  for (std::size_t row = 0; row < few.decided.size(); ++row) {
    few.candidate[row] = few.current[row] + kMove[row / 30] * (few.won[row] ? 0.5 : -0.5);
  }
  const Comparison small = compare_predictions(few.paired(), criterion);
  // The fixture is better by the point thresholds (checked, not assumed)...
  ASSERT_GE(*small.candidate.auc, *small.current.auc + criterion.min_auc_gain);
  ASSERT_LE(*small.candidate.log_loss, *small.current.log_loss + criterion.max_log_loss_increase);
  // ...and refused: its gain is within what the choice of days changes.
  const PromotionDecision refused = decide_promotion(small, criterion);
  EXPECT_FALSE(refused.promote);
  EXPECT_NE(refused.reason.find("not significant"), std::string::npos) << refused.reason;
  EXPECT_NE(refused.reason.find("6 decision days"), std::string::npos) << refused.reason;
  // A small edge (AUC gain under 0.1) on every day of 60 days of 100 rows is promoted.
  const Comparison large = compare_predictions(planted(60, 100, 0.02, 3).paired(), criterion);
  ASSERT_LE(*large.candidate.auc - *large.current.auc, 0.1);
  const PromotionDecision promoted = decide_promotion(large, criterion);
  EXPECT_TRUE(promoted.promote) << promoted.reason;
}

// Rows of a day are drawn together: a candidate that differs from the current on one day out of
// twenty (where it is perfect) gains nothing in the ≈ 36 % of resamples that miss that day, so the
// 5 % percentile is 0 and the widened bound below it — a bootstrap of single rows would call that
// gain significant.
TEST(PairedBootstrapTest, AGainMadeOnOneDayAloneIsNotSignificant) {
  Window window = planted(20, 50, 0.0, 4);
  window.candidate = window.current;
  for (std::size_t row = 0; row < 50; ++row) window.candidate[row] = window.won[row] ? 0.9 : 0.1;
  const Comparison comparison = compare_predictions(window.paired(), PromotionCriterion{});
  EXPECT_GT(*comparison.candidate.auc, *comparison.current.auc + 0.01);
  EXPECT_LE(*comparison.gain.auc_gain_lower, 0.0);
  EXPECT_FALSE(decide_promotion(comparison, PromotionCriterion{}).promote);
}

TEST(PairedBootstrapTest, TheBoundIsAFunctionOfTheSeed) {
  const Window window = planted(10, 40, 0.05, 5);
  BootstrapConfig config;
  const BootstrapBounds first = paired_day_bootstrap(window.paired(), config);
  const BootstrapBounds again = paired_day_bootstrap(window.paired(), config);
  EXPECT_EQ(first.auc_gain_lower, again.auc_gain_lower);
  EXPECT_EQ(first.log_loss_increase_upper, again.log_loss_increase_upper);
  config.seed += 1;
  const BootstrapBounds other = paired_day_bootstrap(window.paired(), config);
  EXPECT_NE(first.auc_gain_lower, other.auc_gain_lower);
  config.resamples = 200;
  EXPECT_EQ(paired_day_bootstrap(window.paired(), config).resamples, 200u);
}

TEST(PairedBootstrapTest, BlocksAreUtcDaysAndOneDayGivesNoBound) {
  Window window = planted(1, 40, 0.1, 6);
  const BootstrapBounds one = paired_day_bootstrap(window.paired(), BootstrapConfig{});
  EXPECT_EQ(one.days, 1u);
  EXPECT_EQ(one.resamples, 0u);
  EXPECT_FALSE(one.auc_gain_lower.has_value());
  EXPECT_FALSE(one.log_loss_increase_upper.has_value());
  // 23:59:59.999 and the next midnight are two days.
  window.decided[0] = timestamp_from_ms(1'767'225'599'999);  // 2025-12-31 23:59:59.999 UTC
  EXPECT_EQ(paired_day_bootstrap(window.paired(), BootstrapConfig{}).days, 2u);
}

}  // namespace
}  // namespace winiswin::ml
