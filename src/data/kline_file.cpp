#include "data/kline_file.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "data/file_bytes.h"
#include "data/kline_csv.h"
#include "data/kline_store.h"

namespace winiswin {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_kline_file_name(std::string_view name) {
  return ends_with(name, kKlineStoreExtension) || ends_with(name, ".csv") || ends_with(name, ".csv.gz") ||
         ends_with(name, ".zip");
}

bool looks_like_symbol(std::string_view token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

}  // namespace

KlineFileName parse_kline_file_name(const std::filesystem::path& path) {
  KlineFileName parsed;
  const std::string name = path.filename().string();
  std::string_view rest = name;
  bool first = true;
  while (!rest.empty()) {
    const std::size_t dash = rest.find_first_of("-.");
    const std::string_view token = rest.substr(0, dash);
    if (first && looks_like_symbol(token)) parsed.symbol = std::string(token);
    if (!first && !parsed.interval) {
      if (auto interval = parse_interval(token)) parsed.interval = *interval;
    }
    first = false;
    if (dash == std::string_view::npos) break;
    rest.remove_prefix(dash + 1);
  }
  return parsed;
}

Result<KlineSeries> load_klines(const std::filesystem::path& path) {
  const KlineFileName name = parse_kline_file_name(path);
  if (ends_with(path.string(), kKlineStoreExtension)) return read_kline_store(path);
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return parse_kline_csv(*bytes, KlineCsvOptions{path.string(), name.symbol, name.interval});
}

Result<std::vector<std::filesystem::path>> list_kline_files(const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::directory_iterator it(directory, error);
  if (error) return make_error(ErrorCode::kIo, fmt::format("{}: cannot list: {}", directory.string(), error.message()));
  std::vector<std::filesystem::path> files;
  for (const auto& entry : it) {
    if (entry.is_regular_file() && is_kline_file_name(entry.path().filename().string())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

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

// One loaded file of a symbol, for joining and for naming it when two overlap.
struct LoadedFile {
  std::filesystem::path path;
  KlineSeries series;
};

Result<KlineSeries> join_files(std::vector<LoadedFile> files) {
  std::sort(files.begin(), files.end(), [](const LoadedFile& a, const LoadedFile& b) {
    return a.series.bars.front().open_time < b.series.bars.front().open_time;
  });
  for (std::size_t idx = 1; idx < files.size(); ++idx) {
    const LoadedFile& before = files[idx - 1];
    const LoadedFile& after = files[idx];
    if (after.series.bars.front().open_time <= before.series.bars.back().open_time) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("{} and {} hold the same times ({} → {} and {} → {}): the same month twice? keep one",
                                    before.path.string(), after.path.filename().string(), format_utc(before.series.bars.front().open_time),
                                    format_utc(before.series.bars.back().open_time), format_utc(after.series.bars.front().open_time),
                                    format_utc(after.series.bars.back().open_time)));
    }
  }
  KlineSeries joined = std::move(files.front().series);
  for (std::size_t idx = 1; idx < files.size(); ++idx) {
    joined.bars.insert(joined.bars.end(), files[idx].series.bars.begin(), files[idx].series.bars.end());
  }
  return joined;
}

}  // namespace

Result<std::vector<KlineSeries>> load_finest_klines(const std::filesystem::path& directory,
                                                    const std::function<bool(const std::string&)>& wanted, FinestOf finest,
                                                    const LeftOutReport& report) {
  WINISWIN_TRY(const auto files, list_kline_files(directory));
  const auto tell = [&](const std::filesystem::path& file, std::string reason) {
    if (report) report(LeftOut{file, std::move(reason)});
  };
  std::map<std::string, std::map<Interval, std::vector<std::filesystem::path>>> files_of;  // by symbol, by interval
  for (const auto& file : files) {
    const KlineFileName name = parse_kline_file_name(file);
    if (const auto why = unusable_name(file, name)) {
      if (name.symbol.empty() || wanted(name.symbol)) tell(file, *why);
      continue;
    }
    if (wanted(name.symbol)) files_of[name.symbol][*name.interval].push_back(file);
  }
  std::map<std::string, Interval> interval_of;  // the interval kept, by symbol: its finest
  for (const auto& [symbol, by_interval] : files_of) {
    const Interval finest_of_symbol = by_interval.begin()->first;  // Interval's order is by duration
    if (is_walkable(finest_of_symbol)) {
      interval_of.emplace(symbol, finest_of_symbol);
    } else {
      tell(by_interval.begin()->second.front(), fmt::format("{} has no 1m or 5m files (its finest: {}); the backtest walks 1m or 5m bars",
                                                            symbol, name_of(finest_of_symbol)));
    }
  }
  if (interval_of.empty()) {
    return make_error(ErrorCode::kNotFound, fmt::format("{}: no 1m or 5m kline files (named like BTCUSDT-1m-2026-02.csv.gz) for the "
                                                        "requested symbols", directory.string()));
  }
  if (finest == FinestOf::kAllSymbols) {
    Interval common = interval_of.begin()->second;
    for (const auto& [symbol, interval] : interval_of) common = std::min(common, interval);
    for (auto it = interval_of.begin(); it != interval_of.end();) {
      if (it->second == common) {
        ++it;
        continue;
      }
      const auto& coarser = files_of.at(it->first).at(it->second);
      tell(coarser.front(), fmt::format("{} ({}): {} has only {} bars, others {} and one interval is walked for every symbol; give "
                                        "it {} files or choose with --symbols",
                                        it->first, name_files(coarser), it->first, name_of(it->second), name_of(common), name_of(common)));
      it = interval_of.erase(it);
    }
  }
  std::vector<KlineSeries> out;
  for (const auto& [symbol, interval] : interval_of) {
    std::vector<LoadedFile> loaded;
    for (const auto& file : files_of.at(symbol).at(interval)) {
      WINISWIN_TRY(KlineSeries series, load_klines(file));
      if (series.bars.empty()) {
        tell(file, "no bars in it");
        continue;
      }
      loaded.push_back(LoadedFile{file, std::move(series)});
    }
    if (loaded.empty()) continue;  // each file was reported
    WINISWIN_TRY(KlineSeries joined, join_files(std::move(loaded)));
    out.push_back(std::move(joined));
  }
  if (out.empty()) return make_error(ErrorCode::kNotFound, fmt::format("{}: the kline files hold no bars", directory.string()));
  return out;
}

}  // namespace winiswin
