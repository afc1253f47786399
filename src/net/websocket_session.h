// The server's side of one WebSocket connection, handed to a WebSocketHandler.
//
// `send` may be called from any thread; messages go out as text frames in the order of the
// calls. Incoming text frames and the end of the connection reach the callbacks the handler
// returned (see http_server.h), on a server I/O thread. After the connection has ended,
// `send` and the other actions do nothing.
//
// Fault hooks for test venues:
//   stall()  stays connected and goes silent: nothing more is sent (queued and later
//            messages are dropped), nothing is read, pings go unanswered — what Binance's
//            legacy stream URLs do since 2026-04-23.
//   drop()   closes the TCP connection without a WebSocket close frame, as a network failure
//            or a crashed server would.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace winiswin::net {

namespace detail {
class WebSocketSessionImpl;
}

class WebSocketSession {
 public:
  explicit WebSocketSession(std::shared_ptr<detail::WebSocketSessionImpl> impl);
  ~WebSocketSession();
  WebSocketSession(const WebSocketSession&) = delete;
  WebSocketSession& operator=(const WebSocketSession&) = delete;

  void send(std::string text);
  void ping();   // the client's pong shows in pongs_received()
  void close();  // a normal close handshake
  void stall();
  void drop();

  [[nodiscard]] bool is_open() const;
  [[nodiscard]] std::uint64_t pongs_received() const;
  [[nodiscard]] const std::string& target() const;  // the upgrade request's target, as received
  [[nodiscard]] const std::string& peer() const;    // "127.0.0.1:53122"

 private:
  std::shared_ptr<detail::WebSocketSessionImpl> impl_;
};

}  // namespace winiswin::net
