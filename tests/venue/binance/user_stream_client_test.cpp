// The user-data stream over a real WebSocket against the loopback venue: fills reach the
// executor through it, an expired listen key is replaced (and poll says events may have been
// missed), and a lost connection is re-made.
#include "venue/binance/user_stream_client.h"

#include <gtest/gtest.h>

#include <thread>

#include <fmt/format.h>

#include "../sim/sim_venue_support.h"
#include "client_test_support.h"
#include "support/exchange_clock.h"
#include "execution/executor.h"
#include "venue/loopback/loopback_server.h"

namespace winiswin::binance {
namespace {

using testing::wall_now;


class UserStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = test::falling_market_venue();
    ASSERT_TRUE(server_->start().ok());
    clock_ = std::make_unique<testing::ExchangeClock>(server_->exchange());
    rest_ = std::make_unique<RestClient>(http_, net::Endpoint{net::Scheme::kHttp, "127.0.0.1", server_->port()},
                                         RequestSigner::create(Credentials{ApiKey(test::kKey), Secret(test::kSecret)}).value(), *clock_);
    venue_ = std::make_unique<BinanceVenue>(*rest_);
    UserStreamConfig stream_config;
    stream_config.ping_interval = Milliseconds{50};
    stream_ = std::make_unique<UserStream>(*rest_, fmt::format("ws://127.0.0.1:{}/private", server_->port()), *venue_, stream_config);
    ASSERT_TRUE(stream_->start(wall_now()).ok());
  }
  void advance_minute() { ASSERT_TRUE(server_->exchange().advance_to(server_->exchange().now() + Milliseconds{60'000}).ok()); }
  // The executor's trade events once `count` have come through the stream (or the patience ends).
  std::vector<execution::TradeEvent> trade_events(execution::Executor& executor, std::size_t count) {
    std::vector<execution::TradeEvent> events;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (events.size() < count && std::chrono::steady_clock::now() < until) {
      executor.on_events(venue_->drain_events(), events);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return events;
  }

  std::unique_ptr<loopback::LoopbackServer> server_;
  net::HttpClient http_;
  std::unique_ptr<testing::ExchangeClock> clock_;
  std::unique_ptr<RestClient> rest_;
  std::unique_ptr<BinanceVenue> venue_;
  std::unique_ptr<UserStream> stream_;
};

TEST_F(UserStreamTest, FillsArriveThroughTheStreamAndAnExpiredKeyIsReplaced) {
  execution::Executor executor(*venue_, execution::ClientIds::make("us").value());
  ASSERT_FALSE(executor.enter(test::protected_long()).value().has_value());
  advance_minute();  // the entry fills
  const auto filled = trade_events(executor, 1);
  ASSERT_EQ(filled.size(), 1u);
  EXPECT_EQ(filled[0].kind, execution::TradeEvent::Kind::kEntryFilled);
  EXPECT_FALSE(stream_->poll(wall_now()).value());  // nothing missed

  const std::string first_key = stream_->listen_key();
  server_->exchange().expire_listen_keys();
  bool replaced = false;
  for (int attempt = 0; attempt < 2000 && !replaced; ++attempt) {
    replaced = stream_->poll(wall_now()).value();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(replaced) << "listenKeyExpired never replaced the key";
  EXPECT_TRUE(server_->exchange().listen_key_active(stream_->listen_key()));
  advance_minute();
  advance_minute();  // minute 62: the stop fills — reported on the new connection
  const auto closed = trade_events(executor, 1);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].trade.exit_reason, journal::ExitReason::kStop);
  (void)first_key;
}

TEST_F(UserStreamTest, ALostConnectionIsMadeAgainAndSaysEventsMayBeMissing) {
  server_->stop();  // every connection goes
  bool reconnect_tried = false;
  for (int attempt = 0; attempt < 2000 && !reconnect_tried; ++attempt) {
    const auto polled = stream_->poll(wall_now());
    reconnect_tried = polled.ok() && *polled;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(reconnect_tried);
  EXPECT_GE(stream_->reconnects(), 1);
}

}  // namespace
}  // namespace winiswin::binance
