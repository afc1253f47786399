// Gaps inside a series and between the pieces (files) of one symbol's bars.
#include "data/gaps.h"

#include <gtest/gtest.h>

namespace winiswin {
namespace {

constexpr std::int64_t kMinute = 60'000;

// 1m bars at the given minutes (only the open times matter here).
KlineSeries minutes_at(std::vector<std::int64_t> minutes) {
  KlineSeries series;
  series.interval = Interval::k1m;
  for (const std::int64_t minute : minutes) {
    Kline bar;
    bar.open_time = timestamp_from_ms(minute * kMinute);
    bar.close_time = timestamp_from_ms(minute * kMinute + kMinute - 1);
    series.bars.push_back(bar);
  }
  return series;
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {  // [from, to]
  std::vector<std::int64_t> out;
  for (std::int64_t minute = from; minute <= to; ++minute) out.push_back(minute);
  return out;
}

TEST(Gaps, InsideOneSeries) {
  const auto gaps = find_gaps(minutes_at({0, 1, 2, 5, 6, 10}));
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0].last_before, timestamp_from_ms(2 * kMinute));
  EXPECT_EQ(gaps[0].first_after, timestamp_from_ms(5 * kMinute));
  EXPECT_EQ(gaps[0].missing_bars, 2);  // 3 and 4
  EXPECT_EQ(gaps[1].missing_bars, 3);  // 7, 8, 9
  EXPECT_FALSE(gaps[0].between_pieces);
}

// Pieces given out of order: A = 0…9 without 5, B = 20…29, C = 30…39. Joined: the hole inside
// A (1 bar), one between A and B (10…19: 10 bars), none between B and C.
TEST(Gaps, AcrossPiecesJoinsThemInTimeOrder) {
  std::vector<std::int64_t> a = range(0, 9);
  a.erase(a.begin() + 5);
  const JoinedGaps joined =
      find_gaps_across({span_of(minutes_at(range(30, 39))), span_of(minutes_at(a)), span_of(minutes_at(range(20, 29)))},
                       Interval::k1m);
  EXPECT_EQ(joined.pieces, 3u);
  EXPECT_EQ(joined.bars, 9 + 10 + 10);
  EXPECT_EQ(joined.first, timestamp_from_ms(0));
  EXPECT_EQ(joined.last, timestamp_from_ms(39 * kMinute));
  ASSERT_EQ(joined.gaps.size(), 2u);
  EXPECT_EQ(joined.gaps[0].missing_bars, 1);
  EXPECT_FALSE(joined.gaps[0].between_pieces);
  EXPECT_EQ(joined.gaps[1].last_before, timestamp_from_ms(9 * kMinute));
  EXPECT_EQ(joined.gaps[1].first_after, timestamp_from_ms(20 * kMinute));
  EXPECT_EQ(joined.gaps[1].missing_bars, 10);
  EXPECT_TRUE(joined.gaps[1].between_pieces);
  EXPECT_EQ(joined.missing_bars, 11);
  EXPECT_EQ(joined.overlaps, 0u);

  const auto largest = largest_gaps(joined.gaps, 1);
  ASSERT_EQ(largest.size(), 1u);
  EXPECT_EQ(largest[0].missing_bars, 10);
}

// A = 0…9 and B = 5…14 overlap (counted, no gap); C = 100…109 starts after B's end (14), so
// the hole is 15…99 = 85 bars, measured from the latest bar so far, not from A's end.
TEST(Gaps, OverlappingPiecesAreCountedNotMerged) {
  const JoinedGaps joined = find_gaps_across({span_of(minutes_at(range(0, 9))), span_of(minutes_at(range(5, 14))),
                                              span_of(minutes_at(range(100, 109))), span_of(KlineSeries{})},
                                             Interval::k1m);
  EXPECT_EQ(joined.pieces, 3u);  // the empty one is skipped
  EXPECT_EQ(joined.overlaps, 1u);
  ASSERT_EQ(joined.gaps.size(), 1u);
  EXPECT_EQ(joined.gaps[0].last_before, timestamp_from_ms(14 * kMinute));
  EXPECT_EQ(joined.gaps[0].missing_bars, 85);
}

TEST(Gaps, NoPiecesJoinToNothing) {
  const JoinedGaps joined = find_gaps_across({}, Interval::k5m);
  EXPECT_EQ(joined.pieces, 0u);
  EXPECT_TRUE(joined.gaps.empty());
  EXPECT_TRUE(largest_gaps(joined.gaps, 5).empty());
}

}  // namespace
}  // namespace winiswin
