// One pooled HTTP client connection: its own io_context (so calls on different threads never
// share one), the TCP socket or TLS stream, and the read buffer.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "core/error.h"
#include "net/detail/beast_messages.h"
#include "net/detail/connect.h"
#include "net/http_message.h"

namespace winiswin::net::detail {

// How far an exchange got before it failed: decides kIo against kUnknownOutcome.
enum class ExchangeFailure {
  kNothingSent,    // the write failed before any byte left: safe to retry on another connection
  kMaybeReceived,  // some or all of the request was sent: never resend
};

struct ExchangeError {
  ExchangeFailure failure;
  Error error;
};

class ClientConnection {
 public:
  // Connects to `endpoint` (TLS when its scheme says so); kIo on failure.
  static Result<std::unique_ptr<ClientConnection>> open(const Endpoint& endpoint,
                                                        const std::shared_ptr<boost::asio::ssl::context>& tls_context,
                                                        bool verify_peer, Deadline deadline);

  // One request and its response. On success, `reusable()` says whether the connection may
  // go back to the pool.
  std::variant<HttpResponse, ExchangeError> exchange(const BeastRequest& request, std::size_t max_body_bytes,
                                                     Deadline deadline);

  // Still open, nothing unread: neither a FIN nor stray bytes from the server are waiting.
  // A server that closed an idle keep-alive connection fails this check.
  [[nodiscard]] bool looks_alive();
  [[nodiscard]] bool reusable() const { return reusable_; }
  void close();

 private:
  ClientConnection() = default;
  Tcp::socket& socket();
  template <typename Stream>
  std::variant<HttpResponse, ExchangeError> exchange_on(Stream& stream, const BeastRequest& request,
                                                        std::size_t max_body_bytes, Deadline deadline);

  boost::asio::io_context io_;  // first member: destroyed after the sockets that use it
  std::shared_ptr<boost::asio::ssl::context> tls_context_;  // outlives tls_
  std::optional<Tcp::socket> plain_;
  std::optional<TlsStream> tls_;
  boost::beast::flat_buffer buffer_;
  bool reusable_ = false;
};

}  // namespace winiswin::net::detail
