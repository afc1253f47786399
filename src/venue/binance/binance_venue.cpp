#include "venue/binance/binance_venue.h"

#include <fmt/format.h>

#include "venue/binance/order_params.h"
#include "venue/binance/rest_account.h"
#include "venue/binance/rest_orders.h"

namespace winiswin::binance {
namespace {

constexpr std::string_view kPositionRiskPath = "/fapi/v3/positionRisk";
constexpr std::string_view kBalancePath = "/fapi/v3/balance";
constexpr int kOrderDoesNotExist = -2013;
constexpr int kAlgoOrderDoesNotExist = -20124;
constexpr RequestCost kOrderCost{0, 1};  // new orders cost order count, no IP weight
constexpr RequestCost kLight{1, 0};
constexpr RequestCost kAccount{5, 0};

// A submit's answer: accepted with the ack the report gives, or the error as the contract's
// rejected / unknown.
template <typename Report>
venue::SubmitOutcome outcome_of(const Result<std::string>& body, Result<Report> (*parse)(std::string_view), venue::OrderAck sent) {
  if (!body) {
    if (body.error().code == ErrorCode::kUnknownOutcome) return venue::SubmitOutcome::unknown_with(body.error(), std::move(sent));
    return venue::SubmitOutcome::rejected_with(body.error());
  }
  auto report = parse(*body);
  // Accepted, but the answer cannot be read: the order exists as far as anyone can tell.
  if (!report) return venue::SubmitOutcome::unknown_with(report.error(), std::move(sent));
  return venue::SubmitOutcome::accepted_with(ack_of(*report));
}

template <typename Report>
Result<std::optional<Report>> found_or_none(const Result<std::string>& body, Result<Report> (*parse)(std::string_view),
                                            std::initializer_list<int> not_found) {
  if (!body) {
    for (const int code : not_found) {
      if (body.error().code == ErrorCode::kRejected && body.error().venue_code == code) return std::optional<Report>{};
    }
    return body.error();
  }
  WINISWIN_TRY(Report report, parse(*body));
  return std::optional<Report>(std::move(report));
}

Status status_of(const Result<std::string>& body) {
  if (!body) return body.error();
  return Ok{};
}

}  // namespace

BinanceVenue::BinanceVenue(RestClient& rest) : rest_(rest) {}

venue::SubmitOutcome BinanceVenue::submit(const venue::OrderRequest& request) {
  auto params = new_order_params(request);
  if (!params) return venue::SubmitOutcome::rejected_with(params.error());
  const auto body = rest_.call("POST", kOrderPath, *params, Security::kSigned, kOrderCost);
  return outcome_of(body, &parse_order, venue::OrderAck{0, request.client_order_id});
}

Status BinanceVenue::cancel(const std::string& symbol, const std::string& client_order_id) {
  WINISWIN_TRY(const QueryParams params, order_by_client_id_params(symbol, client_order_id));
  return status_of(rest_.call("DELETE", kOrderPath, params, Security::kSigned, kLight));
}

Result<std::optional<venue::OrderStatusReport>> BinanceVenue::query_order(const std::string& symbol, const std::string& client_order_id) {
  WINISWIN_TRY(const QueryParams params, order_by_client_id_params(symbol, client_order_id));
  return found_or_none(rest_.call("GET", kOrderPath, params, Security::kSigned, kLight), &parse_order, {kOrderDoesNotExist});
}

Result<std::vector<venue::OrderStatusReport>> BinanceVenue::open_orders(const std::string& symbol) {
  WINISWIN_TRY(const std::string body, rest_.call("GET", kOpenOrdersPath, open_orders_params(symbol), Security::kSigned, kLight));
  return parse_orders(body);
}

venue::SubmitOutcome BinanceVenue::submit_algo(const venue::AlgoOrderRequest& request) {
  auto params = new_algo_order_params(request);
  if (!params) return venue::SubmitOutcome::rejected_with(params.error());
  venue::OrderAck sent;
  sent.client_algo_id = request.client_algo_id;
  const auto body = rest_.call("POST", kAlgoOrderPath, *params, Security::kSigned, kOrderCost);
  return outcome_of(body, &parse_algo_order, std::move(sent));
}

Status BinanceVenue::cancel_algo(const std::string& /*symbol*/, const std::string& client_algo_id) {
  WINISWIN_TRY(const QueryParams params, algo_order_by_client_id_params(client_algo_id));
  return status_of(rest_.call("DELETE", kAlgoOrderPath, params, Security::kSigned, kLight));
}

Result<std::optional<venue::AlgoOrderReport>> BinanceVenue::query_algo(const std::string& /*symbol*/, const std::string& client_algo_id) {
  WINISWIN_TRY(const QueryParams params, algo_order_by_client_id_params(client_algo_id));
  return found_or_none(rest_.call("GET", kAlgoOrderPath, params, Security::kSigned, kLight), &parse_algo_order,
                       {kOrderDoesNotExist, kAlgoOrderDoesNotExist});
}

Result<std::vector<venue::AlgoOrderReport>> BinanceVenue::open_algo_orders(const std::string& symbol) {
  WINISWIN_TRY(const std::string body, rest_.call("GET", kOpenAlgoOrdersPath, open_orders_params(symbol), Security::kSigned, kLight));
  return parse_algo_orders(body);
}

Status BinanceVenue::set_leverage(const std::string& symbol, int leverage) {
  WINISWIN_TRY(const QueryParams params, leverage_params(symbol, leverage));
  WINISWIN_TRY(const std::string body, rest_.call("POST", kLeveragePath, params, Security::kSigned, kLight));
  WINISWIN_TRY(const LeverageSetting set, parse_leverage(body));
  if (set.leverage != leverage) {
    return make_error(ErrorCode::kRejected, fmt::format("{}: leverage {} asked, the venue set {}", symbol, leverage, set.leverage));
  }
  return Ok{};
}

Status BinanceVenue::set_margin_type(const std::string& symbol, venue::MarginType type) {
  WINISWIN_TRY(const std::string body, rest_.call("POST", kMarginTypePath, margin_type_params(symbol, type), Security::kSigned, kLight));
  return parse_success_ack(body);
}

Result<std::vector<venue::PositionReport>> BinanceVenue::positions() {
  WINISWIN_TRY(const std::string body, rest_.call("GET", kPositionRiskPath, QueryParams{}, Security::kSigned, kAccount));
  return parse_position_risk(body);
}

Result<venue::BalanceReport> BinanceVenue::balance() {
  WINISWIN_TRY(const std::string body, rest_.call("GET", kBalancePath, QueryParams{}, Security::kSigned, kAccount));
  return parse_balance(body);
}

std::vector<venue::VenueEvent> BinanceVenue::drain_events() {
  const std::lock_guard lock(events_mutex_);
  return std::exchange(events_, {});
}

void BinanceVenue::push_events(std::vector<venue::VenueEvent> events) {
  const std::lock_guard lock(events_mutex_);
  events_.insert(events_.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
}

}  // namespace winiswin::binance
