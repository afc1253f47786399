// URLs the network layer accepts: http, https, ws and wss, nothing else.
//
// `parse_url` splits "wss://fstream.binance.com/market/stream?streams=btcusdt@kline_5m" into
// the endpoint to connect to (scheme, host, port — the scheme's default when absent) and the
// request target (path and query, passed on byte for byte: Binance signs the query string,
// so it must reach the server exactly as the caller wrote it). User info, fragments and
// anything that is not a plain host name, IPv4 address or bracketed IPv6 address are refused
// with a kInvalidArgument error that names the URL and what is wrong with it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace winiswin::net {

enum class Scheme { kHttp, kHttps, kWs, kWss };

// "http", "https", "ws", "wss".
std::string_view scheme_name(Scheme scheme);
// True for https and wss: the connection is TLS.
bool is_tls(Scheme scheme);
// 80 for http/ws, 443 for https/wss.
std::uint16_t default_port(Scheme scheme);

// Where to connect: one pool key of the HTTP client.
struct Endpoint {
  Scheme scheme = Scheme::kHttp;
  std::string host;  // as written, without brackets for IPv6 ("::1")
  std::uint16_t port = 0;

  // "https://fapi.binance.com:443": for messages and pool keys.
  [[nodiscard]] std::string to_string() const;
  // The Host header value: the host, plus ":port" when the port is not the default.
  [[nodiscard]] std::string host_header() const;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

struct Url {
  Endpoint endpoint;
  std::string target;  // path and query as written; "/" when the URL has no path
};

Result<Url> parse_url(std::string_view text);

}  // namespace winiswin::net
