// Reading the order parameters Binance's order endpoints share: enumerations with their own
// error codes, decimal precision (-1111), and the simulator's refusals turned into Binance's
// answers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/instrument.h"
#include "core/side.h"
#include "venue/loopback/form_params.h"
#include "venue/venue.h"

namespace winiswin::loopback {

Result<Side> side_param(const RequestParams& params);  // BUY / SELL, else -1117
// positionSide: BOTH or absent (one-way mode); LONG/SHORT -4061, anything else -4060.
Status one_way_position_side(const RequestParams& params);
// newOrderRespType: ACK (default) or RESULT, else -1136. True for RESULT.
Result<bool> wants_result(const RequestParams& params);
// Binance's clientOrderId / clientAlgoId rule ^[.A-Z:/a-z0-9_-]{1,36}$ is the simulator's to
// enforce; an empty one is replaced by the caller's generated id.

// More decimals than the instrument accepts (quantityPrecision / pricePrecision): -1111.
Status check_precision(Quantity quantity, const Instrument& instrument);
Status check_precision(Price price, const Instrument& instrument);

// A simulator refusal as Binance words it: the simulator prefixes its messages with what
// it refused ("TESTUSDT BUY MARKET: …"); Binance's message is what follows.
Error as_binance_rejection(const Error& error);

}  // namespace winiswin::loopback
