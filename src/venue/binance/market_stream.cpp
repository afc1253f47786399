#include "venue/binance/market_stream.h"

#include <fmt/format.h>

#include "venue/binance/json_fields.h"

namespace winiswin::binance {
namespace {

using json::element;
using json::FieldReader;

constexpr std::int64_t kUsdMarginedStreamType = 1;  // `st`: 1 = USDⓈ-M, 2 = COIN-M

// Whether an item belongs to USDⓈ-M: no `st` (older payloads) or st == 1.
Result<bool> is_usd_margined(const FieldReader& reader) {
  if (!reader.has("st")) return true;
  WINISWIN_TRY(const std::int64_t stream_type, reader.integer("st"));
  return stream_type == kUsdMarginedStreamType;
}

Result<MarketMessage> kline_message(const FieldReader& event, Timestamp received) {
  WINISWIN_TRY(const FieldReader bar, event.child("k"));
  WINISWIN_TRY(const bool closed, bar.boolean("x"));
  if (!closed) return MarketMessage{SkippedMessage{"kline", "bar not closed"}};
  ClosedKline out;
  out.received = received;
  WINISWIN_TRY(out.event_time, event.timestamp("E"));
  WINISWIN_TRY(out.symbol, bar.string("s"));
  WINISWIN_TRY(const std::string_view interval, bar.string_view("i"));
  auto parsed_interval = parse_interval(interval);
  if (!parsed_interval) return bar.invalid("i", fmt::format("'{}' is not an interval winiswin uses", interval));
  out.interval = *parsed_interval;
  Kline& kline = out.kline;
  WINISWIN_TRY(kline.open_time, bar.timestamp("t"));
  WINISWIN_TRY(kline.close_time, bar.timestamp("T"));
  WINISWIN_TRY(kline.open, bar.decimal<Price>("o"));
  WINISWIN_TRY(kline.high, bar.decimal<Price>("h"));
  WINISWIN_TRY(kline.low, bar.decimal<Price>("l"));
  WINISWIN_TRY(kline.close, bar.decimal<Price>("c"));
  WINISWIN_TRY(kline.volume, bar.decimal<Quantity>("v"));
  WINISWIN_TRY(kline.trades, bar.integer("n"));
  WINISWIN_TRY(kline.quote_volume, bar.decimal<Notional>("q"));
  WINISWIN_TRY(kline.taker_buy_volume, bar.decimal<Quantity>("V"));
  WINISWIN_TRY(kline.taker_buy_quote_volume, bar.decimal<Notional>("Q"));
  return MarketMessage{std::move(out)};
}

Result<MarkPriceUpdate> mark_price_of(const FieldReader& reader, Timestamp received) {
  MarkPriceUpdate update;
  update.received = received;
  WINISWIN_TRY(update.symbol, reader.string("s"));
  WINISWIN_TRY(update.event_time, reader.timestamp("E"));
  WINISWIN_TRY(update.mark_price, reader.decimal<Price>("p"));
  WINISWIN_TRY(update.index_price, reader.decimal<Price>("i"));
  WINISWIN_TRY(update.estimated_settle_price, reader.decimal_or_zero<Price>("P"));
  WINISWIN_TRY(update.funding_rate, reader.decimal_or_zero<Ratio>("r"));
  WINISWIN_TRY(update.next_funding_time, reader.timestamp("T"));
  return update;
}

// One markPriceUpdate or the !markPrice@arr array of them, COIN-M items dropped.
Result<MarketMessage> mark_price_message(element document, Timestamp received) {
  std::vector<MarkPriceUpdate> updates;
  auto parsed = json::parse_each<std::optional<MarkPriceUpdate>>(
      document, "markPriceUpdate", true, [&](const FieldReader& reader) -> Result<std::optional<MarkPriceUpdate>> {
        WINISWIN_TRY(const bool usd_margined, is_usd_margined(reader));
        if (!usd_margined) return std::optional<MarkPriceUpdate>{};
        WINISWIN_TRY(MarkPriceUpdate update, mark_price_of(reader, received));
        return std::optional<MarkPriceUpdate>{std::move(update)};
      });
  if (!parsed) return parsed.error();
  for (std::optional<MarkPriceUpdate>& update : *parsed) {
    if (update) updates.push_back(std::move(*update));
  }
  if (updates.empty()) return MarketMessage{SkippedMessage{"markPriceUpdate", "no USDⓈ-M symbol"}};
  return MarketMessage{std::move(updates)};
}

// The type of an all-market array: its first item's `e`.
std::string_view array_event_type(element document) {
  json::array items;
  if (document.get_array().get(items) != simdjson::SUCCESS) return {};
  for (element item : items) {
    std::string_view type;
    if (item["e"].get_string().get(type) == simdjson::SUCCESS) return type;
    return {};
  }
  return {};
}

}  // namespace

Result<MarketMessage> parse_market_message(std::string_view json, Timestamp received) {
  WINISWIN_TRY(const element raw, json::parse_document(json, "market stream"));
  const element document = json::unwrap_stream_envelope(raw);
  if (document.is_array()) {
    const std::string_view type = array_event_type(document);
    if (type == "markPriceUpdate") return mark_price_message(document, received);
    return MarketMessage{SkippedMessage{std::string(type), type.empty() ? "array without an event type" : "not handled"}};
  }
  WINISWIN_TRY(const FieldReader reader, json::root_object(document, "market stream"));
  if (!reader.has("e")) {
    if (reader.raw()["id"].error() == simdjson::SUCCESS) return MarketMessage{json::subscription_reply_of(reader)};
    return make_error(ErrorCode::kParse, "market stream: a message with neither an event type 'e' nor a request 'id'");
  }
  WINISWIN_TRY(const std::string type, reader.string("e"));
  if (type == "kline") {
    WINISWIN_TRY(const bool usd_margined, is_usd_margined(reader));
    if (!usd_margined) return MarketMessage{SkippedMessage{type, "COIN-M symbol"}};
    return kline_message(FieldReader(reader.raw(), "kline"), received);
  }
  if (type == "markPriceUpdate") return mark_price_message(document, received);
  return MarketMessage{SkippedMessage{type, "not handled"}};
}

}  // namespace winiswin::binance
