// A blocking HTTP/1.1 client with a keep-alive connection pool per endpoint (http, https).
//
// Contract (the Venue threading contract: one decision thread making blocking calls):
// `send` blocks the calling thread for one round trip and returns either a response — any
// status, 4xx and 5xx included, for the caller to interpret — or an error whose code says
// what the server may have seen:
//   kIo              nothing was sent: the endpoint could not be resolved or connected, or
//                    the TLS handshake failed. Safe to retry.
//   kUnknownOutcome  the request was (or may have been) sent, and no complete response came
//                    back: timeout, connection reset, connection closed mid-response. For an
//                    order this means "query by client id before anything else".
//   kInvalidArgument the request itself cannot be sent (bad method, target or header).
//
// Why a request is never resent after it may have reached the server: a resent order can be
// executed twice. The pool therefore checks an idle connection before reusing it (a server
// that closed an idle keep-alive connection has sent us its FIN) and opens a fresh one if it
// is gone — that is the only transparent retry. If the server closes the connection in the
// instant between that check and our write, the caller gets kUnknownOutcome; a caller whose
// request is harmless to repeat (a GET of market data) may simply retry.
//
// `send` may be called from several threads at once; each call uses its own connection.
// No background thread exists: I/O runs on the calling thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.h"
#include "net/http_message.h"
#include "net/tls_options.h"
#include "net/url.h"

namespace winiswin::net {

struct HttpClientOptions {
  std::chrono::milliseconds default_timeout{10'000};  // whole round trip, when a request gives none
  std::size_t max_idle_connections_per_endpoint = 4;
  std::size_t max_response_body_bytes = 64 * 1024 * 1024;  // exchangeInfo is a few MB
  std::string user_agent = "winiswin";
  TlsOptions tls;
};

// A request target as the client's error messages name it: the path's first
// kNamedPathSegments segments, "/…" for the rest, and no query. Errors are logged and
// travel up to callers that log them again, and a URL can carry a secret: Discord's webhook
// puts its token in the last path segment (/api/webhooks/ID/TOKEN), Binance's signed calls
// put the signature and the parameters in the query. Three segments still name every
// Binance call (/fapi/v1/order) and the start of Discord's (/api/v10/channels/…), which
// with the method and scheme://host:port is enough to tell which request failed. Callers
// that know their URLs (notify's DiscordDelivery::redact) scrub too; this is the floor.
inline constexpr std::size_t kNamedPathSegments = 3;
std::string target_for_errors(std::string_view target);

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One round trip to `endpoint` (scheme http or https). See the contract above.
  Result<HttpResponse> send(const Endpoint& endpoint, const HttpRequest& request);
  // Convenience: a GET of a full URL.
  Result<HttpResponse> get(std::string_view url);

  // Connections opened since construction (each TCP connect counts once): keep-alive reuse
  // shows as requests outnumbering connections. For tests and metrics.
  [[nodiscard]] std::uint64_t connections_opened() const;
  // Closes every idle pooled connection (e.g. before a long pause).
  void close_idle_connections();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace winiswin::net
