// Numerical conventions shared with TA-Lib, so our outputs match its to the last bit
// where the oracles say they can (shared/oracles/README.md, "What TA-Lib computes").
#pragma once

#include <limits>

namespace winiswin::indicators {

// TA_IS_ZERO(v): |v| < 1e-14. TA-Lib outputs 0 instead of dividing by such a value.
inline constexpr double kTaLibEpsilon = 1e-14;
constexpr bool is_talib_zero(double value) { return -kTaLibEpsilon < value && value < kTaLibEpsilon; }
// TA_IS_ZERO_OR_NEG(v): v < 1e-14 (variances below it give a deviation of exactly 0).
constexpr bool is_talib_zero_or_negative(double value) { return value < kTaLibEpsilon; }

inline constexpr double kNotReady = std::numeric_limits<double>::quiet_NaN();

}  // namespace winiswin::indicators
