#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "data/file_bytes.h"
#include "data/kline_store.h"
#include "data/synthetic_market.h"
#include "venue/binance/exchange_info.h"

namespace winiswin {

Status run_synth(const SyntheticMarketConfig& config, const std::filesystem::path& out, unsigned threads) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code error;
  std::filesystem::create_directories(out, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create: {}", out.string(), error.message()));

  const SyntheticMarket market(config);
  spdlog::info("synthetic market: {} symbols × {} days of 1m bars, seed {}", config.symbols, config.days, config.seed);
  const std::string exchange_info = binance::format_exchange_info(market.instruments(), config.start);
  if (auto status = write_file_bytes(out / "exchangeInfo.json", exchange_info); !status) return status;

  // Symbols are independent (each has its own generator), so any thread order gives the
  // same files. The first error wins; the others stop at their next symbol.
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::optional<Error> first_error;
  std::mutex error_mutex;
  const auto worker = [&] {
    for (std::size_t symbol_idx = next++; symbol_idx < market.instruments().size() && !failed; symbol_idx = next++) {
      const KlineSeries series = market.generate(symbol_idx);
      const auto path = out / fmt::format("{}-1m{}", series.symbol, kKlineStoreExtension);
      if (auto status = write_kline_store(path, series); !status) {
        const std::lock_guard lock(error_mutex);
        if (!failed.exchange(true)) first_error = status.error();
      }
    }
  };
  std::vector<std::jthread> pool;
  for (unsigned thread_idx = 0; thread_idx < std::max(1u, threads); ++thread_idx) pool.emplace_back(worker);
  pool.clear();  // joins
  if (first_error) return *first_error;

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::size_t bars = market.instruments().size() * market.minutes();
  fmt::print("synthetic market: {} symbols, {} 1m bars ({} days from {}), seed {} → {} ({:.2f} s, {:.1f} M bars/s)\n",
             market.instruments().size(), bars, config.days, format_utc(config.start), config.seed, out.string(), seconds,
             static_cast<double>(bars) / seconds / 1e6);
  return Ok{};
}

}  // namespace winiswin
