// Parsers of Binance USDⓈ-M market-stream messages (spec/websocket.md §3–5). Same contract
// as rest_market.h; in addition:
// - A message may come raw or in the combined-stream envelope {"stream": …, "data": …}.
// - Only closed bars are bars: a kline event with x=false is skipped, not an error.
// - All-market streams carry COIN-M symbols too since 2026-06-30: an item with `st` other
//   than 1 is dropped (items without `st` are kept). Event types not handled here are
//   skipped and say so; subscription replies ({"result":null,"id":1}) are recognised.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"
#include "core/fixed_point.h"
#include "core/interval.h"
#include "core/kline.h"
#include "core/time.h"
#include "venue/binance/stream_message.h"

namespace winiswin::binance {

// A closed bar from `<symbol>@kline_<interval>`.
struct ClosedKline {
  std::string symbol;
  Interval interval = Interval::k1m;
  Kline kline;
  Timestamp event_time;  // E
  Timestamp received;
};

// `<symbol>@markPrice[@1s]` (one) or `!markPrice@arr[@1s]` (many).
struct MarkPriceUpdate {
  std::string symbol;
  Price mark_price;              // p
  Price index_price;             // i
  Price estimated_settle_price;  // P
  Ratio funding_rate;            // r
  Timestamp next_funding_time;   // T
  Timestamp event_time;          // E
  Timestamp received;
};

using MarketMessage = std::variant<ClosedKline, std::vector<MarkPriceUpdate>, SubscriptionReply, SkippedMessage>;

Result<MarketMessage> parse_market_message(std::string_view json, Timestamp received);

}  // namespace winiswin::binance
