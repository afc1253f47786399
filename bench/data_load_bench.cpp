// Data-load throughput: Binance CSV → memory, and the binary store → memory.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "data/file_bytes.h"
#include "data/kline_csv.h"
#include "data/kline_store.h"
#include "data/synthetic_market.h"

namespace winiswin {
namespace {

const std::filesystem::path kRealMonth =
    std::filesystem::path(WINISWIN_SHARED_DIR) / "data/klines/futures_um/1m/FILUSDT-1m-2026-02.csv.gz";

// The CSV text of a real month when ../shared is present, else of a synthetic one.
const std::string& csv_text() {
  static const std::string text = [] {
    if (std::filesystem::exists(kRealMonth)) return read_file_bytes(kRealMonth).value();
    SyntheticMarketConfig config;
    config.symbols = 2;
    config.days = 28;
    return format_kline_csv(SyntheticMarket(config).generate(1));
  }();
  return text;
}

void CsvParse(benchmark::State& state) {
  const std::string& text = csv_text();
  std::size_t rows = 0;
  for (auto _ : state) {
    auto series = parse_kline_csv(text, KlineCsvOptions{"bench.csv", "FILUSDT", Interval::k1m});
    rows += series->bars.size();
    benchmark::DoNotOptimize(series);
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(text.size() * state.iterations()));
}
BENCHMARK(CsvParse)->Unit(benchmark::kMillisecond);

void CsvGzipLoad(benchmark::State& state) {
  if (!std::filesystem::exists(kRealMonth)) {
    state.SkipWithError("../shared not found");
    return;
  }
  std::size_t rows = 0;
  for (auto _ : state) {
    auto text = read_file_bytes(kRealMonth);
    auto series = parse_kline_csv(*text, KlineCsvOptions{"bench.csv", "FILUSDT", Interval::k1m});
    rows += series->bars.size();
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}
BENCHMARK(CsvGzipLoad)->Unit(benchmark::kMillisecond);

void StoreLoad(benchmark::State& state) {
  const auto series = parse_kline_csv(csv_text(), KlineCsvOptions{"bench.csv", "FILUSDT", Interval::k1m}).value();
  const auto path = std::filesystem::temp_directory_path() / "winiswin_bench.wkl";
  (void)write_kline_store(path, series);
  const auto bytes = std::filesystem::file_size(path);
  std::size_t rows = 0;
  for (auto _ : state) {
    auto loaded = read_kline_store(path);
    rows += loaded->bars.size();
    benchmark::DoNotOptimize(loaded);
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes * state.iterations()));
  std::filesystem::remove(path);
}
BENCHMARK(StoreLoad)->Unit(benchmark::kMillisecond);

void SyntheticGenerate(benchmark::State& state) {
  SyntheticMarketConfig config;
  config.symbols = 2;
  config.days = 7;
  const SyntheticMarket market(config);
  std::size_t rows = 0;
  for (auto _ : state) {
    auto series = market.generate(1);
    rows += series.bars.size();
    benchmark::DoNotOptimize(series);
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}
BENCHMARK(SyntheticGenerate)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winiswin
