// Binance's public kline CSV: the USDⓈ-M futures data dumps (12 columns, with or without
// the header row) and OHLCV-only captures (6 columns: open_time,open,high,low,close,volume).
//
//   open_time,open,high,low,close,volume,close_time,quote_volume,count,
//   taker_buy_volume,taker_buy_quote_volume,ignore
//
// Open times are UTC milliseconds. Numbers are parsed exactly into fixed point; a value
// with more than 8 decimals, NaN, a negative price or a broken OHLC envelope is an error
// naming the source, the line and the column. Rows must strictly increase in time; gaps
// are allowed and reported separately (data/gaps.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/kline.h"

namespace winiswin {

struct KlineCsvOptions {
  std::string source;                // file name for error messages
  std::string symbol;                // stored in the series; may be empty
  std::optional<Interval> interval;  // when unknown, inferred from the rows
};

Result<KlineSeries> parse_kline_csv(std::string_view text, const KlineCsvOptions& options);

// Writes the series in the same format it came in: 12 columns with Binance's dump header
// for KlineFields::kFull, 6 for kOhlcv. Numbers print in their shortest exact form.
std::string format_kline_csv(const KlineSeries& series);

}  // namespace winiswin
