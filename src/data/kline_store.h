// The binary kline store: one symbol, one interval per file (extension `.wkl`), for fast
// reloads of data that has already been parsed and validated once.
//
// Layout (little-endian, the host order of every machine we target):
//   header, 128 bytes:
//     magic "WINISWKL" | u32 version (1) | u32 header size (128) | u8 interval |
//     u8 fields | u16 column count (11) | u64 bar count | u32 CRC-32 | u32 reserved 0 |
//     char[32] symbol (NUL padded) | zero padding to 128
//   then 11 columns, each `bar count` × i64, in Kline field order:
//     open_time ms, open, high, low, close, volume, close_time ms, quote_volume,
//     trades, taker_buy_volume, taker_buy_quote_volume (fixed-point raw units).
// The CRC-32 (zlib) covers the header with the CRC field zeroed, then every column.
// Columnar because a reader that wants one field (closes for a study, volumes for a
// filter) touches only that column's pages; loading reads the columns and transposes.
// Conversion CSV ↔ store is lossless: same values, same fields, same order.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/kline.h"

namespace winiswin {

inline constexpr std::string_view kKlineStoreExtension = ".wkl";

Status write_kline_store(const std::filesystem::path& path, const KlineSeries& series);
Result<KlineSeries> read_kline_store(const std::filesystem::path& path);

// A store file read a range of bars at a time, for streaming: the bars asked for come
// through a small window of each column (kKlineStoreWindowBars bars, ~180 kB in all), so a
// year of 1m bars costs the window, not the file. pread, not a memory map: this machine's
// kernel (6.18) maps page-cache pages in 2 MB folios on a fault, so touching the 11 columns
// of a mapped file made ~22 MB of it resident per symbol (4 GB for 200 symbols), and pages
// handed back with madvise came back whole at the next touch.
//
// `open` checks the header and the size only; `verify` checks the CRC-32 (one pass over
// the file). Ranges read are validated bar by bar as read_kline_store validates a series.
// One reader is used by one thread at a time.
inline constexpr std::size_t kKlineStoreWindowBars = 2048;

class KlineStoreReader {
 public:
  static Result<KlineStoreReader> open(const std::filesystem::path& path);
  KlineStoreReader(KlineStoreReader&&) noexcept;
  KlineStoreReader& operator=(KlineStoreReader&&) noexcept;
  ~KlineStoreReader();

  [[nodiscard]] const std::filesystem::path& path() const;
  [[nodiscard]] const std::string& symbol() const;
  [[nodiscard]] Interval interval() const;
  [[nodiscard]] KlineFields fields() const;
  [[nodiscard]] std::size_t size() const;  // bars
  // Open time of bar `bar` (< size()); an unreadable file gives an error.
  Result<Timestamp> open_time(std::size_t bar);
  // The CRC over the whole file; an error names the file.
  [[nodiscard]] Status verify() const;
  // Appends bars [begin, end) to `out`, each checked (and against the bar before `begin`);
  // an error names the file and the bar's index.
  Status read(std::size_t begin, std::size_t end, std::vector<Kline>& out);

 private:
  struct File;
  explicit KlineStoreReader(std::unique_ptr<File> file);
  Status load_window(std::size_t bar);
  std::unique_ptr<File> file_;
};

}  // namespace winiswin
