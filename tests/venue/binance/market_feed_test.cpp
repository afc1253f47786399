// The live market feed over real WebSockets against the loopback venue: history first, then
// bars as they close; a stalled connection (connected, silent) is noticed, made again, and
// the bars closed meanwhile come over REST — no bar missing, none twice.
#include "venue/binance/market_feed.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include <fmt/format.h>

#include "../sim/sim_venue_support.h"
#include "support/exchange_clock.h"
#include "data/synthetic_market.h"
#include "venue/loopback/loopback_server.h"

namespace winiswin::binance {
namespace {

using testing::wall_now;

using sim::test::minute;

class MarketFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KlineSeries series;
    series.symbol = "TESTUSDT";
    for (std::int64_t index = 0; index < 240; ++index) {
      const std::string price = fmt::format("{}", 100 + index % 7);
      series.bars.push_back(minute(index, price.c_str(), "110", "90", price.c_str()));
    }
    loopback::LoopbackConfig config;
    config.credentials = {loopback::ApiCredentials{"k", "s"}};
    config.start = minute(60, "0", "0", "0", "0").open_time;  // 01:00: an hour of history
    loopback::LoopbackServerConfig server_config;
    server_config.speed = 1e-9;  // the test moves the clock
    server_config.tick = Milliseconds{5};
    server_ = std::make_unique<loopback::LoopbackServer>(
        loopback::LoopbackExchange::create({sim::test::test_instrument()}, {}, {series}, config).value(), server_config);
    ASSERT_TRUE(server_->start().ok());
    clock_ = std::make_unique<testing::ExchangeClock>(server_->exchange());
    rest_ = std::make_unique<RestClient>(http_, net::Endpoint{net::Scheme::kHttp, "127.0.0.1", server_->port()}, std::nullopt, *clock_);
    MarketFeedConfig feed_config;
    feed_config.catch_up.warmup_bars = 30;
    feed_ = std::make_unique<MarketFeed>(*rest_, fmt::format("ws://127.0.0.1:{}/market", server_->port()),
                                         std::vector<std::string>{"TESTUSDT"}, std::vector<Interval>{Interval::k1m, Interval::k5m},
                                         feed_config);
    ASSERT_TRUE(feed_->start(wall_now()).ok());
  }
  void advance_minutes(int minutes) {
    ASSERT_TRUE(server_->exchange().advance_to(server_->exchange().now() + Milliseconds{60'000LL * minutes}).ok());
  }
  // Polls until `count` 1m bars have come (or the patience ends); keeps every bar seen.
  void collect_1m(std::size_t count, Timestamp local_now = Timestamp{}) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      const auto bars = feed_->poll(local_now == Timestamp{} ? wall_now() : local_now);
      ASSERT_TRUE(bars.ok()) << bars.error().message;
      for (const FeedBar& bar : *bars) (bar.interval == Interval::k1m ? minutes_ : fives_).push_back(bar);
      if (minutes_.size() >= count) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  std::unique_ptr<loopback::LoopbackServer> server_;
  net::HttpClient http_;
  std::unique_ptr<testing::ExchangeClock> clock_;
  std::unique_ptr<RestClient> rest_;
  std::unique_ptr<MarketFeed> feed_;
  std::vector<FeedBar> minutes_, fives_;
};

TEST_F(MarketFeedTest, HistoryThenLiveBarsWithNoneMissingAcrossAStalledConnection) {
  collect_1m(30);
  ASSERT_EQ(minutes_.size(), 30u);  // the warm-up, over REST
  EXPECT_TRUE(minutes_.back().from_rest);
  EXPECT_EQ(minutes_.back().bar.open_time, minute(59, "0", "0", "0", "0").open_time);  // the last closed by 01:00
  EXPECT_EQ(fives_.size(), 12u);  // an hour of history: twelve 5m bars

  advance_minutes(3);
  collect_1m(33);
  ASSERT_EQ(minutes_.size(), 33u);
  EXPECT_FALSE(minutes_.back().from_rest);  // from the stream

  server_->stall_market_streams();  // connected, and silent from now on
  advance_minutes(5);
  collect_1m(38, wall_now() + Milliseconds{60'000});  // the watchdog's clock: long past its silence limit
  ASSERT_EQ(minutes_.size(), 38u);
  EXPECT_EQ(feed_->reconnects(), 1);
  EXPECT_TRUE(minutes_.back().from_rest);  // closed while the stream was silent

  advance_minutes(1);
  collect_1m(39);
  ASSERT_EQ(minutes_.size(), 39u);
  EXPECT_FALSE(minutes_.back().from_rest);  // the new connection streams
  for (std::size_t idx = 1; idx < minutes_.size(); ++idx) {
    ASSERT_EQ(minutes_[idx].bar.open_time - minutes_[idx - 1].bar.open_time, Milliseconds{60'000}) << idx;
  }
  for (std::size_t idx = 1; idx < fives_.size(); ++idx) {
    ASSERT_EQ(fives_[idx].bar.open_time - fives_[idx - 1].bar.open_time, Milliseconds{300'000}) << idx;
  }
}

TEST_F(MarketFeedTest, ADroppedConnectionIsMadeAgain) {
  collect_1m(30);
  server_->drop_market_streams();
  advance_minutes(2);
  collect_1m(32);
  ASSERT_EQ(minutes_.size(), 32u);
  EXPECT_GE(feed_->reconnects(), 1);
}

// A clock whose waiting moves the exchange's clock: the request budget's waits pass in
// exchange time, as they would in real time against Binance.
class AdvancingClock final : public Clock {
 public:
  explicit AdvancingClock(loopback::LoopbackExchange& exchange) : exchange_(exchange) {}
  [[nodiscard]] Timestamp now() const override { return exchange_.now(); }
  void sleep_for(Milliseconds duration) override {
    waited += duration;
    EXPECT_TRUE(exchange_.advance_to(exchange_.now() + duration).ok());
  }
  Milliseconds waited{0};
 private:
  loopback::LoopbackExchange& exchange_;
};

// A cold start asks for more history than one minute's weight allows: against a venue that
// enforces Binance's limit (429, then 418 for a client that keeps going), the feed's request
// budget waits for the next minute instead of drawing a 429 — while a client without the
// budget is refused.
TEST(MarketFeedColdStart, MoreHistoryThanAMinutesWeightWaitsAndNeverDrawsA429) {
  SyntheticMarketConfig synthetic;
  synthetic.symbols = 20;
  synthetic.days = 3;
  const SyntheticMarket market(synthetic);
  std::vector<KlineSeries> minutes;
  for (std::size_t idx = 0; idx < market.instruments().size(); ++idx) minutes.push_back(market.generate(idx));
  std::vector<std::string> symbols;
  for (const Instrument& instrument : market.instruments()) symbols.push_back(instrument.symbol);
  loopback::LoopbackConfig config;
  config.credentials = {loopback::ApiCredentials{"k", "s"}};
  config.start = synthetic.start + Milliseconds{62 * 3'600'000LL};  // 62 h of history
  config.enforce_weight_limit = true;
  config.weight_limit_1m = 50;  // 60 one-weight requests do not fit in a minute
  loopback::LoopbackServerConfig server_config;
  server_config.speed = 1e-9;
  server_config.tick = Milliseconds{5};
  loopback::LoopbackServer server(loopback::LoopbackExchange::create(market.instruments(), {}, std::move(minutes), config).value(),
                                  server_config);
  ASSERT_TRUE(server.start().ok());
  const net::Endpoint endpoint{net::Scheme::kHttp, "127.0.0.1", server.port()};
  net::HttpClient http;
  AdvancingClock clock(server.exchange());
  RestClientConfig limits;
  limits.limits.weight_per_minute = 50;
  limits.max_wait = Milliseconds{120'000};
  RestClient rest(http, endpoint, std::nullopt, clock, limits);
  MarketFeedConfig feed_config;
  feed_config.catch_up.warmup_bars = 60;  // weight 1 each; 20 symbols × 3 intervals = 60
  MarketFeed feed(rest, fmt::format("ws://127.0.0.1:{}/market", server.port()), symbols,
                  {Interval::k1h, Interval::k15m, Interval::k5m}, feed_config);
  const auto started = feed.start(wall_now());
  ASSERT_TRUE(started.ok()) << started.error().message;  // a 429 or 418 would have failed it
  EXPECT_GT(clock.waited, Milliseconds{0});  // it waited for the next minute's weight …
  EXPECT_LT(clock.waited, Milliseconds{120'000});  // … once: 60-bar requests weigh 1, not a 1000-bar request's 5
  const auto history = feed.poll(wall_now());
  ASSERT_TRUE(history.ok());
  EXPECT_GE(history->size(), 20u * 3u * 60u);  // and what closed on the streams while it waited
  std::map<std::pair<std::string, Interval>, Timestamp> last;
  for (const FeedBar& bar : *history) {
    const auto key = std::make_pair(bar.symbol, bar.interval);
    if (const auto found = last.find(key); found != last.end()) {
      ASSERT_EQ(bar.bar.open_time - found->second, duration_of(bar.interval)) << bar.symbol << " " << name_of(bar.interval);
    }
    last[key] = bar.bar.open_time;
  }

  // The same requests without the budget: the venue refuses them, as Binance would.
  testing::ExchangeClock unplanned(server.exchange());  // never waits: a client that ignores its budget
  RestClientConfig unlimited;
  unlimited.limits.weight_per_minute = 1'000'000;
  RestClient careless(http, endpoint, std::nullopt, unplanned, unlimited);
  std::optional<Error> refused;
  for (int request = 0; request < 100 && !refused; ++request) {
    const auto answer = careless.call("GET", "/fapi/v1/time", QueryParams{}, Security::kPublic, RequestCost{1, 0});
    if (!answer) refused = answer.error();
  }
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->venue_code, -1003);
}

}  // namespace
}  // namespace winiswin::binance
