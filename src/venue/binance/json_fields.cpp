#include "venue/binance/json_fields.h"

#include <charconv>

#include <fmt/format.h>

namespace winiswin::binance::json {
namespace {

// Strips digits beyond the 8th decimal, remembering whether the first of them rounds up.
struct Truncated {
  std::string text;
  bool round_away = false;
};

std::optional<Truncated> truncate_to_grid(std::string_view text) {
  const auto point = text.find('.');
  if (point == std::string_view::npos) return std::nullopt;
  const std::size_t keep = point + 1 + kFixedDecimals;
  if (text.size() <= keep) return std::nullopt;
  for (std::size_t position = point + 1; position < text.size(); ++position) {
    if (text[position] < '0' || text[position] > '9') return std::nullopt;  // exponents etc.: parse exactly
  }
  return Truncated{std::string(text.substr(0, keep)), text[keep] >= '5'};
}

}  // namespace

Result<element> parse_document(std::string_view text, std::string_view what) {
  // One parser per thread: its buffers are reused, so parsing a stream message allocates
  // only when a message is larger than any before it.
  thread_local simdjson::dom::parser parser;
  element document;
  if (auto error = parser.parse(text.data(), text.size(), true).get(document); error != simdjson::SUCCESS) {
    return make_error(ErrorCode::kParse, fmt::format("{}: malformed JSON: {}", what, simdjson::error_message(error)));
  }
  return document;
}

element unwrap_stream_envelope(element document) {
  object root;
  if (document.get_object().get(root) != simdjson::SUCCESS) return document;
  element stream;
  element data;
  if (root["stream"].get(stream) == simdjson::SUCCESS && stream.is_string() && root["data"].get(data) == simdjson::SUCCESS) {
    return data;
  }
  return document;
}

SubscriptionReply subscription_reply_of(const FieldReader& reader) {
  SubscriptionReply reply;
  element id;
  if (reader.raw()["id"].get(id) == simdjson::SUCCESS) {
    std::string_view text;
    reply.id = id.get_string().get(text) == simdjson::SUCCESS ? std::string(text) : simdjson::minify(id);
  }
  if (reader.has("code")) {
    reply.ok = false;
    auto message = reader.string("msg");
    reply.error = message ? std::move(*message) : std::string("error without msg");
  }
  return reply;
}

Result<std::int64_t> parse_rounded_raw(std::string_view text) {
  const std::optional<Truncated> truncated = truncate_to_grid(text);
  if (!truncated) return fixed_detail::parse_raw(text);
  WINISWIN_TRY(std::int64_t raw, fixed_detail::parse_raw(truncated->text));
  if (!truncated->round_away) return raw;
  const bool negative = !text.empty() && text.front() == '-';
  std::int64_t rounded = 0;
  if (__builtin_add_overflow(raw, negative ? -1 : 1, &rounded)) {
    return make_error(ErrorCode::kParse, fmt::format("'{}' is outside the fixed-point range (±9.2e10)", text));
  }
  return rounded;
}

Error FieldReader::missing(std::string_view key, std::string_view expected) const {
  return make_error(ErrorCode::kParse, fmt::format("{}: field '{}' is missing or not {}", where_, key, expected));
}

Error FieldReader::invalid(std::string_view key, std::string_view why) const {
  return make_error(ErrorCode::kParse, fmt::format("{}: field '{}': {}", where_, key, why));
}

bool FieldReader::has(std::string_view key) const {
  element value;
  return object_[key].get(value) == simdjson::SUCCESS && !value.is_null();
}

Result<std::string_view> FieldReader::string_view(std::string_view key) const {
  std::string_view value;
  if (object_[key].get_string().get(value) != simdjson::SUCCESS) return missing(key, "a string");
  return value;
}

Result<std::string> FieldReader::string(std::string_view key) const {
  WINISWIN_TRY(const std::string_view value, string_view(key));
  return std::string(value);
}

Result<std::int64_t> FieldReader::integer(std::string_view key) const {
  std::int64_t value = 0;
  if (object_[key].get_int64().get(value) != simdjson::SUCCESS) return missing(key, "an integer");
  return value;
}

Result<bool> FieldReader::boolean(std::string_view key) const {
  bool value = false;
  if (object_[key].get_bool().get(value) != simdjson::SUCCESS) return missing(key, "a boolean");
  return value;
}

Result<Timestamp> FieldReader::timestamp(std::string_view key) const {
  std::int64_t value = 0;
  if (object_[key].get_int64().get(value) != simdjson::SUCCESS) return missing(key, "a time in milliseconds");
  return timestamp_from_ms(value);
}

Result<std::optional<std::int64_t>> FieldReader::optional_id(std::string_view key) const {
  if (!has(key)) return std::optional<std::int64_t>{};
  std::int64_t number = 0;
  if (object_[key].get_int64().get(number) == simdjson::SUCCESS) {
    return number == 0 ? std::optional<std::int64_t>{} : std::optional<std::int64_t>{number};
  }
  std::string_view text;
  if (object_[key].get_string().get(text) != simdjson::SUCCESS) return missing(key, "an id (number or numeric string)");
  if (text.empty()) return std::optional<std::int64_t>{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || number < 0) {
    return invalid(key, fmt::format("'{}' is not an id", text));
  }
  return number == 0 ? std::optional<std::int64_t>{} : std::optional<std::int64_t>{number};
}

Result<FieldReader> FieldReader::child(std::string_view key) const {
  object value;
  if (object_[key].get_object().get(value) != simdjson::SUCCESS) return missing(key, "an object");
  return FieldReader(value, fmt::format("{}.{}", where_, key));
}

Result<array> FieldReader::array_field(std::string_view key) const {
  array value;
  if (object_[key].get_array().get(value) != simdjson::SUCCESS) return missing(key, "an array");
  return value;
}

Result<element> FieldReader::value(std::string_view key) const {
  element found;
  if (object_[key].get(found) != simdjson::SUCCESS || found.is_null()) return missing(key, "present");
  return found;
}

Result<FieldReader> root_object(element document, std::string where) {
  object value;
  if (document.get_object().get(value) != simdjson::SUCCESS) {
    return make_error(ErrorCode::kParse, fmt::format("{}: expected a JSON object", where));
  }
  return FieldReader(value, std::move(where));
}

}  // namespace winiswin::binance::json
