// Parsers of Binance's answers about the account: positions, balances, the listen key and
// the leverage setting (spec/rest.md §10–14, §21). Same contract as rest_market.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/fixed_point.h"
#include "venue/venue.h"

namespace winiswin::binance {

// GET /fapi/v2/positionRisk or /fapi/v3/positionRisk → the open positions (rows whose
// positionAmt is 0 are left out: v2 lists every symbol).
// - entryPrice, markPrice, liquidationPrice and unRealizedProfit are computed by Binance and
//   read to the nearest 1e-8; liquidationPrice is not rounded to the tick here (that needs the
//   instrument: the caller rounds it toward the position).
// - v2 carries leverage and marginType ("isolated" / "cross"). v3 has neither: leverage is
//   then 0 (unknown; GET /fapi/v1/symbolConfig has it) and the margin type is inferred from
//   the isolated wallet: non-zero means isolated. An isolated position always has one.
// - margin: isolated → isolatedWallet (the margin put on the position); crossed →
//   initialMargin when given (v3), else |notional| / leverage rounded up.
// - Hedge mode gives one row per side (LONG > 0, SHORT < 0); winiswin trades one-way (BOTH).
Result<std::vector<venue::PositionReport>> parse_position_risk(std::string_view json);

// GET /fapi/v2/balance or /fapi/v3/balance → the row of `asset`: wallet = balance,
// available = availableBalance. An absent asset is an error (never a zero balance).
Result<venue::BalanceReport> parse_balance(std::string_view json, std::string_view asset = "USDT");

// GET /fapi/v2/account or /fapi/v3/account → assets[asset]: walletBalance, availableBalance.
Result<venue::BalanceReport> parse_account_balance(std::string_view json, std::string_view asset = "USDT");

// POST /fapi/v1/listenKey (and PUT, which answers the key it extended) → the key.
Result<std::string> parse_listen_key(std::string_view json);
// PUT /fapi/v1/listenKey: older servers answer {} — then no key, and that is no error.
Result<std::optional<std::string>> parse_listen_key_keepalive(std::string_view json);

// POST /fapi/v1/leverage → {"leverage": 21, "maxNotionalValue": "1000000", "symbol": "BTCUSDT"}
struct LeverageSetting {
  std::string symbol;
  int leverage = 0;
  Notional max_notional;  // the largest position this leverage allows; 2^63-1 class values saturate
};
Result<LeverageSetting> parse_leverage(std::string_view json);

}  // namespace winiswin::binance
