// A small JSON writer for HTTP answers: the loopback venue's answers and stream messages, the
// ops API's JSON (it lives in net/ so that ops need not depend on the venue).
//
// Why our own: every answer is built field by field in Binance's key order, and money must
// be written as the exact decimal strings Binance sends ("0.00100000" style values come
// from Price/Quantity/Notional::to_string, never from a double). A writer that places the
// commas and escapes strings is all that needs; a DOM library would add a copy.
// Use: w.begin_object().field("code", -1121).field("msg", "Invalid symbol.").end_object();
// then take(). Nesting: key("P").begin_array() … end_array(). The caller keeps the calls
// balanced (a programming error otherwise, caught by the tests).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/fixed_point.h"

namespace winiswin::net {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);  // a JSON string, escaped
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(bool flag);
  // A double in its shortest exact form (fmt's "{}"); NaN and infinities as null (JSON has none).
  JsonWriter& value(double number);
  // Exact decimals as strings, as Binance writes money: "117100.5".
  template <typename Tag>
  JsonWriter& value(Fixed<Tag> decimal) {
    return value(std::string_view(decimal.to_string()));
  }
  JsonWriter& null();
  // Already-serialised JSON (a nested message), inserted as is.
  JsonWriter& raw(std::string_view json);

  template <typename T>
  JsonWriter& field(std::string_view name, const T& field_value) {
    key(name);
    return value(field_value);
  }

  [[nodiscard]] const std::string& str() const { return out_; }
  [[nodiscard]] std::string take() { return std::move(out_); }

 private:
  void separate();  // the comma before a value or key, where one is due
  std::string out_;
  std::vector<bool> first_in_scope_;
  bool after_key_ = false;
};

// `text` as a quoted, escaped JSON string.
std::string json_string(std::string_view text);

}  // namespace winiswin::net
