// The executor against the simulated exchange (the same Venue interface Binance implements),
// with its fault-injection seam for the answers a real exchange loses.
#include "execution/executor.h"

#include <gtest/gtest.h>

#include "../venue/sim/sim_venue_support.h"
#include "support/entries.h"
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
  class BrokenJournal final : public journal::Recorder {
   public:
    Status trade(const journal::TradeRecord&) override { return Ok{}; }
    Status virtual_position(const journal::TradeRecord&) override { return Ok{}; }
    Status equity(const journal::EquityPoint&) override { return Ok{}; }
    Status refusal(const journal::RefusalRecord&) override { return Ok{}; }
    Status transition(const risk::StateTransition&) override { return Ok{}; }
    Status order(const journal::OrderRecord&) override { return make_error(ErrorCode::kIo, "disk full"); }
    Status fill(const journal::FillRecord&) override { return Ok{}; }
  } broken;
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
