// The flat forest against libxgboost itself: every probability equal bit for bit, on models
// trained here through the C API (rows with missing cells, rows on a grid so that feature
// values land exactly on thresholds) and on the rows of a label-every-signal backtest with a
// model trained by winiswin's trainer.
#include "ml/flat_forest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>
#include <limits>

#include <fmt/format.h>

#include "backtest/simulated_backtest.h"
#include "ml/trainer.h"
#include "scratch_folder.h"
#include "strategy/ict_strategy.h"
#include "support/markets.h"
#include "xgboost_fixture.h"

namespace winiswin::ml {
namespace {

constexpr std::size_t kColumns = strategy::kFeatureCount;
constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

struct Forest {
  int depth = 6;
  int rounds = 100;
};

// Trains a binary:logistic model on `rows` (labels from the fixture's rule) and saves it.
void train_model(const std::filesystem::path& file, const std::vector<float>& rows, const Forest& forest) {
  const std::vector<float> labels = testing::labels_of(rows, 4);
  xgb::Matrix train = xgb::matrix(rows, kColumns).value();
  ASSERT_TRUE(xgb::set_labels(train.get(), labels).ok());
  const DMatrixHandle handles[] = {train.get()};
  xgb::Booster booster = xgb::make_booster(handles).value();
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{{"objective", "binary:logistic"},
                                                                                    {"max_depth", std::to_string(forest.depth)},
                                                                                    {"eta", "0.1"},
                                                                                    {"min_child_weight", "0.5"},
                                                                                    {"nthread", "1"},
                                                                                    {"seed", "3"}}) {
    ASSERT_TRUE(xgb::set_param(booster.get(), name, value).ok());
  }
  for (int round = 0; round < forest.rounds; ++round) {
    ASSERT_EQ(XGBoosterUpdateOneIter(booster.get(), round, train.get()), 0) << XGBGetLastError();
  }
  // winiswin's schema, so that XgboostModel loads it too.
  ASSERT_TRUE(xgb::set_feature_names(booster.get(), {strategy::kFeatureNames.begin(), strategy::kFeatureNames.end()}).ok());
  ASSERT_TRUE(xgb::set_attr(booster.get(), kFeatureVersionAttribute, std::to_string(strategy::kFeatureVersion)).ok());
  ASSERT_EQ(XGBoosterSaveModel(booster.get(), file.c_str()), 0) << XGBGetLastError();
}

// Rows with a quarter of their cells missing, and whole rows missing.
std::vector<float> sparse_rows(std::size_t count, unsigned seed) {
  std::vector<float> rows = testing::random_rows(count, seed);
  std::mt19937 random(seed + 1);
  for (float& value : rows) {
    if (random() % 4 == 0) value = kMissing;
  }
  std::fill_n(rows.begin(), kColumns, kMissing);
  return rows;
}

// Rows on a grid of quarters: libxgboost's thresholds are then grid values too, and many
// features equal a threshold exactly (the `<` side of the comparison is exercised).
std::vector<float> grid_rows(std::size_t count, unsigned seed) {
  std::vector<float> rows = testing::random_rows(count, seed);
  for (float& value : rows) value = std::round(value * 4.0f) / 4.0f;
  return rows;
}

constexpr ForestPath kPaths[] = {ForestPath::kPortable, ForestPath::kAvx2, ForestPath::kAvx512};

// Asserts the forest's probabilities on every path this CPU and forest can take (portable,
// AVX2, AVX-512) equal libxgboost's, both its DMatrix predict and the in-place predict, bit for
// bit, on every row; returns how many distinct values it saw.
std::size_t expect_equal_to_libxgboost(const std::filesystem::path& file, const std::vector<float>& rows) {
  const FlatForest forest = FlatForest::load(file).value();
  const std::size_t count = rows.size() / kColumns;
  std::vector<double> flat(count), in_place(count);
  EXPECT_TRUE(forest.predict(rows, kColumns, flat).ok());
  for (const ForestPath path : kPaths) {
    if (!forest.can_take(path)) continue;
    std::vector<double> on_path(count);
    EXPECT_TRUE(forest.predict_on(path, rows, kColumns, on_path).ok());
    EXPECT_EQ(flat, on_path) << name_of(path) << " against " << name_of(forest.fastest_path());
  }
  const std::vector<float> expected = testing::libxgboost_predictions(file, rows);
  xgb::Booster booster = xgb::make_booster({}).value();
  EXPECT_EQ(XGBoosterLoadModel(booster.get(), file.c_str()), 0);
  EXPECT_TRUE(xgb::predict_dense(booster.get(), rows, kColumns, in_place).ok());
  EXPECT_EQ(expected.size(), count);
  std::size_t mismatches = 0;
  for (std::size_t row = 0; row < count && row < expected.size(); ++row) {
    // The forest's float, widened: equal doubles mean equal float bits.
    if (flat[row] != static_cast<double>(expected[row]) || flat[row] != in_place[row]) ++mismatches;
    EXPECT_EQ(std::bit_cast<std::uint64_t>(flat[row]), std::bit_cast<std::uint64_t>(static_cast<double>(expected[row])))
        << "row " << row << ": flat " << flat[row] << ", libxgboost " << expected[row];
    if (mismatches > 5) break;  // enough to diagnose
  }
  std::vector<double> distinct(flat);
  std::sort(distinct.begin(), distinct.end());
  return static_cast<std::size_t>(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
}

class FlatForestTest : public testing::ScratchFolderTest {};

TEST_F(FlatForestTest, EqualsLibxgboostBitForBitOnRowsWithMissingCells) {
  for (const Forest forest : {Forest{6, 100}, Forest{4, 300}, Forest{2, 20}}) {
    const auto file = folder_ / ("sparse_" + std::to_string(forest.depth) + ".json");
    train_model(file, sparse_rows(3000, 11), forest);
    const FlatForest loaded = FlatForest::load(file).value();
    EXPECT_EQ(loaded.tree_count(), static_cast<std::size_t>(forest.rounds));
    // The training rows and unseen ones: a model that separates them gives many values.
    EXPECT_GT(expect_equal_to_libxgboost(file, sparse_rows(3000, 11)), 100u);
    EXPECT_GT(expect_equal_to_libxgboost(file, sparse_rows(2005, 12)), 100u);
  }
}

TEST_F(FlatForestTest, EqualsLibxgboostBitForBitWhenFeaturesEqualThresholds) {
  const auto file = folder_ / "grid.json";
  train_model(file, grid_rows(3000, 21), Forest{5, 200});
  EXPECT_GT(expect_equal_to_libxgboost(file, grid_rows(3003, 22)), 100u);
}

TEST_F(FlatForestTest, EqualsLibxgboostBitForBitOnALabelEverySignalBacktest) {
  const strategy::IctStrategy strategy;
  const auto market = winiswin::testing::synthetic_market(20, 6);
  backtest::SimulatedBacktestConfig labelling;
  labelling.cycle.label_every_signal = true;
  const auto labelled = backtest::SimulatedBacktest(market.instruments, {}, strategy, labelling).run(market.minutes).value();
  std::vector<LabelledRow> rows;
  std::vector<float> features;
  for (const auto* records : {&labelled.trades, &labelled.virtuals}) {
    for (const journal::TradeRecord& record : *records) {
      LabelledRow row;
      row.decided = record.decided;
      row.features = record.features;
      row.win = record.r_multiple > 0.0;
      rows.push_back(row);
      for (const double value : record.features) features.push_back(static_cast<float>(value));
    }
  }
  ASSERT_GT(rows.size(), 100u);
  TrainConfig config;
  config.rounds = 200;
  config.max_depth = 6;
  config.min_child_weight = 1.0;
  config.validation_fraction = 0.0;
  const auto file = folder_ / "backtest.json";
  ASSERT_TRUE(train(rows, config, file).ok());
  EXPECT_GT(expect_equal_to_libxgboost(file, features), 10u);
}

TEST_F(FlatForestTest, EachPathTakesTheForestsItCanAndRefusesTheOthers) {
  const auto shallow = folder_ / "shallow.json";
  const auto deep = folder_ / "deep.json";
  train_model(shallow, sparse_rows(1000, 41), Forest{6, 30});
  train_model(deep, sparse_rows(1000, 41), Forest{7, 30});
  const FlatForest six = FlatForest::load(shallow).value();
  const FlatForest seven = FlatForest::load(deep).value();
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd");
  EXPECT_TRUE(six.can_take(ForestPath::kPortable));
  EXPECT_EQ(six.can_take(ForestPath::kAvx2), static_cast<bool>(__builtin_cpu_supports("avx2")));
  EXPECT_EQ(six.can_take(ForestPath::kAvx512), avx512);
  EXPECT_FALSE(seven.can_take(ForestPath::kAvx512));  // QuickScorer's leaf sets hold 64 positions
  EXPECT_NE(seven.fastest_path(), ForestPath::kAvx512);
  const std::vector<float> rows = sparse_rows(40, 42);
  std::vector<double> probabilities(40);
  const Status refused = seven.predict_on(ForestPath::kAvx512, rows, kColumns, probabilities);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("avx512"), std::string::npos);
  EXPECT_TRUE(seven.predict(rows, kColumns, probabilities).ok());
  EXPECT_GT(expect_equal_to_libxgboost(deep, sparse_rows(500, 43)), 100u);  // the walks alone
  if (!avx512) GTEST_SKIP() << "this CPU has no AVX-512: the QuickScorer path was not run (the other tests compared the others)";
}

// Depth 4 (32-bit leaf sets, chunks of up to 8 vectors) and depth 6 (64-bit, up to 6).
TEST_F(FlatForestTest, EveryBatchSizeGivesEachRowTheSameProbabilityOnEveryPath) {
  for (const Forest shape : {Forest{4, 200}, Forest{6, 60}}) {
    const auto file = folder_ / fmt::format("sizes_{}.json", shape.depth);
    train_model(file, sparse_rows(2000, 51), shape);
    const FlatForest forest = FlatForest::load(file).value();
    const std::vector<float> rows = sparse_rows(300, 52);
    std::vector<double> all(300);
    ASSERT_TRUE(forest.predict_on(ForestPath::kPortable, rows, kColumns, all).ok());
    // Partial vectors, one chunk, chunks of unequal sizes, and a batch starting mid-way.
    for (const std::size_t count : {1, 7, 8, 15, 16, 17, 31, 33, 95, 96, 97, 100, 127, 128, 129, 200, 255, 257, 300}) {
      for (const ForestPath path : kPaths) {
        if (!forest.can_take(path)) continue;
        const std::size_t first = 300 - count;
        std::vector<double> some(count);
        ASSERT_TRUE(forest.predict_on(path, std::span(rows).subspan(first * kColumns), kColumns, some).ok());
        for (std::size_t row = 0; row < count; ++row) {
          ASSERT_EQ(some[row], all[first + row]) << name_of(path) << ", depth " << shape.depth << ", " << count << " rows, row " << row;
        }
      }
    }
  }
}

TEST_F(FlatForestTest, ATreeOfOneLeafAndTheBaseScoreAreEvaluated) {
  const auto file = folder_ / "stump.json";
  // All labels alike: no split gains, each tree is a single leaf.
  std::vector<float> rows = testing::random_rows(50, 1);
  xgb::Matrix train = xgb::matrix(rows, kColumns).value();
  const std::vector<float> labels(50, 1.0f);
  ASSERT_TRUE(xgb::set_labels(train.get(), labels).ok());
  const DMatrixHandle handles[] = {train.get()};
  xgb::Booster booster = xgb::make_booster(handles).value();
  ASSERT_TRUE(xgb::set_param(booster.get(), "objective", "binary:logistic").ok());
  ASSERT_TRUE(xgb::set_param(booster.get(), "base_score", "0.3").ok());
  for (int round = 0; round < 3; ++round) ASSERT_EQ(XGBoosterUpdateOneIter(booster.get(), round, train.get()), 0);
  ASSERT_EQ(XGBoosterSaveModel(booster.get(), file.c_str()), 0);
  const FlatForest forest = FlatForest::load(file).value();
  EXPECT_EQ(forest.base_margin(), -logf(1.0f / 0.3f - 1.0f));
  expect_equal_to_libxgboost(file, rows);
}

std::string text_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST_F(FlatForestTest, ModelsItCannotEvaluateAreRefusedSayingWhy) {
  const auto file = folder_ / "model.json";
  testing::train_tiny_model(file);
  const std::string text = text_of(file);
  ASSERT_TRUE(FlatForest::parse(text, "m").ok());
  const auto message_of = [](const Result<FlatForest>& result) { return result.ok() ? std::string("loaded") : result.error().message; };
  EXPECT_NE(message_of(FlatForest::parse(replaced(text, "binary:logistic", "reg:squarederror"), "m")).find("not binary:logistic"),
            std::string::npos);
  EXPECT_NE(message_of(FlatForest::parse(replaced(text, "\"split_type\":[0", "\"split_type\":[1"), "m")).find("categorical"),
            std::string::npos);
  EXPECT_NE(message_of(FlatForest::parse(replaced(text, "\"left_children\":[1", "\"left_children\":[0"), "m")).find("out of range"),
            std::string::npos);
  EXPECT_NE(message_of(FlatForest::parse(text.substr(0, text.size() / 2), "m")).find("m: "), std::string::npos);
  EXPECT_NE(message_of(FlatForest::parse("[1, 2]", "m")).find("m: the file"), std::string::npos);
  EXPECT_NE(message_of(FlatForest::load(folder_ / "absent.json")).find("absent.json"), std::string::npos);
}

TEST_F(FlatForestTest, ABatchOfTheWrongShapeIsAnError) {
  const auto file = folder_ / "model.json";
  testing::train_tiny_model(file);
  const FlatForest forest = FlatForest::load(file).value();
  const std::vector<float> rows = testing::random_rows(3, 1);
  std::vector<double> two(2), three(3), none;
  EXPECT_FALSE(forest.predict(rows, kColumns, two).ok());
  EXPECT_FALSE(forest.predict(std::span(rows).first(3 * 2), 2, three).ok());  // narrower than the model reads
  EXPECT_TRUE(forest.predict({}, kColumns, none).ok());
}

TEST_F(FlatForestTest, TheModelPredictsThroughItWithLibxgboostsProbabilities) {
  const auto file = folder_ / "model.json";
  train_model(file, sparse_rows(1000, 31), Forest{4, 50});
  const auto flat = XgboostModel::load(file).value();
  const auto library = XgboostModel::load(file, kDefaultModelWeight, Predictor::kLibxgboost).value();
  EXPECT_TRUE(flat->predicts_through_flat_forest());
  EXPECT_FALSE(library->predicts_through_flat_forest());
  const std::vector<float> rows = sparse_rows(500, 32);
  std::vector<double> by_flat(500), by_library(500);
  ASSERT_TRUE(flat->predict(rows, by_flat).ok());
  ASSERT_TRUE(library->predict(rows, by_library).ok());
  EXPECT_EQ(by_flat, by_library);
}

}  // namespace
}  // namespace winiswin::ml
