#include "engine/close_tracker.h"

#include <gtest/gtest.h>

namespace winiswin::engine {
namespace {

Timestamp close_at(int five_minutes) { return timestamp_from_ms(1'767'225'600'000 + std::int64_t{five_minutes} * 300'000); }

TEST(CloseTracker, ACloseIsReadyWhenEverySymbolDeliveredItOrTheMarketMovedPast) {
  CloseTracker tracker(3);
  tracker.on_bar(close_at(1), false);
  tracker.on_bar(close_at(1), false);
  EXPECT_TRUE(tracker.take_ready().empty());  // the third symbol may still come
  tracker.on_bar(close_at(1), false);
  EXPECT_EQ(tracker.take_ready(), std::vector{close_at(1)});
  tracker.on_bar(close_at(2), false);
  tracker.on_bar(close_at(3), false);  // a later close: the market has moved past 2
  EXPECT_EQ(tracker.take_ready(), std::vector{close_at(2)});
}

TEST(CloseTracker, HistoryOnlyWarmsAndBackFilledClosesAreDecided) {
  CloseTracker tracker(1);
  for (int close = -5; close < 0; ++close) tracker.on_bar(close_at(close), true);  // the warm-up over REST
  EXPECT_TRUE(tracker.take_ready().empty());
  tracker.on_bar(close_at(0), false);
  EXPECT_EQ(tracker.take_ready(), std::vector{close_at(0)});
  // A silent stream: closes 1 and 2 come back over REST, then 3 on the new stream.
  tracker.on_bar(close_at(1), true);
  tracker.on_bar(close_at(2), true);
  tracker.on_bar(close_at(3), false);
  EXPECT_EQ(tracker.take_ready(), (std::vector{close_at(1), close_at(2), close_at(3)}));
}

TEST(CloseTracker, AClosePassedWithoutALateSymbolIsNotDecidedAgain) {
  CloseTracker tracker(2);
  tracker.on_bar(close_at(1), false);
  tracker.on_bar(close_at(2), false);
  tracker.on_bar(close_at(2), false);
  EXPECT_EQ(tracker.take_ready(), (std::vector{close_at(1), close_at(2)}));  // 1 without its second symbol
  tracker.on_bar(close_at(1), true);  // the late symbol's bar for 1, back-filled
  EXPECT_TRUE(tracker.take_ready().empty());
}

}  // namespace
}  // namespace winiswin::engine
