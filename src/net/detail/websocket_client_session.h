// The WebSocket client's connection, over plain TCP or TLS (see websocket_client.h for the
// contract). Connected on the caller's thread, then driven by the client's I/O thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "net/detail/connect.h"
#include "net/websocket_client.h"

namespace winiswin::net::detail {

// What the public client uses, whatever the transport.
class ClientSessionBase {
 public:
  static constexpr std::int64_t kNoMessageYet = INT64_MIN;

  virtual ~ClientSessionBase() = default;
  // On the caller's thread, before the I/O thread runs: TCP, TLS and the upgrade.
  virtual Status connect(const Url& url, const WebSocketClientOptions& options, Deadline deadline) = 0;
  // Starts reading (and pinging); the I/O thread then runs until the session ends.
  virtual void start() = 0;
  // From any thread.
  virtual void send(std::string text) = 0;
  virtual void ping() = 0;
  virtual void close() = 0;
  virtual void drop() = 0;

  std::atomic<bool> open{false};
  std::atomic<std::int64_t> last_message_ms{kNoMessageYet};
  std::atomic<std::uint64_t> messages{0};
  std::atomic<std::uint64_t> pings{0};
  std::atomic<std::uint64_t> pongs{0};
};

// A session over TLS when `tls_context` is given, over plain TCP otherwise.
std::unique_ptr<ClientSessionBase> make_client_session(boost::asio::io_context& io,
                                                       WebSocketClientCallbacks callbacks,
                                                       boost::asio::ssl::context* tls_context);

}  // namespace winiswin::net::detail
