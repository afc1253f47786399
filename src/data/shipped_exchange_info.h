// The exchangeInfo shipped with winiswin (share/README.md): Binance's USDT perpetuals and their
// filters on one day, embedded at build time so that a clone, an installed binary or a copy of
// it has instruments for a --data folder that brings none. Its day is its serverTime.
#pragma once

#include <string_view>

namespace winiswin {

// The JSON text (GET /fapi/v1/exchangeInfo's shape, trimmed), for binance::parse_exchange_info.
std::string_view shipped_exchange_info();
// Its name in the source tree, for messages: "share/exchangeInfo_usdt_perpetuals_2025-12-24.json".
std::string_view shipped_exchange_info_name();

}  // namespace winiswin
