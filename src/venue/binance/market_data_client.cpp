#include "venue/binance/market_data_client.h"

#include <fmt/format.h>

#include "venue/binance/kline_catch_up.h"
#include "venue/binance/order_params.h"
#include "venue/binance/rest_market.h"

namespace winiswin::binance {

Result<std::vector<Kline>> fetch_klines(RestClient& rest, const std::string& symbol, Interval interval, Timestamp from, Timestamp to,
                                        const std::function<void(std::size_t)>& progress) {
  const Milliseconds step = duration_of(interval);
  std::vector<Kline> bars;
  Timestamp next = bar_open_time(from, interval) < from ? bar_open_time(from, interval) + step : bar_open_time(from, interval);
  constexpr int kPerRequest = 1000;  // weight 5: the cheapest bars per weight (kline_catch_up.h)
  while (next < to) {
    // startTime and limit, no endTime: Binance answers the next bars there are, so a hole in
    // its data (a delisting, a relisting) costs one request, not one per empty window.
    // No more than the bars still wanted: 300 bars weigh 2, not the 5 of a 1000-bar request.
    const auto wanted = static_cast<int>(std::min<std::int64_t>(kPerRequest, (to - next + step - Milliseconds{1}) / step));
    WINISWIN_TRY(const QueryParams params, klines_params(KlineQuery{symbol, interval, next, std::nullopt, wanted}));
    WINISWIN_TRY(const std::string body, rest.call("GET", kKlinesPath, params, Security::kPublic, RequestCost{klines_weight(wanted), 0}));
    WINISWIN_TRY(const std::vector<Kline> page, parse_klines(body));
    std::size_t added = 0;
    for (const Kline& bar : page) {
      if (bar.open_time < next || bar.open_time >= to) continue;
      if (!bars.empty() && bar.open_time <= bars.back().open_time) {
        return make_error(ErrorCode::kParse, fmt::format("{} {} klines: bar {} out of order", symbol, name_of(interval), format_utc(bar.open_time)));
      }
      bars.push_back(bar);
      ++added;
    }
    if (added == 0) break;  // nothing more before `to`
    next = bars.back().open_time + step;
    if (progress) progress(bars.size());
  }
  return bars;
}

Result<FetchedExchangeInfo> fetch_exchange_info(RestClient& rest) {
  WINISWIN_TRY(std::string json, rest.call("GET", "/fapi/v1/exchangeInfo", QueryParams{}, Security::kPublic, RequestCost{1, 0}));
  WINISWIN_TRY(ExchangeInfo info, parse_exchange_info(json, "exchangeInfo"));
  return FetchedExchangeInfo{std::move(json), std::move(info)};
}

}  // namespace winiswin::binance
