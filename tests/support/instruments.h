// Exact literals and the instruments tests trade, built from filter values as Binance
// prints them (so a test reads like the exchangeInfo it mirrors).
#pragma once

#include <string>
#include <string_view>

#include "core/instrument.h"

namespace winiswin::testing {

inline Price P(std::string_view text) { return Price::parse(text).value(); }
inline Quantity Q(std::string_view text) { return Quantity::parse(text).value(); }
inline Notional N(std::string_view text) { return Notional::parse(text).value(); }

struct Filters {
  std::string_view min_price, max_price, tick_size;  // PRICE_FILTER
  std::string_view min_qty, max_qty, step_size;      // LOT_SIZE
  std::string_view market_max_qty;                   // MARKET_LOT_SIZE (same min and step)
  std::string_view min_notional;                     // MIN_NOTIONAL
};

inline Instrument instrument_with(std::string symbol, const Filters& filters) {
  Instrument instrument;
  instrument.symbol = std::move(symbol);
  instrument.quote_asset = "USDT";
  instrument.price_filter = PriceFilter{P(filters.min_price), P(filters.max_price), P(filters.tick_size)};
  instrument.lot_size = LotFilter{Q(filters.min_qty), Q(filters.max_qty), Q(filters.step_size)};
  instrument.market_lot_size = LotFilter{Q(filters.min_qty), Q(filters.market_max_qty), Q(filters.step_size)};
  instrument.min_notional = N(filters.min_notional);
  return instrument;
}

// As the 2025-12-24 exchangeInfo capture lists them.
inline Instrument btcusdt() { return instrument_with("BTCUSDT", {"261.10", "809484", "0.10", "0.001", "1000", "0.001", "120", "100"}); }
inline Instrument ethusdt() { return instrument_with("ETHUSDT", {"39.86", "306177", "0.01", "0.001", "10000", "0.001", "2000", "20"}); }

}  // namespace winiswin::testing
