// A WebSocket client (ws://, wss:// with SNI and certificate verification) for Binance's
// market and user-data streams and for the loopback venue's.
//
// `connect` blocks until the handshake is done (kIo when it fails: nothing connected), then a
// dedicated I/O thread delivers each text message to `on_message` with the local time of
// receipt. Pings from the server are answered automatically (Binance pings every 3 minutes
// and drops a connection that does not answer within 10); `ping_interval` adds pings of our
// own. `send` may be called from any thread; messages go out in order.
//
// Silent connections: since 2026-04-23 Binance's legacy stream URLs accept the handshake and
// then send nothing, with no error and no close. The caller runs a watchdog on
// `last_message_time()` (data messages only: pings and pongs do not count, as a silent server
// may still answer them) and reconnects after N seconds of silence.
//
// Threading: callbacks run on the I/O thread, one at a time; `on_close` runs once, when the
// connection has ended for any reason — with Ok after a close handshake (either side began
// it), with a kIo error when the connection was lost. close() and the destructor wait for the
// I/O thread; calling close() from a callback only begins the close (the thread cannot wait
// for itself), and destroying the client from its own callback is not allowed.
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
#include "core/time.h"
#include "net/http_message.h"
#include "net/tls_options.h"
#include "net/url.h"

namespace winiswin::net {

struct WebSocketClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};  // resolve, connect, TLS and upgrade together
  std::chrono::milliseconds ping_interval{0};         // 0: send no pings of our own
  std::chrono::milliseconds close_timeout{2'000};     // for the close handshake, then the socket is cut
  std::size_t max_message_bytes = 16 * 1024 * 1024;
  HttpHeaders handshake_headers;  // added to the upgrade request
  std::string user_agent = "winiswin";
  TlsOptions tls;
};

struct WebSocketClientCallbacks {
  std::function<void(std::string_view text, Timestamp received_at)> on_message;
  std::function<void(const Status& reason)> on_close;
};

class WebSocketClient {
 public:
  // `url` must be ws:// or wss://.
  static Result<std::unique_ptr<WebSocketClient>> connect(std::string_view url, WebSocketClientCallbacks callbacks,
                                                          WebSocketClientOptions options = {});
  static Result<std::unique_ptr<WebSocketClient>> connect(const Url& url, WebSocketClientCallbacks callbacks,
                                                          WebSocketClientOptions options = {});
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  void send(std::string text);  // does nothing once the connection has ended
  void ping();
  // Close handshake (at most close_timeout), then waits for the I/O thread. Idempotent.
  void close();

  [[nodiscard]] bool is_open() const;
  [[nodiscard]] Timestamp connected_at() const;
  // Local receipt time of the last data message; nullopt before the first.
  [[nodiscard]] std::optional<Timestamp> last_message_time() const;
  [[nodiscard]] std::uint64_t messages_received() const;
  [[nodiscard]] std::uint64_t pings_received() const;
  [[nodiscard]] std::uint64_t pongs_received() const;

  struct Impl;

 private:
  explicit WebSocketClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace winiswin::net
