#include "core/time.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace winiswin {
namespace {

constexpr std::size_t kDateLength = 10;       // 2026-02-20
constexpr std::size_t kCompactDateLength = 8;  // 20260220
constexpr std::size_t kEpochSecondsDigits = 10;
constexpr std::size_t kEpochMsDigits = 13;

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Exactly `text` as a non-negative integer (digits only).
std::optional<std::int64_t> whole_number(std::string_view text) {
  if (!all_digits(text) || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::optional<Timestamp> civil_date(std::int64_t year, std::int64_t month, std::int64_t day) {
  const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(year)}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return Timestamp{std::chrono::sys_days{date}};
}

// "2026-02-20" or "20260220".
std::optional<Timestamp> parse_date(std::string_view text) {
  if (text.size() == kCompactDateLength && all_digits(text)) {
    return civil_date(*whole_number(text.substr(0, 4)), *whole_number(text.substr(4, 2)), *whole_number(text.substr(6, 2)));
  }
  if (text.size() != kDateLength || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = whole_number(text.substr(0, 4)), month = whole_number(text.substr(5, 2)), day = whole_number(text.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  return civil_date(*year, *month, *day);
}

// Reads a fixed-width field "NN" after an optional separator; advances `text`.
std::optional<std::int64_t> take_field(std::string_view& text, std::size_t width, char separator = '\0') {
  if (separator != '\0') {
    if (text.empty() || text.front() != separator) return std::nullopt;
    text.remove_prefix(1);
  }
  if (text.size() < width) return std::nullopt;
  const auto value = whole_number(text.substr(0, width));
  if (value) text.remove_prefix(width);
  return value;
}

// "12:00", "12:00:00", "12:00:00.5", "12:00:00.123", each optionally followed by "Z" or
// "±hh:mm": the time of day in ms, shifted to UTC.
std::optional<std::int64_t> parse_time_of_day(std::string_view text) {
  const auto hours = take_field(text, 2), minutes = take_field(text, 2, ':');
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  std::int64_t seconds = 0, millis = 0;
  if (!text.empty() && text.front() == ':') {
    const auto taken = take_field(text, 2, ':');
    if (!taken || *taken > 59) return std::nullopt;
    seconds = *taken;
    if (!text.empty() && text.front() == '.') {
      text.remove_prefix(1);
      const std::size_t digits = std::min<std::size_t>(3, std::find_if(text.begin(), text.end(), [](char c) {
                                                           return c < '0' || c > '9';
                                                         }) - text.begin());
      if (digits == 0) return std::nullopt;
      millis = *whole_number(text.substr(0, digits));
      for (std::size_t scale = digits; scale < 3; ++scale) millis *= 10;
      text.remove_prefix(digits);
    }
  }
  std::int64_t offset_minutes = 0;
  if (!text.empty() && text.front() == 'Z') {
    text.remove_prefix(1);
  } else if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    const int sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
    const auto zone_hours = take_field(text, 2), zone_minutes = take_field(text, 2, ':');
    if (!zone_hours || !zone_minutes || *zone_hours > 23 || *zone_minutes > 59) return std::nullopt;
    offset_minutes = sign * (*zone_hours * 60 + *zone_minutes);
  }
  if (!text.empty()) return std::nullopt;
  return ((*hours * 60 + *minutes - offset_minutes) * 60 + seconds) * 1'000 + millis;
}

Error not_a_time(std::string_view text, std::string_view hint = {}) {
  return make_error(ErrorCode::kInvalidArgument,
                    fmt::format("'{}' is not a time{}; accepted: {}", text, hint, kAcceptedTimeForms));
}

// One side of a --timerange: YYYYMMDD, epoch seconds or epoch ms.
Result<Timestamp> parse_timerange_side(std::string_view side, std::string_view whole) {
  const auto fail = [&] {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("--timerange '{}': '{}' is neither YYYYMMDD, epoch seconds (10 digits) nor epoch ms (13 "
                                  "digits); e.g. 20260101-20260201, 20260101- or -20260201",
                                  whole, side));
  };
  if (!all_digits(side)) return fail();
  if (side.size() == kCompactDateLength) {
    const auto date = parse_date(side);
    if (!date) return fail();
    return *date;
  }
  if (side.size() == kEpochSecondsDigits) return timestamp_from_ms(*whole_number(side) * 1'000);
  if (side.size() == kEpochMsDigits) return timestamp_from_ms(*whole_number(side));
  return fail();
}

}  // namespace

std::string format_utc(Timestamp time) {
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{time - day};
  std::string text = fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}", static_cast<int>(date.year()),
                                 static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                                 clock.hours().count(), clock.minutes().count(), clock.seconds().count());
  if (clock.subseconds().count() != 0) text += fmt::format(".{:03d}", clock.subseconds().count());
  return text;
}

// Hand-written: g++ 12's libstdc++ has no std::chrono::parse, and no packaged library reads
// exactly these forms (ISO 8601 with a zone, winiswin's own output, dates, epoch ms).
Result<Timestamp> parse_utc_time(std::string_view text) {
  if (all_digits(text)) {
    if (text.size() == kEpochMsDigits) return timestamp_from_ms(*whole_number(text));
    if (text.size() == kCompactDateLength) {
      if (const auto date = parse_date(text)) return *date;
      return not_a_time(text, " (not a valid date)");
    }
    if (text.size() == kEpochSecondsDigits) return not_a_time(text, " (epoch seconds? append 000 for ms)");
    return not_a_time(text);
  }
  const auto date = parse_date(text.substr(0, kDateLength));
  if (!date) return not_a_time(text);
  if (text.size() == kDateLength) return *date;
  const char separator = text[kDateLength];
  if (separator != 'T' && separator != ' ') return not_a_time(text);
  const auto time_of_day = parse_time_of_day(text.substr(kDateLength + 1));
  if (!time_of_day) return not_a_time(text);
  return *date + Milliseconds{*time_of_day};
}

Result<TimeRange> parse_timerange(std::string_view text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos || text.find('-', dash + 1) != std::string_view::npos || text.size() == 1) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("--timerange '{}': expected START-END like 20260101-20260201 (either side may be empty)", text));
  }
  TimeRange range;
  if (dash > 0) {
    WINISWIN_TRY(range.from, parse_timerange_side(text.substr(0, dash), text));
  }
  if (dash + 1 < text.size()) {
    WINISWIN_TRY(range.to, parse_timerange_side(text.substr(dash + 1), text));
  }
  if (range.from && range.to && *range.from >= *range.to) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("--timerange '{}': the start must be before the end", text));
  }
  return range;
}

}  // namespace winiswin
