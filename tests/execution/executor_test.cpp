// The executor against the simulated exchange (the same Venue interface Binance implements),
// with its fault-injection seam for the answers a real exchange loses.
#include "execution/executor.h"
#include "execution/reconciler.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../venue/sim/sim_venue_support.h"
#include "support/entries.h"
#include "support/failing_recorder.h"
#include "support/forwarding_venue.h"

namespace winiswin::execution {
namespace {

using sim::test::minute;
using sim::test::test_instrument;
using testing::P;
using testing::Q;

class ExecutorTest : public ::testing::Test {
 protected:
  ExecutorTest() : venue_({test_instrument()}, {}, venue_config()), executor_(venue_, ClientIds::make("bt").value()) {
    EXPECT_TRUE(venue_.on_bar("TESTUSDT", minute(0, "100", "100", "100", "100")).ok());
  }
  static sim::SimVenueConfig venue_config() {
    sim::SimVenueConfig config;
    config.fills = venue::FillModelConfig{true, 0.0, 0.0};  // no slippage: prices are the bar's
    return config;
  }
  // A long of 1 at 100 with its stop at `stop` and target at `target`.
  ProtectedEntry long_entry(const char* stop = "95", const char* target = "110") {
    return testing::protected_entry("TESTUSDT", Side::kBuy, "100", stop, target);
  }
  std::vector<TradeEvent> step(std::int64_t index, const char* open, const char* high, const char* low, const char* close) {
    EXPECT_TRUE(venue_.on_bar("TESTUSDT", minute(index, open, high, low, close)).ok());
    std::vector<TradeEvent> events;
    executor_.on_events(venue_.drain_events(), events);
    return events;
  }
  std::size_t open_orders() { return venue_.open_orders("TESTUSDT").value().size(); }
  std::size_t open_algo_orders() { return venue_.open_algo_orders("TESTUSDT").value().size(); }

  sim::SimVenue venue_;
  Executor executor_;
};

TEST_F(ExecutorTest, AnEntryIsProtectedAtTheVenueByAStopAndATarget) {
  ASSERT_FALSE(executor_.enter(long_entry()).value().has_value());
  EXPECT_EQ(open_orders(), 1u);       // the MARKET entry, filling at the next bar's open
  EXPECT_EQ(open_algo_orders(), 2u);  // stop-loss and take-profit, closePosition
  const auto filled = step(1, "100", "101", "99", "100");
  ASSERT_EQ(filled.size(), 1u);
  EXPECT_EQ(filled[0].kind, TradeEvent::Kind::kEntryFilled);
  EXPECT_EQ(filled[0].notional, testing::N("100"));
  EXPECT_TRUE(executor_.is_filled("TESTUSDT"));
  // The stop triggers: the trade closes as a stop, and no protective leg is left behind.
  const auto stopped = step(2, "99", "99", "94", "95");
  ASSERT_EQ(stopped.size(), 1u);
  EXPECT_EQ(stopped[0].kind, TradeEvent::Kind::kClosed);
  EXPECT_EQ(stopped[0].trade.exit_reason, journal::ExitReason::kStop);
  EXPECT_EQ(stopped[0].trade.exit_price, 95.0);
  EXPECT_DOUBLE_EQ(stopped[0].trade.r_multiple, -1.0);
  EXPECT_EQ(open_algo_orders(), 0u);
  EXPECT_FALSE(executor_.holds("TESTUSDT"));
}

// A lost answer is not a refusal: the executor asks the venue by client id before anything
// else, and never sends the entry twice.
TEST_F(ExecutorTest, AnUnknownOutcomeIsQueriedNotResent) {
  venue_.lose_next_ack_for("bt-1-E", sim::LostAck::kOrderPlaced);
  ASSERT_FALSE(executor_.enter(long_entry()).value().has_value());
  EXPECT_EQ(open_orders(), 1u);
  EXPECT_EQ(open_algo_orders(), 2u);

  Executor other(venue_, ClientIds::make("other").value());
  venue_.lose_next_ack_for("other-1-E", sim::LostAck::kOrderNotPlaced);
  const auto refused = other.enter(long_entry()).value();  // another run's executor: its own ids
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->message.find("not found by client id"), std::string::npos) << refused->message;
  EXPECT_EQ(open_orders(), 1u);  // still only the first entry
}

// Every venue call is reported to the observer (the circuit breaker's input): a lost answer
// is a failure, the query after it and a refusal by a rule are served calls.
TEST_F(ExecutorTest, EveryVenueCallIsReportedServedOrFailed) {
  std::vector<bool> calls;
  executor_.observe_calls([&](bool failed) { calls.push_back(failed); });
  venue_.lose_next_ack_for("bt-1-E", sim::LostAck::kOrderPlaced);
  ASSERT_FALSE(executor_.enter(long_entry()).value().has_value());
  // leverage, the entry (answer lost), its query, the stop, the target
  EXPECT_EQ(calls, (std::vector<bool>{false, true, false, false, false}));

  calls.clear();
  Executor other(venue_, ClientIds::make("other").value());
  other.observe_calls([&](bool failed) { calls.push_back(failed); });
  const auto refused = other.enter(long_entry("100.5")).value();  // the venue refuses the stop (-2021): withdrawn
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->venue_code, -2021);
  EXPECT_GE(calls.size(), 4u);  // leverage, entry, stop, the withdrawal's cancels
  EXPECT_EQ(std::count(calls.begin(), calls.end(), true), 0);  // refusals are answers, not failures
}

// Each order's steps are journaled, the intent before the call; an entry whose intent cannot
// be journaled is not sent, while protection and exits are never held back by the journal.
TEST_F(ExecutorTest, OrdersAreJournaledIntentFirstAndAnUnjournaledEntryIsNotSent) {
  journal::MemoryRecorder journal;
  executor_.journal_to(journal, [] { return timestamp_from_ms(60'000); });
  venue_.lose_next_ack_for("bt-1-E", sim::LostAck::kOrderPlaced);
  ASSERT_FALSE(executor_.enter(long_entry()).value().has_value());
  std::vector<std::string> seen;
  for (const journal::OrderRecord& order : journal.orders) seen.push_back(order.client_id + " " + std::string(name_of(order.step)));
  EXPECT_EQ(seen, (std::vector<std::string>{"bt-1-E sent", "bt-1-E unknown", "bt-1-E found", "bt-1-S sent", "bt-1-S accepted",
                                            "bt-1-T sent", "bt-1-T accepted"}));
  EXPECT_EQ(journal.orders[3].type, "STOP_MARKET");
  EXPECT_EQ(journal.orders[3].trigger_price, P("95"));
  step(1, "100", "101", "99", "100");
  ASSERT_EQ(journal.fills.size(), 1u);
  EXPECT_EQ(journal.fills[0].client_id, "bt-1-E");
  EXPECT_EQ(journal.fills[0].price, P("100"));
  EXPECT_TRUE(executor_.journal_status().ok());

  // A journal that cannot write: no new entry goes out.
  testing::FailingRecorder broken({.orders = true});
  Executor other(venue_, ClientIds::make("other").value());
  other.journal_to(broken, [] { return timestamp_from_ms(120'000); });
  const auto refused = other.enter(long_entry());
  ASSERT_TRUE(refused.ok());
  ASSERT_TRUE(refused->has_value());
  EXPECT_NE((*refused)->message.find("disk full"), std::string::npos);
  EXPECT_EQ(open_orders(), 0u);  // the first trade's entry filled; nothing new was sent
  EXPECT_FALSE(other.journal_status().ok());
  // The first executor's exit still goes out although its journal is fine: unaffected.
  ASSERT_TRUE(executor_.exit("TESTUSDT", journal::ExitReason::kTimeout).ok());
}

// Binance's algo queries can answer "not found" for minutes after a placement whose answer
// was lost: the retry under the same client id is refused as a duplicate, which says the
// first one stands — the entry stays protected by exactly one stop, nothing is withdrawn.
TEST_F(ExecutorTest, ADuplicateRefusalOfARetriedStopMeansTheFirstStands) {
  class LaggingAlgoQueries final : public testing::ForwardingVenue {
   public:
    using ForwardingVenue::ForwardingVenue;
    Result<std::optional<venue::AlgoOrderReport>> query_algo(const std::string&, const std::string&) override {
      return std::optional<venue::AlgoOrderReport>{};  // not found (yet)
    }
  } lagging(venue_);
  Executor executor(lagging, ClientIds::make("lag").value());
  venue_.lose_next_ack_for("lag-1-S", sim::LostAck::kOrderPlaced);
  ASSERT_FALSE(executor.enter(long_entry()).value().has_value());
  EXPECT_TRUE(executor.holds("TESTUSDT"));
  EXPECT_EQ(open_algo_orders(), 2u);  // one stop, one target
  EXPECT_EQ(open_orders(), 1u);       // the entry, waiting for its bar
}

// A stop the venue refuses (it would trigger at once) means no protection: the entry is
// withdrawn and nothing stays open.
TEST_F(ExecutorTest, AnEntryThatCannotBeProtectedIsWithdrawn) {
  const auto refused = executor_.enter(long_entry("100.5")).value();  // a long's stop above the price
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->venue_code, -2021);
  EXPECT_EQ(open_orders(), 0u);
  EXPECT_EQ(open_algo_orders(), 0u);
  EXPECT_TRUE(step(1, "100", "101", "99", "100").empty());
  EXPECT_TRUE(sim::test::positions_of(venue_).empty());
}

// A timeout exit goes first; the stop stays at the venue until the exit has filled.
TEST_F(ExecutorTest, ATimeoutExitsFirstAndCancelsProtectionAfterItFills) {
  ASSERT_FALSE(executor_.enter(long_entry()).value().has_value());
  step(1, "100", "101", "99", "100");
  ASSERT_TRUE(executor_.exit("TESTUSDT", journal::ExitReason::kTimeout).ok());
  EXPECT_EQ(open_algo_orders(), 2u);  // still protected while the exit waits for its fill
  ASSERT_TRUE(executor_.exit("TESTUSDT", journal::ExitReason::kTimeout).ok());  // asked again before it filled: not sent twice
  EXPECT_EQ(open_orders(), 1u);
  const auto closed = step(2, "103", "104", "102", "103");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].trade.exit_reason, journal::ExitReason::kTimeout);
  EXPECT_EQ(closed[0].trade.exit_price, 103.0);
  EXPECT_EQ(open_algo_orders(), 0u);
  EXPECT_FALSE(executor_.holds("TESTUSDT"));
}

TEST_F(ExecutorTest, ShutdownLetsNoNewExposureThrough) {
  executor_.allow_new_exposure(false);
  const auto refused = executor_.enter(long_entry()).value();
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->message.find("SHUTDOWN"), std::string::npos);
  EXPECT_EQ(open_orders(), 0u);
  executor_.allow_new_exposure(true);
  EXPECT_FALSE(executor_.enter(long_entry()).value().has_value());
}

// Binance reports a MARKET order that walks the book as one event per part.
venue::VenueEvent fill(const char* client_id, Side side, const char* price, const char* quantity, const char* fee = "0.01",
                       const char* pnl = "0", venue::EventCause cause = venue::EventCause::kOrder) {
  venue::VenueEvent event;
  event.kind = venue::VenueEvent::Kind::kFill;
  event.time = minute(5, "100", "100", "100", "100").open_time;
  event.symbol = "TESTUSDT";
  event.cause = cause;
  event.client_order_id = client_id;
  event.side = side;
  event.price = P(price);
  event.quantity = Q(quantity);
  event.fee = testing::N(fee);
  event.realized_pnl = testing::N(pnl);
  return event;
}

// An entry in parts is one trade at the parts' average; its exit in parts closes it only
// when the parts cover the position, at their average, with every part's fee and PnL.
TEST_F(ExecutorTest, FillsInPartsAreSummedIntoOneTrade) {
  ASSERT_FALSE(executor_.enter(long_entry()).value().has_value());
  std::vector<TradeEvent> events;
  executor_.on_events({fill("bt-1-E", Side::kBuy, "100", "0.4"), fill("bt-1-E", Side::kBuy, "101", "0.6")}, events);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].kind, TradeEvent::Kind::kEntryFilled);
  EXPECT_EQ(events[1].notional, testing::N("100.6"));  // the exposure so far: 40 + 60.6
  events.clear();
  executor_.on_events({fill("bt-1-S", Side::kSell, "95", "0.5", "0.01", "-2.7")}, events);
  EXPECT_TRUE(events.empty());  // half the position is still open
  EXPECT_TRUE(executor_.holds("TESTUSDT"));
  executor_.on_events({fill("bt-1-S", Side::kSell, "94", "0.5", "0.01", "-3.2")}, events);
  ASSERT_EQ(events.size(), 1u);
  const journal::TradeRecord& trade = events[0].trade;
  EXPECT_EQ(trade.exit_reason, journal::ExitReason::kStop);
  EXPECT_DOUBLE_EQ(trade.entry_price, 100.6);
  EXPECT_DOUBLE_EQ(trade.quantity, 1.0);
  EXPECT_DOUBLE_EQ(trade.exit_price, 94.5);
  EXPECT_DOUBLE_EQ(trade.fees, 0.04);
  EXPECT_DOUBLE_EQ(trade.pnl, -5.9 - 0.04);
  EXPECT_FALSE(executor_.holds("TESTUSDT"));
  EXPECT_EQ(open_algo_orders(), 0u);  // the target went with the close
}

// The venue's own closes (liquidation, ADL, a delisting's settlement) and a close by hand
// end the trade with their reason; an order by hand with the position grows it.
TEST_F(ExecutorTest, ForcedAndManualClosesAreRecordedWithTheirReason) {
  struct Case {
    const char* client_id;
    venue::EventCause cause;
    journal::ExitReason reason;
  };
  for (const Case& c : {Case{"autoclose-1", venue::EventCause::kLiquidation, journal::ExitReason::kLiquidation},
                        Case{"adl_autoclose", venue::EventCause::kAutoDeleverage, journal::ExitReason::kAutoDeleverage},
                        Case{"settlement_autoclose-1", venue::EventCause::kSettlement, journal::ExitReason::kSettlement},
                        Case{"web_Xk2", venue::EventCause::kOrder, journal::ExitReason::kManual}}) {
    SCOPED_TRACE(c.client_id);
    Executor executor(venue_, ClientIds::make(fmt::format("r{}", static_cast<int>(c.reason))).value());
    ASSERT_FALSE(executor.enter(long_entry()).value().has_value());
    std::vector<TradeEvent> events;
    const std::string entry_id = fmt::format("r{}-1-E", static_cast<int>(c.reason));
    executor.on_events({fill(entry_id.c_str(), Side::kBuy, "100", "1"), fill("web_add", Side::kBuy, "102", "0.5")}, events);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].notional, testing::N("151"));  // grown by hand: 100 + 51
    events.clear();
    executor.on_events({fill(c.client_id, Side::kSell, "90", "1.5", "0", "-16", c.cause)}, events);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, TradeEvent::Kind::kClosed);
    EXPECT_EQ(events[0].trade.exit_reason, c.reason);
    EXPECT_DOUBLE_EQ(events[0].trade.quantity, 1.5);
    EXPECT_FALSE(executor.holds("TESTUSDT"));
  }
}

// supervise(): the running check of each trade against the venue's holdings.
class SupervisionTest : public ExecutorTest {
 protected:
  SupervisionTest() {
    EXPECT_FALSE(executor_.enter(long_entry()).value().has_value());
    step(1, "100", "101", "99", "100");  // the entry fills
  }
  std::vector<TradeEvent> check(venue::Venue& venue, std::int64_t seconds) {
    const std::vector<std::string> symbols{"TESTUSDT"};
    std::vector<TradeEvent> events;
    executor_.supervise(read_holdings(venue, symbols).value(), start_ + Milliseconds{seconds * 1000}, kGrace, events);
    return events;
  }
  std::vector<venue::AlgoOrderReport> stops() {
    std::vector<venue::AlgoOrderReport> stops;
    const auto open = venue_.open_algo_orders("TESTUSDT");
    for (const auto& algo : open.value()) {
      if (algo.type == venue::AlgoOrderType::kStopMarket) stops.push_back(algo);
    }
    return stops;
  }
  static constexpr Milliseconds kGrace{30'000};
  Timestamp start_ = minute(2, "100", "100", "100", "100").open_time;
};

// A stop canceled by hand is put back once two checks a grace period apart both miss it.
TEST_F(SupervisionTest, AStopCanceledByHandIsPutBackOnce) {
  ASSERT_TRUE(venue_.cancel_algo("TESTUSDT", "bt-1-S").ok());
  (void)venue_.drain_events();
  EXPECT_TRUE(check(venue_, 0).empty());
  EXPECT_TRUE(check(venue_, 10).empty());
  EXPECT_TRUE(stops().empty());  // one look is not proof: not yet
  EXPECT_TRUE(check(venue_, 31).empty());
  ASSERT_EQ(stops().size(), 1u);
  EXPECT_EQ(stops()[0].client_algo_id, "bt-1-R");
  EXPECT_EQ(stops()[0].trigger_price, P("95"));
  for (const std::int64_t later : {40, 80, 120}) EXPECT_TRUE(check(venue_, later).empty());
  EXPECT_EQ(stops().size(), 1u);  // never a second
  // The stop put back closes the trade, and the trade's target goes with it.
  const auto stopped = step(3, "99", "99", "94", "95");
  ASSERT_EQ(stopped.size(), 1u);
  EXPECT_EQ(stopped[0].trade.exit_reason, journal::ExitReason::kStop);
  EXPECT_EQ(open_algo_orders(), 0u);
}

// Binance's algo lists can miss an order for minutes after it was placed: the check asks by
// client id before putting anything back.
TEST_F(SupervisionTest, AStopALaggingListHidesIsNotPlacedTwice) {
  struct LaggingList : testing::ForwardingVenue {
    using ForwardingVenue::ForwardingVenue;
    Result<std::vector<venue::AlgoOrderReport>> open_algo_orders(const std::string&) override {
      return std::vector<venue::AlgoOrderReport>{};
    }
  } lagging(venue_);
  for (const std::int64_t seconds : {0, 31, 62, 93}) EXPECT_TRUE(check(lagging, seconds).empty());
  ASSERT_EQ(stops().size(), 1u);
  EXPECT_EQ(stops()[0].client_algo_id, "bt-1-S");
}

// The events of a stop's fill were missed (a stream gap): the trade is closed from the
// stop's own report, and its target canceled.
TEST_F(SupervisionTest, ATradeWhosePositionVanishedIsClosedFromItsOrders) {
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(2, "99", "99", "94", "95")).ok());
  (void)venue_.drain_events();  // lost
  EXPECT_TRUE(check(venue_, 0).empty());
  EXPECT_TRUE(executor_.holds("TESTUSDT"));
  const auto closed = check(venue_, 31);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].kind, TradeEvent::Kind::kClosed);
  EXPECT_EQ(closed[0].trade.exit_reason, journal::ExitReason::kStop);
  EXPECT_DOUBLE_EQ(closed[0].trade.exit_price, 95.0);
  EXPECT_DOUBLE_EQ(closed[0].trade.r_multiple, -1.0);
  EXPECT_FALSE(executor_.holds("TESTUSDT"));
  EXPECT_EQ(open_algo_orders(), 0u);
}

// A timeout exit refused as reducing nothing (-2022) is the venue saying the position is
// gone: the next look settles the trade without waiting out the grace.
TEST_F(SupervisionTest, AnExitRefusedAsReducingNothingSettlesAtTheNextLook) {
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(2, "99", "99", "94", "95")).ok());
  (void)venue_.drain_events();  // the stop's fill, lost
  const Status exit = executor_.exit("TESTUSDT", journal::ExitReason::kTimeout);
  ASSERT_FALSE(exit.ok());
  EXPECT_EQ(exit.error().venue_code, -2022);
  const auto closed = check(venue_, 0);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].trade.exit_reason, journal::ExitReason::kStop);
  EXPECT_FALSE(executor_.holds("TESTUSDT"));
}

// A venue whose order queries fail for a while (an overloaded exchange): the executor cannot
// tell whether an order whose answer was lost stands.
struct UnansweredQueries : testing::ForwardingVenue {
  using ForwardingVenue::ForwardingVenue;
  Result<std::optional<venue::OrderStatusReport>> query_order(const std::string& symbol, const std::string& id) override {
    if (failing) return make_error(ErrorCode::kUnknownOutcome, "GET /fapi/v1/order: HTTP 503");
    return inner_.query_order(symbol, id);
  }
  bool failing = true;
};

// An entry whose answer was lost, asked for in vain: kept in doubt, never sent again — and
// when it turns out to have filled, protected at once.
TEST_F(ExecutorTest, AnEntryInDoubtThatFillsIsProtectedWhenItsFillComes) {
  UnansweredQueries venue(venue_);
  Executor executor(venue, ClientIds::make("bt").value());
  venue_.lose_next_ack_for("bt-1-E", sim::LostAck::kOrderPlaced);
  const auto refused = executor.enter(long_entry()).value();
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->message.find("asking for it failed"), std::string::npos) << refused->message;
  EXPECT_TRUE(executor.holds("TESTUSDT"));  // in doubt: the symbol takes no other entry
  EXPECT_EQ(open_algo_orders(), 0u);
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "101", "99", "100")).ok());  // it stood: it fills
  std::vector<TradeEvent> events;
  executor.on_events(venue.drain_events(), events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, TradeEvent::Kind::kEntryFilled);
  EXPECT_EQ(open_algo_orders(), 2u);  // its stop and target, placed on the fill
  EXPECT_EQ(open_orders(), 0u);       // the entry was never sent twice
}

// One that never stood is withdrawn once the venue, answering again, does not know it on two
// looks a grace apart.
TEST_F(ExecutorTest, AnEntryInDoubtThatNeverStoodIsWithdrawn) {
  UnansweredQueries venue(venue_);
  Executor executor(venue, ClientIds::make("bt").value());
  venue_.lose_next_ack_for("bt-1-E", sim::LostAck::kOrderNotPlaced);
  ASSERT_TRUE(executor.enter(long_entry()).value().has_value());
  EXPECT_TRUE(executor.holds("TESTUSDT"));
  const std::vector<std::string> symbols{"TESTUSDT"};
  const Timestamp now = minute(1, "100", "100", "100", "100").open_time;
  std::vector<TradeEvent> events;
  executor.supervise(read_holdings(venue, symbols).value(), now, Milliseconds{30'000}, events);
  EXPECT_TRUE(events.empty());  // the venue still does not answer
  venue.failing = false;
  executor.supervise(read_holdings(venue, symbols).value(), now + Milliseconds{5'000}, Milliseconds{30'000}, events);
  EXPECT_TRUE(events.empty());  // "not found" once is not proof
  executor.supervise(read_holdings(venue, symbols).value(), now + Milliseconds{40'000}, Milliseconds{30'000}, events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, TradeEvent::Kind::kWithdrawn);
  EXPECT_FALSE(executor.holds("TESTUSDT"));
}

TEST(ClientIds, RoundTripAndOthersIdsAreNotOurs) {
  const ClientIds ids = ClientIds::make("run7").value();
  EXPECT_EQ(ids.id(42, Leg::kStop), "run7-42-S");
  const auto ref = ids.parse("run7-42-S");
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(ref->trade, 42);
  EXPECT_EQ(ref->leg, Leg::kStop);
  for (const Leg leg : {Leg::kEntry, Leg::kStop, Leg::kTarget, Leg::kExit, Leg::kCloseOut, Leg::kRestoredStop,
                        Leg::kRestoredTarget, Leg::kReconcileClose}) {
    EXPECT_EQ(ids.parse(ids.id(7, leg))->leg, leg);
  }
  for (const char* foreign : {"run8-42-S", "run7-42-Z", "run7--S", "run7-x-S", "autoclose-1767225600000", "run7-42", ""}) {
    EXPECT_FALSE(ids.parse(foreign).has_value()) << foreign;
  }
  EXPECT_FALSE(ClientIds::make("").ok());
  EXPECT_FALSE(ClientIds::make("has-dash").ok());
  EXPECT_FALSE(ClientIds::make("seventeen_letters").ok());
}

}  // namespace
}  // namespace winiswin::execution
