#include "data/funding_csv.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "data/file_bytes.h"

namespace winiswin {
namespace {

// Where each value sits in a row. Without a header: two columns are /fapi/v1/fundingRate's
// (funding_time, funding_rate), three Binance's data site's (calc_time,
// funding_interval_hours, last_funding_rate); a header names them in any order.
struct FundingLayout {
  std::size_t columns = 2;
  std::size_t time = 0;
  std::size_t rate = 1;
  std::optional<std::size_t> interval_hours;
};

constexpr std::size_t kMaxColumns = 3;
using Fields = std::array<std::string_view, kMaxColumns>;

// Splits a line into at most kMaxColumns fields; returns how many it has (more: kMaxColumns + 1).
std::size_t split(std::string_view line, Fields& fields) {
  std::size_t count = 0;
  for (std::size_t start = 0;;) {
    const std::size_t comma = line.find(',', start);
    if (count == kMaxColumns) return kMaxColumns + 1;
    fields[count++] = line.substr(start, comma == std::string_view::npos ? line.npos : comma - start);
    if (comma == std::string_view::npos) return count;
    start = comma + 1;
  }
}

Result<FundingLayout> layout_of_header(const Fields& names, std::size_t count) {
  FundingLayout layout;
  layout.columns = count;
  std::optional<std::size_t> time, rate;
  for (std::size_t column = 0; column < count; ++column) {
    const std::string_view name = names[column];
    std::optional<std::size_t>* slot = nullptr;
    if (name == "funding_time" || name == "calc_time") slot = &time;
    if (name == "funding_rate" || name == "last_funding_rate") slot = &rate;
    if (name == "funding_interval_hours") slot = &layout.interval_hours;
    if (slot == nullptr) {
      return make_error(ErrorCode::kParse, fmt::format("unknown column '{}' (funding_time or calc_time, funding_rate or "
                                                       "last_funding_rate, funding_interval_hours)", name));
    }
    if (slot->has_value()) return make_error(ErrorCode::kParse, fmt::format("two time or two rate columns ('{}')", name));
    *slot = column;
  }
  if (!time || !rate) return make_error(ErrorCode::kParse, "the header names no time (funding_time, calc_time) or no rate "
                                                           "(funding_rate, last_funding_rate) column");
  layout.time = *time;
  layout.rate = *rate;
  return layout;
}

Result<FundingLayout> headerless_layout(std::size_t count) {
  if (count == 2) return FundingLayout{};
  if (count == 3) return FundingLayout{3, 0, 2, 1};
  return make_error(ErrorCode::kParse, "expected funding_time,funding_rate or calc_time,funding_interval_hours,last_funding_rate");
}

Result<FundingRate> parse_row(const Fields& fields, const FundingLayout& layout) {
  std::int64_t ms = 0;
  const std::string_view time_text = fields[layout.time];
  const auto [end, ec] = std::from_chars(time_text.data(), time_text.data() + time_text.size(), ms);
  if (ec != std::errc() || end != time_text.data() + time_text.size() || time_text.empty()) {
    return make_error(ErrorCode::kParse, fmt::format("time '{}' is not an integer (ms)", time_text));
  }
  if (layout.interval_hours) {  // checked, not used: each event carries its own time
    const std::string_view hours_text = fields[*layout.interval_hours];
    int hours = 0;
    const auto [hours_end, hours_ec] = std::from_chars(hours_text.data(), hours_text.data() + hours_text.size(), hours);
    if (hours_ec != std::errc() || hours_end != hours_text.data() + hours_text.size() || hours < 1) {
      return make_error(ErrorCode::kParse, fmt::format("funding_interval_hours '{}' is not a whole number of hours", hours_text));
    }
  }
  auto rate = Ratio::parse(fields[layout.rate]);
  if (!rate) return make_error(ErrorCode::kParse, "funding rate: " + rate.error().message);
  return FundingRate{timestamp_from_ms(ms), *rate};
}

bool is_funding_file_name(const std::string& name) {
  return name.find("-fundingRate-") != std::string::npos && (name.ends_with(".csv") || name.ends_with(".csv.gz") || name.ends_with(".zip"));
}

}  // namespace

Result<std::vector<FundingRate>> parse_funding_csv(std::string_view text, const std::string& source) {
  std::vector<FundingRate> rates;
  std::optional<FundingLayout> layout;
  Fields fields;
  std::size_t line_number = 0;
  for (std::size_t position = 0; position < text.size();) {
    const std::size_t newline = text.find('\n', position);
    std::string_view line = text.substr(position, newline == std::string_view::npos ? text.npos : newline - position);
    position = newline == std::string_view::npos ? text.size() : newline + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const auto fail = [&](const Error& error) { return error.with_context(fmt::format("{}:{}", source, line_number)); };
    const std::size_t count = split(line, fields);
    if (!layout) {
      const bool header = line.front() < '0' || line.front() > '9';
      if (count > kMaxColumns) return fail(make_error(ErrorCode::kParse, "more than 3 columns"));
      auto found = header ? layout_of_header(fields, count) : headerless_layout(count);
      if (!found) return fail(found.error());
      layout = *found;
      if (header) continue;
    }
    if (count != layout->columns) {
      return fail(make_error(ErrorCode::kParse, fmt::format("expected {} columns like the first row, found {}", layout->columns,
                                                            count > kMaxColumns ? "more" : std::to_string(count))));
    }
    auto rate = parse_row(fields, *layout);
    if (!rate) return fail(rate.error());
    if (!rates.empty() && rate->time <= rates.back().time) return fail(make_error(ErrorCode::kParse, "funding times must increase"));
    rates.push_back(*rate);
  }
  return rates;
}

Result<std::vector<FundingRate>> load_funding(const std::filesystem::path& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return parse_funding_csv(*bytes, path.string());
}

Result<std::map<std::string, std::vector<FundingRate>>> load_funding_directory(const std::filesystem::path& directory) {
  std::error_code error;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.is_regular_file() && is_funding_file_name(entry.path().filename().string())) files.push_back(entry.path());
  }
  if (error) return make_error(ErrorCode::kIo, fmt::format("{}: {}", directory.string(), error.message()));
  if (files.empty()) {
    return make_error(ErrorCode::kNotFound,
                      fmt::format("{}: no <SYMBOL>-fundingRate-*.csv, .csv.gz or .zip files", directory.string()));
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, std::vector<FundingRate>> by_symbol;
  for (const auto& file : files) {
    WINISWIN_TRY(std::vector<FundingRate> rates, load_funding(file));
    const std::string name = file.filename().string();
    auto& joined = by_symbol[name.substr(0, name.find("-fundingRate-"))];
    joined.insert(joined.end(), rates.begin(), rates.end());
  }
  for (auto& [symbol, rates] : by_symbol) {
    std::stable_sort(rates.begin(), rates.end(), [](const FundingRate& a, const FundingRate& b) { return a.time < b.time; });
    std::vector<FundingRate> unique;
    for (const FundingRate& rate : rates) {
      if (!unique.empty() && unique.back().time == rate.time) {
        if (unique.back().rate != rate.rate) {
          return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: two funding rates at {}", symbol, format_utc(rate.time)));
        }
        continue;
      }
      unique.push_back(rate);
    }
    rates = std::move(unique);
  }
  return by_symbol;
}

}  // namespace winiswin
