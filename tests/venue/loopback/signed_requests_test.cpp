// Authentication of the loopback venue: the API key header, the signature over the raw query,
// the raw body and both concatenated, and Binance's recvWindow rule.
#include <gtest/gtest.h>

#include "venue/loopback/loopback_support.h"

namespace winiswin::loopback::test {
namespace {

constexpr const char* kBalance = "/fapi/v2/balance";

TEST(SignedRequests, SignatureOverTheQueryIsAccepted) {
  auto exchange = make_exchange();
  const HttpResponse response = exchange->handle(signed_query("GET", kBalance, "", minute_time(60)));
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(str(items(Json(response.body).root()).at(0)["balance"]), "10000");
}

TEST(SignedRequests, SignatureOverTheBodyIsAccepted) {
  auto exchange = make_exchange();
  const HttpResponse response = exchange->handle(signed_body("POST", "/fapi/v1/leverage", "symbol=TESTUSDT&leverage=5", minute_time(60)));
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Json(response.body).integer("leverage"), 5);
}

TEST(SignedRequests, MixedQueryAndBodyAreSignedConcatenated) {
  auto exchange = make_exchange();
  const std::string query = "symbol=TESTUSDT";
  const std::string body = "leverage=7&timestamp=" + std::to_string(to_ms(minute_time(60)));
  const std::string signature = hmac_sha256_hex(kSecret, query + body);  // no '&' between them
  HttpRequest request{"POST", "/fapi/v1/leverage?" + query, {{"X-MBX-APIKEY", kApiKey}}, body + "&signature=" + signature};
  const HttpResponse response = exchange->handle(request);
  EXPECT_EQ(response.status, 200) << response.body;
  // Signed with an '&' inserted, the same request is refused.
  request.body = body + "&signature=" + hmac_sha256_hex(kSecret, query + "&" + body);
  EXPECT_EQ(code_of(exchange->handle(request)), -1022);
}

TEST(SignedRequests, SignatureIsCheckedOverTheBytesAsSent) {
  auto exchange = make_exchange();
  // The client signed the encoded form of its client id; decoding before checking would break it.
  const std::string query = "symbol=TESTUSDT&side=BUY&type=MARKET&quantity=0.1&newClientOrderId=a%3Ab&timestamp=" +
                            std::to_string(to_ms(minute_time(60)));
  HttpRequest request{"POST", "/fapi/v1/order?" + query + "&signature=" + hmac_sha256_hex(kSecret, query), {{"X-MBX-APIKEY", kApiKey}}, ""};
  const HttpResponse response = exchange->handle(request);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Json(response.body).string("clientOrderId"), "a:b");
}

TEST(SignedRequests, BadSignatureIs1022) {
  auto exchange = make_exchange();
  HttpRequest request = signed_query("GET", kBalance, "", minute_time(60), "another secret");
  const HttpResponse response = exchange->handle(request);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, R"({"code":-1022,"msg":"Signature for this request is not valid."})");
}

TEST(SignedRequests, KeyProblems) {
  auto exchange = make_exchange();
  HttpRequest request = signed_query("GET", kBalance, "", minute_time(60));
  request.headers.clear();
  HttpResponse response = exchange->handle(request);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(code_of(response), -2014);  // no key at all
  request.headers = {{"X-MBX-APIKEY", "not a key!"}};
  EXPECT_EQ(code_of(exchange->handle(request)), -2014);
  request.headers = {{"x-mbx-apikey", "abcdef0123"}};  // header names are case-insensitive
  response = exchange->handle(request);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(code_of(response), -2015);
}

TEST(SignedRequests, TimestampAndSignatureAreMandatory) {
  auto exchange = make_exchange();
  EXPECT_EQ(code_of(exchange->handle(HttpRequest{"GET", kBalance, {{"X-MBX-APIKEY", kApiKey}}, ""})), -1102);
  HttpRequest unsigned_request{"GET", std::string(kBalance) + "?timestamp=" + std::to_string(to_ms(minute_time(60))),
                               {{"X-MBX-APIKEY", kApiKey}}, ""};
  const HttpResponse response = exchange->handle(unsigned_request);
  EXPECT_EQ(code_of(response), -1102);
  EXPECT_NE(response.body.find("'signature'"), std::string::npos);
}

TEST(SignedRequests, RecvWindowFollowsBinancesRule) {
  auto exchange = make_exchange();
  const Timestamp server = minute_time(60);
  EXPECT_EQ(exchange->handle(signed_query("GET", kBalance, "", server - Milliseconds{5'000})).status, 200);
  EXPECT_EQ(code_of(exchange->handle(signed_query("GET", kBalance, "", server - Milliseconds{5'001}))), -1021);
  EXPECT_EQ(exchange->handle(signed_query("GET", kBalance, "recvWindow=10000", server - Milliseconds{9'000})).status, 200);
  EXPECT_EQ(exchange->handle(signed_query("GET", kBalance, "", server + Milliseconds{999})).status, 200);
  const HttpResponse ahead = exchange->handle(signed_query("GET", kBalance, "", server + Milliseconds{1'000}));
  EXPECT_EQ(code_of(ahead), -1021);
  EXPECT_NE(ahead.body.find("ahead"), std::string::npos);
  EXPECT_EQ(code_of(exchange->handle(signed_query("GET", kBalance, "recvWindow=60001", server))), -1130);
}

TEST(SignedRequests, TimestampCheckCanBeTurnedOffForWallClockClients) {
  LoopbackConfig config;
  config.timestamp_check = TimestampCheck::kOff;
  auto exchange = make_exchange(config);
  EXPECT_EQ(exchange->handle(signed_query("GET", kBalance, "", minute_time(100'000))).status, 200);
}

TEST(SignedRequests, ListenKeyNeedsTheKeyButNoSignature) {
  auto exchange = make_exchange();
  EXPECT_EQ(code_of(exchange->handle(HttpRequest{"POST", "/fapi/v1/listenKey", {}, ""})), -2014);
  const HttpResponse response = exchange->handle(HttpRequest{"POST", "/fapi/v1/listenKey", {{"X-MBX-APIKEY", kApiKey}}, ""});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(Json(response.body).string("listenKey").size(), 64u);
}

}  // namespace
}  // namespace winiswin::loopback::test
