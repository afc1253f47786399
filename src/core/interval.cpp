#include "core/interval.h"

#include <string>

namespace winiswin {
namespace {

struct IntervalInfo {
  std::string_view name;
  std::int64_t ms;
};

constexpr std::int64_t kMinute = 60'000;
constexpr std::array<IntervalInfo, 12> kInfo = {{
    {"1m", kMinute},
    {"3m", 3 * kMinute},
    {"5m", 5 * kMinute},
    {"15m", 15 * kMinute},
    {"30m", 30 * kMinute},
    {"1h", 60 * kMinute},
    {"2h", 120 * kMinute},
    {"4h", 240 * kMinute},
    {"6h", 360 * kMinute},
    {"8h", 480 * kMinute},
    {"12h", 720 * kMinute},
    {"1d", 1440 * kMinute},
}};

const IntervalInfo& info(Interval interval) { return kInfo[static_cast<std::size_t>(interval)]; }

}  // namespace

Milliseconds duration_of(Interval interval) { return Milliseconds{info(interval).ms}; }
std::int64_t duration_ms(Interval interval) { return info(interval).ms; }
std::string_view name_of(Interval interval) { return info(interval).name; }

Result<Interval> parse_interval(std::string_view text) {
  for (const Interval interval : kAllIntervals) {
    if (name_of(interval) == text) return interval;
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown interval '" + std::string(text) +
                                                     "' (expected one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d)");
}

Result<Interval> interval_from_duration(std::int64_t ms) {
  for (const Interval interval : kAllIntervals) {
    if (duration_ms(interval) == ms) return interval;
  }
  return make_error(ErrorCode::kInvalidArgument, "no kline interval lasts " + std::to_string(ms) + " ms");
}

bool divides(Interval fine, Interval coarse) {
  return duration_ms(coarse) >= duration_ms(fine) && duration_ms(coarse) % duration_ms(fine) == 0;
}

Timestamp bar_open_time(Timestamp time, Interval interval) {
  const std::int64_t ms = to_ms(time);
  const std::int64_t length = duration_ms(interval);
  std::int64_t bucket = ms / length;
  if (ms % length < 0) --bucket;  // floor for times before the epoch
  return timestamp_from_ms(bucket * length);
}

}  // namespace winiswin
