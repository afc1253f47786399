#include "venue/binance/enum_names.h"

#include <array>

namespace winiswin::binance {
namespace {

// The first enum value whose name_of() is `name`.
template <typename Enum, std::size_t count>
std::optional<Enum> find_by_name(const std::array<Enum, count>& values, std::string_view name) {
  for (const Enum value : values) {
    if (venue::name_of(value) == name) return value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Side> side_from_name(std::string_view name) {
  if (name == "BUY") return Side::kBuy;
  if (name == "SELL") return Side::kSell;
  return std::nullopt;
}

std::optional<venue::OrderType> order_type_from_name(std::string_view name) {
  using venue::OrderType;
  return find_by_name(std::array{OrderType::kMarket, OrderType::kLimit, OrderType::kStopMarket, OrderType::kTakeProfitMarket},
                      name);
}

std::optional<venue::OrderStatus> order_status_from_name(std::string_view name) {
  using venue::OrderStatus;
  return find_by_name(std::array{OrderStatus::kNew, OrderStatus::kPartiallyFilled, OrderStatus::kFilled, OrderStatus::kCanceled,
                                 OrderStatus::kExpired, OrderStatus::kExpiredInMatch, OrderStatus::kRejected},
                      name);
}

std::optional<venue::AlgoOrderType> algo_order_type_from_name(std::string_view name) {
  using venue::AlgoOrderType;
  return find_by_name(std::array{AlgoOrderType::kStopMarket, AlgoOrderType::kTakeProfitMarket}, name);
}

std::optional<venue::AlgoStatus> algo_status_from_name(std::string_view name) {
  using venue::AlgoStatus;
  return find_by_name(std::array{AlgoStatus::kNew, AlgoStatus::kTriggering, AlgoStatus::kTriggered, AlgoStatus::kFinished,
                                 AlgoStatus::kCanceled, AlgoStatus::kExpired, AlgoStatus::kRejected},
                      name);
}

std::optional<venue::WorkingType> working_type_from_name(std::string_view name) {
  using venue::WorkingType;
  return find_by_name(std::array{WorkingType::kContractPrice, WorkingType::kMarkPrice}, name);
}

std::optional<venue::MarginType> margin_type_from_name(std::string_view name) {
  using venue::MarginType;
  if (name == "ISOLATED" || name == "isolated") return MarginType::kIsolated;
  if (name == "CROSSED" || name == "crossed" || name == "cross") return MarginType::kCrossed;
  return std::nullopt;
}

bool is_conditional_type_name(std::string_view name) {
  return name == "STOP_MARKET" || name == "TAKE_PROFIT_MARKET" || name == "STOP" || name == "TAKE_PROFIT" ||
         name == "TRAILING_STOP_MARKET";
}

}  // namespace winiswin::binance
