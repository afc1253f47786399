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

// `count` rows from `first` on, 5 minutes apart, two per decision; wins where features 6, 15
// and 20 say so (xgboost_fixture.h), or at random when `noise`.
std::vector<LabelledRow> rows_from(Timestamp first, std::size_t count, unsigned seed, bool noise = false) {
  const std::vector<float> features = testing::random_rows(count, seed);
  const std::vector<float> labels = testing::labels_of(features, seed + 1);
  std::mt19937 random(seed + 2);
  std::vector<LabelledRow> rows(count);
  for (std::size_t idx = 0; idx < count; ++idx) {
    LabelledRow& row = rows[idx];
    row.symbol = idx % 2 == 0 ? "BTCUSDT" : "ETHUSDT";
    row.decided = first + kFiveMinutes * static_cast<std::int64_t>(idx / 2);
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

TEST(PromotionTest, TheCriterionPromotesOnlyAClearlyBetterModel) {
  const PromotionCriterion criterion;  // +0.01 AUC, log loss no worse, 100 rows
  WindowMetrics current{500, 0.60, 0.65, {}};
  EXPECT_TRUE(decide_promotion(current, WindowMetrics{500, 0.62, 0.64, {}}, criterion).promote);
  const auto small_gain = decide_promotion(current, WindowMetrics{500, 0.605, 0.64, {}}, criterion);
  EXPECT_FALSE(small_gain.promote);
  EXPECT_NE(small_gain.reason.find("AUC"), std::string::npos) << small_gain.reason;
  const auto worse_loss = decide_promotion(current, WindowMetrics{500, 0.70, 0.70, {}}, criterion);
  EXPECT_FALSE(worse_loss.promote);
  EXPECT_NE(worse_loss.reason.find("log loss"), std::string::npos) << worse_loss.reason;
  EXPECT_FALSE(decide_promotion(WindowMetrics{50, 0.5, 0.7, {}}, WindowMetrics{50, 0.9, 0.3, {}}, criterion).promote);
  EXPECT_FALSE(decide_promotion(WindowMetrics{500, std::nullopt, 0.7, {}}, WindowMetrics{500, std::nullopt, 0.3, {}}, criterion).promote);
}

TEST(PromotionTest, AModelThatLearnedBeatsOneThatLearnedNoiseOnTheWindow) {
  const auto folder = testing::scratch_folder("promotion");
  const auto learned = trained(folder, "learned.json", rows_from(kStart, 1500, 3));
  const auto noise = trained(folder, "noise.json", rows_from(kStart, 1500, 3, true));
  auto window = rows_from(kStart + 30 * 24 * kHour, 600, 9);
  window[0].exit_reason = "end of data";  // censored: not measured
  const auto good = evaluate_on_window(learned, window, 1).value();
  const auto bad = evaluate_on_window(noise, window, 1).value();
  EXPECT_EQ(good.rows, 599u);
  EXPECT_GT(*good.auc, 0.75);
  EXPECT_NEAR(*bad.auc, 0.5, 0.1);
  EXPECT_EQ(good.top.picked, 300u);  // one pick per decision time, two rows at each
  EXPECT_TRUE(decide_promotion(bad, good, {}).promote);
  EXPECT_FALSE(decide_promotion(good, bad, {}).promote);
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
