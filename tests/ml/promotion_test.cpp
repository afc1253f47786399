// Promotion: a model records the range of its data, a window that overlaps it is refused, the
// criterion promotes a better model and keeps a worse one, and installing keeps the old file.
#include "ml/promotion.h"

#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "ml/trainer.h"
#include "scratch_folder.h"
#include "xgboost_fixture.h"

namespace winiswin::ml {
namespace {

const Timestamp kStart = timestamp_from_ms(1'767'225'900'000);  // 2026-01-01 00:05 UTC
constexpr Milliseconds kFiveMinutes{300'000};
constexpr Milliseconds kHour{3'600'000};

// `count` rows from `first` on, `spacing` apart (5 minutes unless said), two per decision; wins
// where features 6, 15 and 20 say so (xgboost_fixture.h), or at random when `noise`.
std::vector<LabelledRow> rows_from(Timestamp first, std::size_t count, unsigned seed, bool noise = false, Milliseconds spacing = kFiveMinutes) {
  const std::vector<float> features = testing::random_rows(count, seed);
  const std::vector<float> labels = testing::labels_of(features, seed + 1);
  std::mt19937 random(seed + 2);
  std::vector<LabelledRow> rows(count);
  for (std::size_t idx = 0; idx < count; ++idx) {
    LabelledRow& row = rows[idx];
    row.symbol = idx % 2 == 0 ? "BTCUSDT" : "ETHUSDT";
    row.decided = first + spacing * static_cast<std::int64_t>(idx / 2);
    row.exited = row.decided + kHour;
    for (std::size_t column = 0; column < strategy::kFeatureCount; ++column) {
      row.features[column] = features[idx * strategy::kFeatureCount + column];
    }
    row.win = noise ? random() % 2 == 0 : labels[idx] == 1.0f;
    row.exit_reason = row.win ? "target" : "stop";
  }
  return rows;
}

std::filesystem::path trained(const std::filesystem::path& folder, const std::string& name, const std::vector<LabelledRow>& rows) {
  TrainConfig config;
  config.rounds = 30;
  config.validation_fraction = 0.0;
  const auto report = train(rows, config, folder / name);
  EXPECT_TRUE(report.ok()) << report.error().message;
  return folder / name;
}

std::string bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(PromotionTest, ATrainedModelRecordsTheRangeOfItsData) {
  const auto folder = testing::scratch_folder("promotion");
  auto rows = rows_from(kStart, 400, 1);
  rows[10].exited = rows.back().decided + 48 * kHour;  // a late exit: its label was known last
  const auto range = recorded_range(trained(folder, "model.json", rows));
  ASSERT_TRUE(range.ok()) << range.error().message;
  ASSERT_TRUE(range->has_value());
  EXPECT_EQ((*range)->first_decision, kStart);
  EXPECT_EQ((*range)->labels_known, rows.back().decided + 48 * kHour);
  testing::train_tiny_model(folder / "tiny.json");  // made through the C API alone: no range
  const auto none = recorded_range(folder / "tiny.json");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->has_value());
}

TEST(PromotionTest, AWindowOverlappingTheModelsDataIsRefused) {
  const DataRange range{kStart, kStart + 24 * kHour};
  const auto overlapping = rows_from(kStart + 23 * kHour, 20, 2);
  const auto refused = check_out_of_sample(overlapping, range, "model a.json");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("model a.json"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("not out of sample"), std::string::npos) << refused.error().message;
  EXPECT_TRUE(check_out_of_sample(rows_from(kStart + 24 * kHour, 20, 2), range, "model a.json").ok());
}

// A bootstrap of ten days whose AUC gain's lower bound is `lower`.
BootstrapBounds bounds_with(std::optional<double> lower, std::size_t days = 10) { return BootstrapBounds{days, 1000, lower, 0.0}; }

TEST(PromotionTest, TheCriterionPromotesOnlyAClearlyBetterModel) {
  const PromotionCriterion criterion;  // +0.01 AUC, log loss no worse, 100 rows, AUC gain significant
  WindowMetrics current{500, 0.60, 0.65, {}};
  const auto promoted = decide_promotion({current, WindowMetrics{500, 0.62, 0.64, {}}, bounds_with(0.004)}, criterion);
  EXPECT_TRUE(promoted.promote);
  EXPECT_NE(promoted.reason.find("lower bound is 0.0040 (1000 resamples of 10 decision days)"), std::string::npos) << promoted.reason;
  const auto small_gain = decide_promotion({current, WindowMetrics{500, 0.605, 0.64, {}}, bounds_with(0.001)}, criterion);
  EXPECT_FALSE(small_gain.promote);
  EXPECT_NE(small_gain.reason.find("AUC"), std::string::npos) << small_gain.reason;
  const auto worse_loss = decide_promotion({current, WindowMetrics{500, 0.70, 0.70, {}}, bounds_with(0.05)}, criterion);
  EXPECT_FALSE(worse_loss.promote);
  EXPECT_NE(worse_loss.reason.find("log loss"), std::string::npos) << worse_loss.reason;
  EXPECT_FALSE(decide_promotion({WindowMetrics{50, 0.5, 0.7, {}}, WindowMetrics{50, 0.9, 0.3, {}}, bounds_with(0.2)}, criterion).promote);
  EXPECT_FALSE(decide_promotion({WindowMetrics{500, std::nullopt, 0.7, {}}, WindowMetrics{500, std::nullopt, 0.3, {}}, bounds_with(0.2)}, criterion)
                   .promote);
}

// The point gain passes the thresholds; the bootstrap decides.
TEST(PromotionTest, AGainWhoseLowerBoundIsNotAboveZeroIsRefusedForSignificance) {
  const PromotionCriterion criterion;
  const WindowMetrics current{500, 0.60, 0.65, {}}, candidate{500, 0.63, 0.64, {}};
  for (const std::optional<double> lower : {std::optional<double>(-0.01), std::optional<double>(0.0), std::optional<double>()}) {
    const auto refused = decide_promotion({current, candidate, bounds_with(lower)}, criterion);
    EXPECT_FALSE(refused.promote);
    EXPECT_NE(refused.reason.find("not significant"), std::string::npos) << refused.reason;
  }
  const auto one_day = decide_promotion({current, candidate, bounds_with(std::nullopt, 1)}, criterion);
  EXPECT_FALSE(one_day.promote);
  EXPECT_NE(one_day.reason.find("spans 1 decision day"), std::string::npos) << one_day.reason;
}

TEST(PromotionTest, AModelThatLearnedBeatsOneThatLearnedNoiseOnTheWindow) {
  const auto folder = testing::scratch_folder("promotion");
  const auto learned = trained(folder, "learned.json", rows_from(kStart, 1500, 3));
  const auto noise = trained(folder, "noise.json", rows_from(kStart, 1500, 3, true));
  // 300 decisions two hours apart: 25 decision days.
  auto window = rows_from(kStart + 30 * 24 * kHour, 600, 9, false, 2 * kHour);
  window[0].exit_reason = "end of data";  // censored: not measured
  PromotionCriterion criterion;
  criterion.top_k = 1;
  const auto better = compare_on_window(noise, learned, window, criterion);
  ASSERT_TRUE(better.ok()) << better.error().message;
  EXPECT_EQ(better->candidate.rows, 599u);
  EXPECT_GT(*better->candidate.auc, 0.75);
  EXPECT_NEAR(*better->current.auc, 0.5, 0.1);
  EXPECT_EQ(better->candidate.top.picked, 300u);  // one pick per decision time, two rows at each
  EXPECT_EQ(better->gain.days, 25u);
  EXPECT_GT(*better->gain.auc_gain_lower, 0.1);
  EXPECT_TRUE(decide_promotion(*better, criterion).promote);
  const auto worse = compare_on_window(learned, noise, window, criterion);
  ASSERT_TRUE(worse.ok()) << worse.error().message;
  EXPECT_LT(*worse->gain.auc_gain_lower, 0.0);
  EXPECT_FALSE(decide_promotion(*worse, criterion).promote);
  const auto missing = compare_on_window(learned, folder / "none.json", window, criterion);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("none.json"), std::string::npos) << missing.error().message;
}

TEST(PromotionTest, InstallingReplacesTheCurrentAndKeepsTheOldAsPrevious) {
  const auto folder = testing::scratch_folder("promotion");
  std::ofstream(folder / "current.json") << "old";
  std::ofstream(folder / "candidate.json") << "new";
  ASSERT_TRUE(install_model(folder / "candidate.json", folder / "current.json").ok());
  EXPECT_EQ(bytes(folder / "current.json"), "new");
  EXPECT_EQ(bytes(folder / "current.json.previous"), "old");
  EXPECT_EQ(bytes(folder / "candidate.json"), "new");
  EXPECT_FALSE(std::filesystem::exists(folder / "current.json.incoming"));
  const auto missing = install_model(folder / "none.json", folder / "current.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("none.json"), std::string::npos) << missing.error().message;
  EXPECT_EQ(bytes(folder / "current.json"), "new");
}

}  // namespace
}  // namespace winiswin::ml
