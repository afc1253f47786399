// Request parameters as Binance reads them (spec/rest.md "General rules"): from the query
// string and, for any method, from an application/x-www-form-urlencoded body; both may be
// used at once, and a name in both takes the query string's value. Names and values are
// percent-decoded ('+' is a space, as in HTML forms).
//
// The official Node connector sends every parameter in the query; ccxt sends POST/PUT/DELETE
// parameters in the body. The signature is checked over the raw bytes elsewhere
// (signature.h): nothing here is used to rebuild what was signed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/fixed_point.h"

namespace winiswin::loopback {

struct FormParam {
  std::string name;
  std::string value;
};

// "a=1&b=x%3Ay" → {a:1, b:x:y}. A broken escape ("%G1", a lone "%") is -1100; a name given
// twice is -1101 ("Duplicate values for a parameter detected.").
Result<std::vector<FormParam>> parse_form(std::string_view encoded);
// %XX and '+' decoding; nullopt on a broken escape.
std::optional<std::string> percent_decode(std::string_view encoded);

class RequestParams {
 public:
  RequestParams() = default;
  // The query's parameters, then the body's (`body_is_form`: Content-Type absent or
  // application/x-www-form-urlencoded; another content type's body holds no parameters).
  static Result<RequestParams> from(std::string_view raw_query, std::string_view raw_body, bool body_is_form);

  // The value of `name` (query first), or nullopt when absent. An empty value counts as absent,
  // as Binance treats "symbol=" like no symbol.
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const;
  [[nodiscard]] bool has(std::string_view name) const { return find(name).has_value(); }

  // -1102 when absent.
  [[nodiscard]] Result<std::string_view> required(std::string_view name) const;
  // Integers: -1102 when absent (required), -1100 when not an integer.
  [[nodiscard]] Result<std::int64_t> required_integer(std::string_view name) const;
  [[nodiscard]] Result<std::optional<std::int64_t>> optional_integer(std::string_view name) const;
  // "true" / "false" (any case); -1130 otherwise; `fallback` when absent.
  [[nodiscard]] Result<bool> optional_bool(std::string_view name, bool fallback) const;
  // Exact decimals: -1102 when absent (required), -1100 when not a plain decimal.
  template <typename T>
  [[nodiscard]] Result<T> required_decimal(std::string_view name) const {
    auto text = required(name);
    if (!text) return text.error();
    return parse_decimal<T>(name, *text);
  }
  template <typename T>
  [[nodiscard]] Result<std::optional<T>> optional_decimal(std::string_view name) const {
    const auto text = find(name);
    if (!text) return std::optional<T>{};
    auto parsed = parse_decimal<T>(name, *text);
    if (!parsed) return parsed.error();
    return std::optional<T>(*parsed);
  }

 private:
  template <typename T>
  static Result<T> parse_decimal(std::string_view name, std::string_view text) {
    if (!is_plain_decimal(text)) return decimal_error(name);
    auto parsed = T::parse(text);
    if (!parsed) return decimal_error(name);
    return parsed;
  }
  static bool is_plain_decimal(std::string_view text);  // ^-?[0-9]+(\.[0-9]+)?$
  static Error decimal_error(std::string_view name);

  std::vector<FormParam> query_;
  std::vector<FormParam> body_;
};

}  // namespace winiswin::loopback
