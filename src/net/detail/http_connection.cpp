#include "net/detail/http_connection.h"

#include <exception>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "net/detail/websocket_session_impl.h"

namespace winiswin::net::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr int kBadRequest = 400;
constexpr int kNotFound = 404;
constexpr int kPayloadTooLarge = 413;
constexpr int kHeaderFieldsTooLarge = 431;
constexpr int kInternalServerError = 500;

HttpResponse plain_text(int status, std::string text) {
  HttpResponse response(status, {}, std::move(text));
  response.headers.set("Content-Type", "text/plain");
  return response;
}

HttpServerRequest to_server_request(const BeastRequest& request, const std::string& peer) {
  return HttpServerRequest{std::string(request.method_string()), std::string(request.target()),
                           to_headers(request), request.body(), peer};
}

// A parse error worth answering; nullopt for a peer that went away or a timeout.
std::optional<HttpResponse> answer_for_read_error(const boost::system::error_code& error) {
  if (error == http::error::body_limit) return plain_text(kPayloadTooLarge, "request body too large\n");
  if (error == http::error::header_limit) return plain_text(kHeaderFieldsTooLarge, "request header too large\n");
  if (error == http::error::end_of_stream || error == http::error::partial_message) return std::nullopt;
  if (error.category() == http::make_error_code(http::error::bad_target).category()) {
    return plain_text(kBadRequest, "malformed request: " + error.message() + "\n");
  }
  return std::nullopt;
}

}  // namespace

HttpConnection::HttpConnection(std::shared_ptr<ServerState> state, asio::ip::tcp::socket socket)
    : state_(std::move(state)), stream_(std::move(socket)) {
  boost::system::error_code ignored;
  peer_ = format_peer(stream_.socket().remote_endpoint(ignored));
}

void HttpConnection::start() {
  if (!state_->adopt(shared_from_this())) {
    close();
    return;
  }
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

void HttpConnection::shut_down() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
}

void HttpConnection::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.close();
  state_->release(this);
}

void HttpConnection::read_request() {
  if (closed_) return;
  parser_.emplace();
  parser_->body_limit(state_->options.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
  stream_.expires_after(state_->options.idle_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                     self->on_read(error);
                   });
}

void HttpConnection::on_read(const boost::system::error_code& error) {
  if (closed_) return;
  if (error) {
    auto error_answer = answer_for_read_error(error);
    if (error_answer) {
      write(std::move(*error_answer), false);
    } else {
      close();
    }
    return;
  }
  BeastRequest request = parser_->release();
  if (beast::websocket::is_upgrade(request)) {
    upgrade_to_websocket(std::move(request));
    return;
  }
  answer(request);
}

void HttpConnection::answer(const BeastRequest& request) {
  std::optional<HttpResponse> response;
  try {
    response = state_->handler(to_server_request(request, peer_));
  } catch (const std::exception& failure) {
    response = plain_text(kInternalServerError, std::string("handler failed: ") + failure.what() + "\n");
  }
  if (!response) {
    withhold_answer();
    return;
  }
  write(std::move(*response), request.keep_alive());
}

void HttpConnection::upgrade_to_websocket(BeastRequest request) {
  const std::string target(request.target());
  const auto path = std::string_view(target).substr(0, target.find('?'));
  const WebSocketHandler* route = state_->find_websocket_route(path);
  if (route == nullptr) {
    write(plain_text(kNotFound, "no WebSocket route for " + std::string(path) + "\n"), false);
    return;
  }
  // The socket moves to the session; this connection's part is over.
  HttpServerRequest upgrade = to_server_request(request, peer_);
  auto session = std::make_shared<WebSocketSessionImpl>(state_, std::move(stream_), peer_, target);
  session->accept(std::move(request), *route, std::move(upgrade));
  closed_ = true;
  state_->release(this);
}

void HttpConnection::withhold_answer() {
  // Keep the connection open and answer nothing; wait only to notice the client leaving.
  stream_.expires_never();
  stream_.async_read_some(asio::buffer(discard_),
                          [self = shared_from_this()](const boost::system::error_code&, std::size_t) {
                            self->close();
                          });
}

void HttpConnection::write(HttpResponse response, bool keep_alive) {
  response_ = to_beast_response(response, keep_alive);
  stream_.expires_after(state_->options.idle_timeout);
  http::async_write(stream_, response_,
                    [self = shared_from_this(), keep_alive](const boost::system::error_code& error, std::size_t) {
                      if (error || !keep_alive) {
                        self->close();
                        return;
                      }
                      self->read_request();
                    });
}

}  // namespace winiswin::net::detail
