// One accepted HTTP connection of the server: reads requests, answers them through the
// handler, keeps the connection alive, and hands WebSocket upgrades to a WebSocketSessionImpl.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include "net/detail/beast_messages.h"
#include "net/detail/server_state.h"

namespace winiswin::net::detail {

class HttpConnection : public LiveConnection, public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(std::shared_ptr<ServerState> state, boost::asio::ip::tcp::socket socket);
  // Registers with the server and reads the first request.
  void start();
  void shut_down() override;

 private:
  void read_request();
  void on_read(const boost::system::error_code& error);
  void answer(const BeastRequest& request);
  void upgrade_to_websocket(BeastRequest request);
  void withhold_answer();
  void write(HttpResponse response, bool keep_alive);
  void close();

  std::shared_ptr<ServerState> state_;  // first: keeps the io_context alive for stream_
  boost::beast::tcp_stream stream_;
  std::string peer_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  BeastResponse response_;  // kept alive while it is written
  std::array<char, 1> discard_{};
  bool closed_ = false;
};

}  // namespace winiswin::net::detail
