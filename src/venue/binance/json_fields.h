// Detail of the Binance codec (not a public header: it includes simdjson). Reads the
// fields of one JSON object and turns absence and type errors into messages that name
// where the field lives, e.g. "ORDER_TRADE_UPDATE.o: field 'L' is missing or not a decimal
// string" or "exchangeInfo.json: XUSDT PRICE_FILTER: field 'tickSize' …".
//
// Conventions of Binance's JSON (spec/rest.md "General rules"): decimals are strings
// ("0.00100000"), ids and times are numbers, booleans are booleans. A JSON null counts as
// absent (Binance sends "sp":null, "AP":null on liquidation orders). Nothing here throws:
// every simdjson access goes through its error-code API.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/error.h"
#include "core/fixed_point.h"
#include "core/time.h"
#include "venue/binance/stream_message.h"

namespace winiswin::binance::json {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Parses `text` with this thread's parser. The element stays valid until this thread's next
// call: convert it to our types before parsing anything else.
Result<element> parse_document(std::string_view text, std::string_view what);

// A combined-stream message {"stream": "...", "data": {...}} unwrapped to its data; any
// other document is returned as is.
element unwrap_stream_envelope(element document);

// {"result": …, "id": …} or {"code": …, "msg": …, "id": …}: a reply to a stream request.
class FieldReader;
SubscriptionReply subscription_reply_of(const FieldReader& reader);

// Decimal text with more than 8 decimals rounded to the nearest 1e-8 (half away from zero),
// for values Binance computes rather than copies (average and entry prices, PnL), which it
// does not promise to print on our grid. Everything else parses exactly or fails.
Result<std::int64_t> parse_rounded_raw(std::string_view text);

class FieldReader {
 public:
  FieldReader(object value, std::string where) : object_(value), where_(std::move(where)) {}

  [[nodiscard]] const std::string& where() const { return where_; }
  [[nodiscard]] object raw() const { return object_; }

  [[nodiscard]] Error missing(std::string_view key, std::string_view expected) const;
  [[nodiscard]] Error invalid(std::string_view key, std::string_view why) const;

  // Present and not null.
  [[nodiscard]] bool has(std::string_view key) const;

  [[nodiscard]] Result<std::string> string(std::string_view key) const;
  [[nodiscard]] Result<std::string_view> string_view(std::string_view key) const;
  [[nodiscard]] Result<std::int64_t> integer(std::string_view key) const;
  [[nodiscard]] Result<bool> boolean(std::string_view key) const;
  [[nodiscard]] Result<Timestamp> timestamp(std::string_view key) const;
  // An id Binance prints either as a number or as a numeric string; "" and 0 mean none yet
  // (ALGO_UPDATE's "ai":"", actualOrderId:"").
  [[nodiscard]] Result<std::optional<std::int64_t>> optional_id(std::string_view key) const;
  [[nodiscard]] Result<FieldReader> child(std::string_view key) const;
  [[nodiscard]] Result<array> array_field(std::string_view key) const;
  // The value of `key` whatever its type (absent or null: an error).
  [[nodiscard]] Result<element> value(std::string_view key) const;

  // A decimal string parsed exactly.
  template <typename T>
  [[nodiscard]] Result<T> decimal(std::string_view key) const {
    auto text = string_view(key);
    if (!text) return missing(key, "a decimal string");
    auto value = T::parse(*text);
    if (!value) return invalid(key, value.error().message);
    return value;
  }
  // A decimal string, rounded to 1e-8 when it has more decimals (see parse_rounded_raw).
  template <typename T>
  [[nodiscard]] Result<T> rounded_decimal(std::string_view key) const {
    auto text = string_view(key);
    if (!text) return missing(key, "a decimal string");
    auto raw = parse_rounded_raw(*text);
    if (!raw) return invalid(key, raw.error().message);
    return T::from_raw(*raw);
  }
  // Absent (or null): `fallback`; present, it must be a decimal string like a required field.
  template <typename T>
  [[nodiscard]] Result<T> optional_decimal(std::string_view key, T fallback) const {
    if (!has(key)) return fallback;
    return decimal<T>(key);
  }
  // Absent, null or "" (Binance's algo responses print "activatePrice":""): zero.
  template <typename T>
  [[nodiscard]] Result<T> decimal_or_zero(std::string_view key) const {
    if (!has(key)) return T{};
    if (auto text = string_view(key); text && text->empty()) return T{};
    return decimal<T>(key);
  }

 private:
  object object_;
  std::string where_;
};

// An enum field read through one of enum_names.h's lookups (name → optional<Enum>):
// "ORDER_TRADE_UPDATE.o: field 'X': 'PENDING' is not an order status".
template <typename Lookup>
auto enum_field(const FieldReader& reader, std::string_view key, std::string_view kind, Lookup lookup)
    -> Result<typename decltype(lookup(std::string_view{}))::value_type> {
  WINISWIN_TRY(const std::string_view name, reader.string_view(key));
  const auto value = lookup(name);
  if (!value) return reader.invalid(key, fmt::format("'{}' is not {}", name, kind));
  return *value;
}

// The object at the document's root, or an error naming what was expected.
Result<FieldReader> root_object(element document, std::string where);

// Parses every element of a JSON array with `parse(const FieldReader&) -> Result<T>`; each
// element must be an object and is named "<where>[<index>]" in errors. With `allow_single`,
// a lone object (Binance's answer when a symbol was given) counts as a one-element array.
template <typename T, typename Parse>
Result<std::vector<T>> parse_each(element document, std::string_view where, bool allow_single, Parse parse) {
  std::vector<T> out;
  array items;
  if (document.get_array().get(items) != simdjson::SUCCESS) {
    object single;
    if (!allow_single || document.get_object().get(single) != simdjson::SUCCESS) {
      return make_error(ErrorCode::kParse, fmt::format("{}: expected a JSON array{}", where, allow_single ? " or object" : ""));
    }
    WINISWIN_TRY(T value, parse(FieldReader(single, std::string(where))));
    out.push_back(std::move(value));
    return out;
  }
  std::size_t index = 0;
  for (element item : items) {
    object item_object;
    const std::string item_where = fmt::format("{}[{}]", where, index++);
    if (item.get_object().get(item_object) != simdjson::SUCCESS) {
      return make_error(ErrorCode::kParse, fmt::format("{}: expected a JSON object", item_where));
    }
    WINISWIN_TRY(T value, parse(FieldReader(item_object, item_where)));
    out.push_back(std::move(value));
  }
  return out;
}

}  // namespace winiswin::binance::json
