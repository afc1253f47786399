#include "data/funding_csv.h"

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

}  // namespace winiswin
