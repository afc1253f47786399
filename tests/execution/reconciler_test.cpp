// Start-up reconciliation against the simulated exchange: a restarted process finds what the
// venue holds, puts back what protection is missing, and refuses to start when it cannot.
#include "execution/reconciler.h"

#include <gtest/gtest.h>

#include "../venue/sim/sim_venue_support.h"
#include "execution/executor.h"
#include "journal/recorder.h"
#include "support/entries.h"
#include "support/forwarding_venue.h"

namespace winiswin::execution {
namespace {

using sim::test::minute;
using sim::test::test_instrument;
using testing::P;
using testing::Q;

const std::vector<std::string> kSymbols{"TESTUSDT"};

class ReconcilerTest : public ::testing::Test {
 protected:
  ReconcilerTest() : venue_({test_instrument()}, {}, venue_config()), ids_(ClientIds::make("live").value()) {
    EXPECT_TRUE(venue_.on_bar("TESTUSDT", minute(0, "100", "100", "100", "100")).ok());
    instruments_.emplace("TESTUSDT", test_instrument());
  }
  static sim::SimVenueConfig venue_config() {
    sim::SimVenueConfig config;
    config.fills = venue::FillModelConfig{true, 0.0, 0.0};
    return config;
  }
  // The previous process: a long of 1 at 100, stop 95, target 110, filled; its journal kept.
  void open_long_in_previous_process() {
    Executor executor(venue_, ids_);
    executor.journal_to(journal_, [] { return timestamp_from_ms(1'767'225'600'000); });
    ASSERT_FALSE(executor.enter(testing::protected_entry("TESTUSDT", Side::kBuy, "100", "95", "110")).value().has_value());
    bar(1, "100", "100.5", "99.5", "100");
    std::vector<TradeEvent> events;
    executor.on_events(venue_.drain_events(), events);
    ASSERT_EQ(journal_.fills.size(), 1u);
  }
  void bar(std::int64_t index, const char* open, const char* high, const char* low, const char* close) {
    ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(index, open, high, low, close)).ok());
  }
  // The new process: the journal's open trades and the venue's holdings, planned.
  ReconcilePlan plan(std::int64_t next_trade = 2) {
    const auto trades = open_trades(journal_.orders, journal_.fills, ids_);
    const VenueHoldings holdings = read_holdings(venue_, kSymbols).value();
    return plan_reconciliation(holdings, trades, instruments_, ids_, next_trade);
  }
  std::vector<venue::AlgoOrderReport> algo_orders() { return venue_.open_algo_orders("TESTUSDT").value(); }

  sim::SimVenue venue_;
  ClientIds ids_;
  journal::MemoryRecorder journal_;
  std::map<std::string, Instrument, std::less<>> instruments_;
};

TEST_F(ReconcilerTest, TheJournalShowsWhichTradesAreOpenWithTheirLevels) {
  open_long_in_previous_process();
  const auto trades = open_trades(journal_.orders, journal_.fills, ids_);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].trade, 1);
  EXPECT_EQ(trades[0].side, Side::kBuy);
  EXPECT_EQ(trades[0].stop, P("95"));
  EXPECT_EQ(trades[0].target, P("110"));
  EXPECT_EQ(trades[0].entered, minute(1, "0", "0", "0", "0").open_time);  // its entry's fill: the holding time runs from it
  EXPECT_TRUE(plan().actions.empty());  // fully protected: nothing to do
}

TEST_F(ReconcilerTest, AStopCanceledWhileTheProcessWasDownIsPutBack) {
  open_long_in_previous_process();
  ASSERT_TRUE(venue_.cancel_algo("TESTUSDT", "live-1-S").ok());
  const ReconcilePlan restore = plan();
  ASSERT_EQ(restore.actions.size(), 1u);
  EXPECT_EQ(restore.actions[0].kind, ReconcileAction::Kind::kPlaceStop);
  EXPECT_EQ(restore.actions[0].algo.trigger_price, P("95"));
  EXPECT_EQ(restore.actions[0].algo.client_algo_id, "live-1-R");
  const std::size_t journaled = journal_.orders.size();
  ASSERT_TRUE(apply_reconciliation(venue_, restore, kSymbols, &journal_, timestamp_from_ms(1'767'229'300'000)).ok());
  EXPECT_EQ(algo_orders().size(), 2u);  // the target and the restored stop
  ASSERT_EQ(journal_.orders.size(), journaled + 2);  // journaled as the executor journals: intent, then answer
  EXPECT_EQ(journal_.orders[journaled].client_id, "live-1-R");
  EXPECT_EQ(journal_.orders[journaled].step, journal::OrderStep::kSent);
  EXPECT_EQ(journal_.orders[journaled + 1].step, journal::OrderStep::kAccepted);
  EXPECT_EQ(journal_.orders[journaled].trigger_price, P("95"));
  bar(2, "96", "96", "94", "94.5");     // the restored stop protects the position
  EXPECT_TRUE(sim::test::positions_of(venue_).empty());
}

TEST_F(ReconcilerTest, ASecondStopIsCanceledAndOursKept) {
  open_long_in_previous_process();
  ASSERT_TRUE(venue_.submit_algo(sim::test::protective("manual7", Side::kSell, venue::AlgoOrderType::kStopMarket, "97")).accepted());
  const ReconcilePlan trim = plan();
  ASSERT_EQ(trim.actions.size(), 1u);
  EXPECT_EQ(trim.actions[0].kind, ReconcileAction::Kind::kCancelAlgo);
  EXPECT_EQ(trim.actions[0].client_id, "manual7");
  ASSERT_TRUE(apply_reconciliation(venue_, trim, kSymbols).ok());
  EXPECT_EQ(algo_orders().size(), 2u);
}

TEST_F(ReconcilerTest, APositionTheJournalDoesNotKnowIsAdoptedWithAFallbackStop) {
  ASSERT_TRUE(venue_.submit(sim::test::order("by-hand-1", Side::kSell, venue::OrderType::kMarket, "2")).accepted());
  bar(1, "100", "100.5", "99.5", "100");  // a short of 2 at 100
  const ReconcilePlan adopt = plan(7);
  ASSERT_EQ(adopt.adopted.size(), 1u);
  EXPECT_EQ(adopt.adopted[0].trade, 7);
  EXPECT_EQ(adopt.adopted[0].side, Side::kSell);
  EXPECT_EQ(adopt.adopted[0].stop, P("103"));  // 3 % above the entry, on the tick
  ASSERT_EQ(adopt.actions.size(), 1u);
  EXPECT_EQ(adopt.actions[0].algo.client_algo_id, "live-7-R");
  EXPECT_EQ(adopt.actions[0].algo.side, Side::kBuy);
  ASSERT_TRUE(apply_reconciliation(venue_, adopt, kSymbols).ok());
}

TEST_F(ReconcilerTest, AStopThePriceHasPassedBecomesACloseAtMarket) {
  open_long_in_previous_process();
  ASSERT_TRUE(venue_.cancel_algo("TESTUSDT", "live-1-S").ok());
  bar(2, "96", "96", "93.5", "94");  // below the stop with no stop to catch it
  const ReconcilePlan close = plan();
  ASSERT_EQ(close.actions.size(), 1u);
  EXPECT_EQ(close.actions[0].kind, ReconcileAction::Kind::kCloseAtMarket);
  EXPECT_TRUE(close.actions[0].order.reduce_only);
  EXPECT_EQ(close.actions[0].order.quantity, Q("1"));
  ASSERT_TRUE(apply_reconciliation(venue_, close, kSymbols).ok());
  bar(3, "94", "94.5", "93.8", "94");
  EXPECT_TRUE(sim::test::positions_of(venue_).empty());
}

TEST_F(ReconcilerTest, OurOrdersOnAFlatSymbolGoAndOthersStay) {
  ASSERT_TRUE(venue_.submit_algo(sim::test::protective("live-4-S", Side::kSell, venue::AlgoOrderType::kStopMarket, "90")).accepted());
  ASSERT_TRUE(venue_.submit_algo(sim::test::protective("manual8", Side::kSell, venue::AlgoOrderType::kStopMarket, "91")).accepted());
  const ReconcilePlan tidy = plan();
  ASSERT_EQ(tidy.actions.size(), 1u);
  EXPECT_EQ(tidy.actions[0].client_id, "live-4-S");
  ASSERT_EQ(tidy.notes.size(), 1u);
  EXPECT_NE(tidy.notes[0].find("manual8"), std::string::npos);
  ASSERT_TRUE(apply_reconciliation(venue_, tidy, kSymbols).ok());
  ASSERT_EQ(algo_orders().size(), 1u);
  EXPECT_EQ(algo_orders()[0].client_algo_id, "manual8");
}

// After a restart the executor takes the open trade back under its own number (the restored
// stop's fill closes it as a stop) and numbers new trades after the journal's last.
TEST_F(ReconcilerTest, ARestartedExecutorAdoptsTheOpenTradeAndNumbersOnFromTheJournal) {
  open_long_in_previous_process();
  ASSERT_TRUE(venue_.cancel_algo("TESTUSDT", "live-1-S").ok());
  ASSERT_TRUE(apply_reconciliation(venue_, plan(), kSymbols).ok());
  EXPECT_EQ(next_trade_number(journal_.orders, ids_), 2);

  Executor restarted(venue_, ids_);
  restarted.continue_numbering(next_trade_number(journal_.orders, ids_));
  const auto trades = open_trades(journal_.orders, journal_.fills, ids_);
  ASSERT_EQ(trades.size(), 1u);
  journal::TradeRecord record;
  record.symbol = trades[0].symbol;
  record.side = trades[0].side;
  record.stop = trades[0].stop;
  record.target = trades[0].target;
  record.entry_price = sim::test::positions_of(venue_).at(0).entry_price.to_double();
  restarted.adopt(trades[0].trade, record, Q("1"), testing::N("100"));
  EXPECT_TRUE(restarted.is_filled("TESTUSDT"));

  bar(2, "96", "96", "94", "94.5");  // through the restored stop
  std::vector<TradeEvent> events;
  restarted.on_events(venue_.drain_events(), events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, TradeEvent::Kind::kClosed);
  EXPECT_EQ(events[0].trade.exit_reason, journal::ExitReason::kStop);
  EXPECT_FALSE(restarted.holds("TESTUSDT"));

  journal::MemoryRecorder later;
  restarted.journal_to(later, [] { return timestamp_from_ms(1'767'229'400'000); });
  ASSERT_FALSE(restarted.enter(testing::protected_entry("TESTUSDT", Side::kSell, "94.5", "99", "90")).value().has_value());
  EXPECT_EQ(later.orders.front().client_id, "live-2-E");  // not live-1-E again
}

// The engine must not start when protection cannot be put back, nor when the venue cannot
// say what it holds.
TEST_F(ReconcilerTest, FailingToProtectOrToReadTheHoldingsFailsTheStart) {
  open_long_in_previous_process();
  ASSERT_TRUE(venue_.cancel_algo("TESTUSDT", "live-1-S").ok());
  class RefusingStops final : public testing::ForwardingVenue {
   public:
    using ForwardingVenue::ForwardingVenue;
    venue::SubmitOutcome submit_algo(const venue::AlgoOrderRequest&) override {
      return venue::SubmitOutcome::rejected_with(Error{ErrorCode::kRejected, "Order would immediately trigger.", -2021});
    }
  } refusing(venue_);
  const Status failed = apply_reconciliation(refusing, plan(), kSymbols);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("not exactly one stop on TESTUSDT (0 stops)"), std::string::npos) << failed.error().message;
  EXPECT_NE(failed.error().message.find("immediately trigger"), std::string::npos) << failed.error().message;

  class Unreadable final : public testing::ForwardingVenue {
   public:
    using ForwardingVenue::ForwardingVenue;
    Result<std::vector<venue::PositionReport>> positions() override { return make_error(ErrorCode::kUnknownOutcome, "HTTP 503"); }
  } unreadable(venue_);
  const auto holdings = read_holdings(unreadable, kSymbols);
  ASSERT_FALSE(holdings.ok());  // never "no positions"
}

}  // namespace
}  // namespace winiswin::execution
