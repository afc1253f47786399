#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "data/file_bytes.h"
#include "data/gaps.h"
#include "data/kline_csv.h"
#include "data/kline_file.h"
#include "data/kline_store.h"
#include "data/resample.h"
#include "venue/binance/exchange_info.h"

namespace winiswin {
namespace {

constexpr std::size_t kListedFiles = 12;  // rows shown for a folder unless --all
constexpr std::size_t kListedGaps = 5;

Status write_klines(const std::filesystem::path& out, const KlineSeries& series) {
  if (out.extension() == kKlineStoreExtension) return write_kline_store(out, series);
  if (out.extension() == ".csv") return write_file_bytes(out, format_kline_csv(series));
  return make_error(ErrorCode::kInvalidArgument,
                    fmt::format("{}: output must end in .wkl (binary store) or .csv", out.string()));
}

struct FileSummary {
  std::string name;
  KlineSeries series;
  std::vector<Gap> gaps;
};

// "31.0 d", "7.5 h", "15 min": a stretch of time in the largest unit that fits.
std::string format_duration(std::int64_t ms) {
  constexpr std::int64_t kMinuteMs = 60'000, kHourMs = 60 * kMinuteMs, kDayMs = 24 * kHourMs;
  if (ms >= kDayMs) return fmt::format("{:.1f} d", static_cast<double>(ms) / static_cast<double>(kDayMs));
  if (ms >= kHourMs) return fmt::format("{:.1f} h", static_cast<double>(ms) / static_cast<double>(kHourMs));
  return fmt::format("{} min", ms / kMinuteMs);
}

void print_gap(const Gap& gap, Interval interval) {
  fmt::print("      gap after {} until {}: {} bars ({}) missing{}\n", format_utc(gap.last_before), format_utc(gap.first_after),
             gap.missing_bars, format_duration(gap.missing_bars * duration_ms(interval)),
             gap.between_pieces ? ", between files" : "");
}

void print_summary_row(const FileSummary& file) {
  const auto& bars = file.series.bars;
  std::int64_t missing = 0;
  for (const Gap& gap : file.gaps) missing += gap.missing_bars;
  fmt::print("  {:<14} {:>4} {:>9}  {} → {}  gaps {} ({} bars missing)  {}\n", file.series.symbol.empty() ? "?" : file.series.symbol,
             name_of(file.series.interval), bars.size(), bars.empty() ? "-" : format_utc(bars.front().open_time),
             bars.empty() ? "-" : format_utc(bars.back().open_time), file.gaps.size(), missing,
             file.series.fields == KlineFields::kFull ? "full" : "ohlcv");
}

void print_gap_details(const FileSummary& file) {
  for (std::size_t gap_idx = 0; gap_idx < std::min(file.gaps.size(), kListedGaps); ++gap_idx) {
    print_gap(file.gaps[gap_idx], file.series.interval);
  }
  if (file.gaps.size() > kListedGaps) fmt::print("      … {} more gaps\n", file.gaps.size() - kListedGaps);
}

// One symbol at one interval over all its files: its ends, its gaps inside and between the
// files, the largest few of them.
void print_joined(const std::string& symbol, Interval interval, std::size_t files, const JoinedGaps& joined) {
  const bool empty = joined.bars == 0;
  fmt::print("  {:<14} {:>4} {:>9}  {} → {}  {} file{}, gaps {} ({} bars, {} missing){}\n", symbol.empty() ? "?" : symbol,
             name_of(interval), joined.bars, empty ? "-" : format_utc(joined.first), empty ? "-" : format_utc(joined.last), files,
             files == 1 ? "" : "s", joined.gaps.size(), joined.missing_bars,
             format_duration(joined.missing_bars * duration_ms(interval)),
             joined.overlaps > 0 ? fmt::format(", {} overlapping files", joined.overlaps) : "");
  for (const Gap& gap : largest_gaps(joined.gaps, kListedGaps)) print_gap(gap, interval);
  if (joined.gaps.size() > kListedGaps) fmt::print("      … {} smaller gaps\n", joined.gaps.size() - kListedGaps);
}

Result<FileSummary> summarise(const std::filesystem::path& path) {
  auto series = load_klines(path);
  if (!series) return series.error();
  FileSummary summary{path.filename().string(), std::move(*series), {}};
  summary.gaps = find_gaps(summary.series);
  return summary;
}

}  // namespace

// A file: its bars' ends and gaps. A folder: each file so (the first kListedFiles and every
// one with gaps, or all with --all), then each symbol and interval over its files joined in
// time order — the gaps inside the files and between them (a missing month), the largest
// first — and the totals. Files are read one at a time; only their spans are kept.
Status run_data_info(const std::filesystem::path& path, bool list_all) {
  if (!std::filesystem::is_directory(path)) {
    WINISWIN_TRY(const FileSummary file, summarise(path));
    fmt::print("{}\n", path.string());
    print_summary_row(file);
    print_gap_details(file);
    return Ok{};
  }
  const auto started = std::chrono::steady_clock::now();
  WINISWIN_TRY(const auto files, list_kline_files(path));
  if (files.empty()) return make_error(ErrorCode::kNotFound, fmt::format("{}: no kline files (.wkl, .csv, .csv.gz, .zip)", path.string()));
  std::size_t total_bars = 0, shown = 0;
  Timestamp first = Timestamp::max(), last = Timestamp::min();
  std::map<std::pair<std::string, Interval>, std::vector<BarSpan>> pieces;  // by symbol and interval
  fmt::print("{}: {} kline files\n", path.string(), files.size());
  for (const auto& file_path : files) {
    WINISWIN_TRY(const FileSummary file, summarise(file_path));
    total_bars += file.series.bars.size();
    if (!file.series.bars.empty()) {
      first = std::min(first, file.series.bars.front().open_time);
      last = std::max(last, file.series.bars.back().open_time);
    }
    pieces[{file.series.symbol, file.series.interval}].push_back(span_of(file.series));
    if (list_all || shown < kListedFiles || !file.gaps.empty()) {
      print_summary_row(file);
      print_gap_details(file);
      ++shown;
    }
  }
  if (shown < files.size()) fmt::print("  … {} more files without gaps (--all lists every file)\n", files.size() - shown);

  fmt::print("by symbol and interval (gaps inside and between files, largest first):\n");
  std::size_t total_gaps = 0, between_files = 0;
  for (auto& [key, spans] : pieces) {
    const std::size_t file_count = spans.size();
    const JoinedGaps joined = find_gaps_across(std::move(spans), key.second);
    print_joined(key.first, key.second, file_count, joined);
    total_gaps += joined.gaps.size();
    between_files += static_cast<std::size_t>(
        std::count_if(joined.gaps.begin(), joined.gaps.end(), [](const Gap& gap) { return gap.between_pieces; }));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("total: {} bars in {} files, {} → {}, {} gaps ({} between files); read in {:.2f} s ({:.1f} M bars/s)\n", total_bars,
             files.size(), format_utc(first), format_utc(last), total_gaps, between_files, seconds,
             static_cast<double>(total_bars) / seconds / 1e6);

  const auto exchange_info_path = path / "exchangeInfo.json";
  if (std::filesystem::exists(exchange_info_path)) {
    WINISWIN_TRY(const auto info, binance::load_exchange_info(exchange_info_path.string()));
    fmt::print("exchangeInfo.json: {} instruments, {} tradable USDT perpetuals\n", info.instruments.size(),
               info.tradable_usdt_perpetuals().size());
  }
  return Ok{};
}

Status run_data_convert(const std::filesystem::path& in, const std::filesystem::path& out) {
  if (!std::filesystem::is_directory(in)) {
    WINISWIN_TRY(const KlineSeries series, load_klines(in));
    if (auto status = write_klines(out, series); !status) return status;
    fmt::print("{} → {}: {} bars\n", in.string(), out.string(), series.bars.size());
    return Ok{};
  }
  // Folder → folder: CSV (any compression) becomes .wkl, .wkl becomes .csv.
  WINISWIN_TRY(const auto files, list_kline_files(in));
  std::error_code error;
  std::filesystem::create_directories(out, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create: {}", out.string(), error.message()));
  for (const auto& file : files) {
    const bool is_store = file.extension() == kKlineStoreExtension;
    std::string stem = file.filename().string();
    for (const char* suffix : {".wkl", ".csv.gz", ".csv", ".zip"}) {
      if (stem.ends_with(suffix)) {
        stem.resize(stem.size() - std::string_view(suffix).size());
        break;
      }
    }
    const auto target = out / (stem + (is_store ? ".csv" : std::string(kKlineStoreExtension)));
    if (auto status = run_data_convert(file, target); !status) return status;
  }
  return Ok{};
}

Status run_data_resample(const std::filesystem::path& in, Interval interval, const std::filesystem::path& out) {
  WINISWIN_TRY(const KlineSeries series, load_klines(in));
  WINISWIN_TRY(const ResampleResult result, resample(series, interval));
  if (auto status = write_klines(out, result.series); !status) return status;
  fmt::print("{} ({} × {}) → {} ({} × {})\n", in.string(), series.bars.size(), name_of(series.interval), out.string(),
             result.series.bars.size(), name_of(interval));
  if (!result.incomplete.empty()) {
    fmt::print("  {} incomplete {} buckets skipped (missing bars), first at {}\n", result.incomplete.size(),
               name_of(interval), format_utc(result.incomplete.front()));
  }
  return Ok{};
}

}  // namespace winiswin
