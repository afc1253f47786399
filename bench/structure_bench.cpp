// The per-bar cost the engine pays for one symbol: the whole indicator set plus every
// structure detector, streaming over a real series.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "data/kline_file.h"
#include "data/synthetic_market.h"
#include "indicators/indicator_set.h"
#include "structure/structure_set.h"

namespace winiswin::structure {
namespace {

const KlineSeries& btc_5m() {
  static const KlineSeries loaded = [] {
    const auto path = std::filesystem::path(WINISWIN_SHARED_DIR) / "data/klines/futures_um_ohlcv_only/BTCUSDT-5m-2025-09_10.csv.gz";
    if (std::filesystem::exists(path)) return load_klines(path).value();
    SyntheticMarketConfig config;
    config.symbols = 1;
    config.days = 8;
    return SyntheticMarket(config).generate(0);
  }();
  return loaded;
}

void StructureSetUpdate(benchmark::State& state) {
  const KlineSeries& series = btc_5m();
  const StructureInputs values = [&] {
    indicators::IndicatorSet warm(series.interval);
    for (const Kline& bar : series.bars) (void)warm.update(bar);
    return StructureInputs::of(warm);
  }();
  std::size_t updates = 0;
  for (auto _ : state) {
    StructureSet set;
    for (const Kline& bar : series.bars) benchmark::DoNotOptimize(set.update(bar, values).size());
    updates += series.bars.size();
  }
  state.counters["ns/bar"] = benchmark::Counter(static_cast<double>(updates),
                                                benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(StructureSetUpdate)->Unit(benchmark::kMillisecond);

// Indicators + structure: the full streaming set per symbol-bar (target ≤ 1 µs).
void FullStreamingSet(benchmark::State& state) {
  const KlineSeries& series = btc_5m();
  std::size_t updates = 0;
  for (auto _ : state) {
    indicators::IndicatorSet indicator_set(series.interval);
    StructureSet structure_set;
    for (const Kline& bar : series.bars) {
      benchmark::DoNotOptimize(indicator_set.update(bar));
      benchmark::DoNotOptimize(structure_set.update(bar, StructureInputs::of(indicator_set)).size());
    }
    updates += series.bars.size();
  }
  state.counters["ns/bar"] = benchmark::Counter(static_cast<double>(updates),
                                                benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(FullStreamingSet)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winiswin::structure
