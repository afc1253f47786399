// Parsers of Binance USDⓈ-M public market-data answers (spec/rest.md §2, §4, §5, §7, §8).
//
// Contract (every parser in venue/binance/rest_*.h and *_stream.h):
// - Input is the response body as received; output is our exact types. Nothing throws:
//   malformed JSON, a wrong shape, or a required field that is missing or mistyped is an
//   Error (kParse) naming the message and the field, e.g.
//   "premiumIndex[3]: field 'markPrice' is missing or not a decimal string".
// - Decimals are Binance's strings, parsed exactly (more than 8 decimals is an error), except
//   where a header says a value is rounded. Unknown fields are ignored, as Binance adds them.
// - A Binance error body ({"code":-1121,"msg":"Invalid symbol."}) is not any of these
//   answers: read it with parse_api_error (rest_orders.h) first when the HTTP status is 4xx.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/fixed_point.h"
#include "core/kline.h"
#include "core/time.h"

namespace winiswin::binance {

// GET /fapi/v1/time → {"serverTime": 1499827319559}
Result<Timestamp> parse_server_time(std::string_view json);

// GET /fapi/v1/klines (also markPriceKlines …) → [[openTime, "open", "high", "low", "close",
// "volume", closeTime, "quoteVolume", trades, "takerBuyBase", "takerBuyQuote", "ignore"], …],
// oldest first. The last row may be the bar still open: callers that want closed bars drop
// rows whose close_time is not before the server time.
Result<std::vector<Kline>> parse_klines(std::string_view json);

// GET /fapi/v1/premiumIndex: the mark price and the funding of one symbol.
struct PremiumIndex {
  std::string symbol;
  Price mark_price;
  Price index_price;
  Price estimated_settle_price;
  Ratio last_funding_rate;  // the current period's rate (0.0001 = 0.01 %)
  Ratio interest_rate;
  Timestamp next_funding_time;
  Timestamp time;
};
// The object Binance returns for one symbol, or the array it returns without one.
Result<std::vector<PremiumIndex>> parse_premium_index(std::string_view json);

// GET /fapi/v1/ticker/24hr: one symbol's rolling 24 h statistics.
struct Ticker24h {
  std::string symbol;
  Price price_change;
  Ratio price_change_percent;  // in percent: "-95.960" is −95.96 %
  Price weighted_average_price;
  Price last_price;
  Quantity last_quantity;
  Price open_price;
  Price high_price;
  Price low_price;
  Quantity volume;        // base asset
  Notional quote_volume;  // USDT: what universe selection ranks by
  Timestamp open_time;
  Timestamp close_time;
  std::int64_t trades = 0;  // count
};
// The object for one symbol, or the array for all.
Result<std::vector<Ticker24h>> parse_ticker_24h(std::string_view json);

// GET /fapi/v1/fundingInfo: symbols whose funding differs from the default (cap, floor, or
// an interval other than 8 h; commodity perpetuals settle every 4 h since 2026-01-30).
struct FundingInfo {
  std::string symbol;
  Ratio adjusted_cap;
  Ratio adjusted_floor;
  int interval_hours = 8;
};
Result<std::vector<FundingInfo>> parse_funding_info(std::string_view json);

// GET /fapi/v1/fundingRate: the funding history, oldest first.
struct FundingRateRecord {
  std::string symbol;
  Timestamp funding_time;
  Ratio funding_rate;
  Price mark_price;  // 0 when Binance does not say (older records)
};
Result<std::vector<FundingRateRecord>> parse_funding_rates(std::string_view json);

}  // namespace winiswin::binance
