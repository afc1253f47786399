// A venue that passes every call to another one: tests derive from it and override only the
// calls whose behaviour they change (a venue that stops answering, one whose queries lag).
#pragma once

#include <string>
#include <vector>

#include "venue/bar_driven.h"

namespace winiswin::testing {

class ForwardingVenue : public venue::BarDrivenVenue {
 public:
  explicit ForwardingVenue(venue::BarDrivenVenue& inner) : inner_(inner) {}

  std::optional<std::size_t> index_of(const std::string& symbol) const override { return inner_.index_of(symbol); }
  Status on_bar(std::size_t symbol_index, const Kline& bar, const Kline* mark) override { return inner_.on_bar(symbol_index, bar, mark); }
  bool has_events() const override { return inner_.has_events(); }
  Status close_out(std::size_t symbol_index, const std::string& id, const std::string& reason) override {
    return inner_.close_out(symbol_index, id, reason);
  }
  venue::SubmitOutcome submit(const venue::OrderRequest& request) override { return inner_.submit(request); }
  Status cancel(const std::string& symbol, const std::string& id) override { return inner_.cancel(symbol, id); }
  Result<std::optional<venue::OrderStatusReport>> query_order(const std::string& symbol, const std::string& id) override {
    return inner_.query_order(symbol, id);
  }
  Result<std::vector<venue::OrderStatusReport>> open_orders(const std::string& symbol) override { return inner_.open_orders(symbol); }
  venue::SubmitOutcome submit_algo(const venue::AlgoOrderRequest& request) override { return inner_.submit_algo(request); }
  Status cancel_algo(const std::string& symbol, const std::string& id) override { return inner_.cancel_algo(symbol, id); }
  Result<std::optional<venue::AlgoOrderReport>> query_algo(const std::string& symbol, const std::string& id) override {
    return inner_.query_algo(symbol, id);
  }
  Result<std::vector<venue::AlgoOrderReport>> open_algo_orders(const std::string& symbol) override {
    return inner_.open_algo_orders(symbol);
  }
  Status set_leverage(const std::string& symbol, int leverage) override { return inner_.set_leverage(symbol, leverage); }
  Status set_margin_type(const std::string& symbol, venue::MarginType type) override { return inner_.set_margin_type(symbol, type); }
  Result<std::vector<venue::PositionReport>> positions() override { return inner_.positions(); }
  Result<venue::BalanceReport> balance() override { return inner_.balance(); }
  std::vector<venue::VenueEvent> drain_events() override { return inner_.drain_events(); }

 protected:
  venue::BarDrivenVenue& inner_;
};

}  // namespace winiswin::testing
