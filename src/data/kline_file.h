// Loading klines from any file winiswin understands, and finding them in a folder.
//
// Formats: the binary store (`.wkl`), Binance kline CSV (12 or 6 columns, with or without
// header), plain, gzip-compressed or zipped. The symbol and interval come from the file
// name when it follows Binance's dump naming (`BTCUSDT-5m-2025-09.csv`,
// `BTCUSDT-markPrice-8h-2025-09_10.csv`), otherwise from the rows themselves.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/kline.h"

namespace winiswin {

struct KlineFileName {
  std::string symbol;                // empty when the name does not say
  std::optional<Interval> interval;  // empty when the name does not say
};

// "BTCUSDT-5m-2025-09_10.csv.gz" → {BTCUSDT, 5m}.
KlineFileName parse_kline_file_name(const std::filesystem::path& path);

Result<KlineSeries> load_klines(const std::filesystem::path& path);

// Kline files directly inside `directory` (.wkl, .csv, .csv.gz, .zip), sorted by name.
Result<std::vector<std::filesystem::path>> list_kline_files(const std::filesystem::path& directory);

// Which finest interval load_finest_klines keeps.
enum class FinestOf {
  kAllSymbols,  // one interval for every symbol (the finest any has; the others' files are left)
  kEachSymbol,  // each symbol its own finest
};

// A file of the folder that load_finest_klines did not use although it might have been
// meant to, and why; the caller reports it (a symbol is never dropped silently).
struct LeftOut {
  std::filesystem::path file;
  std::string reason;
};
using LeftOutReport = std::function<void(const LeftOut&)>;

// The finest 1m or 5m bars of the wanted symbols in a folder of kline files, one series per
// symbol (by name) with its files joined in time order. Files are picked by their names
// (BTCUSDT-1m-2026-02.csv.gz): coarser files are never read. Left out, and given to
// `report`: names that say no symbol and interval, mark/index-price klines, symbols with only
// coarser files or (kAllSymbols) coarser than the others', files without bars. Two files of a
// symbol holding the same times (a month twice) are an error naming both.
Result<std::vector<KlineSeries>> load_finest_klines(const std::filesystem::path& directory,
                                                    const std::function<bool(const std::string&)>& wanted, FinestOf finest,
                                                    const LeftOutReport& report = {});

}  // namespace winiswin
