// Our Binance client against our loopback venue, over real HTTP on loopback: the executor
// places a protected entry through BinanceVenue → RestClient → HttpClient → HttpServer →
// LoopbackExchange (the simulator), the user-data events come back as Binance's JSON and
// through our stream parser, and the trade closes at its stop. Then the failures a real
// exchange produces: a lost answer, and an algo order invisible to queries after it was placed.
// (User-data events are taken from the exchange here and run through our parser; the
// stream itself is user_stream_client_test.cpp's.)
#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "../sim/sim_venue_support.h"
#include "client_test_support.h"
#include "support/exchange_clock.h"
#include "execution/executor.h"
#include "execution/reconciler.h"
#include "venue/binance/binance_venue.h"
#include "venue/binance/rest_account.h"
#include "venue/binance/user_stream.h"

namespace winiswin::binance {
namespace {

using testing::Q;

class LoopbackRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = test::falling_market_venue();
    ASSERT_TRUE(server_->start().ok());
    exchange_ = &server_->exchange();
    clock_ = std::make_unique<testing::ExchangeClock>(*exchange_);
    RestClientConfig rest_config;
    rest_config.timeout = Milliseconds{400};
    rest_ = std::make_unique<RestClient>(http_, net::Endpoint{net::Scheme::kHttp, "127.0.0.1", server_->port()},
                                         RequestSigner::create(Credentials{ApiKey(test::kKey), Secret(test::kSecret)}).value(), *clock_, rest_config);
    venue_ = std::make_unique<BinanceVenue>(*rest_);
    listen_key_ = parse_listen_key(rest_->call("POST", "/fapi/v1/listenKey", QueryParams{}, Security::kApiKey, RequestCost{1, 0}).value())
                      .value();
  }
  // One more minute closes; its user-data messages come back through our parser.
  void advance_minute() {
    ASSERT_TRUE(exchange_->advance_to(exchange_->now() + Milliseconds{60'000}).ok());
    deliver_events();
  }
  void deliver_events() {
    const auto messages = exchange_->take_user_messages(listen_key_);
    ASSERT_TRUE(messages.ok()) << messages.error().message;
    for (const loopback::UserStreamMessage& message : *messages) {
      auto parsed = parse_user_data_message(message.json, exchange_->now());
      ASSERT_TRUE(parsed.ok()) << parsed.error().message << "\n" << message.json;
      if (auto* events = std::get_if<std::vector<venue::VenueEvent>>(&*parsed)) venue_->push_events(std::move(*events));
    }
  }

  std::unique_ptr<loopback::LoopbackServer> server_;
  loopback::LoopbackExchange* exchange_ = nullptr;
  net::HttpClient http_;
  std::unique_ptr<testing::ExchangeClock> clock_;
  std::unique_ptr<RestClient> rest_;
  std::unique_ptr<BinanceVenue> venue_;
  std::string listen_key_;
};

TEST_F(LoopbackRoundTrip, AProtectedEntryFillsAndClosesAtItsStop) {
  execution::Executor executor(*venue_, execution::ClientIds::make("lt").value());
  ASSERT_FALSE(executor.enter(test::protected_long()).value().has_value());
  EXPECT_EQ(venue_->open_algo_orders("TESTUSDT").value().size(), 2u);  // stop and target at the venue
  std::vector<execution::TradeEvent> trades;
  advance_minute();  // minute 60: the entry fills at 100
  executor.on_events(venue_->drain_events(), trades);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].kind, execution::TradeEvent::Kind::kEntryFilled);
  const auto positions = venue_->positions().value();
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_EQ(positions[0].quantity, Q("1"));
  advance_minute();  // minute 61: nothing
  advance_minute();  // minute 62: down through 95, the stop triggers
  executor.on_events(venue_->drain_events(), trades);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[1].kind, execution::TradeEvent::Kind::kClosed);
  EXPECT_EQ(trades[1].trade.exit_reason, journal::ExitReason::kStop);
  EXPECT_LT(trades[1].trade.pnl, 0.0);
  EXPECT_TRUE(venue_->positions().value().empty());
  EXPECT_TRUE(venue_->open_algo_orders("TESTUSDT").value().empty());  // the target was canceled (not OCO)
}

// The entry's answer is lost (the venue placed it, the client timed out): the executor asks by
// client id, finds it, and goes on; one order, one fill.
TEST_F(LoopbackRoundTrip, ALostAnswerIsQueriedAndNeverSentTwice) {
  loopback::FaultConfig faults;
  faults.lose_answer_for = {"lt-1-E"};
  faults.lost_answer = loopback::LostAnswer::kNoAnswer;
  exchange_->set_faults(faults);
  execution::Executor executor(*venue_, execution::ClientIds::make("lt").value());
  std::vector<bool> calls;
  executor.observe_calls([&](bool failed) { calls.push_back(failed); });
  ASSERT_FALSE(executor.enter(test::protected_long()).value().has_value());
  EXPECT_EQ(std::count(calls.begin(), calls.end(), true), 1);  // the timeout, heard by the breaker
  advance_minute();
  std::vector<execution::TradeEvent> trades;
  executor.on_events(venue_->drain_events(), trades);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(venue_->positions().value().at(0).quantity, Q("1"));  // not 2
}

// The stop's answer is lost and Binance's algo queries lag: the query says "not found", the
// retry under the same client id is refused as a duplicate — so the first stands. Exactly one
// stop protects the position.
TEST_F(LoopbackRoundTrip, ALaggingAlgoQueryDoesNotDoubleTheStop) {
  loopback::FaultConfig faults;
  faults.lose_answer_for = {"lt-1-S"};
  faults.algo_query_lag = Milliseconds{90'000};
  exchange_->set_faults(faults);
  execution::Executor executor(*venue_, execution::ClientIds::make("lt").value());
  ASSERT_FALSE(executor.enter(test::protected_long()).value().has_value());
  EXPECT_TRUE(venue_->open_algo_orders("TESTUSDT").value().empty());  // still lagging: not even listed
  ASSERT_TRUE(exchange_->advance_to(exchange_->now() + Milliseconds{120'000}).ok());  // the lag is over (before the fall)
  const auto algos = venue_->open_algo_orders("TESTUSDT").value();
  EXPECT_EQ(std::count_if(algos.begin(), algos.end(), [](const venue::AlgoOrderReport& a) { return a.type == venue::AlgoOrderType::kStopMarket; }), 1);
  EXPECT_TRUE(executor.holds("TESTUSDT"));  // not withdrawn for want of a stop it has
  ASSERT_EQ(venue_->positions().value().size(), 1u);
}

// A restart after the stop was canceled by hand: reconciliation over the real client puts it back.
TEST_F(LoopbackRoundTrip, ReconciliationPutsBackAStopCanceledWhileDown) {
  journal::MemoryRecorder journal;
  {
    execution::Executor executor(*venue_, execution::ClientIds::make("lt").value());
    executor.journal_to(journal, [this] { return exchange_->now(); });
    ASSERT_FALSE(executor.enter(test::protected_long()).value().has_value());
    advance_minute();
    std::vector<execution::TradeEvent> trades;
    executor.on_events(venue_->drain_events(), trades);
  }
  ASSERT_TRUE(venue_->cancel_algo("TESTUSDT", "lt-1-S").ok());
  const execution::ClientIds ids = execution::ClientIds::make("lt").value();
  const std::vector<std::string> symbols{"TESTUSDT"};
  const auto holdings = execution::read_holdings(*venue_, symbols).value();
  std::map<std::string, Instrument, std::less<>> instruments{{"TESTUSDT", sim::test::test_instrument()}};
  const auto plan = execution::plan_reconciliation(holdings, execution::open_trades(journal.orders, journal.fills, ids), instruments, ids, 2);
  ASSERT_EQ(plan.actions.size(), 1u);
  ASSERT_TRUE(execution::apply_reconciliation(*venue_, plan, symbols).ok());
  advance_minute();
  advance_minute();  // minute 62: the restored stop catches the fall
  EXPECT_TRUE(venue_->positions().value().empty());
}

}  // namespace
}  // namespace winiswin::binance
