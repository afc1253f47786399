#include "net/detail/client_connection.h"

#include <poll.h>

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace winiswin::net::detail {
namespace asio = boost::asio;

namespace {
constexpr std::size_t kMaxResponseHeaderBytes = 64 * 1024;
}  // namespace

Result<std::unique_ptr<ClientConnection>> ClientConnection::open(
    const Endpoint& endpoint, const std::shared_ptr<asio::ssl::context>& tls_context, bool verify_peer,
    Deadline deadline) {
  std::unique_ptr<ClientConnection> connection(new ClientConnection());
  asio::io_context& io = connection->io_;
  if (!is_tls(endpoint.scheme)) {
    connection->plain_.emplace(io);
    const Status connected = connect_tcp(io, *connection->plain_, endpoint, deadline);
    if (!connected.ok()) return connected.error();
    return connection;
  }
  connection->tls_context_ = tls_context;
  connection->tls_.emplace(io, *tls_context);
  const Status connected = connect_tcp(io, connection->tls_->next_layer(), endpoint, deadline);
  if (!connected.ok()) return connected.error();
  const Status handshaken = tls_handshake(io, *connection->tls_, endpoint.host, verify_peer, deadline);
  if (!handshaken.ok()) return handshaken.error();
  return connection;
}

Tcp::socket& ClientConnection::socket() { return plain_ ? *plain_ : tls_->next_layer(); }

void ClientConnection::close() {
  boost::system::error_code ignored;
  socket().close(ignored);
  reusable_ = false;
}

bool ClientConnection::looks_alive() {
  if (!socket().is_open() || buffer_.size() > 0) return false;
  // A zero-timeout poll: readable means the server sent a FIN (it closed the idle
  // connection), an RST, or bytes we never asked for — in every case do not reuse.
  pollfd descriptor{};
  descriptor.fd = socket().native_handle();
  descriptor.events = POLLIN;
  const int ready = ::poll(&descriptor, 1, 0);
  return ready == 0;
}

std::variant<HttpResponse, ExchangeError> ClientConnection::exchange(const BeastRequest& request,
                                                                     std::size_t max_body_bytes, Deadline deadline) {
  reusable_ = false;
  if (plain_) return exchange_on(*plain_, request, max_body_bytes, deadline);
  return exchange_on(*tls_, request, max_body_bytes, deadline);
}

template <typename Stream>
std::variant<HttpResponse, ExchangeError> ClientConnection::exchange_on(Stream& stream, const BeastRequest& request,
                                                                        std::size_t max_body_bytes,
                                                                        Deadline deadline) {
  const auto cancel = [this] { close(); };
  bool done = false;
  boost::system::error_code error;
  std::size_t bytes_written = 0;
  http::async_write(stream, request, [&](const boost::system::error_code& ec, std::size_t written) {
    error = ec;
    bytes_written = written;
    done = true;
  });
  const bool write_timed_out = run_until(io_, done, deadline, cancel);
  if (write_timed_out || error) {
    close();
    const auto failure = bytes_written == 0 ? ExchangeFailure::kNothingSent : ExchangeFailure::kMaybeReceived;
    const auto code = failure == ExchangeFailure::kNothingSent ? ErrorCode::kIo : ErrorCode::kUnknownOutcome;
    const std::string what = write_timed_out ? std::string("timed out") : error.message();
    return ExchangeError{failure, make_error(code, "sending the request: " + what)};
  }

  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body_bytes);
  parser.header_limit(static_cast<std::uint32_t>(kMaxResponseHeaderBytes));
  if (request.method() == http::verb::head) parser.skip(true);
  done = false;
  http::async_read(stream, buffer_, parser, [&](const boost::system::error_code& ec, std::size_t) {
    error = ec;
    done = true;
  });
  const bool read_timed_out = run_until(io_, done, deadline, cancel);
  if (read_timed_out || error) {
    close();
    const std::string what = read_timed_out ? std::string("timed out") : error.message();
    return ExchangeError{ExchangeFailure::kMaybeReceived,
                         make_error(ErrorCode::kUnknownOutcome,
                                    "the request was sent but no complete response came back: " + what)};
  }
  auto response = parser.release();
  reusable_ = response.keep_alive() && buffer_.size() == 0;
  if (!reusable_) close();
  return HttpResponse{static_cast<int>(response.result_int()), to_headers(response), std::move(response.body())};
}

}  // namespace winiswin::net::detail
