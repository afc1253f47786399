#include "ml/sequence/bar_windows.h"

#include <gtest/gtest.h>

#include <cmath>

#include "bars_fixture.h"

namespace winiswin::ml::sequence {
namespace {

BarWindows windows_of(std::span<const Kline> bars, std::size_t length, Interval interval = Interval::k1m) {
  BarWindows windows = BarWindows::make(length).value();
  EXPECT_TRUE(windows.add("AAAUSDT", interval, bars).ok());
  return windows;
}

std::vector<float> filled(const BarWindows& windows, Timestamp decided, Side side) {
  const WindowLookup lookup = windows.locate("AAAUSDT", decided);
  EXPECT_EQ(lookup.miss, WindowMiss::kNone) << describe(lookup.miss);
  std::vector<float> out(windows.length() * kChannelCount);
  if (lookup.miss == WindowMiss::kNone) windows.fill(lookup.ref, side, out);
  return out;
}

TEST(BarWindows, WindowsFromDataTruncatedAfterTheDecisionEqualThoseFromAllOfIt) {
  const std::vector<Kline> all = minutes(5 * 400, 7);
  const BarWindows full = windows_of(all, 32);
  for (const std::size_t closed : {33UL, 34UL, 100UL, 257UL, 399UL}) {
    const Timestamp decided = decision(closed);
    // Only the 1m bars closed by the decision (open + 1m ≤ decided).
    std::vector<Kline> known;
    for (const Kline& bar : all) {
      if (bar.open_time + Milliseconds{kMinuteMs} <= decided) known.push_back(bar);
    }
    const BarWindows truncated = windows_of(known, 32);
    for (const Side side : {Side::kBuy, Side::kSell}) EXPECT_EQ(filled(full, decided, side), filled(truncated, decided, side)) << closed;
  }
}

TEST(BarWindows, FiveMinuteBarsGiveTheWindowsOfTheirMinutes) {
  const std::vector<Kline> all = minutes(5 * 100, 11);
  std::vector<Kline> five;
  for (std::size_t first = 0; first < all.size(); first += 5) {
    Kline bar = all[first];
    for (std::size_t minute = first + 1; minute < first + 5; ++minute) {
      bar.high = std::max(bar.high, all[minute].high);
      bar.low = std::min(bar.low, all[minute].low);
      bar.volume = bar.volume + all[minute].volume;
    }
    bar.close = all[first + 4].close;
    bar.close_time = all[first + 4].close_time;
    five.push_back(bar);
  }
  EXPECT_EQ(filled(windows_of(all, 16), decision(60), Side::kBuy), filled(windows_of(five, 16, Interval::k5m), decision(60), Side::kBuy));
}

TEST(BarWindows, ChannelsFollowTheirFormulas) {
  // 5m bars: closes 100, 110, 99, 99; each bar's spread 1 around open/close.
  const std::vector<Kline> bars = {bar_at(kStartMs, 100, 100, 1, 10, 5 * kMinuteMs), bar_at(kStartMs + 5 * kMinuteMs, 100, 110, 1, 20, 5 * kMinuteMs),
                                   bar_at(kStartMs + 10 * kMinuteMs, 110, 99, 1, 40, 5 * kMinuteMs),
                                   bar_at(kStartMs + 15 * kMinuteMs, 99, 99, 1, 0, 5 * kMinuteMs)};
  const BarWindows windows = windows_of(bars, 3, Interval::k5m);
  const std::vector<float> long_view = filled(windows, decision(4), Side::kBuy);
  // Bar 1 (the window's first): return ln(110/100), range (111 − 99)/110, body 10/110, close 1 below the high.
  EXPECT_FLOAT_EQ(long_view[0], static_cast<float>(std::log(1.1)));
  EXPECT_FLOAT_EQ(long_view[1], static_cast<float>(12.0 / 110.0));
  EXPECT_FLOAT_EQ(long_view[2], static_cast<float>(10.0 / 110.0));
  EXPECT_FLOAT_EQ(long_view[3], static_cast<float>(11.0 / 12.0 - 0.5));
  // Bar 2: a fall of 11 from 110.
  EXPECT_FLOAT_EQ(long_view[kChannelCount], static_cast<float>(std::log(99.0 / 110.0)));
  // Volume: ln relative to the window's geometric mean; the zero volume counts as kMinVolume.
  const double mean_log = (std::log(20.0) + std::log(40.0) + std::log(kMinVolume)) / 3.0;
  EXPECT_NEAR(long_view[4], std::log(20.0) - mean_log, 1e-5);
  EXPECT_NEAR(long_view[2 * kChannelCount + 4], std::log(kMinVolume) - mean_log, 1e-5);
}

TEST(BarWindows, AShortSeesTheSignedChannelsMirrored) {
  const BarWindows windows = windows_of(minutes(5 * 50, 3), 8);
  const std::vector<float> long_view = filled(windows, decision(40), Side::kBuy);
  const std::vector<float> short_view = filled(windows, decision(40), Side::kSell);
  for (std::size_t at = 0; at < long_view.size(); ++at) {
    const std::string_view channel = kChannelNames[at % kChannelCount];
    const bool signed_channel = channel == "return" || channel == "body" || channel == "close_location";
    EXPECT_EQ(short_view[at], signed_channel ? -long_view[at] : long_view[at]) << channel;
  }
}

TEST(BarWindows, AWindowWithAMissingMinuteOrTooFewBarsIsNotGiven) {
  std::vector<Kline> bars = minutes(5 * 100, 5);
  bars.erase(bars.begin() + 5 * 50 + 2);  // a minute of the 51st 5m bar (index 50)
  const BarWindows windows = windows_of(bars, 10);
  EXPECT_EQ(windows.bars_of("AAAUSDT"), 99U);
  EXPECT_EQ(windows.locate("AAAUSDT", decision(51)).miss, WindowMiss::kNoDecisionBar);  // the incomplete bar itself
  EXPECT_EQ(windows.locate("AAAUSDT", decision(55)).miss, WindowMiss::kHole);
  EXPECT_EQ(windows.locate("AAAUSDT", decision(61)).miss, WindowMiss::kHole);  // bars 50..60: the previous close is missing
  EXPECT_EQ(windows.locate("AAAUSDT", decision(62)).miss, WindowMiss::kNone);
  EXPECT_EQ(windows.locate("AAAUSDT", decision(50)).miss, WindowMiss::kNone);
  EXPECT_EQ(windows.locate("AAAUSDT", decision(10)).miss, WindowMiss::kTooFewBars);  // 10 bars, 11 needed
  EXPECT_EQ(windows.locate("AAAUSDT", decision(11)).miss, WindowMiss::kNone);
  EXPECT_EQ(windows.locate("BBBUSDT", decision(40)).miss, WindowMiss::kUnknownSymbol);
}

TEST(BarWindows, BadInputIsRefusedWithAReason) {
  EXPECT_FALSE(BarWindows::make(1).ok());
  BarWindows windows = BarWindows::make(4).value();
  const std::vector<Kline> hourly = {bar_at(kStartMs, 1, 1, 0.1, 1, 60 * kMinuteMs)};
  EXPECT_FALSE(windows.add("AAAUSDT", Interval::k1h, hourly).ok());
  const std::vector<Kline> backwards = {bar_at(kStartMs + 5 * kMinuteMs, 1, 1, 0.1, 1, 5 * kMinuteMs), bar_at(kStartMs, 1, 1, 0.1, 1, 5 * kMinuteMs)};
  const Status status = windows.add("AAAUSDT", Interval::k5m, backwards);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("does not follow"), std::string::npos) << status.error().message;
}

}  // namespace
}  // namespace winiswin::ml::sequence
