#include "data/kline_folder.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "data/file_bytes.h"
#include "data/kline_csv.h"
#include "data/kline_store.h"

namespace winiswin {
namespace {

bool is_walkable(Interval interval) { return interval == Interval::k1m || interval == Interval::k5m; }

// Why a file of the folder cannot be one of a symbol's kline files, or nothing when it can.
std::optional<std::string> unusable_name(const std::filesystem::path& file, const KlineFileName& name) {
  const std::string text = file.filename().string();
  for (const char* other : {"-markPrice-", "-indexPrice-", "-premiumIndex-"}) {
    if (text.find(other) != std::string::npos) return "mark, index or premium-index price klines, not trades";
  }
  if (text.find("-fundingRate-") != std::string::npos) return "funding rates: pass the folder to --funding";
  if (name.symbol.empty() || !name.interval) {
    return "the name says no symbol and interval: name kline files like BTCUSDT-1m-2026-02.csv";
  }
  return std::nullopt;
}

// "BTCUSDT-5m-2026-01.csv" or "BTCUSDT-5m-2026-01.csv and 11 more files".
std::string name_files(const std::vector<std::filesystem::path>& files) {
  std::string text = files.front().filename().string();
  if (files.size() > 1) text += fmt::format(" and {} more file{}", files.size() - 1, files.size() == 2 ? "" : "s");
  return text;
}

using FilesBySymbol = std::map<std::string, std::map<Interval, std::vector<std::filesystem::path>>>;

// The interval kept by symbol: its finest, when the backtest can walk it.
std::map<std::string, Interval> finest_of_each(const FilesBySymbol& files_of, const LeftOutReport& tell) {
  std::map<std::string, Interval> interval_of;
  for (const auto& [symbol, by_interval] : files_of) {
    const Interval finest_of_symbol = by_interval.begin()->first;  // Interval's order is by duration
    if (is_walkable(finest_of_symbol)) {
      interval_of.emplace(symbol, finest_of_symbol);
    } else {
      tell(LeftOut{by_interval.begin()->second.front(), fmt::format("{} has no 1m or 5m files (its finest: {}); the backtest walks 1m or 5m bars",
                                                                    symbol, name_of(finest_of_symbol))});
    }
  }
  return interval_of;
}

// kAllSymbols: the symbols coarser than the finest any has are left out, saying so.
void keep_the_common_finest(std::map<std::string, Interval>& interval_of, const FilesBySymbol& files_of, const LeftOutReport& tell) {
  Interval common = interval_of.begin()->second;
  for (const auto& [symbol, interval] : interval_of) common = std::min(common, interval);
  for (auto it = interval_of.begin(); it != interval_of.end();) {
    if (it->second == common) {
      ++it;
      continue;
    }
    const auto& coarser = files_of.at(it->first).at(it->second);
    tell(LeftOut{coarser.front(), fmt::format("{} ({}): {} has only {} bars, others {} and one interval is walked for every symbol; give "
                                              "it {} files or choose with --symbols",
                                              it->first, name_files(coarser), it->first, name_of(it->second), name_of(common), name_of(common))});
    it = interval_of.erase(it);
  }
}

}  // namespace

Result<std::vector<PickedFiles>> pick_finest_kline_files(const std::filesystem::path& directory,
                                                         const std::function<bool(const std::string&)>& wanted, FinestOf finest,
                                                         const LeftOutReport& report) {
  WINISWIN_TRY(const auto files, list_kline_files(directory));
  const LeftOutReport tell = [&](const LeftOut& left) {
    if (report) report(left);
  };
  FilesBySymbol files_of;  // by symbol, by interval
  for (const auto& file : files) {
    const KlineFileName name = parse_kline_file_name(file);
    if (const auto why = unusable_name(file, name)) {
      if (name.symbol.empty() || wanted(name.symbol)) tell(LeftOut{file, *why});
      continue;
    }
    if (wanted(name.symbol)) files_of[name.symbol][*name.interval].push_back(file);
  }
  std::map<std::string, Interval> interval_of = finest_of_each(files_of, tell);
  if (interval_of.empty()) {
    return make_error(ErrorCode::kNotFound, fmt::format("{}: no 1m or 5m kline files (named like BTCUSDT-1m-2026-02.csv.gz) for the "
                                                        "requested symbols", directory.string()));
  }
  if (finest == FinestOf::kAllSymbols) keep_the_common_finest(interval_of, files_of, tell);
  std::vector<PickedFiles> picked;
  for (const auto& [symbol, interval] : interval_of) picked.push_back(PickedFiles{symbol, interval, files_of.at(symbol).at(interval)});
  return picked;
}

namespace {

// The open time of a file's last bar, the file read to its end.
Result<Timestamp> last_bar_of(const std::filesystem::path& path, Interval interval) {
  WINISWIN_TRY(const std::optional<KlineFilePiece> whole, peek_kline_file(path, interval, PeekEnds::kFirstAndLast));
  if (!whole || !whole->last) return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: its bars are gone; run again", path.string()));
  return *whole->last;
}

}  // namespace

Status check_no_overlap(const KlineFilePiece& before, const KlineFilePiece& after) {
  if (after.first > *before.last) return Ok{};
  const auto last_of = [](const KlineFilePiece& piece) { return piece.last ? format_utc(*piece.last) : std::string("…"); };
  return make_error(ErrorCode::kInvalidArgument,
                    fmt::format("{} and {} hold the same times ({} → {} and {} → {}): the same month twice? keep one",
                                before.path.string(), after.path.filename().string(), format_utc(before.first), last_of(before),
                                format_utc(after.first), last_of(after)));
}

Status order_pieces(std::vector<KlineFilePiece>& pieces) {
  std::sort(pieces.begin(), pieces.end(), [](const KlineFilePiece& a, const KlineFilePiece& b) { return a.first < b.first; });
  for (std::size_t idx = 1; idx < pieces.size(); ++idx) {
    KlineFilePiece& before = pieces[idx - 1];
    KlineFilePiece& after = pieces[idx];
    if (!before.last && after.first == before.first) {  // a month twice: both files' ends for the message
      for (KlineFilePiece* piece : {&before, &after}) {
        if (!piece->last) {
          WINISWIN_TRY(piece->last, last_bar_of(piece->path, *parse_kline_file_name(piece->path).interval));
        }
      }
    }
    if (!before.last) continue;  // checked when the file is read
    if (auto status = check_no_overlap(before, after); !status) return status;
  }
  return Ok{};
}

Result<std::vector<KlineSeries>> load_finest_klines(const std::filesystem::path& directory,
                                                    const std::function<bool(const std::string&)>& wanted, FinestOf finest,
                                                    const LeftOutReport& report) {
  WINISWIN_TRY(const std::vector<PickedFiles> picked, pick_finest_kline_files(directory, wanted, finest, report));
  std::vector<KlineSeries> out;
  for (const PickedFiles& symbol : picked) {
    std::vector<KlineFilePiece> pieces;
    std::map<std::filesystem::path, KlineSeries> loaded;
    for (const auto& file : symbol.files) {
      WINISWIN_TRY(KlineSeries series, load_klines(file));
      if (series.bars.empty()) {
        if (report) report(LeftOut{file, "no bars in it"});
        continue;
      }
      pieces.push_back(KlineFilePiece{file, series.bars.front().open_time, series.bars.back().open_time});
      loaded.emplace(file, std::move(series));
    }
    if (pieces.empty()) continue;  // each file was reported
    if (auto status = order_pieces(pieces); !status) return status.error();
    KlineSeries joined = std::move(loaded.at(pieces.front().path));
    for (std::size_t idx = 1; idx < pieces.size(); ++idx) {
      const KlineSeries& next = loaded.at(pieces[idx].path);
      joined.bars.insert(joined.bars.end(), next.bars.begin(), next.bars.end());
    }
    out.push_back(std::move(joined));
  }
  if (out.empty()) return make_error(ErrorCode::kNotFound, fmt::format("{}: the kline files hold no bars", directory.string()));
  return out;
}

namespace {

bool is_store(const std::filesystem::path& path) { return path.extension() == kKlineStoreExtension; }

Result<std::optional<KlineFilePiece>> peek_store(const std::filesystem::path& path, Interval interval) {
  WINISWIN_TRY(KlineStoreReader store, KlineStoreReader::open(path));
  if (store.interval() != interval) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: holds {} bars but its name says {}", path.string(), name_of(store.interval()), name_of(interval)));
  }
  if (store.size() == 0) return std::optional<KlineFilePiece>{};
  WINISWIN_TRY(const Timestamp first, store.open_time(0));
  WINISWIN_TRY(const Timestamp last, store.open_time(store.size() - 1));
  return std::optional<KlineFilePiece>(KlineFilePiece{path, first, last});
}

// The line of `text` starting at `position`, without its newline; `end` is set past it.
std::string_view line_at(std::string_view text, std::size_t position, std::size_t& end) {
  const std::size_t newline = text.find('\n', position);
  end = newline == std::string_view::npos ? text.size() : newline + 1;
  return text.substr(position, (newline == std::string_view::npos ? text.size() : newline) - position);
}

// The header (when there is one) and the first row, with the last row too for kFirstAndLast:
// what the parser needs to read those rows exactly as it would in the whole file (the first
// row on its own line number). Empty when `text` shows no whole first row.
std::string end_rows(std::string_view text, PeekEnds ends) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  std::size_t after_first = 0;
  const std::string_view first = line_at(text, 0, after_first);
  const bool has_header = !first.empty() && (first.front() < '0' || first.front() > '9');
  const std::size_t row_start = has_header ? after_first : 0;
  if (row_start >= text.size()) return {};
  std::size_t after_row = 0;
  const std::string_view first_row = line_at(text, row_start, after_row);
  std::string rows = has_header ? std::string(first) + "\n" : std::string();
  rows += std::string(first_row) + "\n";
  if (ends == PeekEnds::kFirst) return rows;
  const std::size_t last_start = text.rfind('\n') == std::string_view::npos ? 0 : text.rfind('\n') + 1;
  if (last_start > row_start) rows += std::string(text.substr(last_start)) + "\n";
  return rows;
}

// The head is enough for the first row when the row ends inside it (a newline after it) or
// the head is the whole file.
constexpr std::size_t kHeadBytes = 64 * 1024;

Result<std::optional<KlineFilePiece>> peek_csv(const std::filesystem::path& path, Interval interval, PeekEnds ends) {
  const KlineCsvOptions options{path.string(), parse_kline_file_name(path).symbol, interval};
  const auto piece_of = [&](const KlineSeries& series, bool with_last) {
    if (series.bars.empty()) return std::optional<KlineFilePiece>{};
    KlineFilePiece piece{path, series.bars.front().open_time, std::nullopt};
    if (with_last) piece.last = series.bars.back().open_time;
    return std::optional<KlineFilePiece>(piece);
  };
  if (ends == PeekEnds::kFirst) {
    WINISWIN_TRY(const std::string head, read_file_head(path, kHeadBytes));
    const bool whole = head.size() < kHeadBytes;
    const std::string rows = end_rows(whole ? std::string_view(head) : std::string_view(head).substr(0, head.rfind('\n') + 1), ends);
    if (!rows.empty()) {
      if (auto first = parse_kline_csv(rows, options)) return piece_of(*first, false);
    } else if (whole) {
      WINISWIN_TRY(const KlineSeries series, parse_kline_csv(head, options));  // a header alone, or a bad one
      return piece_of(series, true);
    }
  }
  WINISWIN_TRY(const std::string text, read_file_bytes(path));
  const std::string rows = end_rows(text, PeekEnds::kFirstAndLast);
  if (!rows.empty()) {
    if (auto both = parse_kline_csv(rows, options)) return piece_of(*both, true);
  }
  // No rows, or the first or last is wrong: the whole file parsed says what (with its line).
  WINISWIN_TRY(const KlineSeries series, parse_kline_csv(text, options));
  return piece_of(series, true);
}

}  // namespace

Result<std::optional<KlineFilePiece>> peek_kline_file(const std::filesystem::path& path, Interval interval, PeekEnds ends) {
  return is_store(path) ? peek_store(path, interval) : peek_csv(path, interval, ends);
}

Result<std::vector<SymbolFiles>> plan_finest_klines(const std::filesystem::path& directory,
                                                    const std::function<bool(const std::string&)>& wanted, FinestOf finest,
                                                    const LeftOutReport& report) {
  WINISWIN_TRY(const std::vector<PickedFiles> picked, pick_finest_kline_files(directory, wanted, finest, report));
  std::vector<SymbolFiles> plan;
  for (const PickedFiles& symbol : picked) {
    SymbolFiles files{symbol.symbol, symbol.interval, {}};
    for (const auto& file : symbol.files) {
      WINISWIN_TRY(const std::optional<KlineFilePiece> piece, peek_kline_file(file, symbol.interval, PeekEnds::kFirst));
      if (piece) {
        files.files.push_back(*piece);
      } else if (report) {
        report(LeftOut{file, "no bars in it"});
      }
    }
    if (files.files.empty()) continue;  // each file was reported
    if (auto status = order_pieces(files.files); !status) return status.error();
    KlineFilePiece& last_file = files.files.back();  // where the symbol's data ends: read to its end now
    if (!last_file.last) {
      WINISWIN_TRY(last_file.last, last_bar_of(last_file.path, symbol.interval));
    }
    plan.push_back(std::move(files));
  }
  if (plan.empty()) return make_error(ErrorCode::kNotFound, fmt::format("{}: the kline files hold no bars", directory.string()));
  return plan;
}

}  // namespace winiswin
