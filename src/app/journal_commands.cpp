// What is read back from a SQLite journal (the live engine's, or a backtest's --journal).
#include <algorithm>

#include <fmt/format.h>

#include "app/commands.h"
#include "data/file_bytes.h"
#include "journal/csv_recorder.h"
#include "journal/sqlite_journal.h"
#include "report/html_report.h"
#include "report/metrics.h"
#include "report/report_rows.h"

namespace winiswin {

namespace {

Result<std::unique_ptr<journal::SqliteJournal>> open_existing(const std::filesystem::path& journal_path, const std::filesystem::path& out) {
  if (!std::filesystem::exists(journal_path)) {
    return make_error(ErrorCode::kNotFound, fmt::format("{}: no such journal", journal_path.string()));
  }
  WINISWIN_TRY(auto journal, journal::SqliteJournal::open(journal_path));
  std::error_code made;
  std::filesystem::create_directories(out, made);
  if (made) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create: {}", out.string(), made.message()));
  return journal;
}

}  // namespace

Status run_journal_report(const std::filesystem::path& journal_path, const std::filesystem::path& out) {
  WINISWIN_TRY(const auto journal, open_existing(journal_path, out));
  WINISWIN_TRY(const std::vector<journal::EquityPoint> equity, journal->equity_points());
  if (equity.empty()) return make_error(ErrorCode::kNotFound, fmt::format("{}: no equity marks yet: nothing to report", journal_path.string()));
  // The run's first mark is its starting equity (a backtest's first mark is its starting balance
  // until the first fill). Each row kind is summed on its own, so kind after kind reads the
  // same as the run's interleaved rows.
  report::MetricsBuilder metrics(equity.front().equity);
  report::ReportRows rows(equity.front().equity);
  journal::FanOut both({&metrics, &rows});
  double fees = 0.0, funding = 0.0;
  WINISWIN_TRY(const std::vector<journal::TradeRecord> trades, journal->trades());
  for (const journal::TradeRecord& trade : trades) {
    fees += trade.fees;
    funding += trade.funding;
    if (auto status = both.trade(trade); !status) return status;
  }
  WINISWIN_TRY(const std::vector<journal::TradeRecord> virtuals, journal->trades(true));
  for (const journal::TradeRecord& position : virtuals) (void)both.virtual_position(position);
  for (const journal::EquityPoint& point : equity) (void)both.equity(point);
  WINISWIN_TRY(const std::vector<journal::RefusalRecord> refusals, journal->refusals());
  for (const journal::RefusalRecord& refusal : refusals) (void)both.refusal(refusal);
  const report::Metrics summary = metrics.finish(fees, funding);
  if (auto status = write_file_bytes(out / "metrics.json", report::metrics_json(summary)); !status) return status;
  const std::string title = fmt::format("winiswin — the journal {}, {} → {}", journal_path.filename().string(),
                                        format_utc(equity.front().time), format_utc(equity.back().time));
  const std::string html = report::html_report(
      report::ReportInput{title, rows.trades(), &rows.curve(), &summary, {}, "the journal " + journal_path.string(), "", std::nullopt});
  if (auto status = write_file_bytes(out / "report.html", html); !status) return status;
  fmt::print("{}", report::summary_table(summary));
  fmt::print("report: {}\n", (out / "report.html").string());
  return Ok{};
}

Status run_journal_export(const std::filesystem::path& journal_path, const std::filesystem::path& out) {
  WINISWIN_TRY(const auto journal, open_existing(journal_path, out));
  for (const bool virtual_positions : {false, true}) {
    WINISWIN_TRY(std::vector<journal::TradeRecord> rows, journal->trades(virtual_positions));
    // A journal kept across an upgrade holds rows of an older feature schema: their features
    // mean something else under today's names, so they are left out, and said so.
    const auto older = std::remove_if(rows.begin(), rows.end(), [](const journal::TradeRecord& row) { return row.feature_version != strategy::kFeatureVersion; });
    const auto left_out = static_cast<std::size_t>(std::distance(older, rows.end()));
    rows.erase(older, rows.end());
    // A run ranked by a model kept its probability and score: the file carries them as the
    // backtest's does with --model (every row of one run has them, or none does).
    const bool scored = std::any_of(rows.begin(), rows.end(), [](const journal::TradeRecord& row) { return row.ml_probability.has_value(); });
    const journal::TradeColumns columns = scored ? journal::TradeColumns::kWithModel : journal::TradeColumns::kStandard;
    std::string text = journal::trade_csv_header(columns);
    for (const journal::TradeRecord& row : rows) text += journal::trade_csv_row(row, columns);
    const std::filesystem::path file = out / (virtual_positions ? "ml_virtual.csv" : "ml_real.csv");
    if (auto status = write_file_bytes(file, text); !status) return status;
    fmt::print("{}: {} {}{}\n", file.string(), rows.size(), virtual_positions ? "virtual positions" : "real trades",
               left_out == 0 ? "" : fmt::format(" ({} with features of another version left out: this build computes v{})", left_out, strategy::kFeatureVersion));
  }
  return Ok{};
}

}  // namespace winiswin
