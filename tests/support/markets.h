// Markets the backtest tests run on: the synthetic one, generated whole, and the real
// February 2026 1m months of five symbols from ../shared.
#pragma once

#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "core/instrument.h"
#include "core/kline.h"
#include "data/kline_file.h"
#include "data/synthetic_market.h"

namespace winiswin::testing {

struct Market {
  std::vector<Instrument> instruments;
  std::vector<KlineSeries> minutes;
};

inline Market synthetic_market(int symbols, int days) {
  SyntheticMarketConfig config;
  config.symbols = symbols;
  config.days = days;
  const SyntheticMarket market(config);
  Market out{market.instruments(), {}};
  for (std::size_t idx = 0; idx < out.instruments.size(); ++idx) out.minutes.push_back(market.generate(idx));
  return out;
}

// `folder`: ../shared/data/klines/futures_um/1m.
inline std::vector<KlineSeries> february_2026(const std::filesystem::path& folder) {
  std::vector<KlineSeries> minutes;
  for (const char* symbol : {"ALGOUSDT", "AVAXUSDT", "DOTUSDT", "FILUSDT", "LINKUSDT"}) {
    minutes.push_back(load_klines(folder / fmt::format("{}-1m-2026-02.csv.gz", symbol)).value());
  }
  return minutes;
}

}  // namespace winiswin::testing
