#include "venue/loopback/form_params.h"

#include <algorithm>
#include <charconv>

#include "venue/loopback/api_error.h"

namespace winiswin::loopback {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

const FormParam* find_in(const std::vector<FormParam>& params, std::string_view name) {
  for (const FormParam& param : params) {
    if (param.name == name) return &param;
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (std::size_t idx = 0; idx < encoded.size(); ++idx) {
    const char c = encoded[idx];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (idx + 2 >= encoded.size()) return std::nullopt;  // needs two hex digits
      const int high = hex_digit(encoded[idx + 1]);
      const int low = hex_digit(encoded[idx + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      idx += 2;
    } else {
      out += c;
    }
  }
  return out;
}

Result<std::vector<FormParam>> parse_form(std::string_view encoded) {
  std::vector<FormParam> params;
  std::size_t start = 0;
  while (start <= encoded.size()) {
    const std::size_t end = std::min(encoded.find('&', start), encoded.size());
    const std::string_view pair = encoded.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    const std::string_view raw_name = pair.substr(0, equals);
    const std::string_view raw_value = equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    auto name = percent_decode(raw_name);
    auto value = percent_decode(raw_value);
    if (!name || !value) {
      return make_rejection(-1100, "Illegal characters found in a parameter. (broken percent-encoding in '" + std::string(pair) + "')");
    }
    if (find_in(params, *name)) return make_rejection(-1101, "Duplicate values for a parameter detected.");
    params.push_back(FormParam{std::move(*name), std::move(*value)});
  }
  return params;
}

Result<RequestParams> RequestParams::from(std::string_view raw_query, std::string_view raw_body, bool body_is_form) {
  RequestParams params;
  WINISWIN_TRY(params.query_, parse_form(raw_query));
  if (body_is_form) {
    WINISWIN_TRY(params.body_, parse_form(raw_body));
  }
  return params;
}

std::optional<std::string_view> RequestParams::find(std::string_view name) const {
  const FormParam* param = find_in(query_, name);
  if (!param) param = find_in(body_, name);
  if (!param || param->value.empty()) return std::nullopt;
  return std::string_view(param->value);
}

Result<std::string_view> RequestParams::required(std::string_view name) const {
  const auto value = find(name);
  if (!value) return missing_parameter(name);
  return *value;
}

Result<std::int64_t> RequestParams::required_integer(std::string_view name) const {
  WINISWIN_TRY(const auto parsed, optional_integer(name));
  if (!parsed) return missing_parameter(name);
  return *parsed;
}

Result<std::optional<std::int64_t>> RequestParams::optional_integer(std::string_view name) const {
  const auto text = find(name);
  if (!text) return std::optional<std::int64_t>{};
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) return malformed_parameter(name, "^[0-9]{1,20}$");
  return std::optional<std::int64_t>(value);
}

Result<bool> RequestParams::optional_bool(std::string_view name, bool fallback) const {
  const auto text = find(name);
  if (!text) return fallback;
  if (equals_ignoring_case(*text, "true")) return true;
  if (equals_ignoring_case(*text, "false")) return false;
  return invalid_parameter(name);
}

bool RequestParams::is_plain_decimal(std::string_view text) {
  std::size_t idx = 0;
  if (idx < text.size() && text[idx] == '-') ++idx;
  const std::size_t integer_start = idx;
  while (idx < text.size() && text[idx] >= '0' && text[idx] <= '9') ++idx;
  if (idx == integer_start) return false;
  if (idx == text.size()) return true;
  if (text[idx] != '.') return false;
  const std::size_t fraction_start = ++idx;
  while (idx < text.size() && text[idx] >= '0' && text[idx] <= '9') ++idx;
  return idx == text.size() && idx > fraction_start;
}

Error RequestParams::decimal_error(std::string_view name) {
  return malformed_parameter(name, "^([0-9]{1,20})(\\.[0-9]{1,20})?$");
}

}  // namespace winiswin::loopback
