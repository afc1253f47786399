// A candlestick as Binance reports it: all twelve columns of the USDⓈ-M kline dumps.
//
// Sources that carry only OHLCV (ccxt/freqtrade captures) leave the extended fields at
// zero; `KlineSeries::fields` says which fields are real, so a writer never invents them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/fixed_point.h"
#include "core/interval.h"
#include "core/time.h"

namespace winiswin {

struct Kline {
  Timestamp open_time;
  Price open;
  Price high;
  Price low;
  Price close;
  Quantity volume;  // base asset traded
  Timestamp close_time;  // open_time + interval − 1 ms
  Notional quote_volume;
  std::int64_t trades = 0;
  Quantity taker_buy_volume;
  Notional taker_buy_quote_volume;

  bool operator==(const Kline&) const = default;
};

enum class KlineFields : std::uint8_t {
  kOhlcv,  // open_time, OHLC, volume (close_time derived from the interval)
  kFull,   // all twelve columns of the Binance dump
};

// One symbol's bars at one interval, in strictly increasing open-time order.
struct KlineSeries {
  std::string symbol;  // "BTCUSDT"; may be empty when the source does not say
  Interval interval = Interval::k1m;
  KlineFields fields = KlineFields::kFull;
  std::vector<Kline> bars;
};

}  // namespace winiswin
