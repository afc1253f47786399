// Indicator throughput: our batch functions next to TA-Lib's C functions on the same
// series in the same run (TA-Lib built from npm `talib` 2.0.5 by tools/build_talib.sh,
// linked when present), and the streaming set's cost per bar.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "data/kline_file.h"
#include "data/resample.h"
#include "data/synthetic_market.h"
#include "indicators/batch.h"

#ifdef WINISWIN_HAVE_TALIB
extern "C" {
#include <ta_libc.h>
}
#endif

namespace winiswin::indicators {
namespace {

// The longest real series we have: ALGOUSDT 1m, 40,320 bars (synthetic when ../shared is absent).
const KlineSeries& series() {
  static const KlineSeries loaded = [] {
    const auto path = std::filesystem::path(WINISWIN_SHARED_DIR) / "data/klines/futures_um/1m/ALGOUSDT-1m-2026-02.csv.gz";
    if (std::filesystem::exists(path)) return load_klines(path).value();
    SyntheticMarketConfig config;
    config.symbols = 2;
    config.days = 28;
    return SyntheticMarket(config).generate(1);
  }();
  return loaded;
}

const OhlcvColumns& columns() {
  static const OhlcvColumns loaded = to_columns(series());
  return loaded;
}

void set_rate(benchmark::State& state) {
  state.counters["bars/s"] = benchmark::Counter(static_cast<double>(columns().close.size() * state.iterations()),
                                                benchmark::Counter::kIsRate);
}

void register_ours(const std::string& name, std::function<void()> body) {
  benchmark::RegisterBenchmark(("ours/" + name).c_str(), [body](benchmark::State& state) {
    for (auto _ : state) body();
    set_rate(state);
  })->Unit(benchmark::kMicrosecond);
}

#ifdef WINISWIN_HAVE_TALIB
// Calls a TA-Lib function over the whole series into preallocated buffers.
void register_talib(const std::string& name, std::function<TA_RetCode(int, double*, double*, double*)> call) {
  benchmark::RegisterBenchmark(("talib/" + name).c_str(), [call](benchmark::State& state) {
    const int n = static_cast<int>(columns().close.size());
    std::vector<double> a(columns().close.size()), b(a.size()), c(a.size());
    for (auto _ : state) {
      if (call(n - 1, a.data(), b.data(), c.data()) != TA_SUCCESS) state.SkipWithError("TA-Lib call failed");
      benchmark::DoNotOptimize(a.data());
    }
    set_rate(state);
  })->Unit(benchmark::kMicrosecond);
}
#endif

void register_all() {
  const OhlcvColumns& c = columns();
  register_ours("ema20", [&c] { benchmark::DoNotOptimize(ema(c.close, 20)); });
  register_ours("sma20", [&c] { benchmark::DoNotOptimize(sma(c.close, 20)); });
  register_ours("rsi14", [&c] { benchmark::DoNotOptimize(rsi(c.close, 14)); });
  register_ours("macd", [&c] { benchmark::DoNotOptimize(macd(c.close, 12, 26, 9)); });
  register_ours("bbands20", [&c] { benchmark::DoNotOptimize(bollinger(c.close, 20, 2.0)); });
  register_ours("atr14", [&c] { benchmark::DoNotOptimize(atr(c.high, c.low, c.close, 14)); });
  register_ours("adx14", [&c] { benchmark::DoNotOptimize(directional(c.high, c.low, c.close, 14)); });
  register_ours("stddev20", [&c] { benchmark::DoNotOptimize(stddev(c.close, 20)); });
  // The same into preallocated buffers, the way TA-Lib is called below.
  static std::vector<double> out1(c.close.size()), out2(c.close.size()), out3(c.close.size()), out4(c.close.size());
  register_ours("ema20_into", [&c] { benchmark::DoNotOptimize(ema(c.close, 20, out1)); });
  register_ours("sma20_into", [&c] { benchmark::DoNotOptimize(sma(c.close, 20, out1)); });
  register_ours("bbands20_into", [&c] { benchmark::DoNotOptimize(bollinger(c.close, 20, 2.0, BollingerOutput{out1, out2, out3, {}})); });
  register_ours("stddev20_into", [&c] { benchmark::DoNotOptimize(stddev(c.close, 20, out1)); });

#ifdef WINISWIN_HAVE_TALIB
  TA_Initialize();
  int begin = 0, count = 0;
  const double* close = c.close.data();
  const double* high = c.high.data();
  const double* low = c.low.data();
  register_talib("ema20", [=](int end, double* a, double*, double*) mutable {
    return TA_EMA(0, end, close, 20, &begin, &count, a);
  });
  register_talib("sma20", [=](int end, double* a, double*, double*) mutable {
    return TA_SMA(0, end, close, 20, &begin, &count, a);
  });
  register_talib("rsi14", [=](int end, double* a, double*, double*) mutable {
    return TA_RSI(0, end, close, 14, &begin, &count, a);
  });
  register_talib("macd", [=](int end, double* a, double* b, double* d) mutable {
    return TA_MACD(0, end, close, 12, 26, 9, &begin, &count, a, b, d);
  });
  register_talib("bbands20", [=](int end, double* a, double* b, double* d) mutable {
    return TA_BBANDS(0, end, close, 20, 2.0, 2.0, TA_MAType_SMA, &begin, &count, a, b, d);
  });
  register_talib("atr14", [=](int end, double* a, double*, double*) mutable {
    return TA_ATR(0, end, high, low, close, 14, &begin, &count, a);
  });
  // ADX with ±DI: three TA-Lib calls give what our one pass gives.
  register_talib("adx14", [=](int end, double* a, double* b, double* d) mutable {
    TA_RetCode code = TA_ADX(0, end, high, low, close, 14, &begin, &count, a);
    if (code == TA_SUCCESS) code = TA_PLUS_DI(0, end, high, low, close, 14, &begin, &count, b);
    if (code == TA_SUCCESS) code = TA_MINUS_DI(0, end, high, low, close, 14, &begin, &count, d);
    return code;
  });
  register_talib("stddev20", [=](int end, double* a, double*, double*) mutable {
    return TA_STDDEV(0, end, close, 20, 1.0, &begin, &count, a);
  });
#endif
}

const int kRegistered = (register_all(), 0);

// The engine's per-bar cost: every indicator of the set for one symbol and one bar.
void IndicatorSetUpdate(benchmark::State& state) {
  const KlineSeries& bars = series();
  std::size_t updates = 0;
  for (auto _ : state) {
    IndicatorSet set(bars.interval);
    for (const Kline& bar : bars.bars) benchmark::DoNotOptimize(set.update(bar));
    benchmark::DoNotOptimize(set.values());
    updates += bars.bars.size();
  }
  state.counters["ns/bar"] = benchmark::Counter(static_cast<double>(updates),
                                                benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(IndicatorSetUpdate)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winiswin::indicators
