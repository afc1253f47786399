// The simulator behind the Venue interface as Binance shapes it: -4120 on the regular path,
// algo orders (trigger, routing of the order they become, cancel, query, expiry), queries by
// client id, the three submit outcomes and the fault seam that produces "unknown".
#include <gtest/gtest.h>

#include <stdexcept>

#include "venue/sim/sim_venue.h"
#include "venue/sim/sim_venue_support.h"

namespace winiswin::sim {
namespace {

using namespace test;  // NOLINT: the shared helpers of the simulator's tests

TEST(SubmitOutcome, SaysWhichOfTheThreeAndGuardsTheWrongAccess) {
  const auto accepted = venue::SubmitOutcome::accepted_with(venue::OrderAck{7, "e1", OrderStatus::kNew, 0, "", AlgoStatus::kNew});
  EXPECT_TRUE(accepted.accepted());
  EXPECT_FALSE(accepted.rejected() || accepted.unknown());
  EXPECT_EQ(accepted.ack().order_id, 7);
  EXPECT_THROW((void)accepted.error(), std::logic_error);

  const auto rejected = venue::SubmitOutcome::rejected_with(make_rejection(-2019, "Margin is insufficient."));
  EXPECT_EQ(rejected.state(), venue::SubmitState::kRejected);
  EXPECT_EQ(rejected.error().venue_code, -2019);
  EXPECT_THROW((void)rejected.ack(), std::logic_error);

  venue::OrderAck sent;
  sent.client_order_id = "e2";
  const auto unknown = venue::SubmitOutcome::unknown_with(Error{ErrorCode::kUnknownOutcome, "HTTP 503", 0}, sent);
  EXPECT_TRUE(unknown.unknown());
  EXPECT_EQ(unknown.ack().client_order_id, "e2");  // what to query by
  EXPECT_EQ(unknown.ack().order_id, 0);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownOutcome);
}

// Binance since 2025-12-09: conditional types on POST /fapi/v1/order are -4120.
TEST_F(SimVenueTest, ConditionalTypesOnTheRegularPathAreRefusedWith4120) {
  ASSERT_TRUE(venue_.submit(order("entry", Side::kBuy, OrderType::kMarket, "1")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100", "100", "100")).ok());
  (void)venue_.drain_events();
  for (const OrderType type : {OrderType::kStopMarket, OrderType::kTakeProfitMarket}) {
    OrderRequest request = order("cond", Side::kSell, type, "1");
    request.reduce_only = true;
    const venue::SubmitOutcome outcome = venue_.submit(request);
    ASSERT_TRUE(outcome.rejected()) << name_of(type);
    EXPECT_EQ(outcome.error().code, ErrorCode::kRejected);
    EXPECT_EQ(outcome.error().venue_code, -4120) << name_of(type);
    EXPECT_NE(outcome.error().message.find("Please use the Algo Order API endpoints instead."), std::string::npos);
  }
  EXPECT_TRUE(venue_.open_orders("TESTUSDT").value().empty());
  EXPECT_TRUE(venue_.open_algo_orders("TESTUSDT").value().empty());
  EXPECT_TRUE(venue_.drain_events().empty());
  EXPECT_FALSE(venue_.query_order("TESTUSDT", "cond").value().has_value());
}

// A long of 2 at 100 with a closePosition stop at 99: the bar through 99 turns the algo
// order into a MARKET order of its own, and every event of it leads back to the algo order.
TEST_F(SimVenueTest, ATriggeredAlgoStopBecomesAMarketOrderWhoseEventsCarryTheAlgoIds) {
  const venue::SubmitOutcome entry = venue_.submit(order("entry", Side::kBuy, OrderType::kMarket, "2"));
  ASSERT_TRUE(entry.accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100.5", "99.5", "100")).ok());
  const venue::SubmitOutcome placed = venue_.submit_algo(protective("sl", Side::kSell, AlgoOrderType::kStopMarket, "99"));
  ASSERT_TRUE(placed.accepted());
  const std::int64_t algo_id = placed.ack().algo_id;
  EXPECT_NE(algo_id, 0);
  EXPECT_NE(algo_id, entry.ack().order_id);
  EXPECT_EQ(placed.ack().order_id, 0);  // no regular order until it triggers
  EXPECT_EQ(placed.ack().client_algo_id, "sl");
  EXPECT_EQ(placed.ack().algo_status, AlgoStatus::kNew);
  const auto placing = venue_.drain_events();
  const VenueEvent* created = algo_update(placing, "sl", AlgoStatus::kNew);
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->algo_id, algo_id);
  EXPECT_EQ(created->order_id, 0);
  const auto waiting = venue_.query_algo("TESTUSDT", "sl").value();
  ASSERT_TRUE(waiting.has_value());
  EXPECT_EQ(waiting->status, AlgoStatus::kNew);
  EXPECT_EQ(waiting->trigger_price, P("99"));
  EXPECT_TRUE(waiting->close_position);
  EXPECT_FALSE(waiting->actual_order_id.has_value());

  const Kline through = minute(2, "99.8", "99.9", "98.7", "99.2");
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", through).ok());
  const auto events = venue_.drain_events();
  std::vector<VenueEvent::Kind> kinds;
  for (const VenueEvent& event : events) kinds.push_back(event.kind);
  using Kind = VenueEvent::Kind;
  ASSERT_EQ(kinds, (std::vector<Kind>{Kind::kAlgoUpdate, Kind::kOrderUpdate, Kind::kFill, Kind::kPositionChange,
                                      Kind::kBalanceChange, Kind::kAlgoUpdate}));
  const VenueEvent& triggered = events[0];
  EXPECT_EQ(triggered.algo_status, AlgoStatus::kTriggered);
  EXPECT_EQ(triggered.algo_id, algo_id);
  EXPECT_EQ(triggered.cause, EventCause::kAlgoTriggered);
  const std::int64_t order_id = triggered.order_id;  // the regular order it became
  EXPECT_GT(order_id, entry.ack().order_id);
  EXPECT_NE(order_id, algo_id);
  for (const VenueEvent* of_order : {&events[1], &events[2]}) {
    EXPECT_EQ(of_order->order_id, order_id);
    EXPECT_EQ(of_order->client_order_id, "sl");  // the client algo id
    EXPECT_EQ(of_order->algo_id, algo_id);
    EXPECT_EQ(of_order->client_algo_id, "sl");
    EXPECT_EQ(of_order->cause, EventCause::kAlgoTriggered);
  }
  const VenueEvent& fill = events[2];
  EXPECT_EQ(fill.status, OrderStatus::kFilled);
  EXPECT_EQ(fill.side, Side::kSell);
  EXPECT_EQ(fill.price, P("99"));
  EXPECT_EQ(fill.quantity, Q("2"));
  EXPECT_EQ(fill.cumulative_quantity, Q("2"));
  EXPECT_EQ(fill.realized_pnl, N("-2"));  // (99 − 100) · 2
  EXPECT_EQ(fill.fee, N("0.099"));        // 198 · 0.05 %
  EXPECT_EQ(fill.time, through.open_time);
  EXPECT_EQ(fill.received, fill.time);  // the simulator receives as it happens
  EXPECT_EQ(events[4].wallet_balance, wallet_of(venue_));
  const VenueEvent& finished = events[5];
  EXPECT_EQ(finished.algo_status, AlgoStatus::kFinished);
  EXPECT_EQ(finished.order_id, order_id);
  EXPECT_EQ(finished.quantity, Q("2"));
  EXPECT_EQ(finished.price, P("99"));
  EXPECT_TRUE(positions_of(venue_).empty());

  // The queries tell the same story.
  const auto algo_report = venue_.query_algo("TESTUSDT", "sl").value();
  ASSERT_TRUE(algo_report.has_value());
  EXPECT_EQ(algo_report->status, AlgoStatus::kFinished);
  EXPECT_EQ(algo_report->actual_order_id, order_id);
  EXPECT_EQ(algo_report->executed_quantity, Q("2"));
  EXPECT_EQ(algo_report->average_price, P("99"));
  EXPECT_EQ(algo_report->trigger_time, through.open_time);
  const auto order_report = venue_.query_order("TESTUSDT", "sl").value();
  ASSERT_TRUE(order_report.has_value());
  EXPECT_EQ(order_report->order_id, order_id);
  EXPECT_EQ(order_report->type, OrderType::kMarket);
  EXPECT_EQ(order_report->status, OrderStatus::kFilled);
  EXPECT_EQ(order_report->executed_quantity, Q("2"));
  EXPECT_EQ(order_report->average_price, P("99"));
  EXPECT_TRUE(order_report->close_position);
  EXPECT_TRUE(venue_.open_algo_orders("TESTUSDT").value().empty());
}

TEST_F(SimVenueTest, AlgoOrdersAreCancelledAndQueriedByClientAlgoId) {
  ASSERT_TRUE(venue_.submit(order("entry", Side::kBuy, OrderType::kMarket, "1")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100", "100", "100")).ok());
  protect_long("99", "102");
  EXPECT_EQ(code_of(protective("sl", Side::kSell, AlgoOrderType::kStopMarket, "98")), -20132);  // open: duplicated
  const auto open = venue_.open_algo_orders("TESTUSDT").value();
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].client_algo_id, "sl");
  EXPECT_EQ(open[1].client_algo_id, "tp");
  EXPECT_EQ(open[1].type, AlgoOrderType::kTakeProfitMarket);
  const std::int64_t first_tp = open[1].algo_id;

  ASSERT_TRUE(venue_.cancel_algo("TESTUSDT", "tp").ok());
  const auto events = venue_.drain_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, VenueEvent::Kind::kAlgoUpdate);
  EXPECT_EQ(events[0].algo_status, AlgoStatus::kCanceled);
  EXPECT_EQ(events[0].algo_id, first_tp);
  EXPECT_EQ(events[0].cause, EventCause::kOrder);
  EXPECT_EQ(venue_.cancel_algo("TESTUSDT", "tp").error().venue_code, -20124);  // already done
  EXPECT_EQ(venue_.cancel_algo("TESTUSDT", "nope").error().venue_code, -20124);
  // The regular endpoint knows no algo order (Binance: -2011 on the wrong endpoint).
  EXPECT_EQ(venue_.cancel("TESTUSDT", "sl").error().venue_code, -2011);
  EXPECT_FALSE(venue_.query_order("TESTUSDT", "sl").value().has_value());

  const auto cancelled = venue_.query_algo("TESTUSDT", "tp").value();
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(cancelled->status, AlgoStatus::kCanceled);
  EXPECT_FALSE(venue_.query_algo("TESTUSDT", "nope").value().has_value());
  EXPECT_EQ(venue_.query_algo("NOPEUSDT", "sl").error().venue_code, -1121);
  ASSERT_EQ(venue_.open_algo_orders("TESTUSDT").value().size(), 1u);

  // A done client algo id may be used again; the query answers the newest.
  const venue::SubmitOutcome again = venue_.submit_algo(protective("tp", Side::kSell, AlgoOrderType::kTakeProfitMarket, "103"));
  ASSERT_TRUE(again.accepted());
  EXPECT_NE(again.ack().algo_id, first_tp);
  const auto newest = venue_.query_algo("TESTUSDT", "tp").value();
  ASSERT_TRUE(newest.has_value());
  EXPECT_EQ(newest->status, AlgoStatus::kNew);
  EXPECT_EQ(newest->trigger_price, P("103"));
}

// A position closed by a regular order (a timeout exit) takes its closePosition stop and
// take-profit with it; a closePosition order placed while flat waits for a position.
TEST_F(SimVenueTest, ClosePositionAlgoOrdersExpireWhenThePositionCloses) {
  ASSERT_TRUE(venue_.submit_algo(protective("early", Side::kSell, AlgoOrderType::kStopMarket, "90")).accepted());
  ASSERT_TRUE(venue_.submit(order("entry", Side::kBuy, OrderType::kMarket, "1")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100", "100", "100")).ok());
  ASSERT_EQ(venue_.open_algo_orders("TESTUSDT").value().size(), 1u);  // flat when placed, still there
  ASSERT_TRUE(venue_.cancel_algo("TESTUSDT", "early").ok());
  protect_long("99", "102");

  OrderRequest exit = order("exit", Side::kSell, OrderType::kMarket, "1");
  exit.reduce_only = true;
  ASSERT_TRUE(venue_.submit(exit).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(2, "100.5", "100.5", "100.5", "100.5")).ok());
  EXPECT_TRUE(positions_of(venue_).empty());
  const auto events = venue_.drain_events();
  const VenueEvent* fill = first_of(events, VenueEvent::Kind::kFill);
  ASSERT_NE(fill, nullptr);
  EXPECT_EQ(fill->client_order_id, "exit");
  EXPECT_EQ(fill->cause, EventCause::kOrder);
  EXPECT_EQ(fill->algo_id, 0);
  EXPECT_TRUE(fill->client_algo_id.empty());
  for (const char* id : {"sl", "tp"}) {
    const VenueEvent* expired = algo_update(events, id, AlgoStatus::kExpired);
    ASSERT_NE(expired, nullptr) << id;
    EXPECT_EQ(expired->cause, EventCause::kPositionClosed);
    const auto report = venue_.query_algo("TESTUSDT", id).value();
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->status, AlgoStatus::kExpired);
    EXPECT_FALSE(report->actual_order_id.has_value());
  }
  EXPECT_TRUE(venue_.open_algo_orders("TESTUSDT").value().empty());
}

TEST(SimVenueQueries, QueryOrderFindsFilledAndCancelledOrdersAndForgetsTheOldest) {
  SimVenueConfig config;
  config.fills = venue::FillModelConfig{true, 0.0, 0.0};
  config.queryable_done_orders = 2;
  SimVenue venue({test_instrument()}, {}, config);
  ASSERT_TRUE(venue.on_bar("TESTUSDT", minute(0, "100", "100", "100", "100")).ok());
  const venue::SubmitOutcome placed = venue.submit(order("a", Side::kBuy, OrderType::kMarket, "1"));
  ASSERT_TRUE(placed.accepted());
  const auto open = venue.query_order("TESTUSDT", "a").value();
  ASSERT_TRUE(open.has_value());
  EXPECT_EQ(open->status, OrderStatus::kNew);
  EXPECT_EQ(open->order_id, placed.ack().order_id);
  EXPECT_EQ(open->executed_quantity, Q("0"));

  const Kline fill_bar = minute(1, "100.4", "100.4", "100.4", "100.4");
  ASSERT_TRUE(venue.on_bar("TESTUSDT", fill_bar).ok());
  const auto filled = venue.query_order("TESTUSDT", "a").value();
  ASSERT_TRUE(filled.has_value());
  EXPECT_EQ(filled->status, OrderStatus::kFilled);
  EXPECT_EQ(filled->order_id, placed.ack().order_id);
  EXPECT_EQ(filled->original_quantity, Q("1"));
  EXPECT_EQ(filled->executed_quantity, Q("1"));
  EXPECT_EQ(filled->average_price, P("100.4"));
  EXPECT_EQ(filled->update_time, fill_bar.open_time);

  OrderRequest limit = order("b", Side::kBuy, OrderType::kLimit, "1");
  limit.price = P("90");
  ASSERT_TRUE(venue.submit(limit).accepted());
  ASSERT_TRUE(venue.cancel("TESTUSDT", "b").ok());
  const auto cancelled = venue.query_order("TESTUSDT", "b").value();
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(cancelled->status, OrderStatus::kCanceled);
  EXPECT_EQ(cancelled->price, P("90"));
  EXPECT_EQ(cancelled->executed_quantity, Q("0"));

  EXPECT_FALSE(venue.query_order("TESTUSDT", "never-sent").value().has_value());
  EXPECT_EQ(venue.query_order("NOPEUSDT", "a").error().venue_code, -1121);

  // Two done orders are kept: the third forgets the first.
  OrderRequest exit = order("c", Side::kSell, OrderType::kMarket, "1");
  exit.reduce_only = true;
  ASSERT_TRUE(venue.submit(exit).accepted());
  ASSERT_TRUE(venue.on_bar("TESTUSDT", minute(2, "100", "100", "100", "100")).ok());
  EXPECT_FALSE(venue.query_order("TESTUSDT", "a").value().has_value());
  EXPECT_TRUE(venue.query_order("TESTUSDT", "b").value().has_value());
  EXPECT_TRUE(venue.query_order("TESTUSDT", "c").value().has_value());
}

// The fault seam: the answer is lost, the order is not. The caller's only safe move is to
// query by client id; a blind re-send is a duplicate.
TEST_F(SimVenueTest, ALostAckAnswersUnknownWhileTheOrderIsPlaced) {
  venue_.lose_next_ack_for("e1");
  const venue::SubmitOutcome outcome = venue_.submit(order("e1", Side::kBuy, OrderType::kMarket, "1"));
  ASSERT_TRUE(outcome.unknown());
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnknownOutcome);
  EXPECT_EQ(outcome.error().venue_code, -1007);
  EXPECT_EQ(outcome.ack().client_order_id, "e1");
  EXPECT_EQ(outcome.ack().order_id, 0);
  const auto events = venue_.drain_events();  // the stream still tells
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].client_order_id, "e1");
  EXPECT_EQ(events[0].status, OrderStatus::kNew);
  const auto found = venue_.query_order("TESTUSDT", "e1").value();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, OrderStatus::kNew);
  EXPECT_EQ(found->order_id, events[0].order_id);
  EXPECT_EQ(code_of(order("e1", Side::kBuy, OrderType::kMarket, "1")), -4116);  // the blind re-send
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100", "100", "100")).ok());
  ASSERT_EQ(positions_of(venue_).size(), 1u);
  EXPECT_EQ(positions_of(venue_)[0].quantity, Q("1"));  // one entry, not two

  // Once, and only for that id.
  venue_.lose_next_ack_for("e3");
  EXPECT_TRUE(venue_.submit(order("e2", Side::kBuy, OrderType::kMarket, "1")).accepted());
  EXPECT_TRUE(venue_.submit(order("e3", Side::kBuy, OrderType::kMarket, "1")).unknown());
  ASSERT_TRUE(venue_.cancel("TESTUSDT", "e3").ok());
  EXPECT_TRUE(venue_.submit(order("e3", Side::kBuy, OrderType::kMarket, "1")).accepted());
  ASSERT_TRUE(venue_.cancel("TESTUSDT", "e2").ok());
  ASSERT_TRUE(venue_.cancel("TESTUSDT", "e3").ok());

  // A request that never arrived: unknown too, and nothing happened.
  (void)venue_.drain_events();
  venue_.lose_next_ack_for("e5", LostAck::kOrderNotPlaced);
  EXPECT_TRUE(venue_.submit(order("e5", Side::kBuy, OrderType::kMarket, "1")).unknown());
  EXPECT_TRUE(venue_.drain_events().empty());
  EXPECT_FALSE(venue_.query_order("TESTUSDT", "e5").value().has_value());
  // Nor does a lost answer say "accepted": one the venue rejected is unknown and not found.
  venue_.lose_next_ack_for("e6");
  EXPECT_TRUE(venue_.submit(order("e6", Side::kBuy, OrderType::kMarket, "0")).unknown());
  EXPECT_FALSE(venue_.query_order("TESTUSDT", "e6").value().has_value());

  // Algo orders the same way, by client algo id.
  venue_.lose_next_ack_for("sl");
  const venue::SubmitOutcome algo = venue_.submit_algo(protective("sl", Side::kSell, AlgoOrderType::kStopMarket, "99"));
  ASSERT_TRUE(algo.unknown());
  EXPECT_EQ(algo.ack().client_algo_id, "sl");
  const auto algo_found = venue_.query_algo("TESTUSDT", "sl").value();
  ASSERT_TRUE(algo_found.has_value());
  EXPECT_EQ(algo_found->status, AlgoStatus::kNew);
}

// The Algo Service checks margin when an order triggers, not when it is placed: an opening
// stop beyond the margin available then is REJECTED, with the reason, and fills nothing.
TEST_F(SimVenueTest, AnOpeningAlgoOrderWithoutMarginIsRejectedWhenItTriggers) {
  ASSERT_TRUE(venue_.set_leverage("TESTUSDT", 1).ok());
  ASSERT_TRUE(venue_.submit(order("long", Side::kBuy, OrderType::kMarket, "60")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100", "100", "100")).ok());  // 6 000 held
  AlgoOrderRequest breakout;
  breakout.symbol = "TESTUSDT";
  breakout.side = Side::kBuy;
  breakout.type = AlgoOrderType::kStopMarket;
  breakout.trigger_price = P("101");
  breakout.quantity = Q("50");  // 5 050 at 1x, more than the 3 997 free
  breakout.client_algo_id = "breakout";
  ASSERT_TRUE(venue_.submit_algo(breakout).accepted());
  EXPECT_EQ(available_of(venue_), N("10000") - N("6000") - N("3"));  // an algo order holds nothing while it waits
  (void)venue_.drain_events();
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(2, "100", "101.5", "100", "101")).ok());
  const auto events = venue_.drain_events();
  EXPECT_EQ(first_of(events, VenueEvent::Kind::kFill), nullptr);
  const VenueEvent* rejected = algo_update(events, "breakout", AlgoStatus::kRejected);
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->cause, EventCause::kTriggerRejected);
  EXPECT_EQ(rejected->reason, "Margin is insufficient.");
  EXPECT_EQ(positions_of(venue_)[0].quantity, Q("60"));
  const auto report = venue_.query_algo("TESTUSDT", "breakout").value();
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->status, AlgoStatus::kRejected);
  EXPECT_EQ(report->reason, "Margin is insufficient.");
}

// The average entry is reported to 1e-8, nearest: 1 at 100 and 2 at 100.1 average
// 100.0666…, reported 100.06666667.
TEST_F(SimVenueTest, PositionReportsAreExact) {
  ASSERT_TRUE(venue_.submit(order("a", Side::kBuy, OrderType::kMarket, "1")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100", "100", "100")).ok());
  ASSERT_TRUE(venue_.submit(order("b", Side::kBuy, OrderType::kMarket, "2")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(2, "100.1", "100.3", "100.1", "100.3")).ok());
  const auto positions = positions_of(venue_);
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_EQ(positions[0].quantity, Q("3"));
  EXPECT_EQ(positions[0].entry_price, P("100.06666667"));
  EXPECT_EQ(positions[0].mark_price, P("100.3"));
  EXPECT_EQ(positions[0].unrealized_pnl, N("0.7"));  // 100.3 · 3 − 300.2
  EXPECT_EQ(positions[0].margin, N("30.02"));         // 10 + 20.02 at 10x
  EXPECT_EQ(positions[0].liquidation_price, P("0"));  // no brackets: no liquidation modelled
}

}  // namespace
}  // namespace winiswin::sim
