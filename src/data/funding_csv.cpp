#include "data/funding_csv.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "data/file_bytes.h"

namespace winiswin {

Result<std::vector<FundingRate>> parse_funding_csv(std::string_view text, const std::string& source) {
  std::vector<FundingRate> rates;
  std::size_t line_number = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t newline = text.find('\n', position);
    std::string_view line = text.substr(position, newline == std::string_view::npos ? text.npos : newline - position);
    position = newline == std::string_view::npos ? text.size() : newline + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const auto fail = [&](const std::string& what) {
      return make_error(ErrorCode::kParse, fmt::format("{}:{}: {}", source, line_number, what));
    };
    if (line_number == 1 && line.starts_with("funding_time")) continue;
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos || line.find(',', comma + 1) != std::string_view::npos) {
      return fail("expected 2 columns: funding_time,funding_rate");
    }
    std::int64_t ms = 0;
    const std::string_view time_text = line.substr(0, comma);
    const auto [end, ec] = std::from_chars(time_text.data(), time_text.data() + time_text.size(), ms);
    if (ec != std::errc() || end != time_text.data() + time_text.size()) {
      return fail(fmt::format("funding_time '{}' is not an integer", time_text));
    }
    auto rate = Ratio::parse(line.substr(comma + 1));
    if (!rate) return fail("funding_rate: " + rate.error().message);
    const Timestamp time = timestamp_from_ms(ms);
    if (!rates.empty() && time <= rates.back().time) return fail("funding times must increase");
    rates.push_back(FundingRate{time, *rate});
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
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.find("-fundingRate-") != std::string::npos &&
        (name.ends_with(".csv") || name.ends_with(".csv.gz"))) {
      files.push_back(entry.path());
    }
  }
  if (error) return make_error(ErrorCode::kIo, fmt::format("{}: {}", directory.string(), error.message()));
  if (files.empty()) return make_error(ErrorCode::kNotFound, fmt::format("{}: no <SYMBOL>-fundingRate-*.csv files", directory.string()));
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
