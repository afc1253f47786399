// The loopback venue on the network: REST through the HTTP server, the replay clock, a
// withheld answer the client sees as a timeout, and a clean stop.
#include "venue/loopback/loopback_server.h"

#include <gtest/gtest.h>

#include <thread>

#include "net/http_client.h"
#include "venue/binance/rest_market.h"
#include "venue/loopback/loopback_support.h"

namespace winiswin::loopback::test {
namespace {

class LoopbackServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LoopbackServerConfig config;
    config.speed = 600.0;  // ten market minutes a second
    config.tick = Milliseconds{10};
    server_ = std::make_unique<LoopbackServer>(make_exchange(), config);
    ASSERT_TRUE(server_->start().ok());
  }
  net::Endpoint endpoint() const { return net::Endpoint{net::Scheme::kHttp, "127.0.0.1", server_->port()}; }
  Timestamp server_time() {
    net::HttpRequest request;
    request.target = "/fapi/v1/time";
    const auto response = http_.send(endpoint(), request);
    EXPECT_TRUE(response.ok());
    return binance::parse_server_time(response->body).value();
  }

  std::unique_ptr<LoopbackServer> server_;
  net::HttpClient http_;
};

TEST_F(LoopbackServerTest, RestRequestsReachTheExchangeAndItsClockRunsFasterThanTheWall) {
  net::HttpRequest request;
  request.target = "/fapi/v1/klines?symbol=TESTUSDT&interval=5m&limit=3";
  const auto klines = http_.send(endpoint(), request);
  ASSERT_TRUE(klines.ok());
  EXPECT_EQ(klines->status, 200);
  EXPECT_TRUE(klines->headers.contains("X-MBX-USED-WEIGHT-1M"));
  EXPECT_EQ(binance::parse_klines(klines->body).value().size(), 3u);
  const Timestamp before = server_time();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const Milliseconds moved = server_time() - before;
  EXPECT_GE(moved, Milliseconds{60'000}) << moved.count();  // ≥ 100 ms of wall time × 600
}

TEST_F(LoopbackServerTest, AWithheldAnswerIsATimeoutForTheClient) {
  FaultConfig faults;
  faults.lose_answer_for = {"lost-1"};
  faults.lost_answer = LostAnswer::kNoAnswer;
  server_->exchange().set_faults(faults);
  net::HttpRequest request = [&] {
    const HttpRequest signed_request =
        signed_query("POST", "/fapi/v1/order", "symbol=TESTUSDT&side=BUY&type=MARKET&quantity=1&newClientOrderId=lost-1",
                     server_->exchange().now());
    net::HttpRequest out;
    out.method = signed_request.method;
    out.target = signed_request.target;
    for (const HttpHeader& header : signed_request.headers) out.headers.add(header.name, header.value);
    out.timeout = std::chrono::milliseconds(300);
    return out;
  }();
  const auto answer = http_.send(endpoint(), request);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kUnknownOutcome);
}

TEST_F(LoopbackServerTest, StopsCleanlyWithConnectionsOpen) {
  (void)server_time();  // a kept-alive connection stays open
  server_->stop();
  server_->stop();  // idempotent
  net::HttpRequest request;
  request.target = "/fapi/v1/time";
  request.timeout = std::chrono::milliseconds(300);
  EXPECT_FALSE(http_.send(endpoint(), request).ok());
}

}  // namespace
}  // namespace winiswin::loopback::test
