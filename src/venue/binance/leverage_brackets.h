// Leverage brackets per symbol, from either Binance's own GET /fapi/v1/leverageBracket
// response ([{"symbol": …, "brackets": [{bracket, initialLeverage, notionalCap,
// notionalFloor, maintMarginRatio, cum}]}]) or ccxt's fetch_leverage_tiers form
// ({"BTC/USDT:USDT": [{…, "info": {the raw bracket, values as strings}}]}), which is how
// the capture in shared/data/rest is stored. Delivery contracts ("…-241227") are skipped.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/leverage_bracket.h"

namespace winiswin::binance {

using BracketTable = std::map<std::string, std::vector<LeverageBracket>>;  // by symbol, brackets in order

Result<BracketTable> parse_leverage_brackets(std::string_view json, const std::string& source);
Result<BracketTable> load_leverage_brackets(const std::string& path);

}  // namespace winiswin::binance
