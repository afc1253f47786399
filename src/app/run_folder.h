// Where a command writes a run's outputs when no --out is given: a new folder per run under a
// root (`backtest/2026-12-01T16-40-05Z/`), and `root/latest` a relative symlink to the last
// completed one — as freqtrade's backtest_results keeps every run and names the last.
//
// Contract:
// - The folder's name is the run's start in UTC, sortable and safe on every filesystem (no
//   ':'); a second run in the same second gets `-2`, `-3`, … (the folder is created with
//   create_directory, which fails on an existing name, so two runs never share one).
// - point_latest replaces `root/latest` atomically (a symlink made under a temporary name,
//   then renamed over it): a reader sees the old run or the new one, never no link.
#pragma once

#include <filesystem>

#include "core/error.h"
#include "core/time.h"

namespace winiswin {

// `2026-12-01T16-40-05Z`: the run's start, second precision.
std::string run_folder_stamp(Timestamp start);

// Creates and returns root/<stamp> (or root/<stamp>-N), creating root if needed.
Result<std::filesystem::path> make_run_folder(const std::filesystem::path& root, Timestamp start);

// root/latest → run (relative: the folder can be moved or mounted elsewhere).
Status point_latest(const std::filesystem::path& run);

}  // namespace winiswin
