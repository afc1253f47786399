// The whole backtest (phase 1 scoring + phase 2 portfolio pass, venue, virtual positions)
// on a pre-generated synthetic market, one thread: the engine's own throughput, without
// the market generation `make run` also pays for. Counter: 5m symbol-bars per second.
#include <benchmark/benchmark.h>

#include "data/synthetic_market.h"
#include "backtest/simulated_backtest.h"
#include "strategy/ict_strategy.h"

namespace winiswin::engine {
namespace {

struct Market {
  std::vector<Instrument> instruments;
  std::vector<KlineSeries> minutes;
};

const Market& market_of(int symbols, int days) {
  static std::map<std::pair<int, int>, Market> cache;
  Market& market = cache[{symbols, days}];
  if (market.minutes.empty()) {
    SyntheticMarketConfig config;
    config.symbols = symbols;
    config.days = days;
    const SyntheticMarket synthetic(config);
    market.instruments = synthetic.instruments();
    for (std::size_t idx = 0; idx < market.instruments.size(); ++idx) market.minutes.push_back(synthetic.generate(idx));
  }
  return market;
}

void BacktestRun(benchmark::State& state) {
  const Market& market = market_of(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const strategy::IctStrategy strategy;
  std::int64_t bars = 0;
  for (auto _ : state) {
    backtest::SimulatedBacktestConfig config;
    config.threads = static_cast<int>(state.range(2));
    backtest::SimulatedBacktest simulated(market.instruments, {}, strategy, config);
    auto result = simulated.run(market.minutes);
    if (!result) state.SkipWithError(result.error().message.c_str());
    bars += result->symbol_bars_5m;
    benchmark::DoNotOptimize(result);
  }
  state.counters["symbol_bars_5m_per_s"] = benchmark::Counter(static_cast<double>(bars), benchmark::Counter::kIsRate);
}
// This VM varies by ±25 % run to run: five repetitions, each shown (noise only ever adds
// time: the fastest is the closest to the engine's own speed), with mean, median and spread.
// Arguments: symbols, days, phase-1 threads. 200 × 30 days is the configuration
// (8.6 M 1m bars, ~0.8 GB in memory); 7 days is the quick look.
BENCHMARK(BacktestRun)->Args({200, 7, 1})->Args({200, 30, 1})->Args({200, 30, 2})->Unit(benchmark::kMillisecond)->Iterations(2)->Repetitions(5)->UseRealTime();

}  // namespace
}  // namespace winiswin::engine
