// One decision cycle's strategy work: scoring all symbols whose state is already updated
// (snapshot extraction + ICT scoring + features), on the default synthetic market.
#include <benchmark/benchmark.h>

#include "data/synthetic_market.h"
#include "strategy/ict_strategy.h"
#include "strategy/replay.h"

namespace winiswin::strategy {
namespace {

void ScoreAllSymbols(benchmark::State& state) {
  SyntheticMarketConfig config;
  config.symbols = static_cast<int>(state.range(0));
  config.days = 4;  // enough to warm EMA200 on 5m and ADX on 1h
  const SyntheticMarket market(config);
  std::vector<SymbolReplay> replays;
  const Timestamp at = config.start + Milliseconds{4LL * 86'400'000 - 300'000};
  for (std::size_t idx = 0; idx < market.instruments().size(); ++idx) {
    replays.push_back(SymbolReplay::from_fine(market.generate(idx)).value());
    (void)replays.back().advance_to(at);
  }
  const IctStrategy strategy;
  for (auto _ : state) {
    std::vector<Signal> signals;
    signals.reserve(replays.size());
    for (std::size_t idx = 0; idx < replays.size(); ++idx) {
      Evaluation evaluation = strategy.evaluate(snapshot_of(replays[idx].state()), market.instruments()[idx]);
      if (evaluation.signal) signals.push_back(std::move(*evaluation.signal));
    }
    benchmark::DoNotOptimize(rank_signals(std::move(signals), 0.35));
  }
  state.counters["symbols"] = static_cast<double>(replays.size());
}
BENCHMARK(ScoreAllSymbols)->Arg(200)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace winiswin::strategy
