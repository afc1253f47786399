// What makes a kline believable: the checks every reader applies to every bar.
//
// A bar is rejected when a price is not positive, the OHLC envelope is broken
// (high < max(open, close), low > min(open, close)), a volume or trade count is negative,
// taker volumes exceed totals, close_time ≠ open_time + interval − 1 ms, or the open time
// is not aligned to the interval. A series is rejected when open times do not strictly
// increase. Missing bars (gaps) are not errors: see data/gaps.h.
#pragma once

#include <optional>
#include <string>

#include "core/kline.h"

namespace winiswin {

// The reason `bar` is invalid, or nothing when it is fine.
std::optional<std::string> find_bar_problem(const Kline& bar, Interval interval, KlineFields fields);
// The reason `bar` cannot follow `previous`, or nothing.
std::optional<std::string> find_order_problem(const Kline& previous, const Kline& bar);
// Checks a whole series; the error names `source` and the 0-based bar index.
Status validate_series(const KlineSeries& series, const std::string& source);

}  // namespace winiswin
