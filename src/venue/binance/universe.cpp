#include "venue/binance/universe.h"

#include <algorithm>
#include <map>

namespace winiswin::binance {
namespace {

double volatility_of(const Ticker24h& ticker) {
  const double last = ticker.last_price.to_double();
  return last > 0 ? (ticker.high_price.to_double() - ticker.low_price.to_double()) / last : 0.0;
}

}  // namespace

std::vector<Instrument> select_universe(const std::vector<Instrument>& tradable, const std::vector<Ticker24h>& tickers,
                                        const UniverseRule& rule) {
  std::map<std::string, const Ticker24h*, std::less<>> ticker_of;
  for (const Ticker24h& ticker : tickers) ticker_of.emplace(ticker.symbol, &ticker);
  struct Ranked {
    const Instrument* instrument;
    double key;
  };
  std::vector<Ranked> ranked;
  for (const Instrument& instrument : tradable) {
    const auto found = ticker_of.find(instrument.symbol);
    if (found == ticker_of.end()) continue;  // no ticker: not trading now, whatever exchangeInfo says
    const Ticker24h& ticker = *found->second;
    if (ticker.quote_volume < rule.min_quote_volume) continue;
    ranked.push_back(Ranked{&instrument, rule.rank == UniverseRank::kQuoteVolume ? ticker.quote_volume.to_double() : volatility_of(ticker)});
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return a.key != b.key ? a.key > b.key : a.instrument->symbol < b.instrument->symbol;
  });
  std::vector<Instrument> universe;
  for (std::size_t idx = 0; idx < ranked.size() && static_cast<int>(idx) < rule.top; ++idx) universe.push_back(*ranked[idx].instrument);
  return universe;
}

Result<std::vector<Ticker24h>> fetch_tickers(RestClient& rest) {
  WINISWIN_TRY(const std::string body, rest.call("GET", "/fapi/v1/ticker/24hr", QueryParams{}, Security::kPublic, RequestCost{40, 0}));
  return parse_ticker_24h(body);
}

}  // namespace winiswin::binance
