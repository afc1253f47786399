// The sequence models' cost (src/ml/sequence), for windows of the walk-forward candidates'
// shape (48 bars × 5 channels) and their width (32), one torch thread:
// SequenceTrainEpoch/A — one training epoch over 10 000 windows (forward, backward, Adam; no
//   held-out rows), what each epoch of a fold's training costs per 10 k rows;
// SequencePredict/A — p(win) for a batch of 200 windows, what one decision cycle would pay.
// A: 0 LSTM, 1 Transformer, 2 CNN.
#include <benchmark/benchmark.h>

#include <random>

#include "ml/sequence/bar_windows.h"
#include "ml/sequence/sequence_fold.h"
#include "ml/sequence/sequence_model.h"

namespace winiswin::ml::sequence {
namespace {

SequenceSet noise_windows(std::size_t rows, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<float> noise(0.0F, 1.0F);
  SequenceSet set{kDefaultWindowBars, kChannelCount, {}, {}};
  set.values.resize(rows * kDefaultWindowBars * kChannelCount);
  for (float& value : set.values) value = noise(random);
  for (std::size_t row = 0; row < rows; ++row) set.wins.push_back(row % 3 == 0 ? 1 : 0);
  return set;
}

SequenceTrainConfig config_of(const benchmark::State& state, std::size_t epochs) {
  SequenceTrainConfig config;
  config.architecture = static_cast<Architecture>(state.range(0));
  config.epochs = epochs;
  config.early_stop_fraction = 0.0;
  return config;
}

void SequenceTrainEpoch(benchmark::State& state) {
  const SequenceSet rows = noise_windows(10000, 1);
  for (auto _ : state) {
    Result<SequenceModel> model = SequenceModel::train(rows, config_of(state, 1));
    if (!model.ok()) state.SkipWithError(model.error().message.c_str());
    benchmark::DoNotOptimize(model);
  }
  state.SetLabel(std::string(name_of(static_cast<Architecture>(state.range(0)))));
}
BENCHMARK(SequenceTrainEpoch)->DenseRange(0, 2)->Iterations(1)->Unit(benchmark::kMillisecond);

void SequencePredict(benchmark::State& state) {
  const SequenceModel model = SequenceModel::train(noise_windows(500, 2), config_of(state, 1)).value();
  SequenceSet batch = noise_windows(200, 3);
  batch.wins.clear();
  for (auto _ : state) {
    Result<std::vector<double>> probability = model.predict(batch);
    benchmark::DoNotOptimize(probability);
  }
  state.SetLabel(std::string(name_of(static_cast<Architecture>(state.range(0)))));
}
BENCHMARK(SequencePredict)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace winiswin::ml::sequence
