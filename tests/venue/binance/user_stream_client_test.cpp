// The user-data stream over a real WebSocket against the loopback venue: fills reach the
// executor through it, an expired listen key is replaced (and poll says events may have been
// missed), and a lost connection is re-made.
#include "venue/binance/user_stream_client.h"

#include <gtest/gtest.h>

#include <thread>

#include <fmt/format.h>

#include "../sim/sim_venue_support.h"
#include "support/exchange_clock.h"
#include "execution/executor.h"
#include "venue/loopback/loopback_server.h"

namespace winiswin::binance {
namespace {

using testing::wall_now;

using sim::test::minute;
using testing::P;
using testing::Q;

constexpr const char* kKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
constexpr const char* kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";

std::vector<KlineSeries> market() {  // flat at 100, then (minute 62) a fall through 95
  KlineSeries series;
  series.symbol = "TESTUSDT";
  for (std::int64_t index = 0; index < 62; ++index) series.bars.push_back(minute(index, "100", "100.2", "99.8", "100"));
  series.bars.push_back(minute(62, "99", "99", "94", "94.5"));
  for (std::int64_t index = 63; index < 70; ++index) series.bars.push_back(minute(index, "94.5", "94.8", "94.2", "94.5"));
  return {series};
}

class UserStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loopback::LoopbackConfig config;
    config.credentials = {loopback::ApiCredentials{kKey, kSecret}};
    config.start = minute(60, "0", "0", "0", "0").open_time;
    config.venue.fills = venue::FillModelConfig{true, 0.0, 0.0};
    loopback::LoopbackServerConfig server_config;
    server_config.speed = 1e-9;  // the test moves the clock
    server_config.tick = Milliseconds{5};
    server_ = std::make_unique<loopback::LoopbackServer>(
        loopback::LoopbackExchange::create({sim::test::test_instrument()}, {}, market(), config).value(), server_config);
    ASSERT_TRUE(server_->start().ok());
    clock_ = std::make_unique<testing::ExchangeClock>(server_->exchange());
    rest_ = std::make_unique<RestClient>(http_, net::Endpoint{net::Scheme::kHttp, "127.0.0.1", server_->port()},
                                         RequestSigner::create(Credentials{ApiKey(kKey), Secret(kSecret)}).value(), *clock_);
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
  execution::ProtectedEntry long_entry() {
    execution::ProtectedEntry entry;
    entry.record.symbol = "TESTUSDT";
    entry.record.side = Side::kBuy;
    entry.record.planned_entry = P("100");
    entry.record.stop = P("95");
    entry.record.target = P("110");
    entry.quantity = Q("1");
    entry.leverage = 5;
    return entry;
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
  ASSERT_FALSE(executor.enter(long_entry()).value().has_value());
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
