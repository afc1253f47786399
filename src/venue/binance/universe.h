// Which symbols winiswin watches: the crypto USDT perpetuals that trade (exchangeInfo's
// TRADING, PERPETUAL, USDT-quoted — TradFi perpetuals excluded), ranked by Binance's 24 h
// tickers and cut to the top N.
//
//   by quote volume   the most traded (USDT) first: liquidity, tight spreads
//   by volatility     the widest 24 h range first, (high − low) / last price: movement, for
//                     a strategy that needs it (a symbol without volume still ranks by it, so
//                     `min_quote_volume` keeps illiquid ones out)
// Ties break by symbol name, so the same tickers always give the same universe.
#pragma once

#include <string>
#include <vector>

#include "core/instrument.h"
#include "venue/binance/rest_client.h"
#include "venue/binance/rest_market.h"

namespace winiswin::binance {

enum class UniverseRank { kQuoteVolume, kVolatility };

struct UniverseRule {
  int top = 200;
  UniverseRank rank = UniverseRank::kQuoteVolume;
  Notional min_quote_volume{};  // 24 h, USDT; below it a symbol is left out (0: none)
};

// The instruments of `tradable` (already filtered to what trades) chosen by `rule`, best first.
std::vector<Instrument> select_universe(const std::vector<Instrument>& tradable, const std::vector<Ticker24h>& tickers,
                                        const UniverseRule& rule);

// GET /fapi/v1/ticker/24hr for every symbol (weight 40).
Result<std::vector<Ticker24h>> fetch_tickers(RestClient& rest);

}  // namespace winiswin::binance
