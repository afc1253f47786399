// Binance USDⓈ-M `GET /fapi/v1/exchangeInfo`: parsing into Instruments, and writing the
// same shape back (the synthetic market publishes its instruments this way, so every
// consumer reads one format).
//
// Parsing contract (spec/rest.md §3, spec/filters-and-margin.md §1):
// - Every symbol needs symbol, status, contractType, baseAsset, quoteAsset, marginAsset,
//   pricePrecision, quantityPrecision and filters with PRICE_FILTER, LOT_SIZE and
//   MIN_NOTIONAL. A missing or mistyped one is an error naming the symbol and the field.
// - MARKET_LOT_SIZE defaults to LOT_SIZE when absent; PERCENT_PRICE is optional.
// - `liquidationFee` (a decimal string, a share of the notional in [0, 1)) is optional:
//   absent, the instrument's liquidation_fee stays 0 (unknown); present and malformed or
//   out of range, it is an error. Written back only when known.
// - Decimal fields are JSON strings ("0.10") and parse exactly; key order and unknown
//   fields (and unknown filter types) are ignored, as Binance adds them over time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/instrument.h"
#include "core/time.h"

namespace winiswin::binance {

struct ExchangeInfo {
  Timestamp server_time;
  std::vector<Instrument> instruments;  // every symbol listed, whatever its status

  // TRADING, PERPETUAL, USDT-quoted: what winiswin trades.
  [[nodiscard]] std::vector<Instrument> tradable_usdt_perpetuals() const;
};

Result<ExchangeInfo> parse_exchange_info(std::string_view json, const std::string& source);
Result<ExchangeInfo> load_exchange_info(const std::string& path);  // .json or .json.gz

std::string format_exchange_info(const std::vector<Instrument>& instruments, Timestamp server_time);

}  // namespace winiswin::binance
