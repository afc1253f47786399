// One decision cycle's model work: the batch prediction of 200 signals × 28 features by an
// XGBoost model, for forests of the sizes `winiswin ml train` makes (default 200 trees of
// depth 4); one row alone shows the call's fixed cost. BatchPredict is what the cycle runs
// (the flat forest, flat_forest.h, on the fastest path this CPU takes); LibxgboostBatchPredict
// the same models through libxgboost's in-place dense predict, one thread; FlatForestPath/…/P
// each of the forest's paths alone (P: 0 portable, 1 AVX2, 2 AVX-512 QuickScorer). The
// issue's target is ≤ 50 µs per cycle. Train/T: `ml train`'s time on 100 000 synthetic rows
// with its defaults (200 trees of depth 4, one thread, 20 % validated), T 0 the win classifier,
// 1 the R regression; one iteration (it takes seconds).
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <random>

#include <unistd.h>

#include "ml/flat_forest.h"
#include "ml/trainer.h"
#include "ml/xgboost_model.h"

namespace winiswin::ml {
namespace {

// 5000 rows of noise with a learnable rule: trees grow to their depth.
std::vector<LabelledRow> training_rows() {
  std::mt19937 random(5);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<LabelledRow> rows(5000);
  for (std::size_t idx = 0; idx < rows.size(); ++idx) {
    rows[idx].decided = timestamp_from_ms(1'767'225'900'000 + static_cast<std::int64_t>(idx) * 300'000);
    for (double& feature : rows[idx].features) feature = normal(random);
    rows[idx].win = rows[idx].features[6] + 0.5 * rows[idx].features[15] + 0.5 * normal(random) > 0.3;
  }
  return rows;
}

// Trains a model of `trees` × `depth` into a file unique to this process; empty path on failure.
std::filesystem::path trained_model(benchmark::State& state, int trees, int depth) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("winiswin_ml_bench_" + std::to_string(::getpid()) + "_" + std::to_string(trees) + "x" + std::to_string(depth) + ".json");
  TrainConfig config;
  config.rounds = trees;
  config.max_depth = depth;
  config.min_child_weight = 1.0;
  config.validation_fraction = 0.0;
  if (auto trained = train(training_rows(), config, file); !trained) {
    state.SkipWithError(trained.error().message.c_str());
    return {};
  }
  return file;
}

std::vector<float> feature_rows(std::size_t count) {
  std::mt19937 random(9);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> rows(count * strategy::kFeatureCount);
  for (float& value : rows) value = normal(random);
  return rows;
}

void batch_predict(benchmark::State& state, Predictor predictor) {
  const auto trees = static_cast<int>(state.range(0));
  const auto depth = static_cast<int>(state.range(1));
  const auto count = static_cast<std::size_t>(state.range(2));
  const auto file = trained_model(state, trees, depth);
  if (file.empty()) return;
  auto model = XgboostModel::load(file, kDefaultModelWeight, predictor);
  std::filesystem::remove(file);
  if (!model) {
    state.SkipWithError(model.error().message.c_str());
    return;
  }
  if ((*model)->predicts_through_flat_forest() != (predictor == Predictor::kFlatForest)) {
    state.SkipWithError("the model does not predict through the predictor asked for");
    return;
  }
  const std::vector<float> rows = feature_rows(count);
  std::vector<double> probabilities(count);
  for (auto _ : state) {
    if (!(*model)->predict(rows, probabilities)) state.SkipWithError("predict failed");
    benchmark::DoNotOptimize(probabilities.data());
  }
  state.counters["trees"] = trees;
  state.counters["depth"] = depth;
  state.counters["rows"] = static_cast<double>(count);
}
void BatchPredict(benchmark::State& state) { batch_predict(state, Predictor::kFlatForest); }
void LibxgboostBatchPredict(benchmark::State& state) { batch_predict(state, Predictor::kLibxgboost); }

void forest_sizes(benchmark::internal::Benchmark* bench) {
  bench->Args({100, 4, 200})->Args({200, 4, 200})->Args({100, 6, 200})->Args({300, 6, 200})->Args({200, 4, 1})->Unit(benchmark::kMicrosecond);
}
BENCHMARK(BatchPredict)->Apply(forest_sizes);
BENCHMARK(LibxgboostBatchPredict)->Apply(forest_sizes);

void FlatForestPath(benchmark::State& state) {
  const auto file = trained_model(state, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  if (file.empty()) return;
  auto forest = FlatForest::load(file);
  std::filesystem::remove(file);
  const auto path = static_cast<ForestPath>(state.range(3));
  if (!forest || !forest->can_take(path)) {
    state.SkipWithError("this CPU or forest cannot take the path");
    return;
  }
  const auto count = static_cast<std::size_t>(state.range(2));
  const std::vector<float> rows = feature_rows(count);
  std::vector<double> probabilities(count);
  for (auto _ : state) {
    if (!forest->predict_on(path, rows, strategy::kFeatureCount, probabilities)) state.SkipWithError("predict failed");
    benchmark::DoNotOptimize(probabilities.data());
  }
}
BENCHMARK(FlatForestPath)
    ->ArgsProduct({{100, 200}, {4}, {200}, {0, 1, 2}})
    ->Args({200, 5, 200, 2})
    ->Args({100, 6, 200, 1})
    ->Args({100, 6, 200, 2})
    ->Args({200, 4, 1, 2})
    ->Unit(benchmark::kMicrosecond);

// Rows a 5m close apart whose R (and so win) follows a rule of two features plus noise.
std::vector<LabelledRow> rows_with_r(std::size_t count) {
  std::mt19937 random(6);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<LabelledRow> rows(count);
  for (std::size_t idx = 0; idx < rows.size(); ++idx) {
    rows[idx].decided = timestamp_from_ms(1'767'225'900'000 + static_cast<std::int64_t>(idx) * 300'000);
    rows[idx].exited = rows[idx].decided + Milliseconds{3'600'000};
    rows[idx].exit_reason = "stop";
    for (double& feature : rows[idx].features) feature = normal(random);
    rows[idx].r_net = std::tanh(rows[idx].features[6] + 0.5 * rows[idx].features[15]) - 0.2 + 0.5 * normal(random);
    rows[idx].win = rows[idx].r_net > 0.0;
  }
  return rows;
}

void Train(benchmark::State& state) {
  const std::vector<LabelledRow> rows = rows_with_r(100'000);
  TrainConfig config;
  config.target = state.range(0) == 1 ? Target::kR : Target::kWin;
  const auto file = std::filesystem::temp_directory_path() / ("winiswin_ml_bench_train_" + std::to_string(::getpid()) + ".json");
  for (auto _ : state) {
    if (auto trained = train(rows, config, file); !trained) state.SkipWithError(trained.error().message.c_str());
  }
  std::filesystem::remove(file);
  state.counters["rows"] = static_cast<double>(rows.size());
}
BENCHMARK(Train)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace winiswin::ml
