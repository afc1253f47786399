// Time in winiswin: UTC milliseconds since the Unix epoch, as Binance sends it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace winiswin {

using Milliseconds = std::chrono::milliseconds;
using Timestamp = std::chrono::sys_time<Milliseconds>;  // UTC, ms resolution

constexpr Timestamp timestamp_from_ms(std::int64_t ms) { return Timestamp{Milliseconds{ms}}; }
constexpr std::int64_t to_ms(Timestamp time) { return time.time_since_epoch().count(); }

// "2025-09-19 00:00:00" (UTC; ".123" appended when the milliseconds are not zero).
std::string format_utc(Timestamp time);

}  // namespace winiswin
