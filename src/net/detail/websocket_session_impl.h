// The server side of one WebSocket connection (see websocket_session.h for the contract).
// Every member below the mutex is touched only on the connection's strand.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "net/detail/beast_messages.h"
#include "net/detail/server_state.h"

namespace winiswin::net::detail {

class WebSocketSessionImpl : public LiveConnection, public std::enable_shared_from_this<WebSocketSessionImpl> {
 public:
  WebSocketSessionImpl(std::shared_ptr<ServerState> state, boost::beast::tcp_stream stream, std::string peer,
                       std::string target);
  // Completes the handshake for `request`, then lets `route` set up the session.
  void accept(BeastRequest request, const WebSocketHandler& route, HttpServerRequest upgrade);

  void send(std::string text);
  void ping();
  void close();
  void stall();
  void drop();
  void shut_down() override { drop(); }

  [[nodiscard]] bool is_open() const { return open_.load(std::memory_order_acquire); }
  [[nodiscard]] std::uint64_t pongs_received() const { return pongs_.load(std::memory_order_relaxed); }
  [[nodiscard]] const std::string& target() const { return target_; }
  [[nodiscard]] const std::string& peer() const { return peer_; }

 private:
  enum class Phase { kHandshake, kOpen, kClosing, kStalled, kEnded };

  // Posts `action` to the strand unless the session has ended (then nothing is queued, so no
  // work can outlive the server's I/O threads).
  template <typename Action>
  void post_unless_ended(Action action);
  void on_accepted(const boost::system::error_code& error, const WebSocketHandler& route,
                   const HttpServerRequest& upgrade);
  void read_next();
  void on_read(const boost::system::error_code& error);
  void write_next();
  void on_written(const boost::system::error_code& error);
  void start_close_if_due();
  void end();

  std::shared_ptr<ServerState> state_;  // first: keeps the io_context alive for ws_
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  const boost::asio::any_io_executor executor_;  // the connection's strand
  const std::string peer_;
  const std::string target_;
  std::atomic<bool> open_{false};
  std::atomic<std::uint64_t> pongs_{0};

  std::mutex mutex_;    // guards ended_ against posts from other threads
  bool ended_ = false;

  Phase phase_ = Phase::kHandshake;
  BeastRequest upgrade_request_;  // kept alive during the handshake
  boost::beast::flat_buffer read_buffer_;
  std::deque<std::string> outbox_;
  bool writing_ = false;
  bool close_requested_ = false;  // close once the outbox is written
  bool control_frame_pending_ = false;  // Beast allows one ping or close in flight
  bool close_started_ = false;          // our close frame is on its way: no new reads
  WebSocketCallbacks callbacks_;
};

}  // namespace winiswin::net::detail
