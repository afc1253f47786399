// The loopback venue on the network: REST through the HTTP server, the replay clock, a
// withheld answer the client sees as a timeout, and a clean stop.
#include "venue/loopback/loopback_server.h"

#include <gtest/gtest.h>

#include <thread>

#include "net/http_client.h"
#include "venue/loopback/fault_control.h"
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
  // The connection first (kept alive): on a loaded machine a connect slower than the 300 ms
  // timeout would fail as "nothing sent", not as the withheld answer this test is about.
  (void)server_time();
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
  ASSERT_FALSE(answer.ok()) << answer->status << " " << answer->body;
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

// POST /control/faults changes the venue's faults at run time; a bad key changes nothing.
TEST_F(LoopbackServerTest, FaultsAreSetFromTheControlEndpoint) {
  net::HttpRequest control;
  control.method = "POST";
  control.target = "/control/faults";
  control.body = R"({"server_error_rate": 1, "latency_ms": 20, "lose_answer_for": ["a-1"], "lost_answer": "none"})";
  const auto set = http_.send(endpoint(), control);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->status, 200) << set->body;
  EXPECT_EQ(server_->exchange().faults().latency, Milliseconds{20});
  EXPECT_EQ(server_->exchange().faults().lost_answer, LostAnswer::kNoAnswer);
  net::HttpRequest time;
  time.target = "/fapi/v1/time";
  EXPECT_EQ(http_.send(endpoint(), time)->status, 503);  // every request now fails

  control.body = R"({"server_error_rate": 0, "latencyms": 5})";
  const auto refused = http_.send(endpoint(), control);
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->body.find("unknown key 'latencyms'"), std::string::npos) << refused->body;
  EXPECT_EQ(server_->exchange().faults().server_error_rate, 1.0);  // nothing changed
  control.body = R"({"lost_answer": "maybe"})";
  EXPECT_EQ(http_.send(endpoint(), control)->status, 400);
}

TEST(FaultJson, EveryKeyAndItsErrors) {
  FaultConfig faults;
  const auto actions = apply_fault_json(R"({"seed": 9, "latency_jitter_ms": 3, "too_many_requests_rate": 0.5, "ip_ban_rate": 0.25,
                                            "retry_after_ms": 1000, "lost_answer_rate": 0.1, "algo_query_lag_ms": 60000,
                                            "clock_skew_ms": -1500, "listen_key_validity_ms": 600000, "expire_listen_keys": true,
                                            "stall_market_streams": false, "drop_market_streams": true})",
                                        faults);
  ASSERT_TRUE(actions.ok()) << actions.error().message;
  EXPECT_EQ(faults.seed, 9u);
  EXPECT_EQ(faults.clock_skew, Milliseconds{-1500});
  EXPECT_EQ(faults.ip_ban_rate, 0.25);
  EXPECT_TRUE(actions->expire_listen_keys);
  EXPECT_FALSE(actions->stall_market_streams);
  EXPECT_TRUE(actions->drop_market_streams);
  for (const char* bad : {R"({"too_many_requests_rate": 2})", R"({"latency_ms": -1})", R"({"seed": "x"})", "[1]", "{",
                          R"({"lose_answer_for": [1]})"}) {
    FaultConfig untouched;
    EXPECT_FALSE(apply_fault_json(bad, untouched).ok()) << bad;
    EXPECT_EQ(untouched.latency, Milliseconds{0});
  }
}

}  // namespace
}  // namespace winiswin::loopback::test
