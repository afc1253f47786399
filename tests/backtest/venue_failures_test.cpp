// A whole run whose venue stops serving order calls part-way (HTTP 503s and timeouts, as
// when Binance's order endpoints are overloaded; balances, positions and the market still
// answer): the executor reports every failed call, the circuit breaker escalates, trading
// shuts down with the breaker named, and no real trade is opened after that. Positions
// already open stay protected by the stops the venue holds.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "engine/backtest.h"
#include "strategy/ict_strategy.h"
#include "support/forwarding_venue.h"
#include "support/markets.h"
#include "venue/sim/sim_venue.h"

namespace winiswin::backtest {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

// Forwards to the simulator; from `failing_from` on, every order call fails (unknown outcome
// for submits, a transport error for the rest).
class FailingOrderVenue final : public testing::ForwardingVenue {
 public:
  FailingOrderVenue(sim::SimVenue& inner, Timestamp failing_from) : ForwardingVenue(inner), failing_from_(failing_from) {}

  int failed_calls() const { return failed_calls_; }

  Status on_bar(std::size_t symbol_index, const Kline& bar, const Kline* mark) override {
    now_ = std::max(now_, bar.open_time);
    return inner_.on_bar(symbol_index, bar, mark);
  }
  venue::SubmitOutcome submit(const venue::OrderRequest& request) override {
    if (!failing()) return inner_.submit(request);
    return venue::SubmitOutcome::unknown_with(lost("HTTP 503"), venue::OrderAck{0, request.client_order_id});
  }
  Status cancel(const std::string& symbol, const std::string& id) override { return failing() ? lost("cancel") : inner_.cancel(symbol, id); }
  Result<std::optional<venue::OrderStatusReport>> query_order(const std::string& symbol, const std::string& id) override {
    if (failing()) return lost("query");
    return inner_.query_order(symbol, id);
  }
  venue::SubmitOutcome submit_algo(const venue::AlgoOrderRequest& request) override {
    if (!failing()) return inner_.submit_algo(request);
    venue::OrderAck sent;
    sent.client_algo_id = request.client_algo_id;
    return venue::SubmitOutcome::unknown_with(lost("HTTP 503"), sent);
  }
  Status cancel_algo(const std::string& symbol, const std::string& id) override {
    return failing() ? lost("cancel algo") : inner_.cancel_algo(symbol, id);
  }
  Result<std::optional<venue::AlgoOrderReport>> query_algo(const std::string& symbol, const std::string& id) override {
    if (failing()) return lost("query algo");
    return inner_.query_algo(symbol, id);
  }
  Status set_leverage(const std::string& symbol, int leverage) override {
    return failing() ? lost("leverage") : inner_.set_leverage(symbol, leverage);
  }

 private:
  bool failing() const { return now_ >= failing_from_; }
  Error lost(const char* what) {
    ++failed_calls_;
    return make_error(ErrorCode::kUnknownOutcome, std::string(what) + ": timed out");
  }

  Timestamp failing_from_;
  Timestamp now_ = Timestamp::min();
  int failed_calls_ = 0;
};

TEST(VenueFailures, FailedOrderCallsTripTheBreakerAndNoRealTradeOpensAfter) {
  const testing::Market market = testing::synthetic_market(20, 6);
  const strategy::IctStrategy strategy;
  engine::BacktestConfig config;
  config.state.cautious_losses = config.state.risk_averse_losses = config.state.shutdown_losses = 1'000'000;
  config.state.cautious_drawdown = config.state.risk_averse_drawdown = config.state.shutdown_drawdown = 2.0;
  config.cycle.limits = risk::AccountLimitsConfig{20, 100.0, 100.0, 1.0};  // room for every slot of a cycle
  sim::SimVenue sim(market.instruments, {});
  const Timestamp failing_from = market.minutes.front().bars.front().open_time + Milliseconds{3 * kDayMs};
  FailingOrderVenue venue(sim, failing_from);
  auto feed = engine::SeriesFeed::make(market.minutes);
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  const auto result = engine::Backtest(market.instruments, {}, strategy, config).run(*feed, venue);
  ASSERT_TRUE(result.ok()) << result.error().message;

  ASSERT_GT(std::count_if(result->trades.begin(), result->trades.end(),
                          [&](const engine::TradeRecord& trade) { return trade.decided < failing_from; }),
            0)
      << "the test needs real trades before the venue fails";
  EXPECT_GE(venue.failed_calls(), 15);
  const auto shutdown = std::find_if(result->transitions.begin(), result->transitions.end(), [](const risk::StateTransition& t) {
    return t.to == risk::TradingState::kShutdown;
  });
  ASSERT_NE(shutdown, result->transitions.end()) << "the breaker never reached EMERGENCY";
  EXPECT_GE(shutdown->time, failing_from);
  EXPECT_NE(shutdown->reason.find("breaker EMERGENCY"), std::string::npos) << shutdown->reason;
  // Each level the breaker passed through is a recorded event, in order, the last at the shutdown.
  std::vector<risk::BreakerLevel> levels;
  for (const journal::BreakerEvent& event : result->breaker_events) levels.push_back(event.to);
  EXPECT_EQ(levels, (std::vector{risk::BreakerLevel::kWarning, risk::BreakerLevel::kCritical, risk::BreakerLevel::kEmergency}));
  ASSERT_FALSE(result->breaker_events.empty());
  EXPECT_EQ(result->breaker_events.back().time, shutdown->time);
  for (const engine::TradeRecord& trade : result->trades) {
    EXPECT_LE(trade.decided, failing_from) << trade.symbol << " opened while the venue failed";  // it fails from that bar on
  }
  const auto held_back = std::count_if(result->refusals.begin(), result->refusals.end(), [](const engine::RefusalRecord& r) {
    return r.limit == "circuit_breaker";
  });
  EXPECT_GT(held_back, 0) << "a failed call's back-off holds the cycle's next ranks";
  // No transition ever leaves SHUTDOWN: EMERGENCY lifts only by an operator's reset.
  EXPECT_EQ(result->transitions.back().to, risk::TradingState::kShutdown);
}

}  // namespace
}  // namespace winiswin::backtest
