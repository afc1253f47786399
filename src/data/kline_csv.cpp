// Hand-written parser: no Debian-packaged CSV library parses straight into exact fixed
// point, and this is the hot path of every data load (see bench/ for rows/s).
#include "data/kline_csv.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "data/kline_validation.h"

namespace winiswin {
namespace {

constexpr std::size_t kFullColumns = 12;
constexpr std::size_t kOhlcvColumns = 6;
constexpr std::array<std::string_view, kFullColumns> kColumnNames = {
    "open_time", "open",         "high",  "low",
    "close",     "volume",       "close_time", "quote_volume",
    "count",     "taker_buy_volume", "taker_buy_quote_volume", "ignore"};
constexpr std::int64_t kMaxPlausibleMs = 100'000'000'000'000;  // year 5138: above this it is µs

// Splits one line into at most 12 fields; returns the field count (13 = too many).
std::size_t split_fields(std::string_view line, std::array<std::string_view, kFullColumns>& fields) {
  std::size_t count = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
    if (count == kFullColumns) return kFullColumns + 1;
    fields[count++] = line.substr(start, end - start);
    if (comma == std::string_view::npos) return count;
    start = comma + 1;
  }
}

class RowParser {
 public:
  RowParser(const std::string& source, std::size_t line_number) : source_(source), line_number_(line_number) {}

  Error error(std::size_t column, const std::string& what) const {
    return make_error(ErrorCode::kParse,
                      fmt::format("{}:{}: column {} ({}): {}", source_, line_number_, column + 1, kColumnNames[column], what));
  }
  Error row_error(const std::string& what) const {
    return make_error(ErrorCode::kParse, fmt::format("{}:{}: {}", source_, line_number_, what));
  }

  Result<std::int64_t> integer(std::string_view text, std::size_t column) const {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
      return error(column, fmt::format("'{}' is not an integer", text));
    }
    return value;
  }

  template <typename T>
  Result<T> decimal(std::string_view text, std::size_t column) const {
    auto value = T::parse(text);
    if (!value) return error(column, value.error().message);
    return value;
  }

  Result<Timestamp> time(std::string_view text, std::size_t column) const {
    auto ms = integer(text, column);
    if (!ms) return ms.error();
    if (*ms < 0 || *ms >= kMaxPlausibleMs) {
      return error(column, fmt::format("{} is not a millisecond timestamp (microseconds?)", *ms));
    }
    return timestamp_from_ms(*ms);
  }

 private:
  const std::string& source_;
  std::size_t line_number_;
};

Result<Kline> parse_row(const std::array<std::string_view, kFullColumns>& fields, std::size_t field_count,
                        const RowParser& row) {
  Kline bar;
  WINISWIN_TRY(bar.open_time, row.time(fields[0], 0));
  WINISWIN_TRY(bar.open, row.decimal<Price>(fields[1], 1));
  WINISWIN_TRY(bar.high, row.decimal<Price>(fields[2], 2));
  WINISWIN_TRY(bar.low, row.decimal<Price>(fields[3], 3));
  WINISWIN_TRY(bar.close, row.decimal<Price>(fields[4], 4));
  WINISWIN_TRY(bar.volume, row.decimal<Quantity>(fields[5], 5));
  if (field_count == kFullColumns) {
    WINISWIN_TRY(bar.close_time, row.time(fields[6], 6));
    WINISWIN_TRY(bar.quote_volume, row.decimal<Notional>(fields[7], 7));
    WINISWIN_TRY(bar.trades, row.integer(fields[8], 8));
    WINISWIN_TRY(bar.taker_buy_volume, row.decimal<Quantity>(fields[9], 9));
    WINISWIN_TRY(bar.taker_buy_quote_volume, row.decimal<Notional>(fields[10], 10));
  }
  return bar;
}

// Where each of kColumnNames sits in the file, from its header row; the file's column count
// names the set (6: OHLCV, 12: Binance's dump). A header in another order is read by name;
// an unknown or missing name is an error, so columns are never silently swapped.
Result<std::array<std::size_t, kFullColumns>> columns_of_header(const std::array<std::string_view, kFullColumns>& names,
                                                                std::size_t count, const RowParser& row) {
  std::array<std::size_t, kFullColumns> position{};
  std::array<bool, kFullColumns> seen{};
  for (std::size_t column = 0; column < count; ++column) {
    const auto* found = std::find(kColumnNames.begin(), kColumnNames.begin() + static_cast<std::ptrdiff_t>(count), names[column]);
    const auto logical = static_cast<std::size_t>(found - kColumnNames.begin());
    if (logical == count || seen[logical]) {
      return row.row_error(fmt::format("header column {} '{}' is {} (expected the {} names {})", column + 1, names[column],
                                       logical == count ? "unknown" : "given twice", count,
                                       fmt::join(kColumnNames.begin(), kColumnNames.begin() + static_cast<std::ptrdiff_t>(count), ",")));
    }
    seen[logical] = true;
    position[logical] = column;
  }
  return position;
}

std::string_view next_line(std::string_view text, std::size_t& position) {
  const std::size_t start = position;
  const void* newline = std::memchr(text.data() + start, '\n', text.size() - start);
  const std::size_t end = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - text.data()) : text.size();
  position = newline ? end + 1 : text.size();
  std::string_view line = text.substr(start, end - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

Result<Interval> infer_interval(const KlineSeries& series, const std::string& source) {
  if (series.fields == KlineFields::kFull && !series.bars.empty()) {
    const Kline& first = series.bars.front();
    auto interval = interval_from_duration(to_ms(first.close_time) - to_ms(first.open_time) + 1);
    if (interval) return interval;
  }
  if (series.bars.size() >= 2) {
    std::int64_t smallest = INT64_MAX;
    for (std::size_t bar_idx = 1; bar_idx < series.bars.size(); ++bar_idx) {
      const std::int64_t delta = to_ms(series.bars[bar_idx].open_time) - to_ms(series.bars[bar_idx - 1].open_time);
      if (delta > 0 && delta < smallest) smallest = delta;
    }
    auto interval = interval_from_duration(smallest);
    if (interval) return interval;
  }
  return make_error(ErrorCode::kParse, fmt::format("{}: cannot tell the kline interval from the rows; name the file "
                                                   "SYMBOL-INTERVAL-... (e.g. BTCUSDT-5m-2025-09.csv) or pass it",
                                                   source));
}

}  // namespace

Result<KlineSeries> parse_kline_csv(std::string_view text, const KlineCsvOptions& options) {
  KlineSeries series;
  series.symbol = options.symbol;
  std::size_t position = 0;
  std::size_t line_number = 0;
  std::size_t expected_columns = 0;
  std::array<std::string_view, kFullColumns> fields;
  std::array<std::size_t, kFullColumns> column_of{};  // from a header: where each named column is
  bool reordered = false;                             // the header's order is not Binance's
  std::vector<std::size_t> line_of_bar;  // for error messages after interval inference
  series.bars.reserve(text.size() / 64);
  line_of_bar.reserve(text.size() / 64);

  while (position < text.size()) {
    const std::string_view line = next_line(text, position);
    ++line_number;
    const RowParser row(options.source, line_number);
    if (line.empty()) {
      if (position >= text.size()) break;  // the file's final newline
      return row.row_error("empty line inside the data");
    }
    const std::size_t field_count = split_fields(line, fields);
    if (field_count != kFullColumns && field_count != kOhlcvColumns) {
      return row.row_error(fmt::format("expected {} or {} columns, found {}", kOhlcvColumns, kFullColumns,
                                       field_count > kFullColumns ? "more than 12" : std::to_string(field_count)));
    }
    if (expected_columns == 0) {
      expected_columns = field_count;
      series.fields = field_count == kFullColumns ? KlineFields::kFull : KlineFields::kOhlcv;
      const char first = line.front();
      if (first < '0' || first > '9') {
        WINISWIN_TRY(column_of, columns_of_header(fields, field_count, row));
        for (std::size_t column = 0; column < field_count; ++column) reordered = reordered || column_of[column] != column;
        continue;  // header row
      }
    } else if (field_count != expected_columns) {
      return row.row_error(fmt::format("expected {} columns like the rows before, found {}", expected_columns, field_count));
    }
    if (reordered) {
      const auto as_written = fields;
      for (std::size_t column = 0; column < field_count; ++column) fields[column] = as_written[column_of[column]];
    }
    auto bar = parse_row(fields, field_count, row);
    if (!bar) return bar.error();
    series.bars.push_back(*bar);
    line_of_bar.push_back(line_number);
  }

  if (options.interval) {
    series.interval = *options.interval;
  } else {
    WINISWIN_TRY(series.interval, infer_interval(series, options.source));
  }
  const std::int64_t close_offset = duration_ms(series.interval) - 1;
  for (std::size_t bar_idx = 0; bar_idx < series.bars.size(); ++bar_idx) {
    Kline& bar = series.bars[bar_idx];
    if (series.fields == KlineFields::kOhlcv) bar.close_time = bar.open_time + Milliseconds{close_offset};
    auto problem = find_bar_problem(bar, series.interval, series.fields);
    if (!problem && bar_idx > 0) problem = find_order_problem(series.bars[bar_idx - 1], bar);
    if (problem) {
      return make_error(ErrorCode::kParse, fmt::format("{}:{}: {}", options.source, line_of_bar[bar_idx], *problem));
    }
  }
  return series;
}

std::string format_kline_csv(const KlineSeries& series) {
  std::string out;
  const bool full = series.fields == KlineFields::kFull;
  out.reserve(series.bars.size() * (full ? 120 : 64) + 128);
  if (full) {
    out += "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
           "taker_buy_quote_volume,ignore\n";
  } else {
    out += "open_time,open,high,low,close,volume\n";
  }
  for (const Kline& bar : series.bars) {
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{}", to_ms(bar.open_time), bar.open.to_string(),
                   bar.high.to_string(), bar.low.to_string(), bar.close.to_string(), bar.volume.to_string());
    if (full) {
      fmt::format_to(std::back_inserter(out), ",{},{},{},{},{},0", to_ms(bar.close_time), bar.quote_volume.to_string(),
                     bar.trades, bar.taker_buy_volume.to_string(), bar.taker_buy_quote_volume.to_string());
    }
    out += '\n';
  }
  return out;
}

}  // namespace winiswin
