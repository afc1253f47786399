#include "ml/dataset.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>

#include <fmt/format.h>

namespace winiswin::ml {
namespace {

// trades.csv's rows hold no quoted fields (symbols, numbers, times and exit reasons have no
// commas), so a plain split reads them; a quote is refused rather than misread.
std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

std::optional<double> number(std::string_view text) {
  double value = 0.0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  if (parsed.ec != std::errc{} || parsed.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// "2026-01-01 00:05:00" or "… 00:05:00.123", as format_utc writes it.
std::optional<Timestamp> utc_time(std::string_view text) {
  if (text.size() != 19 && text.size() != 23) return std::nullopt;
  int year = 0, month = 0, day = 0, hours = 0, minutes = 0, seconds = 0, millis = 0;
  const auto digits = [&](std::size_t at, std::size_t count, int& value) {
    return std::from_chars(text.data() + at, text.data() + at + count, value).ptr == text.data() + at + count;
  };
  if (!digits(0, 4, year) || text[4] != '-' || !digits(5, 2, month) || text[7] != '-' || !digits(8, 2, day) || text[10] != ' ' ||
      !digits(11, 2, hours) || text[13] != ':' || !digits(14, 2, minutes) || text[16] != ':' || !digits(17, 2, seconds)) {
    return std::nullopt;
  }
  if (text.size() == 23 && (text[19] != '.' || !digits(20, 3, millis))) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || hours > 23 || minutes > 59 || seconds > 59) return std::nullopt;
  return Timestamp{std::chrono::sys_days{date}} + Milliseconds{((hours * 60 + minutes) * 60 + seconds) * 1'000 + millis};
}

// Where each needed column is in a file's header.
struct Columns {
  std::size_t symbol, side, is_virtual, rank, confidence, decided, planned_entry, entry_time, entry_price, exit_time, exit_price, stop,
      r_multiple, exit_reason;
  std::array<std::size_t, strategy::kFeatureCount> features;
};

// The features follow the trade's own columns, and one of them shares a name with one of
// those ("confidence": the signal's, and the feature made of it): the trade's columns are
// the first of a name, the features the last.
Result<Columns> columns_of(std::string_view header, const std::string& where) {
  std::map<std::string_view, std::size_t> at;
  std::map<std::string_view, std::size_t> last;
  const std::vector<std::string_view> names = split(header);
  for (std::size_t idx = 0; idx < names.size(); ++idx) {
    at.emplace(names[idx], idx);
    last[names[idx]] = idx;
  }
  const auto find = [&](std::string_view name, std::size_t& out, bool feature = false) -> Status {
    const auto found = at.find(name);
    if (found == at.end()) {
      return make_error(ErrorCode::kParse, fmt::format("{}: no column '{}' (trades.csv's columns, features v{}, are needed)", where, name,
                                                       strategy::kFeatureVersion));
    }
    out = feature ? last[name] : found->second;
    return Ok{};
  };
  Columns columns{};
  const std::pair<std::string_view, std::size_t*> wanted[] = {
      {"symbol", &columns.symbol},          {"side", &columns.side},  {"virtual", &columns.is_virtual},         {"rank", &columns.rank},
      {"confidence", &columns.confidence},  {"decided", &columns.decided},            {"planned_entry", &columns.planned_entry},
      {"entry_time", &columns.entry_time},  {"entry_price", &columns.entry_price},    {"exit_time", &columns.exit_time},
      {"exit_price", &columns.exit_price},  {"stop", &columns.stop},                  {"r_multiple", &columns.r_multiple},
      {"exit_reason", &columns.exit_reason}};
  for (const auto& [name, out] : wanted) {
    if (auto status = find(name, *out); !status) return status.error();
  }
  for (std::size_t idx = 0; idx < strategy::kFeatureCount; ++idx) {
    if (auto status = find(strategy::kFeatureNames[idx], columns.features[idx], true); !status) return status.error();
    if (columns.features[idx] <= columns.exit_reason) {
      return make_error(ErrorCode::kParse, fmt::format("{}: no feature column '{}' after exit_reason", where, strategy::kFeatureNames[idx]));
    }
  }
  return columns;
}

Result<LabelledRow> row_of(const std::vector<std::string_view>& fields, const Columns& columns, const DatasetOptions& options,
                           const std::string& where) {
  const auto field = [&](std::size_t column) { return fields[column]; };
  const auto bad = [&](std::string_view name, std::string_view text) {
    return make_error(ErrorCode::kParse, fmt::format("{}: column {}: '{}' is not what it should be", where, name, text));
  };
  LabelledRow row;
  row.symbol = std::string(field(columns.symbol));
  if (field(columns.side) != "LONG" && field(columns.side) != "SHORT") return bad("side", field(columns.side));
  row.side = field(columns.side) == "LONG" ? Side::kBuy : Side::kSell;
  row.exit_reason = std::string(field(columns.exit_reason));
  const std::pair<std::string_view, std::size_t> times[] = {{"decided", columns.decided}, {"entry_time", columns.entry_time}, {"exit_time", columns.exit_time}};
  std::array<Timestamp, 3> parsed_times{};
  for (std::size_t idx = 0; idx < 3; ++idx) {
    const auto time = utc_time(field(times[idx].second));
    if (!time) return bad(times[idx].first, field(times[idx].second));
    parsed_times[idx] = *time;
  }
  row.decided = parsed_times[0];
  row.holding = parsed_times[2] - parsed_times[1];
  row.exited = parsed_times[2];
  const std::pair<std::string_view, std::size_t> numbers[] = {
      {"virtual", columns.is_virtual},         {"rank", columns.rank},           {"confidence", columns.confidence},
      {"planned_entry", columns.planned_entry}, {"entry_price", columns.entry_price}, {"exit_price", columns.exit_price},
      {"stop", columns.stop},                   {"r_multiple", columns.r_multiple}};
  std::array<double, 8> values{};
  for (std::size_t idx = 0; idx < 8; ++idx) {
    const auto value = number(field(numbers[idx].second));
    if (!value) return bad(numbers[idx].first, field(numbers[idx].second));
    values[idx] = *value;
  }
  row.is_virtual = values[0] != 0.0;
  row.rank = static_cast<int>(values[1]);
  row.confidence = values[2];
  row.r_multiple = values[7];
  const double risk = std::abs(values[3] - values[6]);
  if (!(risk > 0.0)) return bad("stop", fmt::format("{} (at the planned entry: no risk to measure R in)", field(columns.stop)));
  row.r_net = row.r_multiple - options.taker_fee * (values[4] + values[5]) / risk;
  row.win = row.r_net > 0.0;
  for (std::size_t idx = 0; idx < strategy::kFeatureCount; ++idx) {
    const auto value = number(field(columns.features[idx]));
    if (!value) return bad(strategy::kFeatureNames[idx], field(columns.features[idx]));
    row.features[idx] = *value;
  }
  return row;
}

}  // namespace

std::vector<LabelledRow> rows_at(std::span<const LabelledRow> rows, std::span<const std::size_t> indexes) {
  std::vector<LabelledRow> out;
  out.reserve(indexes.size());
  for (const std::size_t idx : indexes) out.push_back(rows[idx]);
  return out;
}

std::vector<float> feature_matrix(std::span<const LabelledRow> rows, std::span<const std::size_t> indexes) {
  std::vector<float> out;
  out.reserve(indexes.size() * strategy::kFeatureCount);
  for (const std::size_t idx : indexes) {
    for (const double feature : rows[idx].features) out.push_back(static_cast<float>(feature));
  }
  return out;
}

bool censored(const LabelledRow& row) {
  return row.exit_reason == "end of data" || row.exit_reason == "data gap" || row.exit_reason == "model exit";
}

Result<std::vector<LabelledRow>> read_trade_csv(const std::filesystem::path& file, const DatasetOptions& options) {
  std::ifstream in(file);
  if (!in) return make_error(ErrorCode::kIo, fmt::format("{}: cannot open", file.string()));
  std::string line;
  if (!std::getline(in, line)) return make_error(ErrorCode::kParse, fmt::format("{}: empty (a header is needed)", file.string()));
  WINISWIN_TRY(const Columns columns, columns_of(line, file.string()));
  const std::size_t width = split(line).size();
  std::vector<LabelledRow> rows;
  for (std::size_t line_number = 2; std::getline(in, line); ++line_number) {
    if (line.empty()) continue;
    const std::string where = fmt::format("{}:{}", file.string(), line_number);
    if (line.find('"') != std::string::npos) return make_error(ErrorCode::kParse, where + ": quoted fields are not trades.csv's");
    const std::vector<std::string_view> fields = split(line);
    if (fields.size() != width) {
      return make_error(ErrorCode::kParse, fmt::format("{}: {} fields, the header has {}", where, fields.size(), width));
    }
    WINISWIN_TRY(LabelledRow row, row_of(fields, columns, options, where));
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::vector<LabelledRow>> read_datasets(std::span<const std::filesystem::path> files, const DatasetOptions& options) {
  std::vector<LabelledRow> rows;
  for (const std::filesystem::path& file : files) {
    WINISWIN_TRY(std::vector<LabelledRow> read, read_trade_csv(file, options));
    rows.insert(rows.end(), std::make_move_iterator(read.begin()), std::make_move_iterator(read.end()));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const LabelledRow& a, const LabelledRow& b) {
    return std::tie(a.decided, a.symbol, a.is_virtual) < std::tie(b.decided, b.symbol, b.is_virtual);
  });
  return rows;
}

}  // namespace winiswin::ml
