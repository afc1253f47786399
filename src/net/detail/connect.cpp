#include "net/detail/connect.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/verify_mode.hpp>
#include <openssl/ssl.h>

namespace winiswin::net::detail {
namespace asio = boost::asio;

Error io_error(const std::string& what, const boost::system::error_code& error) {
  return make_error(ErrorCode::kIo, what + ": " + error.message());
}

Result<std::shared_ptr<asio::ssl::context>> make_client_tls_context(const TlsOptions& options) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  boost::system::error_code error;
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                           asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                           asio::ssl::context::no_tlsv1_1,
                       error);
  if (error) return io_error("TLS: setting protocol options", error);
  context->set_default_verify_paths(error);
  if (error) return io_error("TLS: loading the system trust store", error);
  if (!options.extra_ca_pem.empty()) {
    context->add_certificate_authority(asio::buffer(options.extra_ca_pem), error);
    if (error) return io_error("TLS: adding the extra trusted certificate (TlsOptions::extra_ca_pem)", error);
  }
  return context;
}

Status connect_tcp(asio::io_context& io, Tcp::socket& socket, const Endpoint& endpoint, Deadline deadline) {
  Tcp::resolver resolver(io);
  bool done = false;
  boost::system::error_code error;
  Tcp::resolver::results_type addresses;
  resolver.async_resolve(endpoint.host, std::to_string(endpoint.port),
                         [&](const boost::system::error_code& ec, Tcp::resolver::results_type results) {
                           error = ec;
                           addresses = std::move(results);
                           done = true;
                         });
  if (run_until(io, done, deadline, [&] { resolver.cancel(); })) {
    return make_error(ErrorCode::kIo, "resolving " + endpoint.to_string() + ": timed out");
  }
  if (error) return io_error("resolving " + endpoint.to_string(), error);

  done = false;
  asio::async_connect(socket, addresses, [&](const boost::system::error_code& ec, const Tcp::endpoint&) {
    error = ec;
    done = true;
  });
  if (run_until(io, done, deadline, [&] { socket.close(); })) {
    return make_error(ErrorCode::kIo, "connecting to " + endpoint.to_string() + ": timed out");
  }
  if (error) return io_error("connecting to " + endpoint.to_string(), error);
  socket.set_option(Tcp::no_delay(true), error);  // best effort: a failure only costs latency
  return Ok{};
}

Status tls_handshake(asio::io_context& io, TlsStream& stream, const std::string& host, bool verify_peer,
                     Deadline deadline) {
  boost::system::error_code error;
  asio::ip::make_address(host, error);
  const bool is_ip_literal = !error;
  // SNI carries host names only (RFC 6066); Binance's CDN needs it to choose the certificate.
  if (!is_ip_literal && SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()) != 1) {
    return make_error(ErrorCode::kIo, "TLS: cannot set SNI host name '" + host + "'");
  }
  if (verify_peer) {
    stream.set_verify_mode(asio::ssl::verify_peer);
    stream.set_verify_callback(asio::ssl::host_name_verification(host));
  } else {
    stream.set_verify_mode(asio::ssl::verify_none);
  }
  bool done = false;
  stream.async_handshake(asio::ssl::stream_base::client, [&](const boost::system::error_code& ec) {
    error = ec;
    done = true;
  });
  if (run_until(io, done, deadline, [&] { stream.lowest_layer().close(); })) {
    return make_error(ErrorCode::kIo, "TLS handshake with " + host + ": timed out");
  }
  if (error) return io_error("TLS handshake with " + host, error);
  return Ok{};
}

}  // namespace winiswin::net::detail
