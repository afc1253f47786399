// A folder of kline files seen as each symbol's files in time order, without loading them:
// what a streaming feed needs to know before the run (which files, in which order, where
// each begins and ends) and what load_finest_klines checks, found the same way.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/kline.h"
#include "data/kline_file.h"

namespace winiswin {

// One file of a symbol: its path and the open times of its first and last bar.
struct KlineFilePiece {
  std::filesystem::path path;
  Timestamp first;
  Timestamp last;
};

// A symbol's files at the interval kept, in time order, none overlapping another.
struct SymbolFiles {
  std::string symbol;
  Interval interval = Interval::k1m;
  std::vector<KlineFilePiece> files;
};

// The files load_finest_klines would pick (by name, with the same LeftOut reports), by
// symbol name, not yet read.
struct PickedFiles {
  std::string symbol;
  Interval interval = Interval::k1m;
  std::vector<std::filesystem::path> files;  // by name
};
Result<std::vector<PickedFiles>> pick_finest_kline_files(const std::filesystem::path& directory,
                                                         const std::function<bool(const std::string&)>& wanted, FinestOf finest,
                                                         const LeftOutReport& report);

// Sorts a symbol's pieces by their first bar; two holding the same times (a month twice)
// are an error naming both files.
Status order_pieces(std::vector<KlineFilePiece>& pieces);

// Where a file's bars begin and end, read cheaply: a store's header and first and last open
// times; a CSV's first and last rows (the file decompressed, not parsed). Nothing when the
// file holds no bars. A bad row between them is found when the file is read in full.
Result<std::optional<KlineFilePiece>> peek_kline_file(const std::filesystem::path& path, Interval interval);

// The folder as load_finest_klines sees it (same files, same reports, same errors for
// names and overlaps), each file peeked, none loaded. Files without bars are reported and
// left out; a symbol with none left is dropped.
Result<std::vector<SymbolFiles>> plan_finest_klines(const std::filesystem::path& directory,
                                                    const std::function<bool(const std::string&)>& wanted, FinestOf finest,
                                                    const LeftOutReport& report = {});

}  // namespace winiswin
