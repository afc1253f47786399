// Market data over REST, for the commands that save it (`winiswin data fetch`,
// `winiswin exchange-info`) and the live feed's catch-up: closed klines of a range, fetched
// in 1000-bar requests within the request budget, and exchangeInfo as Binance sends it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/interval.h"
#include "core/kline.h"
#include "venue/binance/exchange_info.h"
#include "venue/binance/rest_client.h"

namespace winiswin::binance {

// The bars of `symbol` opened in [from, to), oldest first, 1000 a request (from a start time,
// so a hole in the venue's data is stepped over). `to` should not pass the last closed bar:
// Binance serves the forming one too. `progress` is told the bars received so far.
Result<std::vector<Kline>> fetch_klines(RestClient& rest, const std::string& symbol, Interval interval, Timestamp from, Timestamp to,
                                        const std::function<void(std::size_t)>& progress = {});

// GET /fapi/v1/exchangeInfo: the JSON as sent (to save) and parsed (checked: it must read).
struct FetchedExchangeInfo {
  std::string json;
  ExchangeInfo info;
};
Result<FetchedExchangeInfo> fetch_exchange_info(RestClient& rest);

}  // namespace winiswin::binance
