#include "venue/binance/request_budget.h"

#include <gtest/gtest.h>

#include <map>

namespace winiswin::binance {
namespace {

const Timestamp kStart = timestamp_from_ms(1'767'225'600'000);  // 2026-01-01 00:00:00 UTC

TEST(RequestBudget, KlinesWeightFollowsTheLimit) {
  EXPECT_EQ(klines_weight(1), 1);
  EXPECT_EQ(klines_weight(99), 1);
  EXPECT_EQ(klines_weight(100), 2);
  EXPECT_EQ(klines_weight(499), 2);
  EXPECT_EQ(klines_weight(500), 5);
  EXPECT_EQ(klines_weight(1000), 5);
  EXPECT_EQ(klines_weight(1001), 10);
  EXPECT_EQ(klines_weight(1500), 10);
}

// A server that counts IP weight per clock minute as Binance does, shared with another
// process on the same IP that spends `others` weight at the start of each minute.
struct CountingServer {
  int limit = 2400;
  int others = 0;
  std::map<std::int64_t, int> used;  // by minute
  int rejected = 0;
  LimitHeaders serve(int weight, Timestamp now) {
    const std::int64_t minute = to_ms(now) / 60'000;
    int& in_minute = used.try_emplace(minute, others).first->second;
    LimitHeaders headers;
    if (in_minute + weight > limit) {
      ++rejected;
      headers.http_status = 429;
    } else {
      in_minute += weight;
    }
    headers.used_weight_1m = in_minute;
    return headers;
  }
};

// A cold start: 200 symbols × 3 intervals × 1000 bars of history (weight 5 each, 3000 in
// all — more than one minute's 2400) never draws a 429, even with another process spending
// a quarter of the limit, and takes about two minutes, not more.
TEST(RequestBudget, AColdStartOf600KlineRequestsNeverDrawsA429) {
  for (const int others : {0, 600}) {  // 600: without the header's count, 1920 + 600 would draw 429s
    RequestBudget budget;
    CountingServer server;
    server.others = others;
    Timestamp now = kStart + Milliseconds{30'000};  // mid-minute
    const RequestCost cost{klines_weight(1000), 0};
    for (int request = 0; request < 600; ++request) {
      now += budget.wait_for(cost, now);
      budget.on_sent(cost, now);
      const Timestamp answered = now + Milliseconds{20};
      budget.on_response(server.serve(cost.weight, now), now, answered);
      now = answered;
    }
    EXPECT_EQ(server.rejected, 0) << "others " << others;
    EXPECT_LE(now - kStart, Milliseconds{4 * 60'000}) << "others " << others;
  }
}

TEST(RequestBudget, TheServersCountIsNeverUndercut) {
  RequestBudget budget;
  const Timestamp now = kStart + Milliseconds{1'000};
  budget.on_sent(RequestCost{1, 0}, now);
  LimitHeaders headers;
  headers.used_weight_1m = 1900;  // others on this IP
  budget.on_response(headers, now, now + Milliseconds{10});
  EXPECT_EQ(budget.used_weight(now + Milliseconds{10}), 1900);
  EXPECT_EQ(budget.wait_for(RequestCost{20, 0}, now + Milliseconds{10}), Milliseconds{0});  // 1920 ≤ 1920 usable
  EXPECT_EQ(budget.wait_for(RequestCost{21, 0}, now + Milliseconds{10}), Milliseconds{60'000 - 1'010});
  // A response that straddled the minute says nothing sure about the new one.
  LimitHeaders late;
  late.used_weight_1m = 2000;
  budget.on_response(late, kStart + Milliseconds{59'990}, kStart + Milliseconds{60'010});
  EXPECT_EQ(budget.used_weight(kStart + Milliseconds{60'010}), 0);
}

TEST(RequestBudget, A429HoldsEverythingUntilRetryAfterOrTheNextMinute) {
  RequestBudget budget;
  const Timestamp now = kStart + Milliseconds{15'000};
  LimitHeaders headers;
  headers.http_status = 429;
  headers.retry_after = Milliseconds{7'000};
  budget.on_response(headers, now, now);
  EXPECT_EQ(budget.wait_for(RequestCost{1, 0}, now), Milliseconds{7'000});
  EXPECT_EQ(budget.wait_for(RequestCost{1, 0}, now + Milliseconds{7'000}), Milliseconds{0});

  RequestBudget unsaid;
  headers.retry_after.reset();
  unsaid.on_response(headers, now, now);
  EXPECT_EQ(unsaid.wait_for(RequestCost{1, 0}, now), Milliseconds{45'000});  // to 00:01:00
}

TEST(RequestBudget, A418BansEveryRequestUntilItLifts) {
  RequestBudget budget;
  const Timestamp now = kStart;
  LimitHeaders ban;
  ban.http_status = 418;
  ban.retry_after = Milliseconds{600'000};
  budget.on_response(ban, now, now);
  EXPECT_TRUE(budget.banned(now + Milliseconds{599'999}));
  EXPECT_FALSE(budget.banned(now + Milliseconds{600'000}));
  EXPECT_EQ(budget.wait_for(RequestCost{0, 1}, now), Milliseconds{600'000});  // orders too
  // A shorter ban said later does not shorten it; without Retry-After: 2 minutes.
  ban.retry_after = Milliseconds{1'000};
  budget.on_response(ban, now, now);
  EXPECT_EQ(budget.blocked_until(now), now + Milliseconds{600'000});
  RequestBudget unsaid;
  ban.retry_after.reset();
  unsaid.on_response(ban, now, now);
  EXPECT_EQ(unsaid.blocked_until(now), now + Milliseconds{120'000});
}

TEST(RequestBudget, OrdersAreCountedPerTenSecondsAndPerMinute) {
  RequestBudget budget;  // 300 / 10 s and 1200 / min, 80 % usable: 240 and 960
  Timestamp now = kStart;
  const RequestCost order{0, 1};
  for (int sent = 0; sent < 240; ++sent) {
    ASSERT_EQ(budget.wait_for(order, now), Milliseconds{0}) << sent;
    budget.on_sent(order, now);
  }
  EXPECT_EQ(budget.wait_for(order, now + Milliseconds{2'500}), Milliseconds{7'500});  // the next 10 s window
  EXPECT_EQ(budget.wait_for(RequestCost{1, 0}, now), Milliseconds{0});  // orders cost no IP weight
  for (int window = 1; window < 4; ++window) {
    now = kStart + Milliseconds{10'000 * window};
    for (int sent = 0; sent < 240; ++sent) budget.on_sent(order, now);
  }
  now = kStart + Milliseconds{40'000};
  EXPECT_EQ(budget.wait_for(order, now), Milliseconds{20'000});  // 960 this minute: wait for 00:01:00
}

}  // namespace
}  // namespace winiswin::binance
