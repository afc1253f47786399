// A folder of kline files seen as each symbol's files in time order, without loading them:
// what a streaming feed needs to know before the run (which files, in which order, where
// each begins and ends) and what load_finest_klines checks, found the same way.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/kline.h"
#include "data/kline_file.h"

namespace winiswin {

// One file of a symbol: its path and the open times of its first and last bar. The last is
// known for a store and for a symbol's last file; a CSV's others learn theirs when read in
// full (peeking at a compressed file's end means inflating all of it, which the run does
// anyway when it gets there).
struct KlineFilePiece {
  std::filesystem::path path;
  Timestamp first;
  std::optional<Timestamp> last;
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
// are an error naming both files. Where a piece's last bar is not known, only the same
// first bar is caught here (the two files' ends are then read for the message); the rest
// is found by check_no_overlap when the file is read.
Status order_pieces(std::vector<KlineFilePiece>& pieces);
// `after` (later by its first bar) starts after `before`'s last bar (which must be known),
// or the error order_pieces gives.
Status check_no_overlap(const KlineFilePiece& before, const KlineFilePiece& after);

// Where a file's bars begin (and, with kFirstAndLast, end), read cheaply: a store's header
// and first and last open times; a CSV's first rows (the head of the file decompressed) and
// its last (the whole file decompressed, not parsed). Nothing when the file holds no bars.
// A bad row between them is found when the file is read in full.
enum class PeekEnds { kFirst, kFirstAndLast };
Result<std::optional<KlineFilePiece>> peek_kline_file(const std::filesystem::path& path, Interval interval,
                                                      PeekEnds ends = PeekEnds::kFirstAndLast);

// The folder as load_finest_klines sees it (same files, same reports, same errors for
// names and overlaps), each file peeked, none loaded. Files without bars are reported and
// left out; a symbol with none left is dropped.
Result<std::vector<SymbolFiles>> plan_finest_klines(const std::filesystem::path& directory,
                                                    const std::function<bool(const std::string&)>& wanted, FinestOf finest,
                                                    const LeftOutReport& report = {});

}  // namespace winiswin
