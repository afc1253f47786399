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
// filter) touches only that column's pages; loading maps the file and transposes.
// Conversion CSV ↔ store is lossless: same values, same fields, same order.
#pragma once

#include <filesystem>

#include "core/error.h"
#include "core/kline.h"

namespace winiswin {

inline constexpr std::string_view kKlineStoreExtension = ".wkl";

Status write_kline_store(const std::filesystem::path& path, const KlineSeries& series);
Result<KlineSeries> read_kline_store(const std::filesystem::path& path);

}  // namespace winiswin
