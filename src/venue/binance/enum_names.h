// Binance's spellings of our venue enums, both ways (spec/rest.md §16, conditional-orders.md
// §3, websocket.md §6). Parsing is exact and case-sensitive, as Binance prints them, except
// where Binance itself is inconsistent (marginType: "isolated"/"cross" in positionRisk v2 and
// ACCOUNT_UPDATE, "ISOLATED"/"CROSSED" in requests).
#pragma once

#include <optional>
#include <string_view>

#include "core/side.h"
#include "venue/venue.h"

namespace winiswin::binance {

std::optional<Side> side_from_name(std::string_view name);
std::optional<venue::OrderType> order_type_from_name(std::string_view name);
std::optional<venue::OrderStatus> order_status_from_name(std::string_view name);
std::optional<venue::AlgoOrderType> algo_order_type_from_name(std::string_view name);
std::optional<venue::AlgoStatus> algo_status_from_name(std::string_view name);
std::optional<venue::WorkingType> working_type_from_name(std::string_view name);
std::optional<venue::MarginType> margin_type_from_name(std::string_view name);

// Whether Binance's order type is one of the conditional types its Algo Service runs.
bool is_conditional_type_name(std::string_view name);

}  // namespace winiswin::binance
