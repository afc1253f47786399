// The market feed's planning: which klines to fetch, when the stream skipped some, how
// streams are laid over connections and kept alive.
#include <gtest/gtest.h>

#include <set>

#include "venue/binance/kline_catch_up.h"
#include "venue/binance/stream_plan.h"

namespace winiswin::binance {
namespace {

const Timestamp kMidnight = timestamp_from_ms(1'767'225'600'000);  // 2026-01-01 00:00 UTC
constexpr Milliseconds kMinute{60'000};

TEST(KlineCatchUp, AColdStartFetchesTheWarmUpInRequestsOfAThousandClosedBars) {
  const Timestamp now = kMidnight + kMinute * 2500 + Milliseconds{30'000};  // inside the bar opened at minute 2500
  const auto requests = plan_catch_up("BTCUSDT", Interval::k1m, std::nullopt, now, CatchUpConfig{2500, 1000});
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests.front().start, kMidnight);
  EXPECT_EQ(requests.back().end, kMidnight + kMinute * 2499);  // the last closed bar, not the open one
  int bars = 0;
  for (const KlineRequest& request : requests) {
    bars += request.limit;
    EXPECT_EQ(request.limit, static_cast<int>((request.end - request.start) / kMinute) + 1);
  }
  EXPECT_EQ(bars, 2500);
  EXPECT_EQ(requests[0].weight(), 5);
  EXPECT_EQ(requests[2].limit, 500);
}

TEST(KlineCatchUp, OnlyBarsAfterTheLastOneHeld) {
  const Timestamp now = kMidnight + Milliseconds{3'600'000 * 5 + 10};  // 05:00:00.010: the 04:00 1h bar just closed
  const auto requests = plan_catch_up("ETHUSDT", Interval::k1h, kMidnight + Milliseconds{3'600'000 * 2}, now);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].start, kMidnight + Milliseconds{3'600'000 * 3});
  EXPECT_EQ(requests[0].end, kMidnight + Milliseconds{3'600'000 * 4});
  EXPECT_EQ(requests[0].limit, 2);
  EXPECT_EQ(requests[0].weight(), 1);
  EXPECT_TRUE(plan_catch_up("ETHUSDT", Interval::k1h, kMidnight + Milliseconds{3'600'000 * 4}, now).empty());
}

TEST(BarContinuity, ASkippedBarOpensAGapToBackFillAndARepeatIsADuplicate) {
  BarContinuity continuity;
  std::optional<std::pair<Timestamp, Timestamp>> missing;
  EXPECT_EQ(continuity.on_closed("BTCUSDT", Interval::k5m, kMidnight, &missing), BarArrival::kFirst);
  EXPECT_EQ(continuity.on_closed("BTCUSDT", Interval::k5m, kMidnight + kMinute * 5, &missing), BarArrival::kNext);
  EXPECT_EQ(continuity.on_closed("BTCUSDT", Interval::k5m, kMidnight + kMinute * 5, &missing), BarArrival::kDuplicate);
  EXPECT_FALSE(missing);
  EXPECT_EQ(continuity.on_closed("BTCUSDT", Interval::k5m, kMidnight + kMinute * 25, &missing), BarArrival::kAfterGap);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->first, kMidnight + kMinute * 10);
  EXPECT_EQ(missing->second, kMidnight + kMinute * 20);
  EXPECT_EQ(continuity.on_closed("BTCUSDT", Interval::k1m, kMidnight, &missing), BarArrival::kFirst);  // its own series
  continuity.set_last_held("ETHUSDT", Interval::k5m, kMidnight);
  EXPECT_EQ(continuity.on_closed("ETHUSDT", Interval::k5m, kMidnight + kMinute * 5, &missing), BarArrival::kNext);
}

TEST(StreamPlan, StreamsAreSplitOverConnectionsAndSubscribedInSmallFrames) {
  std::vector<std::string> streams;
  for (int symbol = 0; symbol < 200; ++symbol) {
    for (const Interval interval : {Interval::k1h, Interval::k15m, Interval::k5m}) {
      streams.push_back(kline_stream("SYM" + std::to_string(symbol) + "USDT", interval));
    }
    streams.push_back(mark_price_stream("SYM" + std::to_string(symbol) + "USDT"));
  }
  EXPECT_EQ(streams[0], "sym0usdt@kline_1h");
  EXPECT_EQ(streams[3], "sym0usdt@markPrice@1s");
  const auto connections = split_streams(streams);
  ASSERT_EQ(connections.size(), 4u);  // 800 streams, 200 per connection
  std::set<std::string> seen;
  for (const auto& connection : connections) {
    EXPECT_LE(connection.size(), 200u);
    seen.insert(connection.begin(), connection.end());
  }
  EXPECT_EQ(seen.size(), streams.size());
  const auto frames = subscribe_frames(connections[0], 7);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].rfind(R"({"method":"SUBSCRIBE","params":["sym0usdt@kline_1h","sym0usdt@kline_15m",)", 0), 0u) << frames[0];
  EXPECT_NE(frames[1].find(R"("id":8})"), std::string::npos);
}

TEST(StreamPlan, BackoffDoublesToItsCapWithJitterAndResets) {
  ReconnectBackoff backoff(42);
  std::int64_t previous_full = 0;
  for (int attempt = 0; attempt < 10; ++attempt) {
    const std::int64_t full = std::min<std::int64_t>(60'000, 1'000LL << attempt);
    const Milliseconds wait = backoff.next();
    EXPECT_GE(wait.count(), full / 2) << attempt;
    EXPECT_LE(wait.count(), full) << attempt;
    EXPECT_GE(full, previous_full);
    previous_full = full;
  }
  backoff.reset();
  EXPECT_LE(backoff.next().count(), 1'000);
  ReconnectBackoff same(42), other(43);
  EXPECT_EQ(same.next(), ReconnectBackoff(42).next());  // deterministic for a seed
  EXPECT_NE(ReconnectBackoff(42).next(), other.next());
}

TEST(StreamPlan, TheWatchdogSeesASilentConnectionAndTheDayLimit) {
  StreamWatchdog watchdog(kMidnight);
  EXPECT_FALSE(watchdog.silent(kMidnight + Milliseconds{29'999}));
  EXPECT_TRUE(watchdog.silent(kMidnight + Milliseconds{30'000}));  // connected, nothing arrived
  watchdog.on_message(kMidnight + Milliseconds{29'000});
  EXPECT_FALSE(watchdog.silent(kMidnight + Milliseconds{58'000}));
  EXPECT_FALSE(watchdog.due_for_planned_reconnect(kMidnight + Milliseconds{23 * 3'600'000}));
  EXPECT_TRUE(watchdog.due_for_planned_reconnect(kMidnight + Milliseconds{24 * 3'600'000 - 10 * 60'000}));
}

}  // namespace
}  // namespace winiswin::binance
