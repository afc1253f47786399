// What the server's connections share: the io_context, options, handlers, and the registry of
// live connections that stop() closes.
//
// Ownership: the registry holds each live connection (so a stalled WebSocket session with no
// pending operation stays connected), and each connection holds the state (so the io_context
// outlives every socket, even a session the caller keeps after the server is gone). A
// connection leaves the registry when it ends, which breaks that cycle; stop() ends them all.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/http_server.h"

namespace winiswin::net::detail {

class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  // Closes the connection at once, from any thread (posts to the connection's strand).
  virtual void shut_down() = 0;
};

class ServerState {
 public:
  ServerState(HttpServerOptions server_options, HttpHandler http_handler);

  // Registers a new connection; false (and the caller closes it) once stop has begun.
  bool adopt(const std::shared_ptr<LiveConnection>& connection);
  void release(const LiveConnection* connection);
  // Refuses new connections and shuts down every live one.
  void shut_down_all();
  // Blocks until every live connection has ended (after shut_down_all: promptly, unless a
  // handler is blocked).
  void wait_until_no_connections();
  [[nodiscard]] std::size_t live_count() const;

  // The route with the longest prefix of `path`; nullptr when none matches.
  const WebSocketHandler* find_websocket_route(std::string_view path) const;

  boost::asio::io_context io;  // first: destroyed after everything that uses it
  const HttpServerOptions options;
  const HttpHandler handler;
  std::vector<std::pair<std::string, WebSocketHandler>> websocket_routes;  // fixed once started

 private:
  mutable std::mutex mutex_;  // guards stopping_ and live_
  std::condition_variable released_;
  bool stopping_ = false;
  std::unordered_map<const LiveConnection*, std::shared_ptr<LiveConnection>> live_;
};

// "127.0.0.1:53122"
std::string format_peer(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace winiswin::net::detail
