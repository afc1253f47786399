// Virtual positions follow the fill rules of real trades: checked against the simulated
// exchange filling the same trade's real orders on the same bars.
#include "execution/virtual_book.h"

#include <gtest/gtest.h>

#include <map>

#include <fmt/format.h>

#include "../venue/sim/sim_venue_support.h"
#include "execution/executor.h"

namespace winiswin::execution {
namespace {

using sim::test::minute;
using sim::test::test_instrument;
using testing::P;
using testing::Q;

constexpr Milliseconds kTenMinutes{600'000};

journal::TradeRecord long_signal(const char* stop, const char* target) {
  journal::TradeRecord record;
  record.symbol = "TESTUSDT";
  record.side = Side::kBuy;
  record.planned_entry = P("100");
  record.stop = P(stop);
  record.target = P(target);
  record.decided = minute(0, "100", "100", "100", "100").close_time + Milliseconds{1};
  return record;
}

// Bars drifting up from 100 by 1 a minute, never reaching 95 or 120 within 16 minutes.
Kline drifting(std::int64_t index) {
  const std::string open = fmt::format("{}", 100 + index), close = fmt::format("{}.5", 100 + index);
  const std::string high = fmt::format("{}", 101 + index), low = fmt::format("{}.5", 99 + index);
  return minute(index, open.c_str(), high.c_str(), low.c_str(), close.c_str());
}

// The same long, real through the executor and virtual through the book, both held past
// the maximum: both exit at the open after the 5m close where the time ran out, at the
// same price (the MARKET fill with slippage), and enter at the same price.
TEST(VirtualBook, ATimeoutExitsLikeARealOne) {
  sim::SimVenueConfig config;  // default slippage: the fills are not simply the bars' prices
  sim::SimVenue venue({test_instrument()}, {}, config);
  Executor executor(venue, ClientIds::make("bt").value());
  VirtualBook book(1, config.fills, kTenMinutes);
  const Instrument instrument = test_instrument();
  ASSERT_TRUE(venue.on_bar("TESTUSDT", minute(0, "100", "100", "100", "100")).ok());
  ProtectedEntry entry{long_signal("95", "120"), Q("1"), 5};
  ASSERT_FALSE(executor.enter(entry).value().has_value());
  book.open(0, long_signal("95", "120"));
  std::vector<TradeEvent> real;
  std::optional<journal::TradeRecord> virtual_closed;
  std::map<Timestamp, Kline> bars;
  for (std::int64_t index = 1; index <= 16 && !virtual_closed; ++index) {
    const Kline bar = bars[drifting(index).open_time] = drifting(index);
    ASSERT_TRUE(venue.on_bar("TESTUSDT", bar).ok());
    executor.on_events(venue.drain_events(), real);
    virtual_closed = book.on_bar(0, bar, instrument);
    const Timestamp close = bar.close_time + Milliseconds{1};
    if (to_ms(close) % 300'000 != 0) continue;  // decisions at 5m closes only
    book.on_close(0, close);
    if (const auto entered = executor.entry_time("TESTUSDT"); entered && close - *entered >= kTenMinutes) {
      ASSERT_TRUE(executor.exit("TESTUSDT", journal::ExitReason::kTimeout).ok());
    }
  }
  ASSERT_TRUE(virtual_closed.has_value());
  ASSERT_EQ(real.size(), 2u);  // entry filled, then closed
  const journal::TradeRecord& closed = real[1].trade;
  EXPECT_EQ(virtual_closed->exit_reason, journal::ExitReason::kTimeout);
  EXPECT_EQ(closed.exit_reason, journal::ExitReason::kTimeout);
  EXPECT_EQ(virtual_closed->entry_time, closed.entry_time);
  EXPECT_EQ(virtual_closed->entry_price, closed.entry_price);
  EXPECT_EQ(virtual_closed->exit_time, closed.exit_time);
  EXPECT_EQ(virtual_closed->exit_price, closed.exit_price);
  EXPECT_LT(closed.exit_price, bars.at(closed.exit_time).open.to_double());  // a sell, slipped below the open
  EXPECT_TRUE(virtual_closed->is_virtual);
}

TEST(VirtualBook, StopsAndTargetsFillLikeTheVenuesAndOnePositionPerSymbol) {
  VirtualBook book(2, venue::FillModelConfig{true, 0.0, 0.0}, Milliseconds{86'400'000});
  const Instrument instrument = test_instrument();
  book.open(0, long_signal("95", "110"));
  book.open(0, long_signal("90", "130"));  // the symbol holds one: ignored
  EXPECT_TRUE(book.holds(0));
  EXPECT_FALSE(book.holds(1));
  EXPECT_FALSE(book.on_bar(0, minute(1, "100", "101", "99", "100"), instrument).has_value());  // entered at 100
  const auto stopped = book.on_bar(0, minute(2, "96", "97", "94", "94"), instrument);
  ASSERT_TRUE(stopped.has_value());
  EXPECT_EQ(stopped->exit_reason, journal::ExitReason::kStop);
  EXPECT_EQ(stopped->exit_price, 95.0);  // the first stop, not the ignored second signal's
  EXPECT_DOUBLE_EQ(stopped->r_multiple, -1.0);
  EXPECT_FALSE(book.holds(0));
}

TEST(VirtualBook, WhereDataStopsAnEnteredPositionClosesAtTheLastCloseAndAnUnenteredOneLeavesNoLabel) {
  VirtualBook book(2, venue::FillModelConfig{true, 0.0, 0.0}, Milliseconds{86'400'000});
  const Instrument instrument = test_instrument();
  book.open(0, long_signal("95", "110"));
  book.open(1, long_signal("95", "110"));
  ASSERT_FALSE(book.on_bar(0, minute(1, "100", "101", "99", "100"), instrument).has_value());
  const Kline last = minute(2, "100", "102", "99", "101.5");
  ASSERT_FALSE(book.on_bar(0, last, instrument).has_value());
  const auto closed = book.close_at(0, last, journal::ExitReason::kDataGap);
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ(closed->exit_price, 101.5);
  EXPECT_EQ(closed->exit_time, last.close_time + Milliseconds{1});
  EXPECT_EQ(closed->exit_reason, journal::ExitReason::kDataGap);
  EXPECT_FALSE(book.close_at(1, last, journal::ExitReason::kDataGap).has_value());
  EXPECT_FALSE(book.holds(1));
}

}  // namespace
}  // namespace winiswin::execution
