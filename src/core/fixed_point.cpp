#include "core/fixed_point.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace winiswin::fixed_detail {
namespace {

Error parse_error(std::string_view text, std::string_view why) {
  return make_error(ErrorCode::kParse, fmt::format("'{}' is not a decimal number: {}", text, why));
}

constexpr int kMaxDigits = 40;  // more significant digits than any int64 value needs

}  // namespace

Result<std::int64_t> parse_raw(std::string_view text) {
  const std::string_view original = text;
  if (text.empty()) return parse_error(original, "empty");
  bool negative = false;
  if (text.front() == '+' || text.front() == '-') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  // Collect the digits and where the decimal point sits.
  char digits[kMaxDigits];
  int digit_count = 0;
  int fraction_digits = 0;
  bool seen_point = false;
  bool seen_digit = false;
  std::size_t position = 0;
  for (; position < text.size(); ++position) {
    const char c = text[position];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (digit_count == 0 && c == '0' && !seen_point) continue;  // leading zeros
      if (digit_count == kMaxDigits) return parse_error(original, "too many digits");
      digits[digit_count++] = c;
      if (seen_point) ++fraction_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) return parse_error(original, "no digits");
  int exponent = 0;
  if (position < text.size()) {
    const char c = text[position];
    if (c != 'e' && c != 'E') return parse_error(original, "unexpected character");
    std::string_view exponent_text = text.substr(position + 1);
    if (!exponent_text.empty() && exponent_text.front() == '+') exponent_text.remove_prefix(1);
    const auto [end, ec] = std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
    if (ec != std::errc() || end != exponent_text.data() + exponent_text.size() || exponent_text.empty()) {
      return parse_error(original, "bad exponent");
    }
    if (exponent > 40 || exponent < -40) return parse_error(original, "exponent out of range");
  }
  // value = digits × 10^(exponent − fraction_digits); raw = value × 10^8.
  const int shift = exponent - fraction_digits + kFixedDecimals;
  int integer_digits = digit_count + (shift < 0 ? shift : 0);
  for (int idx = integer_digits < 0 ? 0 : integer_digits; idx < digit_count; ++idx) {
    if (digits[idx] != '0') return parse_error(original, "more than 8 decimals");
  }
  if (integer_digits < 0) integer_digits = 0;
  UInt128 magnitude = 0;
  for (int idx = 0; idx < integer_digits; ++idx) {
    magnitude = magnitude * 10 + static_cast<unsigned>(digits[idx] - '0');
    if (magnitude > static_cast<UInt128>(std::numeric_limits<std::int64_t>::max())) {
      return parse_error(original, "outside the fixed-point range (±9.2e10)");
    }
  }
  for (int idx = 0; idx < shift; ++idx) {
    magnitude *= 10;
    if (magnitude > static_cast<UInt128>(std::numeric_limits<std::int64_t>::max())) {
      return parse_error(original, "outside the fixed-point range (±9.2e10)");
    }
  }
  const auto value = static_cast<std::int64_t>(magnitude);
  return negative ? -value : value;
}

std::string format_raw(std::int64_t raw) {
  const bool negative = raw < 0;
  const UInt128 magnitude = negative ? static_cast<UInt128>(-static_cast<Int128>(raw))
                                               : static_cast<UInt128>(raw);
  const auto units = static_cast<std::uint64_t>(magnitude / kFixedScale);
  auto fraction = static_cast<std::uint64_t>(magnitude % kFixedScale);
  std::string out = negative ? "-" : "";
  out += std::to_string(units);
  if (fraction != 0) {
    std::string fraction_text = fmt::format("{:08d}", fraction);
    while (fraction_text.back() == '0') fraction_text.pop_back();
    out += '.';
    out += fraction_text;
  }
  return out;
}

std::string format_raw_fixed(std::int64_t raw, int decimals) {
  if (decimals < 0 || decimals > kFixedDecimals) throw std::invalid_argument("decimals must be 0..8");
  std::string text = format_raw(raw);
  const auto point = text.find('.');
  const int present = point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
  if (present > decimals) throw std::invalid_argument("value " + text + " has more than the requested decimals");
  if (decimals == 0) return text;
  if (point == std::string::npos) text += '.';
  text.append(static_cast<std::size_t>(decimals - present), '0');
  return text;
}

Result<std::int64_t> raw_from_double(double value) {
  if (!std::isfinite(value)) return make_error(ErrorCode::kInvalidArgument, "not a finite number");
  const double scaled = value * static_cast<double>(kFixedScale);
  if (std::fabs(scaled) >= 9.2e18) {
    return make_error(ErrorCode::kOutOfRange, fmt::format("{} is outside the fixed-point range (±9.2e10)", value));
  }
  // std::round (half away from zero) without its library call, which was a tenth of making
  // a synthetic bar: truncate, then step away from zero when the dropped part is ≥ ½. Both
  // steps are exact: below 2^52 a double minus its truncation has no rounding error, and
  // from 2^52 up every double is an integer (the part dropped is 0).
  auto whole = static_cast<std::int64_t>(scaled);
  const double dropped = scaled - static_cast<double>(whole);
  if (dropped >= 0.5) ++whole;
  if (dropped <= -0.5) --whole;
  return whole;
}

void throw_overflow(const char* operation) {
  throw std::overflow_error(std::string("fixed-point overflow in ") + operation);
}

}  // namespace winiswin::fixed_detail

namespace winiswin {

Notional notional_of(Price price, Quantity quantity, Rounding rounding) {
  const Int128 product = static_cast<Int128>(price.raw()) * quantity.raw();
  Int128 quotient = product / kFixedScale;
  const Int128 remainder = product % kFixedScale;
  // C++ division truncates toward zero; adjust to floor or ceiling.
  if (remainder != 0) {
    if (rounding == Rounding::kDown && product < 0) --quotient;
    if (rounding == Rounding::kUp && product > 0) ++quotient;
  }
  if (quotient > std::numeric_limits<std::int64_t>::max() || quotient < std::numeric_limits<std::int64_t>::min()) {
    fixed_detail::throw_overflow("notional_of");
  }
  return Notional::from_raw(static_cast<std::int64_t>(quotient));
}

bool notional_at_least(Price price, Quantity quantity, Notional threshold) {
  return static_cast<Int128>(price.raw()) * quantity.raw() >= static_cast<Int128>(threshold.raw()) * kFixedScale;
}

}  // namespace winiswin
