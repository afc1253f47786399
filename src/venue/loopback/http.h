// The loopback venue's view of HTTP: one request in, one response out, as plain values with
// no dependency on any network library, so the transport (src/net) can copy its own request
// into this shape and back.
//
// Contract for the transport:
// - `target` is the path and query exactly as received (not decoded) and `body` the raw
//   body: Binance signatures are verified over those bytes.
// - `delay` asks the transport to wait that long before sending the response (fault
//   injection: added latency). `withhold` asks it not to answer at all and to leave the
//   connection silent until the client gives up (a request that times out: sent, outcome
//   unknown); the response's other fields then only describe what happened.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace winiswin::loopback {

struct HttpHeader {
  std::string name;
  std::string value;
};

// The first value of `name` (case-insensitive, as HTTP field names are), if any.
std::optional<std::string_view> find_header(const std::vector<HttpHeader>& headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";  // "/fapi/v1/order?symbol=BTCUSDT&…", raw
  std::vector<HttpHeader> headers;
  std::string body;  // raw

  [[nodiscard]] std::string_view path() const;   // before '?'
  [[nodiscard]] std::string_view query() const;  // after '?', raw; empty when there is none
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
};

struct HttpResponse {
  int status = 200;
  std::vector<HttpHeader> headers;  // Content-Type: application/json is always among them
  std::string body;
  Milliseconds delay{0};  // wait this long before answering
  bool withhold = false;  // never answer

  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
  void set_header(std::string name, std::string value);
};

}  // namespace winiswin::loopback
