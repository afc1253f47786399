// Exact decimal values for money: Price, Quantity, Notional (and Ratio for rates).
//
// Representation: a signed 64-bit integer count of 1e-8 units (`raw`), the same scale
// for every instrument. Why one fixed scale instead of a per-instrument one:
// - Binance's finest tick is 1e-7 and its mark prices carry 8 decimals, so 1e-8 holds
//   every price, quantity and filter value Binance sends, exactly.
// - Values of different instruments (or a price and its tick) compare and subtract
//   directly, with no rescaling step that could be forgotten.
// - Range: |raw| < 9.2e18, i.e. values up to ±92 billion units. Binance's largest price
//   filter is 1e6 and largest maxQty 4e9, so orders and accounts fit with room. Sums
//   that could grow without bound (volume aggregation) use `checked_add`, which fails
//   loudly instead of wrapping.
// Text converts exactly (decimal digits, never through a double). Doubles are for
// indicators and scores only: `to_double()` and `from_double()` are the explicit
// boundary, and `from_double` rounds to the nearest 1e-8 (nautilus_trader's lesson:
// round(value * 10^p), never truncate).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace winiswin {

// 128-bit intermediates make products of two fixed-point values exact (GCC and Clang,
// the compilers we build with, both provide them; __extension__ keeps -Wpedantic quiet).
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

inline constexpr int kFixedDecimals = 8;
inline constexpr std::int64_t kFixedScale = 100'000'000;

namespace fixed_detail {
// Exact decimal text → raw units. Accepts [+-]digits[.digits][e[+-]digits]. Digits
// beyond the 8th decimal must be zeros, otherwise the value is not representable and
// this is an error (rounding would silently change money).
Result<std::int64_t> parse_raw(std::string_view text);
// Shortest exact decimal for raw units: "117100", "0.0001", "-2.31e-06" never appears.
std::string format_raw(std::int64_t raw);
// Exactly `decimals` decimals (0..8), the value must already be on that grid.
std::string format_raw_fixed(std::int64_t raw, int decimals);
Result<std::int64_t> raw_from_double(double value);
[[noreturn]] void throw_overflow(const char* operation);
}  // namespace fixed_detail

template <typename Tag>
class Fixed {
 public:
  constexpr Fixed() = default;
  static constexpr Fixed from_raw(std::int64_t raw) { return Fixed(raw); }
  // Whole units: Price::from_units(5) is 5.00000000.
  static constexpr Fixed from_units(std::int64_t units) {
    std::int64_t raw = 0;
    if (__builtin_mul_overflow(units, kFixedScale, &raw)) fixed_detail::throw_overflow("from_units");
    return Fixed(raw);
  }
  static Result<Fixed> parse(std::string_view text) {
    auto raw = fixed_detail::parse_raw(text);
    if (!raw) return raw.error();
    return Fixed(*raw);
  }
  // The boundary from doubles (indicator output, synthetic prices): nearest 1e-8.
  static Result<Fixed> from_double(double value) {
    auto raw = fixed_detail::raw_from_double(value);
    if (!raw) return raw.error();
    return Fixed(*raw);
  }

  [[nodiscard]] constexpr std::int64_t raw() const { return raw_; }
  [[nodiscard]] double to_double() const { return static_cast<double>(raw_) / static_cast<double>(kFixedScale); }
  [[nodiscard]] std::string to_string() const { return fixed_detail::format_raw(raw_); }
  [[nodiscard]] std::string to_string(int decimals) const { return fixed_detail::format_raw_fixed(raw_, decimals); }
  [[nodiscard]] constexpr bool is_zero() const { return raw_ == 0; }
  [[nodiscard]] constexpr bool is_positive() const { return raw_ > 0; }
  [[nodiscard]] constexpr bool is_negative() const { return raw_ < 0; }

  constexpr auto operator<=>(const Fixed&) const = default;

  constexpr Fixed operator+(Fixed other) const {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(raw_, other.raw_, &sum)) fixed_detail::throw_overflow("+");
    return Fixed(sum);
  }
  constexpr Fixed operator-(Fixed other) const {
    std::int64_t difference = 0;
    if (__builtin_sub_overflow(raw_, other.raw_, &difference)) fixed_detail::throw_overflow("-");
    return Fixed(difference);
  }
  constexpr Fixed operator-() const { return Fixed(0) - *this; }
  constexpr Fixed& operator+=(Fixed other) { return *this = *this + other; }
  constexpr Fixed& operator-=(Fixed other) { return *this = *this - other; }
  constexpr Fixed operator*(std::int64_t factor) const {
    std::int64_t product = 0;
    if (__builtin_mul_overflow(raw_, factor, &product)) fixed_detail::throw_overflow("*");
    return Fixed(product);
  }

  // For aggregates of untrusted size (volume sums): an error instead of an exception.
  [[nodiscard]] Result<Fixed> checked_add(Fixed other) const {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(raw_, other.raw_, &sum)) {
      return make_error(ErrorCode::kOutOfRange, "sum " + to_string() + " + " + other.to_string() +
                                                    " exceeds the fixed-point range (±9.2e10)");
    }
    return Fixed(sum);
  }

 private:
  constexpr explicit Fixed(std::int64_t raw) : raw_(raw) {}
  std::int64_t raw_ = 0;
};

struct PriceTag {};
struct QuantityTag {};
struct NotionalTag {};
struct RatioTag {};

using Price = Fixed<PriceTag>;        // quote asset per unit of base asset (USDT)
using Quantity = Fixed<QuantityTag>;  // base asset units (contracts of 1 unit)
using Notional = Fixed<NotionalTag>;  // quote asset amount (USDT)
using Ratio = Fixed<RatioTag>;        // dimensionless: funding rates, fee rates, multipliers

enum class Rounding { kDown, kUp };

// price × quantity, exact in 128 bits, then rounded to 1e-8 in the named direction.
Notional notional_of(Price price, Quantity quantity, Rounding rounding);
// Exact comparison price × quantity ≥ threshold, with no rounding at all.
bool notional_at_least(Price price, Quantity quantity, Notional threshold);

}  // namespace winiswin
