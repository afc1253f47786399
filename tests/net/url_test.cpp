#include "net/url.h"

#include <gtest/gtest.h>

namespace winiswin::net {
namespace {

Url parsed(std::string_view text) {
  auto url = parse_url(text);
  EXPECT_TRUE(url.ok()) << (url.ok() ? "" : url.error().message);
  return url.ok() ? *url : Url{};
}

TEST(Url, HttpsWithPathAndQueryKeepsTheTargetByteForByte) {
  const Url url = parsed("https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&signature=ab%2Fcd");
  EXPECT_EQ(url.endpoint.scheme, Scheme::kHttps);
  EXPECT_EQ(url.endpoint.host, "fapi.binance.com");
  EXPECT_EQ(url.endpoint.port, 443);
  EXPECT_EQ(url.target, "/fapi/v1/order?symbol=BTCUSDT&signature=ab%2Fcd");
}

TEST(Url, DefaultPortsFollowTheScheme) {
  EXPECT_EQ(parsed("http://example.com").endpoint.port, 80);
  EXPECT_EQ(parsed("ws://example.com").endpoint.port, 80);
  EXPECT_EQ(parsed("wss://fstream.binance.com/market/ws/btcusdt@kline_5m").endpoint.port, 443);
}

TEST(Url, ExplicitPortAndLoopback) {
  const Url url = parsed("ws://127.0.0.1:18080/private/ws?listenKey=abc");
  EXPECT_EQ(url.endpoint.scheme, Scheme::kWs);
  EXPECT_EQ(url.endpoint.host, "127.0.0.1");
  EXPECT_EQ(url.endpoint.port, 18080);
  EXPECT_EQ(url.target, "/private/ws?listenKey=abc");
}

TEST(Url, MissingPathBecomesSlash) {
  EXPECT_EQ(parsed("https://fapi.binance.com").target, "/");
  EXPECT_EQ(parsed("http://h:8080?x=1").target, "/?x=1");
}

TEST(Url, BracketedIpv6) {
  const Url url = parsed("http://[::1]:8080/ping");
  EXPECT_EQ(url.endpoint.host, "::1");
  EXPECT_EQ(url.endpoint.port, 8080);
  EXPECT_EQ(url.endpoint.host_header(), "[::1]:8080");
}

TEST(Url, HostHeaderOmitsTheDefaultPort) {
  EXPECT_EQ(parsed("https://fapi.binance.com/x").endpoint.host_header(), "fapi.binance.com");
  EXPECT_EQ(parsed("http://127.0.0.1:9000/x").endpoint.host_header(), "127.0.0.1:9000");
  EXPECT_EQ(parsed("http://127.0.0.1:9000/x").endpoint.to_string(), "http://127.0.0.1:9000");
}

TEST(Url, SchemeNamesAndTls) {
  EXPECT_TRUE(is_tls(Scheme::kWss));
  EXPECT_TRUE(is_tls(Scheme::kHttps));
  EXPECT_FALSE(is_tls(Scheme::kWs));
  EXPECT_EQ(scheme_name(Scheme::kWss), "wss");
}

void expect_invalid(std::string_view text, std::string_view expected_words) {
  const auto url = parse_url(text);
  ASSERT_FALSE(url.ok()) << text;
  EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(url.error().message.find(expected_words), std::string::npos) << url.error().message;
  EXPECT_NE(url.error().message.find(std::string(text)), std::string::npos) << "the message names the URL";
}

TEST(Url, RejectsWhatItCannotConnectTo) {
  expect_invalid("ftp://example.com/file", "unsupported scheme 'ftp'");
  expect_invalid("fapi.binance.com/fapi/v1/time", "missing '://'");
  expect_invalid("https:///fapi/v1/time", "missing host");
  expect_invalid("http://example.com:/x", "empty port");
  expect_invalid("http://example.com:0/x", "port '0'");
  expect_invalid("http://example.com:65536/x", "port '65536'");
  expect_invalid("http://example.com:80a/x", "port '80a'");
  expect_invalid("http://user:pw@example.com/", "user info");
  expect_invalid("http://example.com/a#frag", "fragments");
  expect_invalid("http://exa mple.com/", "whitespace");
  expect_invalid("http://[::1/x", "closing ']'");
  expect_invalid("http://ex%ample.com/", "invalid character in host");
  expect_invalid("", "missing '://'");
}

}  // namespace
}  // namespace winiswin::net
