// The zones the report keeps: those the strategy saw around each real trade, whichever of the
// zone's changes and the trade's record comes first; the others are dropped once no trade can
// reach them.
#include "report/trade_zones.h"

#include <gtest/gtest.h>

#include <chrono>

namespace winiswin::report {
namespace {

using namespace std::chrono_literals;
using Type = structure::ZoneChange::Type;

const Timestamp kT0 = timestamp_from_ms(1'675'209'600'000);  // 2023-02-01 00:00 UTC

Timestamp at(std::chrono::minutes offset) { return kT0 + offset; }

structure::ZoneChange gap(Type type, std::chrono::minutes start, std::chrono::minutes time, int direction = 1) {
  return structure::ZoneChange{type, structure::ZoneKind::kFairValueGap, direction, at(start), at(time), Price::from_units(2),
                               Price::from_units(1)};
}

journal::TradeRecord trade(const std::string& symbol, std::chrono::minutes entry, std::chrono::minutes exit) {
  journal::TradeRecord record;
  record.symbol = symbol;
  record.entry_time = at(entry);
  record.exit_time = at(exit);
  return record;
}

// 3 h before an entry, 1 h after an exit, ended zones held for 30 h.
TradeZones book() { return TradeZones(3h, 1h, 30h); }

TEST(TradeZones, AZoneOpenDuringATradeIsKeptWithItsLaterEnd) {
  TradeZones zones = book();
  const structure::ZoneChange appeared = gap(Type::kAppeared, 0min, 30min);
  zones.on_changes("ALGOUSDT", {&appeared, 1});
  zones.on_trade(trade("ALGOUSDT", 600min, 700min));
  ASSERT_EQ(zones.zones("ALGOUSDT").size(), 1u);
  EXPECT_FALSE(zones.zones("ALGOUSDT")[0].end);
  const structure::ZoneChange ended = gap(Type::kEnded, 0min, 900min);
  zones.on_changes("ALGOUSDT", {&ended, 1});
  ASSERT_EQ(zones.zones("ALGOUSDT").size(), 1u);
  EXPECT_EQ(zones.zones("ALGOUSDT")[0].start, at(0min));
  EXPECT_EQ(zones.zones("ALGOUSDT")[0].known, at(30min));
  EXPECT_EQ(zones.zones("ALGOUSDT")[0].end, at(900min));
  EXPECT_EQ(zones.zones("ALGOUSDT")[0].top, Price::from_units(2));
  EXPECT_TRUE(zones.zones("AVAXUSDT").empty());  // another symbol's trade keeps nothing of it
}

TEST(TradeZones, ZonesEndedBeforeATradeIsRecordedAreKeptWhenInItsWindow) {
  TradeZones zones = book();
  // The changes come ahead of the trade's record: one ended inside the window before the
  // entry, one ended before the window, one ended after the exit's hour.
  const std::vector<structure::ZoneChange> changes{
      gap(Type::kAppeared, 0min, 15min),    gap(Type::kEnded, 0min, 500min),  // in: ended 100 min before the entry
      gap(Type::kAppeared, 15min, 30min, -1), gap(Type::kEnded, 15min, 300min, -1),  // out: ended 5 h before the entry
      gap(Type::kAppeared, 45min, 800min),  gap(Type::kEnded, 45min, 900min),  // out: appeared 1 h 40 after the exit
  };
  zones.on_changes("FILUSDT", changes);
  zones.on_trade(trade("FILUSDT", 600min, 700min));
  ASSERT_EQ(zones.zones("FILUSDT").size(), 1u);
  EXPECT_EQ(zones.zones("FILUSDT")[0].start, at(0min));
  EXPECT_EQ(zones.zones("FILUSDT")[0].end, at(500min));
}

TEST(TradeZones, ZonesAppearingAfterATradeWithinItsWindowAreKept) {
  TradeZones zones = book();
  zones.on_trade(trade("DOTUSDT", 600min, 700min));
  const std::vector<structure::ZoneChange> changes{gap(Type::kAppeared, 700min, 750min), gap(Type::kAppeared, 760min, 775min, -1)};
  zones.on_changes("DOTUSDT", changes);
  ASSERT_EQ(zones.zones("DOTUSDT").size(), 1u);  // 775 min is past the exit's hour
  EXPECT_EQ(zones.zones("DOTUSDT")[0].known, at(750min));
}

TEST(TradeZones, ASymbolStartedOverEndsItsZones) {
  TradeZones zones = book();
  const std::vector<structure::ZoneChange> changes{gap(Type::kAppeared, 0min, 15min), gap(Type::kAppeared, 15min, 30min, -1)};
  zones.on_changes("LINKUSDT", changes);
  zones.on_trade(trade("LINKUSDT", 60min, 90min));
  structure::ZoneChange restart{Type::kAllEnded, {}, 0, {}, at(2000min), {}, {}};
  zones.on_changes("LINKUSDT", {&restart, 1});
  ASSERT_EQ(zones.zones("LINKUSDT").size(), 2u);
  for (const DrawnZone& zone : zones.zones("LINKUSDT")) EXPECT_EQ(zone.end, at(2000min));
}

TEST(TradeZones, EndedZonesFarFromAnyTradeAreNotKept) {
  TradeZones zones = book();
  // A zone a day for 100 days, none near a trade: nothing kept, and only the last 30 h held.
  for (int day = 0; day < 100; ++day) {
    const auto start = std::chrono::minutes{day * 1440};
    const std::vector<structure::ZoneChange> changes{gap(Type::kAppeared, start, start + 15min), gap(Type::kEnded, start, start + 60min)};
    zones.on_changes("NEARUSDT", changes);
  }
  EXPECT_EQ(zones.kept(), 0u);
  zones.on_trade(trade("NEARUSDT", 99 * 1440min + 120min, 99 * 1440min + 150min));
  EXPECT_EQ(zones.kept(), 1u);  // the last day's, ended 1 h before the entry
  zones.on_trade(trade("NEARUSDT", 1440min, 1500min));  // one back in time (not a run's order): its zone was dropped
  EXPECT_EQ(zones.kept(), 1u);
}

}  // namespace
}  // namespace winiswin::report
