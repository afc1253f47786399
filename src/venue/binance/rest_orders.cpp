#include "venue/binance/rest_orders.h"

#include <fmt/format.h>

#include "venue/binance/enum_names.h"
#include "venue/binance/json_fields.h"

namespace winiswin::binance {
namespace {

using json::element;
using json::FieldReader;

// Binance's codes for "sent, but whether it executed is unknown" (limits-and-errors.md).
constexpr int kUnexpectedResponse = -1006;
constexpr int kTimeout = -1007;
constexpr std::int64_t kSuccessCode = 200;

using json::enum_field;

Result<bool> optional_flag(const FieldReader& reader, std::string_view key) {
  if (!reader.has(key)) return false;
  return reader.boolean(key);
}

Result<venue::OrderStatusReport> order_of(const FieldReader& reader) {
  venue::OrderStatusReport order;
  WINISWIN_TRY(order.order_id, reader.integer("orderId"));
  WINISWIN_TRY(order.symbol, reader.string("symbol"));
  WINISWIN_TRY(order.client_order_id, reader.string("clientOrderId"));
  WINISWIN_TRY(order.side, enum_field(reader, "side", "a side", side_from_name));
  WINISWIN_TRY(order.type, enum_field(reader, "type", "an order type winiswin trades (MARKET, LIMIT)", order_type_from_name));
  WINISWIN_TRY(order.status, enum_field(reader, "status", "an order status", order_status_from_name));
  WINISWIN_TRY(order.original_quantity, reader.decimal<Quantity>("origQty"));
  WINISWIN_TRY(order.executed_quantity, reader.decimal<Quantity>("executedQty"));
  if (reader.has("avgPrice")) {
    WINISWIN_TRY(order.average_price, reader.rounded_decimal<Price>("avgPrice"));
  }
  WINISWIN_TRY(order.price, reader.decimal<Price>("price"));
  WINISWIN_TRY(order.reduce_only, optional_flag(reader, "reduceOnly"));
  WINISWIN_TRY(order.close_position, optional_flag(reader, "closePosition"));
  WINISWIN_TRY(order.update_time, reader.timestamp("updateTime"));
  order.time = order.update_time;
  if (reader.has("time")) {
    WINISWIN_TRY(order.time, reader.timestamp("time"));
  }
  return order;
}

// Names the order in errors: "order 8886774" reads better than "order".
Result<venue::OrderStatusReport> order_with_id_context(const FieldReader& reader) {
  auto order = order_of(reader);
  if (order) return order;
  std::int64_t id = 0;
  if (reader.raw()["orderId"].get_int64().get(id) == simdjson::SUCCESS) return order.error().with_context(fmt::format("orderId {}", id));
  return order;
}

Result<venue::AlgoOrderReport> algo_order_of(const FieldReader& reader) {
  venue::AlgoOrderReport order;
  WINISWIN_TRY(order.algo_id, reader.integer("algoId"));
  WINISWIN_TRY(order.client_algo_id, reader.string("clientAlgoId"));
  WINISWIN_TRY(order.symbol, reader.string("symbol"));
  WINISWIN_TRY(order.side, enum_field(reader, "side", "a side", side_from_name));
  WINISWIN_TRY(order.type, enum_field(reader, "orderType", "an algo order type winiswin trades (STOP_MARKET, TAKE_PROFIT_MARKET)",
                                      algo_order_type_from_name));
  WINISWIN_TRY(order.status, enum_field(reader, "algoStatus", "an algo status", algo_status_from_name));
  WINISWIN_TRY(order.trigger_price, reader.decimal<Price>("triggerPrice"));
  WINISWIN_TRY(order.quantity, reader.decimal_or_zero<Quantity>("quantity"));
  WINISWIN_TRY(order.close_position, optional_flag(reader, "closePosition"));
  WINISWIN_TRY(order.reduce_only, optional_flag(reader, "reduceOnly"));
  WINISWIN_TRY(order.price_protect, optional_flag(reader, "priceProtect"));
  if (reader.has("workingType")) {
    WINISWIN_TRY(order.working_type, enum_field(reader, "workingType", "a working type", working_type_from_name));
  }
  WINISWIN_TRY(order.actual_order_id, reader.optional_id("actualOrderId"));
  if (order.actual_order_id) {
    // actualPrice / actualQty describe the order it became; before that they echo the
    // request (the documented CANCELED example has actualQty = quantity), so they are read
    // only once there is such an order.
    WINISWIN_TRY(order.average_price, reader.decimal_or_zero<Price>("actualPrice"));
    WINISWIN_TRY(order.executed_quantity, reader.decimal_or_zero<Quantity>("actualQty"));
  }
  WINISWIN_TRY(order.time, reader.timestamp("createTime"));
  WINISWIN_TRY(order.update_time, reader.timestamp("updateTime"));
  if (reader.has("triggerTime")) {
    WINISWIN_TRY(const Timestamp trigger_time, reader.timestamp("triggerTime"));
    if (to_ms(trigger_time) != 0) order.trigger_time = trigger_time;
  }
  return order;
}

Result<venue::AlgoOrderReport> algo_order_with_id_context(const FieldReader& reader) {
  auto order = algo_order_of(reader);
  if (order) return order;
  std::int64_t id = 0;
  if (reader.raw()["algoId"].get_int64().get(id) == simdjson::SUCCESS) return order.error().with_context(fmt::format("algoId {}", id));
  return order;
}

// `code` as Binance prints it: a number, or (DELETE algoOrder) a numeric string.
Result<std::int64_t> code_of(const FieldReader& reader) {
  std::int64_t code = 0;
  if (reader.raw()["code"].get_int64().get(code) == simdjson::SUCCESS) return code;
  WINISWIN_TRY(const std::optional<std::int64_t> text_code, reader.optional_id("code"));
  if (!text_code) return reader.missing("code", "a code");
  return *text_code;
}

}  // namespace

Error ApiError::to_error() const {
  const ErrorCode kind = code == kUnexpectedResponse || code == kTimeout ? ErrorCode::kUnknownOutcome : ErrorCode::kRejected;
  return Error{kind, message, code};
}

Result<ApiError> parse_api_error(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "error body"));
  WINISWIN_TRY(const FieldReader reader, json::root_object(document, "error body"));
  WINISWIN_TRY(const std::int64_t code, reader.integer("code"));
  WINISWIN_TRY(std::string message, reader.string("msg"));
  if (code >= 0 || code < INT32_MIN) return reader.invalid("code", fmt::format("{} is not a Binance error code", code));
  return ApiError{static_cast<int>(code), std::move(message)};
}

Status parse_success_ack(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "acknowledgement"));
  WINISWIN_TRY(const FieldReader reader, json::root_object(document, "acknowledgement"));
  std::int64_t negative = 0;
  if (reader.raw()["code"].get_int64().get(negative) == simdjson::SUCCESS && negative < 0) {
    WINISWIN_TRY(const ApiError rejection, parse_api_error(json));
    return rejection.to_error();
  }
  WINISWIN_TRY(const std::int64_t code, code_of(reader));
  if (code != kSuccessCode) return reader.invalid("code", fmt::format("{} is not success (200)", code));
  return Ok{};
}

Result<venue::OrderStatusReport> parse_order(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "order"));
  WINISWIN_TRY(const FieldReader reader, json::root_object(document, "order"));
  return order_with_id_context(reader);
}

Result<std::vector<venue::OrderStatusReport>> parse_orders(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "openOrders"));
  return json::parse_each<venue::OrderStatusReport>(document, "openOrders", false, order_with_id_context);
}

venue::OrderAck ack_of(const venue::OrderStatusReport& order) {
  return venue::OrderAck{.order_id = order.order_id, .client_order_id = order.client_order_id, .status = order.status};
}

Result<venue::AlgoOrderReport> parse_algo_order(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "algoOrder"));
  WINISWIN_TRY(const FieldReader reader, json::root_object(document, "algoOrder"));
  return algo_order_with_id_context(reader);
}

Result<std::vector<venue::AlgoOrderReport>> parse_algo_orders(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "openAlgoOrders"));
  return json::parse_each<venue::AlgoOrderReport>(document, "openAlgoOrders", false, algo_order_with_id_context);
}

venue::OrderAck ack_of(const venue::AlgoOrderReport& order) {
  return venue::OrderAck{.algo_id = order.algo_id, .client_algo_id = order.client_algo_id, .algo_status = order.status};
}

}  // namespace winiswin::binance
