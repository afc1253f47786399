// Query strings as Binance's official Node connector builds them (spec/signing.md, "Exactly
// how the two reference clients build the string"): `key=encodeURIComponent(value)` joined
// by '&' in insertion order; for a signed request `recvWindow` (when given) and `timestamp`
// are appended, the signature is computed over the result (plus the body, empty here: the
// connector sends every parameter in the query), and `signature` is appended last.
//
// Values are formatted from our exact types (Price::to_string() is the shortest exact
// decimal, "9000", "0.0001"): no double is involved anywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/fixed_point.h"
#include "core/time.h"

namespace winiswin::binance {

class RequestSigner;

// JavaScript's encodeURIComponent: every byte except A–Z a–z 0–9 - _ . ! ~ * ' ( ) becomes
// %XX (uppercase hex). Bytes are taken as they are (UTF-8 text stays UTF-8).
std::string percent_encode(std::string_view value);
// The inverse, for tests and the fuzzer; fails on a '%' not followed by two hex digits.
Result<std::string> percent_decode(std::string_view value);

// An ordered parameter list. Keys are Binance's parameter names (plain ASCII, sent as is).
class QueryParams {
 public:
  QueryParams& add(std::string key, std::string value);
  QueryParams& add(std::string key, std::int64_t value);
  QueryParams& add_bool(std::string key, bool value);  // "true" / "false", as Binance wants them
  template <typename Tag>
  QueryParams& add(std::string key, Fixed<Tag> value) {
    return add(std::move(key), value.to_string());
  }

  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }
  // The value of `key`, if it was added (the first one).
  [[nodiscard]] std::optional<std::string_view> find(std::string_view key) const;
  // "symbol=BTCUSDT&side=BUY…" (empty when there are no parameters).
  [[nodiscard]] std::string encode() const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

// When the request was made and how long Binance may take to receive it (spec/signing.md:
// accepted while timestamp < serverTime + 1000 and serverTime − timestamp ≤ recvWindow).
struct RequestTime {
  Timestamp timestamp;
  std::optional<Milliseconds> recv_window;  // absent: Binance's default, 5000 ms
};

// The full query of a SIGNED request: params, then recvWindow, timestamp and signature.
Result<std::string> signed_query(const QueryParams& params, const RequestTime& time, const RequestSigner& signer);

}  // namespace winiswin::binance
