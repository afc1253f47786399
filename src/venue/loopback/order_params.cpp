#include "venue/loopback/order_params.h"

#include "venue/loopback/api_error.h"

namespace winiswin::loopback {
namespace {

// How many decimals a fixed-point value needs (0..8).
int decimals_of(std::int64_t raw) {
  int decimals = kFixedDecimals;
  while (decimals > 0 && raw % 10 == 0) {
    raw /= 10;
    --decimals;
  }
  return decimals;
}

Error too_precise() { return make_rejection(-1111, "Precision is over the maximum defined for this asset."); }

}  // namespace

Result<Side> side_param(const RequestParams& params) {
  WINISWIN_TRY(const std::string_view side, params.required("side"));
  if (side == "BUY") return Side::kBuy;
  if (side == "SELL") return Side::kSell;
  return make_rejection(-1117, "Invalid side.");
}

Status one_way_position_side(const RequestParams& params) {
  const auto side = params.find("positionSide");
  if (!side || *side == "BOTH") return Ok{};
  if (*side == "LONG" || *side == "SHORT") return make_rejection(-4061, "Order's position side does not match user's setting.");
  return make_rejection(-4060, "Invalid position side.");
}

Result<bool> wants_result(const RequestParams& params) {
  const auto type = params.find("newOrderRespType");
  if (!type || *type == "ACK") return false;
  if (*type == "RESULT") return true;
  return make_rejection(-1136, "Invalid newOrderRespType.");
}

Status check_precision(Quantity quantity, const Instrument& instrument) {
  if (decimals_of(quantity.raw()) > instrument.quantity_precision) return too_precise();
  return Ok{};
}

Status check_precision(Price price, const Instrument& instrument) {
  if (decimals_of(price.raw()) > instrument.price_precision) return too_precise();
  return Ok{};
}

Error as_binance_rejection(const Error& error) {
  if (error.code != ErrorCode::kRejected) return error;
  const std::size_t colon = error.message.find(": ");
  if (colon == std::string::npos) return error;
  return make_rejection(error.venue_code, error.message.substr(colon + 2));
}

}  // namespace winiswin::loopback
