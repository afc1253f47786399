#include "core/interval.h"

#include <gtest/gtest.h>

namespace winiswin {
namespace {

TEST(Interval, NamesAndDurationsRoundTrip) {
  for (const Interval interval : kAllIntervals) {
    EXPECT_EQ(parse_interval(name_of(interval)).value(), interval);
    EXPECT_EQ(interval_from_duration(duration_ms(interval)).value(), interval);
  }
  EXPECT_EQ(duration_ms(Interval::k5m), 300'000);
  EXPECT_EQ(duration_ms(Interval::k1d), 86'400'000);
  EXPECT_FALSE(parse_interval("7m").ok());
  EXPECT_FALSE(parse_interval("1M").ok());
  EXPECT_FALSE(interval_from_duration(123).ok());
}

TEST(Interval, DividesOnlyWholeMultiples) {
  EXPECT_TRUE(divides(Interval::k1m, Interval::k5m));
  EXPECT_TRUE(divides(Interval::k5m, Interval::k1h));
  EXPECT_TRUE(divides(Interval::k8h, Interval::k1d));
  EXPECT_FALSE(divides(Interval::k3m, Interval::k5m));
  EXPECT_FALSE(divides(Interval::k1h, Interval::k5m));
  EXPECT_FALSE(divides(Interval::k2h, Interval::k6h) == false);
}

TEST(Interval, BarOpenTimeFloorsToTheBucket) {
  const Timestamp time = timestamp_from_ms(1'758'268'800'005);  // 2025-09-19 08:00:00.005
  EXPECT_EQ(to_ms(bar_open_time(time, Interval::k8h)), 1'758'268'800'000);
  EXPECT_EQ(to_ms(bar_open_time(time, Interval::k1d)), 1'758'240'000'000);
  EXPECT_EQ(format_utc(time), "2025-09-19 08:00:00.005");
  EXPECT_EQ(format_utc(timestamp_from_ms(1'758'240'000'000)), "2025-09-19 00:00:00");
}

}  // namespace
}  // namespace winiswin
