#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "journal/recorder.h"
#include "ops/journal_tap.h"
#include "ops/status_snapshot.h"
#include "support/failing_recorder.h"

namespace winiswin::ops {
namespace {

TEST(LatencyHistogram, BucketsAreCumulativeAndInfCountsAll) {
  LatencyHistogram histogram;
  histogram.observe(0.0005);  // ≤ 0.001
  histogram.observe(0.001);   // ≤ 0.001 (le is inclusive)
  histogram.observe(0.03);    // ≤ 0.05
  histogram.observe(7.0);     // past the last bound: +Inf only
  EXPECT_EQ(histogram.cumulative(0), 2u);
  EXPECT_EQ(histogram.cumulative(4), 2u);  // le 0.025
  EXPECT_EQ(histogram.cumulative(5), 3u);  // le 0.05
  EXPECT_EQ(histogram.cumulative(LatencyHistogram::kBoundsSeconds.size() - 1), 3u);  // le 5
  EXPECT_EQ(histogram.cumulative(LatencyHistogram::kBoundsSeconds.size()), 4u);      // +Inf
  EXPECT_EQ(histogram.count(), 4u);
  EXPECT_DOUBLE_EQ(histogram.sum_seconds(), 0.0005 + 0.001 + 0.03 + 7.0);
}

TEST(StatusBoard, NothingBeforeTheFirstPublicationThenTheLatest) {
  StatusBoard board;
  EXPECT_EQ(board.latest(), nullptr);
  EXPECT_FALSE(board.last_beat().has_value());
  EXPECT_FALSE(board.last_market_data().has_value());
  StatusSnapshot first;
  first.decisions = 1;
  board.publish(first);
  const auto held = board.latest();
  StatusSnapshot second;
  second.decisions = 2;
  board.publish(second);
  EXPECT_EQ(held->decisions, 1u) << "a reader's snapshot is not changed under it";
  EXPECT_EQ(board.latest()->decisions, 2u);
  board.beat(timestamp_from_ms(5'000));
  board.market_data_received(timestamp_from_ms(4'000));
  EXPECT_EQ(*board.last_beat(), timestamp_from_ms(5'000));
  EXPECT_EQ(*board.last_market_data(), timestamp_from_ms(4'000));
}

// Readers on other threads while the decision thread publishes: every snapshot a reader sees
// is whole (its fields agree with each other), and publications are seen in order.
TEST(StatusBoard, ReadersSeeWholeSnapshotsInOrderWhilePublishing) {
  StatusBoard board;
  constexpr std::uint64_t kPublications = 20'000;
  std::atomic<bool> torn{false}, backwards{false};
  std::vector<std::thread> readers;
  for (int reader_idx = 0; reader_idx < 2; ++reader_idx) {
    readers.emplace_back([&] {
      std::uint64_t last = 0;
      while (last < kPublications) {
        const auto status = board.latest();
        if (!status) continue;
        if (status->equity != static_cast<double>(status->decisions) || status->positions.size() != status->decisions % 7) torn = true;
        if (status->decisions < last) backwards = true;
        last = status->decisions;
      }
    });
  }
  for (std::uint64_t decision = 1; decision <= kPublications; ++decision) {
    StatusSnapshot snapshot;
    snapshot.decisions = decision;
    snapshot.equity = static_cast<double>(decision);
    snapshot.positions.resize(decision % 7);
    board.publish(std::move(snapshot));
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_FALSE(torn);
  EXPECT_FALSE(backwards);
}

journal::OrderRecord order_step(journal::OrderStep step, int code = 0) {
  journal::OrderRecord order;
  order.symbol = "BTCUSDT";
  order.client_id = "paper-1-E";
  order.step = step;
  order.venue_code = code;
  return order;
}

TEST(JournalTap, CountsOrdersFillsAndRejectsByCodeAndForwardsEveryRow) {
  journal::MemoryRecorder journal;
  JournalTap tap(journal);
  ASSERT_TRUE(tap.order(order_step(journal::OrderStep::kSent)).ok());
  ASSERT_TRUE(tap.order(order_step(journal::OrderStep::kAccepted)).ok());
  ASSERT_TRUE(tap.order(order_step(journal::OrderStep::kSent)).ok());
  ASSERT_TRUE(tap.order(order_step(journal::OrderStep::kRejected, -2019)).ok());
  ASSERT_TRUE(tap.order(order_step(journal::OrderStep::kRejected, -2019)).ok());
  ASSERT_TRUE(tap.order(order_step(journal::OrderStep::kRejected, -4164)).ok());
  journal::FillRecord liquidation;
  liquidation.liquidation = true;
  ASSERT_TRUE(tap.fill(journal::FillRecord{}).ok());
  ASSERT_TRUE(tap.fill(liquidation).ok());
  ASSERT_TRUE(tap.refusal(journal::RefusalRecord{}).ok());
  ASSERT_TRUE(tap.decision(journal::DecisionRecord{}).ok());
  const ActivityCounters& counted = tap.counters();
  EXPECT_EQ(counted.orders_sent, 2u);
  EXPECT_EQ(counted.orders_accepted, 1u);
  EXPECT_EQ(counted.rejects_by_code.at(-2019), 2u);
  EXPECT_EQ(counted.rejects_by_code.at(-4164), 1u);
  EXPECT_EQ(counted.rejects_by_code.size(), 2u);
  EXPECT_EQ(counted.fills, 2u);
  EXPECT_EQ(counted.liquidations, 1u);
  EXPECT_EQ(counted.refusals, 1u);
  EXPECT_EQ(counted.journal_writes, 10u);
  EXPECT_EQ(journal.orders.size(), 6u);
  EXPECT_EQ(journal.orders[3].venue_code, -2019);
  EXPECT_EQ(journal.fills.size(), 2u);
  EXPECT_EQ(journal.decisions.size(), 1u);
  EXPECT_TRUE(tap.last_write_ok());
}

TEST(JournalTap, AFailedWriteIsReturnedAsIsAndMarksTheJournalUnwritable) {
  testing::FailingRecorder journal({.orders = true});
  JournalTap tap(journal);
  const Status failed = tap.order(order_step(journal::OrderStep::kSent));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "disk full");
  EXPECT_FALSE(tap.last_write_ok());
  EXPECT_EQ(tap.counters().journal_failures, 1u);
  ASSERT_TRUE(tap.fill(journal::FillRecord{}).ok());
  EXPECT_TRUE(tap.last_write_ok()) << "the last write decides";
}

}  // namespace
}  // namespace winiswin::ops
