#include "venue/loopback/api_error.h"

#include <fmt/format.h>

#include "venue/loopback/json_writer.h"

namespace winiswin::loopback {

int http_status_for(int code) {
  switch (code) {
    case -2014:
    case -2015: return 401;
    case -1099: return 404;
    default: return 400;
  }
}

std::string_view canonical_message(int code) {
  switch (code) {
    case -1022: return "Signature for this request is not valid.";
    case -1121: return "Invalid symbol.";
    case -1125: return "This listenKey does not exist. Please use `POST /fapi/v1/listenKey` to recreate `listenKey`";
    case -2011: return "Unknown order sent.";
    case -2013: return "Order does not exist.";
    case -2014: return "API-key format invalid.";
    case -2015: return "Invalid API-key, IP, or permissions for action.";
    case -2019: return "Margin is insufficient.";
    case -2021: return "Order would immediately trigger.";
    case -2022: return "ReduceOnly Order is rejected.";
    case -4003: return "Quantity less than zero.";
    case -4004: return "Quantity less than min quantity.";
    case -4005: return "Quantity greater than max quantity.";
    case -4002: return "Price greater than max price.";
    case -4006: return "Stop price less than zero.";
    case -4007: return "Stop price greater than max price.";
    case -4013: return "Price less than min price.";
    case -4014: return "Price not increased by tick size.";
    case -4015: return "Client order id is not valid.";
    case -4023: return "Qty not increased by step size.";
    case -4046: return "No need to change margin type.";
    case -4047: return "Margin type cannot be changed if there exists open orders.";
    case -4048: return "Margin type cannot be changed if there exists position.";
    case -4061: return "Order's position side does not match user's setting.";
    case -4116: return "clientOrderId is duplicated";
    case -4120: return "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.";
    case -20124: return "Invalid algo id or it has been completed.";
    case -20132: return "The client algo id is duplicated";
    default: return {};
  }
}

HttpResponse error_response(int http_status, int code, std::string_view message) {
  HttpResponse response;
  response.status = http_status;
  response.set_header("Content-Type", "application/json");
  JsonWriter json;
  json.begin_object().field("code", code).field("msg", message).end_object();
  response.body = json.take();
  return response;
}

HttpResponse error_response(const Error& error) {
  if (error.code != ErrorCode::kRejected || error.venue_code == 0) {
    return error_response(500, -1000, "An unknown error occured while processing the request. (" + error.message + ")");
  }
  const std::string_view canonical = canonical_message(error.venue_code);
  return error_response(http_status_for(error.venue_code), error.venue_code, canonical.empty() ? error.message : canonical);
}

Error missing_parameter(std::string_view name) {
  return make_rejection(-1102, fmt::format("Mandatory parameter '{}' was not sent, was empty/null, or malformed.", name));
}

Error malformed_parameter(std::string_view name, std::string_view legal) {
  return make_rejection(-1100, fmt::format("Illegal characters found in parameter '{}'; legal range is '{}'.", name, legal));
}

Error invalid_parameter(std::string_view name) {
  return make_rejection(-1130, fmt::format("Data sent for parameter '{}' is not valid.", name));
}

Error parameter_not_required(std::string_view name) {
  return make_rejection(-1106, fmt::format("Parameter '{}' sent when not required.", name));
}

Error invalid_symbol() { return make_rejection(-1121, "Invalid symbol."); }

}  // namespace winiswin::loopback
