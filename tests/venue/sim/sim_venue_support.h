// What the simulator's tests share: a test instrument, 1m bars, order builders, event
// finders and the fixture with a venue that has seen one bar at 100.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/instruments.h"
#include "venue/sim/sim_venue.h"

namespace winiswin::sim::test {

using venue::AlgoOrderRequest;
using venue::AlgoOrderType;
using venue::AlgoStatus;
using venue::EventCause;
using venue::OrderRequest;
using venue::OrderStatus;
using venue::OrderType;
using venue::VenueEvent;

using testing::N;
using testing::P;
using testing::Q;

inline Instrument test_instrument() {
  return testing::instrument_with("TESTUSDT", {"0.1", "100000", "0.1", "0.001", "1000", "0.001", "100", "5"});
}

inline Kline minute(std::int64_t index, const char* open, const char* high, const char* low, const char* close) {
  Kline bar;
  bar.open_time = timestamp_from_ms(1'767'225'600'000 + index * 60'000);
  bar.close_time = bar.open_time + Milliseconds{59'999};
  bar.open = P(open), bar.high = P(high), bar.low = P(low), bar.close = P(close);
  bar.volume = Q("10");
  return bar;
}

inline OrderRequest order(const char* id, Side side, OrderType type, const char* quantity) {
  OrderRequest request;
  request.symbol = "TESTUSDT";
  request.side = side;
  request.type = type;
  request.quantity = Q(quantity);
  request.client_order_id = id;
  return request;
}

// A closePosition algo stop or take-profit (`side`: the order's, opposite to the position's).
inline AlgoOrderRequest protective(const char* id, Side side, AlgoOrderType type, const char* level) {
  AlgoOrderRequest request;
  request.symbol = "TESTUSDT";
  request.side = side;
  request.type = type;
  request.trigger_price = P(level);
  request.close_position = true;
  request.client_algo_id = id;
  return request;
}

// The first event of `kind`, or nullptr.
inline const VenueEvent* first_of(const std::vector<VenueEvent>& events, VenueEvent::Kind kind) {
  const auto found = std::find_if(events.begin(), events.end(), [&](const VenueEvent& event) { return event.kind == kind; });
  return found == events.end() ? nullptr : &*found;
}
// The ALGO_UPDATE of `client_algo_id` to `status`, or nullptr.
inline const VenueEvent* algo_update(const std::vector<VenueEvent>& events, const std::string& client_algo_id, AlgoStatus status) {
  const auto found = std::find_if(events.begin(), events.end(), [&](const VenueEvent& event) {
    return event.kind == VenueEvent::Kind::kAlgoUpdate && event.client_algo_id == client_algo_id && event.algo_status == status;
  });
  return found == events.end() ? nullptr : &*found;
}

inline std::vector<venue::PositionReport> positions_of(venue::Venue& venue) { return venue.positions().value(); }
inline Notional wallet_of(venue::Venue& venue) { return venue.balance().value().wallet_balance; }
inline Notional available_of(venue::Venue& venue) { return venue.balance().value().available_balance; }

class SimVenueTest : public ::testing::Test {
 protected:
  SimVenueTest() : venue_({test_instrument()}, {}, config()) { EXPECT_TRUE(venue_.on_bar("TESTUSDT", minute(0, "100", "101", "99", "100")).ok()); }
  static SimVenueConfig config() {
    SimVenueConfig c;
    c.fills = venue::FillModelConfig{true, 0.0, 0.0};  // no slippage: the arithmetic is by hand
    return c;
  }
  // Protects the long just opened with "sl" and "tp"; forgets the events so far.
  void protect_long(const char* stop, const char* target) {
    ASSERT_TRUE(venue_.submit_algo(protective("sl", Side::kSell, AlgoOrderType::kStopMarket, stop)).accepted());
    ASSERT_TRUE(venue_.submit_algo(protective("tp", Side::kSell, AlgoOrderType::kTakeProfitMarket, target)).accepted());
    (void)venue_.drain_events();
  }
  int code_of(const OrderRequest& request) {
    const venue::SubmitOutcome outcome = venue_.submit(request);
    EXPECT_TRUE(outcome.rejected()) << request.client_order_id;
    return outcome.rejected() ? outcome.error().venue_code : 0;
  }
  int code_of(const AlgoOrderRequest& request) {
    const venue::SubmitOutcome outcome = venue_.submit_algo(request);
    EXPECT_TRUE(outcome.rejected()) << request.client_algo_id;
    return outcome.rejected() ? outcome.error().venue_code : 0;
  }
  SimVenue venue_;
};

}  // namespace winiswin::sim::test
