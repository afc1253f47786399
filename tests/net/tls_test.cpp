// HTTPS against a loopback TLS server whose self-signed certificate the test makes with
// OpenSSL: verification, host-name checking and SNI, with no internet.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <mutex>
#include <thread>

#include "net/http_client.h"

namespace winiswin::net {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

struct Credentials {
  std::string certificate_pem;
  std::string key_pem;
};

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// A self-signed P-256 certificate for `dns_name` (and 127.0.0.1), valid for a day.
Credentials make_self_signed(const std::string& dns_name) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(X509_new(), X509_free);
  X509_set_version(certificate.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 24 * 3600);
  X509_set_pubkey(certificate.get(), key.get());
  X509_NAME* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(dns_name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(certificate.get(), name);
  const std::string alt_names = "DNS:" + dns_name + ",IP:127.0.0.1";
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, alt_names.c_str());
  X509_add_ext(certificate.get(), extension, -1);
  X509_EXTENSION_free(extension);
  X509_sign(certificate.get(), key.get(), EVP_sha256());

  std::unique_ptr<BIO, decltype(&BIO_free)> certificate_bio(BIO_new(BIO_s_mem()), BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> key_bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(certificate_bio.get(), certificate.get());
  PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return Credentials{bio_text(certificate_bio.get()), bio_text(key_bio.get())};
}

// Serves HTTPS on 127.0.0.1 with one thread, one connection at a time; answers every request
// with "tls ok" and records the SNI name the client sent.
class TlsServer {
 public:
  explicit TlsServer(const Credentials& credentials) : context_(asio::ssl::context::tls_server) {
    context_.use_certificate_chain(asio::buffer(credentials.certificate_pem));
    context_.use_private_key(asio::buffer(credentials.key_pem), asio::ssl::context::pem);
    acceptor_.open(asio::ip::tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    thread_ = std::thread([this] { serve(); });
  }
  ~TlsServer() {
    stopping_ = true;
    boost::system::error_code ignored;
    asio::ip::tcp::socket wake(io_);
    wake.connect(acceptor_.local_endpoint(), ignored);  // unblocks accept()
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string sni() {
    const std::lock_guard lock(mutex_);
    return sni_;
  }
  int handshakes() const { return handshakes_.load(); }

 private:
  void serve() {
    while (!stopping_) {
      boost::system::error_code error;
      asio::ssl::stream<asio::ip::tcp::socket> stream(acceptor_.accept(error), context_);
      if (error || stopping_) continue;
      stream.handshake(asio::ssl::stream_base::server, error);
      if (error) continue;  // a client that refused our certificate
      handshakes_.fetch_add(1);
      if (const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name)) {
        const std::lock_guard lock(mutex_);
        sni_ = name;
      }
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      for (;;) {
        http::read(stream, buffer, request, error);
        if (error) break;
        http::response<http::string_body> response{http::status::ok, 11};
        response.body() = "tls ok";
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        http::write(stream, response, error);
        if (error) break;
        request = {};
      }
    }
  }

  asio::io_context io_;
  asio::ssl::context context_;
  asio::ip::tcp::acceptor acceptor_{io_};
  std::atomic<bool> stopping_{false};
  std::atomic<int> handshakes_{0};
  std::mutex mutex_;
  std::string sni_;
  std::thread thread_;
};

HttpRequest get(std::string target) {
  HttpRequest request;
  request.target = std::move(target);
  request.timeout = std::chrono::milliseconds(5'000);
  return request;
}

TEST(HttpTls, TrustedCertificateSniAndKeepAlive) {
  const Credentials credentials = make_self_signed("localhost");
  TlsServer server(credentials);
  HttpClientOptions options;
  options.tls.extra_ca_pem = credentials.certificate_pem;
  HttpClient client(options);
  const Endpoint endpoint{Scheme::kHttps, "localhost", server.port()};
  for (int request_idx = 0; request_idx < 3; ++request_idx) {
    const auto response = client.send(endpoint, get("/fapi/v1/time"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "tls ok");
  }
  EXPECT_EQ(server.sni(), "localhost");
  EXPECT_EQ(client.connections_opened(), 1U);
  EXPECT_EQ(server.handshakes(), 1);
}

TEST(HttpTls, IpAddressInTheCertificateNeedsNoSni) {
  const Credentials credentials = make_self_signed("localhost");
  TlsServer server(credentials);
  HttpClientOptions options;
  options.tls.extra_ca_pem = credentials.certificate_pem;
  HttpClient client(options);
  const auto response = client.send(Endpoint{Scheme::kHttps, "127.0.0.1", server.port()}, get("/"));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(server.sni(), "");
}

TEST(HttpTls, UntrustedCertificateIsAnIoErrorWithNothingSent) {
  const Credentials credentials = make_self_signed("localhost");
  TlsServer server(credentials);
  HttpClient client;  // the system store only
  const auto response = client.send(Endpoint{Scheme::kHttps, "localhost", server.port()}, get("/order"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kIo);
  EXPECT_NE(response.error().message.find("TLS handshake"), std::string::npos) << response.error().message;
}

TEST(HttpTls, CertificateForAnotherHostIsRefused) {
  const Credentials credentials = make_self_signed("fapi.example.invalid");
  TlsServer server(credentials);
  HttpClientOptions options;
  options.tls.extra_ca_pem = credentials.certificate_pem;
  HttpClient client(options);
  const auto response = client.send(Endpoint{Scheme::kHttps, "localhost", server.port()}, get("/"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kIo) << response.error().message;
}

}  // namespace
}  // namespace winiswin::net
