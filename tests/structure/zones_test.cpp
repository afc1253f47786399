// ZoneWatch: the zones of a StructureSet as they appear and end, read from its events — and
// the order blocks pushed out by newer ones, which no event announces.
#include "structure/zones.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <tuple>

#include "data/kline_file.h"
#include "support/shared_data.h"

namespace winiswin::structure {
namespace {

using Type = ZoneChange::Type;

Kline bar_at(BarIndex index, double open, double high, double low, double close) {
  Kline bar;
  bar.open_time = timestamp_from_ms(1'700'000'000'000 / 900'000 * 900'000 + index * 900'000);
  bar.close_time = bar.open_time + Milliseconds{899'999};
  bar.open = Price::from_double(open).value();
  bar.high = Price::from_double(high).value();
  bar.low = Price::from_double(low).value();
  bar.close = Price::from_double(close).value();
  bar.volume = Quantity::from_units(100);
  return bar;
}

std::vector<ZoneChange> watch(StructureSet& set, const std::vector<Kline>& bars) {
  ZoneWatch zones;
  std::vector<ZoneChange> changes;
  for (const Kline& bar : bars) {
    zones.before(set);
    set.update(bar, StructureInputs{});
    zones.after(set, bar, changes);
  }
  return changes;
}

TEST(ZoneWatch, AGapAppearsWhenConfirmedAndEndsWhenPriceComesBack) {
  StructureSet set;
  // Bar 1 leaves a gap up between bar 0's high (10) and bar 2's low (11); bar 4 trades back into it.
  const std::vector<Kline> bars{bar_at(0, 9.5, 10, 9, 9.8), bar_at(1, 9.8, 12, 9.8, 11.8), bar_at(2, 11.8, 12.5, 11, 12.2),
                                bar_at(3, 12.2, 13, 12, 12.8), bar_at(4, 12.8, 12.9, 10.5, 10.8)};
  const std::vector<ZoneChange> changes = watch(set, bars);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].type, Type::kAppeared);
  EXPECT_EQ(changes[0].kind, ZoneKind::kFairValueGap);
  EXPECT_EQ(changes[0].direction, 1);
  EXPECT_EQ(changes[0].start, bars[1].open_time);  // where: the middle bar
  EXPECT_EQ(changes[0].time, bars[2].open_time);   // known with bar 2
  EXPECT_EQ(changes[0].top, Price::from_units(11));
  EXPECT_EQ(changes[0].bottom, Price::from_units(10));
  EXPECT_EQ(changes[1].type, Type::kEnded);
  EXPECT_EQ(changes[1].start, bars[1].open_time);
  EXPECT_EQ(changes[1].time, bars[4].open_time);
}

// Every block qualifies and none is retested out: over months of 5m bars the open zones the
// changes leave are the detector's blocks.
TEST(ZoneWatch, OpenOrderBlocksAreTheDetectorsIncludingThosePushedOut) {
  WINISWIN_SHARED_FILE(input, "data/klines/futures_um_ohlcv_only/BTCUSDT-5m-2025-09_10.csv.gz");
  const KlineSeries series = load_klines(input).value();
  StructureConfig config;
  config.order_blocks.min_volume_ratio = 0.0;
  config.order_blocks.min_rejection = -1.0;
  config.order_blocks.max_retests = std::numeric_limits<int>::max();
  StructureSet set(config);
  ZoneWatch zones;
  std::vector<ZoneChange> changes;
  std::size_t invalidated = 0;
  for (const Kline& bar : series.bars) {
    zones.before(set);
    for (const StructureEvent& event : set.update(bar, StructureInputs{})) invalidated += event.kind == EventKind::kOrderBlockInvalidated ? 1 : 0;
    zones.after(set, bar, changes);
  }
  using Key = std::tuple<int, Timestamp>;
  std::vector<Key> open;
  std::size_t appeared = 0, ended = 0;
  for (const ZoneChange& change : changes) {
    if (change.kind != ZoneKind::kOrderBlock) continue;
    const Key key{change.direction, change.start};
    const auto found = std::find(open.begin(), open.end(), key);
    if (change.type == Type::kAppeared) {
      EXPECT_EQ(found, open.end());  // a zone's name is unique while it lives
      open.push_back(key);
      ++appeared;
    } else {
      ASSERT_NE(found, open.end());  // only what appeared ends
      open.erase(found);
      ++ended;
    }
  }
  std::vector<Key> held;
  for (const OrderBlock& block : set.order_blocks().active()) held.emplace_back(block.direction, block.candle_time);
  std::sort(open.begin(), open.end());
  std::sort(held.begin(), held.end());
  EXPECT_EQ(open, held);
  EXPECT_EQ(ended, invalidated);  // none pushed out here: the next test does that
  EXPECT_GT(invalidated, 0u);
  EXPECT_GT(appeared, ended);
}

// A staircase up: every step breaks the last swing high and leaves a block below that price
// never closes through. Beyond kMaxActive the oldest is pushed out, silently in the events.
TEST(ZoneWatch, AnOrderBlockPushedOutByNewerOnesEnds) {
  StructureConfig config;
  config.swing_left = 2;
  config.swing_right = 2;
  config.order_blocks.min_volume_ratio = 0.0;
  config.order_blocks.min_rejection = -1.0;
  StructureSet set(config);
  std::vector<Kline> bars;
  for (int step = 0; step < 60; ++step) {
    const double base = 10.0 + step;
    const BarIndex at = 5 * step;
    bars.push_back(bar_at(at, base, base + 0.3, base - 0.1, base + 0.25));
    bars.push_back(bar_at(at + 1, base + 0.25, base + 0.6, base + 0.2, base + 0.55));
    bars.push_back(bar_at(at + 2, base + 0.55, base + 0.9, base + 0.5, base + 0.85));  // the swing high
    bars.push_back(bar_at(at + 3, base + 0.85, base + 0.87, base + 0.6, base + 0.65));
    bars.push_back(bar_at(at + 4, base + 0.65, base + 0.7, base + 0.55, base + 0.6));  // the block's candle
  }
  const std::vector<ZoneChange> changes = watch(set, bars);
  std::vector<ZoneChange> appeared, ended;
  for (const ZoneChange& change : changes) {
    if (change.kind != ZoneKind::kOrderBlock) continue;
    (change.type == Type::kAppeared ? appeared : ended).push_back(change);
  }
  ASSERT_EQ(set.order_blocks().active().size(), OrderBlockDetector::kMaxActive);
  ASSERT_GT(appeared.size(), OrderBlockDetector::kMaxActive);
  ASSERT_EQ(ended.size(), appeared.size() - OrderBlockDetector::kMaxActive);
  // The first block (step 0's dip, below step 1's break) went when the 33rd formed.
  EXPECT_EQ(ended[0].start, bars[4].open_time);
  EXPECT_EQ(ended[0].direction, 1);
  EXPECT_EQ(ended[0].top, Price::parse("10.7").value());
  EXPECT_EQ(ended[0].start, appeared[0].start);
  EXPECT_EQ(ended[0].time, appeared[OrderBlockDetector::kMaxActive].time);
}

}  // namespace
}  // namespace winiswin::structure
