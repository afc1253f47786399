#include "core/time.h"

#include <gtest/gtest.h>

namespace winiswin {
namespace {

constexpr std::int64_t kFeb20Noon = 1'771'588'800'000;  // 2026-02-20 12:00:00 UTC

std::int64_t ms_of(std::string_view text) {
  const auto time = parse_utc_time(text);
  EXPECT_TRUE(time.ok()) << text << ": " << (time.ok() ? "" : time.error().message);
  return time.ok() ? to_ms(*time) : -1;
}

TEST(UtcTime, EveryAcceptedFormNamesTheSameInstant) {
  for (const char* text : {"2026-02-20T12:00:00Z", "2026-02-20T12:00Z", "2026-02-20T12:00:00.000Z", "2026-02-20T12:00:00",
                           "2026-02-20 12:00:00", "2026-02-20 12:00", "2026-02-20T14:00:00+02:00", "2026-02-20T07:30:00-04:30",
                           "1771588800000"}) {
    EXPECT_EQ(ms_of(text), kFeb20Noon) << text;
  }
}

TEST(UtcTime, DatesAreMidnightUtc) {
  EXPECT_EQ(ms_of("2026-02-20"), kFeb20Noon - 12 * 3'600'000);
  EXPECT_EQ(ms_of("20260220"), kFeb20Noon - 12 * 3'600'000);
}

TEST(UtcTime, ReadsBackWhatWiniswinPrints) {
  for (const std::int64_t ms : {kFeb20Noon, kFeb20Noon + 59'999, kFeb20Noon + 7, std::int64_t{0}}) {
    EXPECT_EQ(ms_of(format_utc(timestamp_from_ms(ms))), ms) << format_utc(timestamp_from_ms(ms));
  }
  EXPECT_EQ(ms_of("2026-02-20 12:00:00.5"), kFeb20Noon + 500);  // a fraction is of a second
}

TEST(UtcTime, AnythingElseIsRefusedListingTheAcceptedForms) {
  for (const char* bad : {"", "yesterday", "12:05", "2026-13-01", "2026-02-30", "2026-02-20 24:00", "2026-02-20 12:60",
                          "2026-02-20 12:00:61", "2026-02-20 12:5:00", "2026/02/20", "2026-02-20T12", "2026-02-20T12:00:00ZZ",
                          "2026-02-20T12:00:00+2", "2026-02-20T12:00:00.", "2026-02-20x12:00", "1771588800", "-1", "17715888000001",
                          "20261320", " 2026-02-20"}) {
    const auto parsed = parse_utc_time(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.error().message.find("2026-02-20T12:00:00Z"), std::string::npos) << parsed.error().message;
    EXPECT_NE(parsed.error().message.find("epoch ms"), std::string::npos) << parsed.error().message;
  }
  EXPECT_NE(parse_utc_time("1771588800").error().message.find("epoch seconds"), std::string::npos);
}

TEST(Timerange, FreqtradesFormWithOpenSides) {
  const TimeRange both = parse_timerange("20260101-20260201").value();
  EXPECT_EQ(to_ms(*both.from), 1'767'225'600'000);
  EXPECT_EQ(to_ms(*both.to), 1'767'225'600'000 + 31LL * 86'400'000);
  const TimeRange open_end = parse_timerange("20260101-").value();
  EXPECT_EQ(open_end.from, both.from);
  EXPECT_FALSE(open_end.to);
  const TimeRange open_start = parse_timerange("-20260201").value();
  EXPECT_FALSE(open_start.from);
  EXPECT_EQ(open_start.to, both.to);
  // Epoch seconds and ms, as freqtrade takes them.
  const TimeRange epochs = parse_timerange("1767225600-1769904000000").value();
  EXPECT_EQ(epochs.from, both.from);
  EXPECT_EQ(epochs.to, both.to);
}

TEST(Timerange, MalformedRangesAreRefused) {
  for (const char* bad : {"", "-", "20260101", "20260101-20260201-", "2026-01-01-2026-02-01", "20260201-20260101",
                          "20260101-20260101", "20261301-", "202601-", "abc-"}) {
    EXPECT_FALSE(parse_timerange(bad).ok()) << bad;
  }
  EXPECT_NE(parse_timerange("20260101-2026").error().message.find("YYYYMMDD"), std::string::npos);
}

}  // namespace
}  // namespace winiswin
