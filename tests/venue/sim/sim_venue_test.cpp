#include "venue/sim/sim_venue.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "venue/sim/sim_venue_support.h"

namespace winiswin::sim {
namespace {

using namespace test;  // NOLINT: the shared helpers of the simulator's tests

TEST_F(SimVenueTest, RejectsWhatBinanceRejectsWithItsCodes) {
  EXPECT_EQ(code_of(order("bad id!", Side::kBuy, OrderType::kMarket, "1")), -4015);
  OrderRequest unknown = order("a", Side::kBuy, OrderType::kMarket, "1");
  unknown.symbol = "NOPEUSDT";
  EXPECT_EQ(code_of(unknown), -1121);
  OrderRequest limit = order("c", Side::kBuy, OrderType::kLimit, "1");
  limit.price = P("99.95");
  EXPECT_EQ(code_of(limit), -4014);
  limit.price = P("0.05");
  EXPECT_EQ(code_of(limit), -4013);
  AlgoOrderRequest stop = protective("d", Side::kSell, AlgoOrderType::kStopMarket, "0");
  EXPECT_EQ(code_of(stop), -4006);
  EXPECT_EQ(code_of(order("e", Side::kBuy, OrderType::kMarket, "0")), -4003);
  EXPECT_EQ(code_of(order("f", Side::kBuy, OrderType::kMarket, "1.0005")), -4023);
  EXPECT_EQ(code_of(order("g", Side::kBuy, OrderType::kMarket, "101")), -4005);
  EXPECT_EQ(code_of(order("h", Side::kBuy, OrderType::kMarket, "0.04")), -4164);  // 4 USDT < 5
  OrderRequest reduce = order("i", Side::kSell, OrderType::kMarket, "1");
  reduce.reduce_only = true;
  EXPECT_EQ(code_of(reduce), -2022);  // no position to reduce
  AlgoOrderRequest immediate = protective("j", Side::kSell, AlgoOrderType::kStopMarket, "100.5");
  EXPECT_EQ(code_of(immediate), -2021);  // a SELL stop above the last price 100 triggers at once
  OrderRequest huge = order("k", Side::kBuy, OrderType::kLimit, "1000");
  huge.price = P("100.1");  // 100 100 USDT at 10x needs 10 010 > 10 000
  EXPECT_EQ(code_of(huge), -2019);
  // Algo orders: closePosition goes without quantity and reduceOnly; reduce-only needs a position.
  AlgoOrderRequest with_quantity = protective("l", Side::kSell, AlgoOrderType::kStopMarket, "99");
  with_quantity.quantity = Q("1");
  EXPECT_EQ(code_of(with_quantity), -1106);
  AlgoOrderRequest also_reduce = protective("m", Side::kSell, AlgoOrderType::kStopMarket, "99");
  also_reduce.reduce_only = true;
  EXPECT_EQ(code_of(also_reduce), -1128);
  AlgoOrderRequest reduce_stop = protective("n", Side::kSell, AlgoOrderType::kStopMarket, "99");
  reduce_stop.close_position = false;
  reduce_stop.quantity = Q("1");
  reduce_stop.reduce_only = true;
  EXPECT_EQ(code_of(reduce_stop), -2022);
  AlgoOrderRequest bad_algo_id = protective("bad id!", Side::kSell, AlgoOrderType::kStopMarket, "99");
  EXPECT_EQ(code_of(bad_algo_id), -4015);
  EXPECT_TRUE(venue_.open_algo_orders("TESTUSDT").value().empty());
}

TEST_F(SimVenueTest, MarginDuplicateIdsAndLeverage) {
  ASSERT_TRUE(venue_.set_leverage("TESTUSDT", 2).ok());
  ASSERT_TRUE(venue_.submit(order("m1", Side::kBuy, OrderType::kMarket, "99")).accepted());  // holds 9 900 / 2 = 4 950
  EXPECT_EQ(code_of(order("m1", Side::kBuy, OrderType::kMarket, "1")), -4116);
  ASSERT_TRUE(venue_.submit(order("m2", Side::kBuy, OrderType::kMarket, "99")).accepted());  // 4 950 of the 5 050 left
  EXPECT_EQ(code_of(order("m3", Side::kBuy, OrderType::kMarket, "10")), -2019);        // 500 > 100
  EXPECT_EQ(available_of(venue_), N("100"));
  EXPECT_EQ(venue_.set_leverage("TESTUSDT", 200).error().venue_code, -4028);
  EXPECT_EQ(venue_.cancel("TESTUSDT", "nope").error().venue_code, -2011);
  ASSERT_TRUE(venue_.cancel("TESTUSDT", "m1").ok());
  ASSERT_TRUE(venue_.cancel("TESTUSDT", "m2").ok());
  EXPECT_TRUE(venue_.open_orders("TESTUSDT").value().empty());
  EXPECT_EQ(available_of(venue_), N("10000"));
}

// One-way mode: an order against the position first closes it, so only the part beyond the
// position needs margin.
TEST_F(SimVenueTest, OrdersAgainstThePositionNeedMarginOnlyBeyondIt) {
  ASSERT_TRUE(venue_.set_leverage("TESTUSDT", 1).ok());
  ASSERT_TRUE(venue_.submit(order("long", Side::kBuy, OrderType::kMarket, "90")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100", "100", "100")).ok());  // 9 000 of margin held
  const Notional free = available_of(venue_);
  ASSERT_EQ(free, N("10000") - N("9000") - N("4.5"));  // and the taker fee paid
  // Selling the 90 held (not reduce-only) opens nothing: accepted, holds nothing more.
  ASSERT_TRUE(venue_.submit(order("flat", Side::kSell, OrderType::kMarket, "90")).accepted());
  EXPECT_EQ(available_of(venue_), free);
  ASSERT_TRUE(venue_.cancel("TESTUSDT", "flat").ok());
  // Selling 100 would open a 10-unit short: 1 000 of margin, more than the 995.5 free.
  EXPECT_EQ(code_of(order("flip", Side::kSell, OrderType::kMarket, "100")), -2019);
  ASSERT_TRUE(venue_.submit(order("flip9", Side::kSell, OrderType::kMarket, "99")).accepted());  // 900 beyond: fits
  ASSERT_TRUE(venue_.cancel("TESTUSDT", "flip9").ok());
  // Buying more needs margin for all of it.
  EXPECT_EQ(code_of(order("more", Side::kBuy, OrderType::kMarket, "10")), -2019);
}

TEST_F(SimVenueTest, MarketEntryThenTakeProfitWithExactFeesAndPnl) {
  ASSERT_TRUE(venue_.submit(order("entry", Side::kBuy, OrderType::kMarket, "2")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100.2", "100.9", "99.8", "100.5")).ok());
  // Filled at the open 100.2: notional 200.4, taker fee 0.05 % = 0.1002.
  auto positions = positions_of(venue_);
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_EQ(positions[0].quantity, Q("2"));
  EXPECT_EQ(positions[0].entry_price, P("100.2"));
  EXPECT_EQ(positions[0].mark_price, P("100.5"));
  EXPECT_EQ(positions[0].unrealized_pnl, N("0.6"));  // (100.5 − 100.2) · 2, exact
  EXPECT_EQ(wallet_of(venue_), N("9999.8998"));

  protect_long("99", "102");
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(2, "100.5", "102.3", "100.1", "102.1")).ok());
  EXPECT_TRUE(positions_of(venue_).empty());
  // Sold 2 at 102: PnL (102 − 100.2)·2 = 3.6; fee 204 · 0.05 % = 0.102.
  EXPECT_EQ(wallet_of(venue_), N("9999.8998") + N("3.6") - N("0.102"));
  const auto events = venue_.drain_events();
  const VenueEvent* fill = first_of(events, VenueEvent::Kind::kFill);
  ASSERT_NE(fill, nullptr);
  EXPECT_EQ(fill->client_algo_id, "tp");
  EXPECT_EQ(fill->realized_pnl, N("3.6"));
  EXPECT_EQ(fill->fee, N("0.102"));
  // The stop expires with the position.
  EXPECT_NE(algo_update(events, "sl", AlgoStatus::kExpired), nullptr);
  EXPECT_TRUE(venue_.open_algo_orders("TESTUSDT").value().empty());
}

TEST_F(SimVenueTest, ABarTouchingBothCountsTheStopAndGapsFillAtTheOpen) {
  ASSERT_TRUE(venue_.submit(order("entry", Side::kBuy, OrderType::kMarket, "1")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100.5", "99.5", "100")).ok());
  protect_long("99", "101");
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(2, "100.8", "101.5", "98.5", "100")).ok());
  const auto events = venue_.drain_events();
  const VenueEvent* fill = first_of(events, VenueEvent::Kind::kFill);
  ASSERT_NE(fill, nullptr);
  EXPECT_EQ(fill->client_algo_id, "sl");
  EXPECT_EQ(fill->price, P("99"));

  // A short whose stop is gapped through: filled at the open, worse than the stop.
  ASSERT_TRUE(venue_.submit(order("short", Side::kSell, OrderType::kMarket, "1")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(3, "100", "100.4", "99.6", "100")).ok());
  ASSERT_TRUE(venue_.submit_algo(protective("ssl", Side::kBuy, AlgoOrderType::kStopMarket, "101")).accepted());
  (void)venue_.drain_events();
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(4, "103", "104", "102.5", "103.5")).ok());
  const auto gap = venue_.drain_events();
  const VenueEvent* gap_fill = first_of(gap, VenueEvent::Kind::kFill);
  ASSERT_NE(gap_fill, nullptr);
  EXPECT_EQ(gap_fill->price, P("103"));
  EXPECT_NE(gap_fill->reason.find("gap"), std::string::npos);
  EXPECT_EQ(gap_fill->realized_pnl, N("-3"));
}

// workingType MARK_PRICE: a wick on the contract that the mark never saw does not stop the
// position out; when the mark reaches the stop, the fill is on the contract bar.
TEST_F(SimVenueTest, MarkPriceStopsIgnoreContractWicksAndFillOnTheContract) {
  ASSERT_TRUE(venue_.submit(order("entry", Side::kBuy, OrderType::kMarket, "1")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100.5", "99.5", "100")).ok());
  AlgoOrderRequest on_mark = protective("sl-mark", Side::kSell, AlgoOrderType::kStopMarket, "99");
  on_mark.working_type = venue::WorkingType::kMarkPrice;
  ASSERT_TRUE(venue_.submit_algo(on_mark).accepted());
  (void)venue_.drain_events();
  // The contract wicks to 98.5; the mark holds 99.4.
  const Kline wick = minute(2, "100", "100.2", "98.5", "99.9");
  const Kline calm_mark = minute(2, "100", "100.1", "99.4", "99.9");
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", wick, &calm_mark).ok());
  EXPECT_EQ(positions_of(venue_).size(), 1u);
  EXPECT_TRUE(venue_.drain_events().empty());
  // Unrealised PnL is at the mark.
  const Kline drift = minute(3, "99.9", "100", "99.7", "99.8");
  const Kline drift_mark = minute(3, "99.9", "100", "99.5", "99.5");
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", drift, &drift_mark).ok());
  EXPECT_EQ(positions_of(venue_)[0].unrealized_pnl, N("-0.5"));
  EXPECT_EQ(positions_of(venue_)[0].mark_price, P("99.5"));
  // A stop at 99.6: the last price (99.8) has not reached it, the mark (99.5) has, so on
  // the mark it would trigger at once (-2021); on the contract price it is accepted.
  AlgoOrderRequest late = protective("late", Side::kSell, AlgoOrderType::kStopMarket, "99.6");
  late.working_type = venue::WorkingType::kMarkPrice;
  EXPECT_EQ(code_of(late), -2021);
  late.working_type = venue::WorkingType::kContractPrice;
  ASSERT_TRUE(venue_.submit_algo(late).accepted());
  ASSERT_TRUE(venue_.cancel_algo("TESTUSDT", "late").ok());
  (void)venue_.drain_events();
  // The mark falls through 99 while the contract trades 99.3 → 98.6: filled at 99.
  const Kline fall = minute(4, "99.8", "99.8", "98.6", "98.8");
  const Kline fall_mark = minute(4, "99.5", "99.5", "98.9", "99");
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", fall, &fall_mark).ok());
  const auto events = venue_.drain_events();
  const VenueEvent* fill = first_of(events, VenueEvent::Kind::kFill);
  ASSERT_NE(fill, nullptr);
  EXPECT_EQ(fill->client_algo_id, "sl-mark");
  EXPECT_EQ(fill->price, P("99"));
  EXPECT_TRUE(positions_of(venue_).empty());
  // A mark bar for another time is an error, not a silent mismatch.
  const Kline other = minute(6, "99", "99", "99", "99");
  EXPECT_FALSE(venue_.on_bar("TESTUSDT", minute(5, "99", "99", "99", "99"), &other).ok());
}

TEST_F(SimVenueTest, LimitOrdersFillAsMakerOrAtTheOpenAsTaker) {
  OrderRequest resting = order("rest", Side::kBuy, OrderType::kLimit, "1");
  resting.price = P("99.5");
  ASSERT_TRUE(venue_.submit(resting).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100.2", "99.7", "100")).ok());
  EXPECT_TRUE(positions_of(venue_).empty());  // not reached
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(2, "100", "100.1", "99.2", "99.4")).ok());
  ASSERT_EQ(positions_of(venue_).size(), 1u);
  EXPECT_EQ(positions_of(venue_)[0].entry_price, P("99.5"));
  EXPECT_EQ(wallet_of(venue_), N("10000") - N("0.0199"));  // maker 0.02 % of 99.5

  OrderRequest crossing = order("cross", Side::kSell, OrderType::kLimit, "1");
  crossing.price = P("99.8");
  crossing.reduce_only = true;
  ASSERT_TRUE(venue_.submit(crossing).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(3, "100.3", "100.5", "100", "100.2")).ok());  // opens above 99.8
  EXPECT_TRUE(positions_of(venue_).empty());
  // Sold at the open 100.3 as a taker: PnL 0.8, fee 100.3 · 0.05 % = 0.05015.
  EXPECT_EQ(wallet_of(venue_), N("10000") - N("0.0199") + N("0.8") - N("0.05015"));
}

TEST(SimVenueFunding, LongsPayOnTheDefaultScheduleAndDataRatesApplyAtTheirTimes) {
  SimVenueConfig config;
  config.fills = venue::FillModelConfig{true, 0.0, 0.0};
  SimVenue venue({test_instrument()}, {}, config);
  // 07:58, 07:59, then the 08:00 bar holds the funding time.
  const auto at = [](int hour, int minute_of_hour, const char* price) {
    Kline bar;
    bar.open_time = timestamp_from_ms(1'767'225'600'000 + (hour * 60 + minute_of_hour) * 60'000LL);
    bar.close_time = bar.open_time + Milliseconds{59'999};
    bar.open = bar.high = bar.low = bar.close = P(price);
    return bar;
  };
  ASSERT_TRUE(venue.on_bar("TESTUSDT", at(7, 58, "100")).ok());
  ASSERT_TRUE(venue.submit(order("long", Side::kBuy, OrderType::kMarket, "1")).accepted());
  ASSERT_TRUE(venue.on_bar("TESTUSDT", at(7, 59, "100")).ok());
  const Notional after_entry = wallet_of(venue);  // minus the taker fee 0.05
  EXPECT_EQ(after_entry, N("9999.95"));
  ASSERT_TRUE(venue.on_bar("TESTUSDT", at(8, 0, "100")).ok());
  EXPECT_EQ(wallet_of(venue), after_entry - N("0.01"));  // 100 · 0.01 %
  const auto events = venue.drain_events();
  EXPECT_EQ(events.back().kind, VenueEvent::Kind::kFunding);
  EXPECT_EQ(to_ms(events.back().time) % (8 * 3'600'000), 0);

  // Real rates replace the schedule: a negative rate pays the long, 5 ms past the hour.
  ASSERT_TRUE(venue.set_funding("TESTUSDT", {FundingRate{timestamp_from_ms(1'767'225'600'000 + 16 * 3'600'000LL + 5),
                                                         Ratio::parse("-0.0002").value()}})
                  .ok());
  ASSERT_TRUE(venue.on_bar("TESTUSDT", at(15, 59, "100")).ok());
  const Notional before = wallet_of(venue);
  ASSERT_TRUE(venue.on_bar("TESTUSDT", at(16, 0, "100")).ok());
  EXPECT_EQ(wallet_of(venue), before + N("0.02"));
}

// A long of 1 at 100 with 10x leverage, on one bracket (MMR 0.4 %): margin 10, liquidation
// price (100 − 10) / 0.996 = 90.36… (90.3 on the tick, rounded down).
SimVenue long_at_100_with_10x() {
  SimVenueConfig config;
  config.fills = venue::FillModelConfig{true, 0.0, 0.0};
  const std::map<std::string, std::vector<LeverageBracket>> brackets = {
      {"TESTUSDT", {LeverageBracket{20, N("0"), N("1000000"), 0.004, N("0")}}}};
  SimVenue venue({test_instrument()}, brackets, config);
  EXPECT_TRUE(venue.on_bar("TESTUSDT", minute(0, "100", "100", "100", "100")).ok());
  EXPECT_TRUE(venue.submit(order("long", Side::kBuy, OrderType::kMarket, "1")).accepted());
  EXPECT_TRUE(venue.on_bar("TESTUSDT", minute(1, "100", "100", "100", "100")).ok());
  const auto positions = positions_of(venue);
  EXPECT_EQ(positions.size(), 1u);
  if (!positions.empty()) {
    EXPECT_EQ(positions[0].liquidation_price, P("90.3"));
  }
  return venue;
}

TEST(SimVenueLiquidation, ABarThroughTheLiquidationPriceClosesThePosition) {
  SimVenue venue = long_at_100_with_10x();
  ASSERT_TRUE(venue.on_bar("TESTUSDT", minute(2, "95", "95", "90.5", "91")).ok());
  EXPECT_EQ(positions_of(venue).size(), 1u);  // 90.5 > 90.36: still alive
  // Binance liquidates on the mark: a contract wick to 89 whose mark stays at 90.8 does not.
  const Kline wick_mark = minute(3, "91", "91", "90.8", "91");
  ASSERT_TRUE(venue.on_bar("TESTUSDT", minute(3, "91", "91", "89", "91"), &wick_mark).ok());
  EXPECT_EQ(positions_of(venue).size(), 1u);
  ASSERT_TRUE(venue.on_bar("TESTUSDT", minute(4, "91", "91", "89", "89.5")).ok());
  EXPECT_TRUE(positions_of(venue).empty());
  const auto events = venue.drain_events();
  const auto liquidation =
      std::find_if(events.begin(), events.end(), [](const VenueEvent& e) { return e.cause == EventCause::kLiquidation; });
  ASSERT_NE(liquidation, events.end());
  EXPECT_EQ(liquidation->kind, VenueEvent::Kind::kFill);
  EXPECT_EQ(liquidation->price, P("90.3"));
  EXPECT_EQ(liquidation->side, Side::kSell);
  EXPECT_EQ(liquidation->quantity, Q("1"));
  EXPECT_EQ(liquidation->realized_pnl, N("-9.7"));
  EXPECT_EQ(liquidation->fee, N("0.3"));  // 1.25 % of 90.3 is 1.12875, capped at the 0.3 of margin left
  EXPECT_EQ(liquidation->client_order_id.rfind("autoclose-", 0), 0u);
  EXPECT_GT(liquidation->order_id, 0);
  EXPECT_EQ(liquidation->algo_id, 0);
  // Loss 9.7 plus a fee capped at the 0.3 of margin left: the whole 10 of margin, and the entry fee.
  EXPECT_EQ(wallet_of(venue), N("10000") - N("0.05") - N("10"));
}

// The symbol's own liquidationFee (exchangeInfo) replaces the configured rate. The same long
// as above, liquidated at 90.3 with 0.3 of its margin left: at the symbol's 0.2 % the fee is
// 90.3 · 0.002 = 0.1806 (under the cap); at the configured 0.1 % it would be 0.0903.
TEST(SimVenueLiquidation, ChargesTheSymbolsOwnLiquidationFee) {
  for (const bool known : {true, false}) {
    SimVenueConfig config;
    config.fills = venue::FillModelConfig{true, 0.0, 0.0};
    config.liquidation_fee = Ratio::parse("0.001").value();
    Instrument instrument = test_instrument();
    if (known) instrument.liquidation_fee = Ratio::parse("0.002").value();
    const std::map<std::string, std::vector<LeverageBracket>> brackets = {
        {"TESTUSDT", {LeverageBracket{20, N("0"), N("1000000"), 0.004, N("0")}}}};
    SimVenue venue({instrument}, brackets, config);
    ASSERT_TRUE(venue.on_bar("TESTUSDT", minute(0, "100", "100", "100", "100")).ok());
    ASSERT_TRUE(venue.submit(order("long", Side::kBuy, OrderType::kMarket, "1")).accepted());
    ASSERT_TRUE(venue.on_bar("TESTUSDT", minute(1, "100", "100", "100", "100")).ok());
    ASSERT_TRUE(venue.on_bar("TESTUSDT", minute(2, "91", "91", "89", "89.5")).ok());
    ASSERT_TRUE(venue.positions().value().empty());
    const auto events = venue.drain_events();
    const auto liquidation =
        std::find_if(events.begin(), events.end(), [](const VenueEvent& e) { return e.cause == EventCause::kLiquidation; });
    ASSERT_NE(liquidation, events.end());
    EXPECT_EQ(liquidation->price, P("90.3"));
    EXPECT_EQ(liquidation->fee, known ? N("0.1806") : N("0.0903"));
    EXPECT_EQ(venue.balance().value().wallet_balance, N("10000") - N("0.05") - N("9.7") - liquidation->fee);
  }
}

// A stop placed beyond the liquidation price never gets its fill: the bar reaches the
// liquidation price first. A stop before it fills first, as usual.
TEST(SimVenueLiquidation, ComesBeforeAStopBeyondIt) {
  for (const char* stop_level : {"89", "91"}) {
    SimVenue venue = long_at_100_with_10x();
    ASSERT_TRUE(venue.submit_algo(protective("sl", Side::kSell, AlgoOrderType::kStopMarket, stop_level)).accepted());
    (void)venue.drain_events();
    ASSERT_TRUE(venue.on_bar("TESTUSDT", minute(2, "95", "95", "88", "88.5")).ok());  // through both
    EXPECT_TRUE(positions_of(venue).empty());
    const auto events = venue.drain_events();
    const VenueEvent* fill = first_of(events, VenueEvent::Kind::kFill);
    ASSERT_NE(fill, nullptr);
    if (std::string(stop_level) == "89") {
      EXPECT_EQ(fill->cause, EventCause::kLiquidation);
      EXPECT_EQ(fill->price, P("90.3"));
      EXPECT_NE(algo_update(events, "sl", AlgoStatus::kExpired), nullptr);  // the stop beyond never filled
    } else {
      EXPECT_EQ(fill->cause, EventCause::kAlgoTriggered);
      EXPECT_EQ(fill->client_algo_id, "sl");
      EXPECT_EQ(fill->price, P("91"));
    }
  }
}

}  // namespace
}  // namespace winiswin::sim

namespace winiswin::sim {
namespace {

TEST_F(SimVenueTest, MarginTypeChangesOnlyWithoutPositionOrOrders) {
  using venue::MarginType;
  EXPECT_EQ(venue_.set_margin_type("NOPEUSDT", MarginType::kCrossed).error().venue_code, -1121);
  EXPECT_EQ(venue_.set_margin_type("TESTUSDT", MarginType::kIsolated).error().venue_code, -4046);  // the default
  ASSERT_TRUE(venue_.submit(order("entry", Side::kBuy, OrderType::kMarket, "1")).accepted());
  EXPECT_EQ(venue_.set_margin_type("TESTUSDT", MarginType::kCrossed).error().venue_code, -4047);  // an open order
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(1, "100", "100", "100", "100")).ok());
  EXPECT_EQ(venue_.set_margin_type("TESTUSDT", MarginType::kCrossed).error().venue_code, -4048);  // a position
  ASSERT_TRUE(venue_.submit(order("exit", Side::kSell, OrderType::kMarket, "1")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(2, "100", "100", "100", "100")).ok());
  ASSERT_TRUE(positions_of(venue_).empty());
  EXPECT_TRUE(venue_.set_margin_type("TESTUSDT", MarginType::kCrossed).ok());
  ASSERT_TRUE(venue_.submit(order("again", Side::kBuy, OrderType::kMarket, "1")).accepted());
  ASSERT_TRUE(venue_.on_bar("TESTUSDT", minute(3, "100", "100", "100", "100")).ok());
  ASSERT_EQ(positions_of(venue_).size(), 1u);
  EXPECT_EQ(positions_of(venue_)[0].margin_type, MarginType::kCrossed);
  EXPECT_EQ(positions_of(venue_)[0].margin, N("10"));  // the initial margin at 10x
}

// Two longs of 1 at 10x, TEST at 100 and OTHER at 50, on one bracket (MMR 0.4 %), with a
// wallet of 100. Isolated, TEST is backed by its margin of 10: LP = (100 − 10) / 0.996 =
// 90.36. Crossed, by the cross wallet less OTHER's maintenance margin plus its unrealised
// PnL: after OTHER falls to 46, WB = 100 − 0.075 (entry fees) − 0.184 − 4 = 95.741 and
// LP = (100 − 95.741) / 0.996 = 4.2761…: it survives 90 and goes at 4.2 (on the tick).
TEST(SimVenueCrossMargin, TheCrossWalletBacksAPositionAndTheOthersMoveItsLiquidationPrice) {
  for (const venue::MarginType type : {venue::MarginType::kIsolated, venue::MarginType::kCrossed}) {
    SimVenueConfig config;
    config.fills = venue::FillModelConfig{true, 0.0, 0.0};
    config.starting_balance = N("100");
    config.margin_type = type;
    const std::vector<LeverageBracket> bracket = {LeverageBracket{20, N("0"), N("1000000"), 0.004, N("0")}};
    const Instrument other = testing::instrument_with("OTHERUSDT", {"0.1", "100000", "0.1", "0.001", "1000", "0.001", "100", "5"});
    SimVenue venue({test_instrument(), other}, {{"TESTUSDT", bracket}, {"OTHERUSDT", bracket}}, config);
    const auto feed = [&](const char* symbol, const Kline& bar) { ASSERT_TRUE(venue.on_bar(symbol, bar).ok()); };
    feed("TESTUSDT", minute(1, "100", "100", "100", "100"));
    feed("OTHERUSDT", minute(1, "50", "50", "50", "50"));
    ASSERT_TRUE(venue.submit(order("test", Side::kBuy, OrderType::kMarket, "1")).accepted());
    OrderRequest other_long = order("other", Side::kBuy, OrderType::kMarket, "1");
    other_long.symbol = "OTHERUSDT";
    ASSERT_TRUE(venue.submit(other_long).accepted());
    feed("TESTUSDT", minute(2, "100", "100", "100", "100"));
    feed("OTHERUSDT", minute(2, "50", "50", "50", "50"));
    ASSERT_EQ(positions_of(venue).size(), 2u);
    EXPECT_EQ(wallet_of(venue), N("99.925"));
    feed("OTHERUSDT", minute(3, "50", "50", "46", "46"));
    ASSERT_EQ(positions_of(venue).size(), 2u);  // above OTHER's own isolated liquidation price, 45.18
    // Available: the wallet less both margins (10 + 5), and crossed, less OTHER's loss of 4 too.
    EXPECT_EQ(available_of(venue),
              N("99.925") - N("15") - (type == venue::MarginType::kCrossed ? N("4") : N("0")));
    (void)venue.drain_events();
    feed("TESTUSDT", minute(3, "100", "100", "90", "90.2"));
    if (type == venue::MarginType::kIsolated) {
      ASSERT_EQ(positions_of(venue).size(), 1u);  // TEST went at 90.3, losing its margin and no more
      const auto events = venue.drain_events();
      ASSERT_FALSE(events.empty());
      EXPECT_EQ(events[0].cause, EventCause::kLiquidation);
      EXPECT_EQ(events[0].price, P("90.3"));
      EXPECT_EQ(wallet_of(venue), N("99.925") - N("10"));
      continue;
    }
    ASSERT_EQ(positions_of(venue).size(), 2u);  // crossed: the wallet holds it up
    feed("TESTUSDT", minute(4, "90.2", "90.2", "4.3", "4.5"));
    ASSERT_EQ(positions_of(venue).size(), 2u);  // 4.3 > 4.2761
    feed("TESTUSDT", minute(5, "4.5", "4.5", "4.2", "4.2"));
    ASSERT_EQ(positions_of(venue).size(), 1u);
    const auto events = venue.drain_events();
    const auto liquidation =
        std::find_if(events.begin(), events.end(), [](const VenueEvent& e) { return e.cause == EventCause::kLiquidation; });
    ASSERT_NE(liquidation, events.end());
    EXPECT_EQ(liquidation->price, P("4.2"));
    EXPECT_EQ(liquidation->fee, N("0"));  // nothing left of the backing for the fee at 4.2
    // A loss of 95.8, nine and a half times the position's initial margin: the cross wallet paid.
    EXPECT_EQ(wallet_of(venue), N("99.925") - N("95.8"));
  }
}

}  // namespace
}  // namespace winiswin::sim
