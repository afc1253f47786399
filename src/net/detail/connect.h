// Opening a client connection with a deadline: resolve, TCP connect, and for TLS the
// handshake with SNI and certificate verification. Shared by the HTTP and WebSocket clients.
// Every failure here happens before a byte of the request is sent, hence ErrorCode::kIo.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "core/error.h"
#include "net/detail/run_until.h"
#include "net/tls_options.h"
#include "net/url.h"

namespace winiswin::net::detail {

using Tcp = boost::asio::ip::tcp;
using TlsStream = boost::asio::ssl::stream<Tcp::socket>;

// A client TLS context trusting the system store plus `options.extra_ca_pem`.
Result<std::shared_ptr<boost::asio::ssl::context>> make_client_tls_context(const TlsOptions& options);

// Resolves `endpoint` and connects `socket` (TCP_NODELAY set: requests are small and latency
// matters more than packet count).
Status connect_tcp(boost::asio::io_context& io, Tcp::socket& socket, const Endpoint& endpoint, Deadline deadline);

// SNI (for host names, not IP literals), host-name verification, handshake.
Status tls_handshake(boost::asio::io_context& io, TlsStream& stream, const std::string& host, bool verify_peer,
                     Deadline deadline);

// "Connection refused" (Asio's message) prefixed with what was being done.
Error io_error(const std::string& what, const boost::system::error_code& error);

}  // namespace winiswin::net::detail
