// Time in winiswin: UTC milliseconds since the Unix epoch, as Binance sends it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace winiswin {

using Milliseconds = std::chrono::milliseconds;
using Timestamp = std::chrono::sys_time<Milliseconds>;  // UTC, ms resolution

constexpr Timestamp timestamp_from_ms(std::int64_t ms) { return Timestamp{Milliseconds{ms}}; }
constexpr std::int64_t to_ms(Timestamp time) { return time.time_since_epoch().count(); }

// "2025-09-19 00:00:00" (UTC; ".123" appended when the milliseconds are not zero).
std::string format_utc(Timestamp time);

// The forms parse_utc_time accepts, for error messages and --help.
inline constexpr std::string_view kAcceptedTimeForms =
    "2026-02-20T12:00:00Z (ISO 8601; Z or ±hh:mm, seconds and .mmm optional), "
    "2026-02-20 12:00:00 (as winiswin prints times, UTC; seconds optional), 2026-02-20 or 20260220 (midnight UTC), "
    "1771588800000 (epoch ms, 13 digits)";

// A time as a user types it on the command line. A time without a zone is UTC. Anything
// else is an error that quotes the text and lists kAcceptedTimeForms.
Result<Timestamp> parse_utc_time(std::string_view text);

// freqtrade's --timerange: "20260101-20260201", "20260101-", "-20260201"; each side a date
// (YYYYMMDD), epoch seconds (10 digits) or epoch ms (13 digits). An empty side is open.
struct TimeRange {
  std::optional<Timestamp> from;  // first bar (inclusive)
  std::optional<Timestamp> to;    // end (exclusive)
};
Result<TimeRange> parse_timerange(std::string_view text);

}  // namespace winiswin
