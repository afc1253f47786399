// What is read back from a SQLite journal (the live engine's, or a backtest's --journal).
#include <algorithm>

#include <fmt/format.h>

#include "app/commands.h"
#include "data/file_bytes.h"
#include "journal/csv_recorder.h"
#include "journal/sqlite_journal.h"

namespace winiswin {

Status run_journal_export(const std::filesystem::path& journal_path, const std::filesystem::path& out) {
  if (!std::filesystem::exists(journal_path)) {
    return make_error(ErrorCode::kNotFound, fmt::format("{}: no such journal", journal_path.string()));
  }
  WINISWIN_TRY(const auto journal, journal::SqliteJournal::open(journal_path));
  std::error_code made;
  std::filesystem::create_directories(out, made);
  if (made) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create: {}", out.string(), made.message()));
  for (const bool virtual_positions : {false, true}) {
    WINISWIN_TRY(const std::vector<journal::TradeRecord> rows, journal->trades(virtual_positions));
    // A run ranked by a model kept its probability and score: the file carries them as the
    // backtest's does with --model (every row of one run has them, or none does).
    const bool scored = std::any_of(rows.begin(), rows.end(), [](const journal::TradeRecord& row) { return row.ml_probability.has_value(); });
    const journal::TradeColumns columns = scored ? journal::TradeColumns::kWithModel : journal::TradeColumns::kStandard;
    std::string text = journal::trade_csv_header(columns);
    for (const journal::TradeRecord& row : rows) text += journal::trade_csv_row(row, columns);
    const std::filesystem::path file = out / (virtual_positions ? "ml_virtual.csv" : "ml_real.csv");
    if (auto status = write_file_bytes(file, text); !status) return status;
    fmt::print("{}: {} {}\n", file.string(), rows.size(), virtual_positions ? "virtual positions" : "real trades");
  }
  return Ok{};
}

}  // namespace winiswin
