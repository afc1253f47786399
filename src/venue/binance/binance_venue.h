// venue::Venue on Binance USDⓈ-M (or any compatible venue: the loopback one, testnet, demo),
// over the RestClient. Each call is one REST round trip on the decision thread; events come
// from the user-data stream, whose thread hands them over through push_events (venue.h's
// threading contract: the only hand-over between the two threads, under this object's lock).
//
// Answers as the Venue contract wants them:
//   submit / submit_algo   accepted with the venue's ack; rejected with Binance's code (and
//                          a conditional type on the regular path is refused before sending,
//                          -4120, as Binance would); unknown after a timeout, 5xx, -1006/-1007
//                          (then query by client id); not sent at all (no connection, budget
//                          spent): rejected, the order does not exist
//   query_order / query_algo   none when Binance says the order does not exist (-2013; for
//                          algo orders also -20124) — right after a placement, an algo query
//                          can say so for minutes (spec/changes-2026.md): callers re-query
//   positions / balance    /fapi/v3/positionRisk (non-zero positions) and /fapi/v3/balance (USDT)
#pragma once

#include <mutex>
#include <vector>

#include "venue/binance/rest_client.h"
#include "venue/venue.h"

namespace winiswin::binance {

class BinanceVenue final : public venue::Venue {
 public:
  explicit BinanceVenue(RestClient& rest);

  venue::SubmitOutcome submit(const venue::OrderRequest& request) override;
  Status cancel(const std::string& symbol, const std::string& client_order_id) override;
  Result<std::optional<venue::OrderStatusReport>> query_order(const std::string& symbol, const std::string& client_order_id) override;
  Result<std::vector<venue::OrderStatusReport>> open_orders(const std::string& symbol) override;
  venue::SubmitOutcome submit_algo(const venue::AlgoOrderRequest& request) override;
  Status cancel_algo(const std::string& symbol, const std::string& client_algo_id) override;
  Result<std::optional<venue::AlgoOrderReport>> query_algo(const std::string& symbol, const std::string& client_algo_id) override;
  Result<std::vector<venue::AlgoOrderReport>> open_algo_orders(const std::string& symbol) override;
  Status set_leverage(const std::string& symbol, int leverage) override;
  Status set_margin_type(const std::string& symbol, venue::MarginType type) override;
  Result<std::vector<venue::PositionReport>> positions() override;
  Result<venue::BalanceReport> balance() override;
  [[nodiscard]] std::vector<venue::VenueEvent> drain_events() override;

  // From the user-data stream's thread.
  void push_events(std::vector<venue::VenueEvent> events);

 private:
  RestClient& rest_;
  std::mutex events_mutex_;
  std::vector<venue::VenueEvent> events_;
};

}  // namespace winiswin::binance
