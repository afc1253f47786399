// Kline intervals of Binance USDⓈ-M (the subset winiswin trades on and resamples to).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "core/time.h"

namespace winiswin {

enum class Interval : std::uint8_t { k1m, k3m, k5m, k15m, k30m, k1h, k2h, k4h, k6h, k8h, k12h, k1d };

inline constexpr std::array<Interval, 12> kAllIntervals = {
    Interval::k1m, Interval::k3m, Interval::k5m, Interval::k15m, Interval::k30m, Interval::k1h,
    Interval::k2h, Interval::k4h, Interval::k6h, Interval::k8h, Interval::k12h, Interval::k1d};

Milliseconds duration_of(Interval interval);
std::int64_t duration_ms(Interval interval);
std::string_view name_of(Interval interval);  // Binance spelling: "1m", "1h", "1d"
Result<Interval> parse_interval(std::string_view text);
// The interval whose duration is exactly `ms`, if any.
Result<Interval> interval_from_duration(std::int64_t ms);

// Bars of `coarse` are whole multiples of bars of `fine`, aligned to the epoch.
bool divides(Interval fine, Interval coarse);
// Open time of the `interval` bar that contains `time` (all our intervals align to UTC epoch).
Timestamp bar_open_time(Timestamp time, Interval interval);

}  // namespace winiswin
