// An HTTP/1.1 server with WebSocket upgrade, for the loopback venue and the ops API.
//
// Binds 127.0.0.1 by default (nothing here is meant for the open internet: no TLS, no auth);
// port 0 picks a free port, which `port()` then reports. Runs on its own I/O thread(s) and
// keeps connections alive between requests.
//
// The HTTP handler sees the request as received — the raw target (path and query, not
// decoded) and the raw body, because Binance signatures are verified over those exact bytes —
// and runs on an I/O thread: it should answer quickly (a slow handler holds up the other
// connections served by that thread). It may return nullopt to withhold the answer: the
// connection then stays open and silent until the client gives up — how a test venue makes a
// request time out ("sent, outcome unknown") without blocking a thread.
// Requests the server cannot parse get 400, bodies over the limit 413, oversized headers 431;
// a handler that throws gets 500. None of these stops the server.
//
// WebSocket upgrades are routed by the target's path: the route with the longest matching
// path prefix gets the session; no match gets 404.
//
// stop() closes the listening socket and every connection (without a close handshake), waits
// for the I/O threads, and is idempotent; the destructor calls it. Callbacks run on the I/O
// threads only, never after stop() returns. Sessions the caller still holds remain safe to
// use: their actions do nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "net/http_message.h"
#include "net/websocket_session.h"

namespace winiswin::net {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
  int io_threads = 1;  // more only when handlers are slow; each connection stays on one strand
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_websocket_message_bytes = 1024 * 1024;
  // An idle keep-alive connection, or a request that takes this long to arrive, is closed;
  // also the limit on a WebSocket opening or closing handshake. An open WebSocket has none.
  std::chrono::milliseconds idle_timeout{60'000};
};

struct HttpServerRequest {
  std::string method;  // as received: "GET", "POST" …
  std::string target;  // path and query exactly as received, not decoded
  HttpHeaders headers;
  std::string body;    // exactly as received (after chunked transfer decoding, if used)
  std::string peer;    // "127.0.0.1:53122"

  // The path part of the target (before '?').
  [[nodiscard]] std::string_view path() const;
  // The query part (after '?'), raw; empty when there is none.
  [[nodiscard]] std::string_view query() const;
};

using HttpHandler = std::function<std::optional<HttpResponse>(const HttpServerRequest&)>;

// What an accepted WebSocket session calls back, on an I/O thread.
struct WebSocketCallbacks {
  std::function<void(std::string_view text)> on_message;
  std::function<void()> on_close;  // once, when the connection has ended for any reason
};
// Called once the handshake is done; the session reads nothing until it returns.
using WebSocketHandler =
    std::function<WebSocketCallbacks(const std::shared_ptr<WebSocketSession>& session, const HttpServerRequest& upgrade)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Routes WebSocket upgrades whose path starts with `path_prefix`; call before start().
  void add_websocket_route(std::string path_prefix, WebSocketHandler handler);

  // Binds, listens and starts the I/O threads; kIo when the address cannot be bound.
  Status start();
  void stop();

  [[nodiscard]] std::uint16_t port() const;  // the bound port, after start()
  [[nodiscard]] std::uint64_t connections_accepted() const;
  // Connections open now, HTTP and WebSocket.
  [[nodiscard]] std::size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace winiswin::net
