// Market data endpoints (spec/rest.md #1–9): ping, time, exchangeInfo, klines, 24 h ticker,
// price ticker, premiumIndex (mark = last close, the simulator's funding schedule) and
// leverageBracket (the brackets the venue liquidates with).
#include <cmath>

#include <fmt/format.h>

#include "venue/loopback/api_error.h"
#include "venue/loopback/loopback_exchange.h"

namespace winiswin::loopback {
namespace {

constexpr std::int64_t kMaxKlineLimit = 1500;
constexpr std::int64_t kPerpetualDeliveryDate = 4'133'404'800'000;  // what Binance lists for perpetuals (2100-12-25)

std::string base_asset_of(const Instrument& instrument) {
  if (!instrument.base_asset.empty()) return instrument.base_asset;
  const std::string& symbol = instrument.symbol;
  const std::string& quote = instrument.quote_asset;
  if (!quote.empty() && symbol.size() > quote.size() && symbol.ends_with(quote)) return symbol.substr(0, symbol.size() - quote.size());
  return symbol;
}

void write_lot(JsonWriter& json, const char* type, const LotFilter& lot) {
  json.begin_object()
      .field("filterType", type)
      .field("maxQty", lot.max_quantity)
      .field("minQty", lot.min_quantity)
      .field("stepSize", lot.step_size)
      .end_object();
}

}  // namespace

Result<std::string> LoopbackExchange::ping(const Call&) { return std::string("{}"); }

Result<std::string> LoopbackExchange::time(const Call&) { return fmt::format("{{\"serverTime\":{}}}", to_ms(server_clock())); }

Result<std::string> LoopbackExchange::exchange_info(const Call&) {
  JsonWriter json;
  json.begin_object().field("timezone", "UTC").field("serverTime", to_ms(server_clock())).field("futuresType", "U_MARGINED");
  const auto limit = [&](const char* type, const char* interval, int number, int value) {
    json.begin_object()
        .field("rateLimitType", type)
        .field("interval", interval)
        .field("intervalNum", number)
        .field("limit", value)
        .end_object();
  };
  json.key("rateLimits").begin_array();
  limit("REQUEST_WEIGHT", "MINUTE", 1, config_.weight_limit_1m);
  limit("ORDERS", "MINUTE", 1, config_.order_limit_1m);
  limit("ORDERS", "SECOND", 10, config_.order_limit_10s);
  json.end_array();
  json.key("exchangeFilters").begin_array().end_array();
  json.key("assets").begin_array();
  json.begin_object().field("asset", "USDT").field("marginAvailable", true).field("autoAssetExchange", "-10000").end_object();
  json.end_array();
  json.key("symbols").begin_array();
  for (const Instrument& instrument : instruments_) {
    const std::string quote = instrument.quote_asset.empty() ? "USDT" : instrument.quote_asset;
    const auto market_idx = market_.index_of(instrument.symbol);
    const std::int64_t onboard =
        market_idx && !market_.closed(*market_idx).empty() ? to_ms(market_.closed(*market_idx).front().open_time) : 0;
    const Ratio liquidation_fee = instrument.liquidation_fee.is_positive() ? instrument.liquidation_fee : config_.venue.liquidation_fee;
    json.begin_object()
        .field("symbol", instrument.symbol)
        .field("pair", instrument.symbol)
        .field("contractType", name_of(instrument.contract_type))
        .field("deliveryDate", kPerpetualDeliveryDate)
        .field("onboardDate", onboard)
        .field("status", name_of(instrument.status))
        .field("maintMarginPercent", "2.5000")
        .field("requiredMarginPercent", "5.0000")
        .field("baseAsset", base_asset_of(instrument))
        .field("quoteAsset", quote)
        .field("marginAsset", instrument.margin_asset.empty() ? quote : instrument.margin_asset)
        .field("pricePrecision", instrument.price_precision)
        .field("quantityPrecision", instrument.quantity_precision)
        .field("baseAssetPrecision", 8)
        .field("quotePrecision", 8)
        .field("underlyingType", "COIN");
    json.key("underlyingSubType").begin_array().end_array();
    json.field("settlePlan", 0).field("triggerProtect", "0.0500").field("liquidationFee", liquidation_fee).field("marketTakeBound", "0.05");
    json.key("filters").begin_array();
    json.begin_object()
        .field("filterType", "PRICE_FILTER")
        .field("maxPrice", instrument.price_filter.max_price)
        .field("minPrice", instrument.price_filter.min_price)
        .field("tickSize", instrument.price_filter.tick_size)
        .end_object();
    write_lot(json, "LOT_SIZE", instrument.lot_size);
    write_lot(json, "MARKET_LOT_SIZE", instrument.market_lot_size);
    json.begin_object().field("filterType", "MAX_NUM_ORDERS").field("limit", 200).end_object();
    json.begin_object().field("filterType", "MIN_NOTIONAL").field("notional", instrument.min_notional).end_object();
    if (instrument.percent_price_up.is_positive()) {
      json.begin_object()
          .field("filterType", "PERCENT_PRICE")
          .field("multiplierUp", instrument.percent_price_up)
          .field("multiplierDown", instrument.percent_price_down)
          .field("multiplierDecimal", "4")
          .end_object();
    }
    json.end_array();
    // ccxt refuses to send an order type this list lacks (spec/rest.md §3).
    json.key("orderTypes").begin_array();
    for (const char* type : {"LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"}) {
      json.value(type);
    }
    json.end_array();
    json.key("timeInForce").begin_array();
    for (const char* tif : {"GTC", "IOC", "FOK", "GTX", "GTD"}) json.value(tif);
    json.end_array();
    json.end_object();
  }
  json.end_array().end_object();
  return json.take();
}

Result<std::string> LoopbackExchange::klines(const Call& call) {
  const RequestParams& params = call.params;
  WINISWIN_TRY(const Instrument* instrument, instrument_param(params));
  WINISWIN_TRY(const std::string_view interval_name, params.required("interval"));
  const auto interval = parse_interval(interval_name);
  if (!interval) return make_rejection(-1120, "Invalid interval.");
  WINISWIN_TRY(const auto limit, params.optional_integer("limit"));
  if (limit && (*limit < 1 || *limit > kMaxKlineLimit)) return invalid_parameter("limit");
  WINISWIN_TRY(const auto start, params.optional_integer("startTime"));
  WINISWIN_TRY(const auto end, params.optional_integer("endTime"));
  if (start && end && *start > *end) return make_rejection(-1023, "Start time is greater than end time.");
  KlineQuery query;
  if (start) query.start = timestamp_from_ms(*start);
  if (end) query.end = timestamp_from_ms(*end);
  query.limit = static_cast<std::size_t>(limit.value_or(500));
  JsonWriter json;
  json.begin_array();
  if (const auto market_idx = market_.index_of(instrument->symbol)) {
    for (const Kline& bar : market_.klines(*market_idx, *interval, query, now_)) {
      json.begin_array()
          .value(to_ms(bar.open_time))
          .value(bar.open)
          .value(bar.high)
          .value(bar.low)
          .value(bar.close)
          .value(bar.volume)
          .value(to_ms(bar.close_time))
          .value(bar.quote_volume)
          .value(bar.trades)
          .value(bar.taker_buy_volume)
          .value(bar.taker_buy_quote_volume)
          .value("0")
          .end_array();
    }
  }
  json.end_array();
  return json.take();
}

// One symbol's object when the request names a symbol, else the array of every symbol's —
// the shape of Binance's ticker, price, premium-index and bracket endpoints.
template <typename Write>
Result<std::string> LoopbackExchange::one_or_all(const Call& call, const Write& write) {
  JsonWriter json;
  if (call.params.has("symbol")) {
    WINISWIN_TRY(const Instrument* instrument, instrument_param(call.params));
    write(json, *instrument);
    return json.take();
  }
  json.begin_array();
  for (const Instrument& instrument : instruments_) write(json, instrument);
  json.end_array();
  return json.take();
}

Result<std::string> LoopbackExchange::ticker_24hr(const Call& call) {
  const auto write = [&](JsonWriter& json, const Instrument& instrument) {
    const auto market_idx = market_.index_of(instrument.symbol);
    const auto stats = market_idx ? market_.day_statistics(*market_idx, now_) : std::nullopt;
    const DayStatistics day = stats.value_or(DayStatistics{});
    const Price change = day.last - day.open;
    const double percent = day.open.is_zero() ? 0.0 : change.to_double() / day.open.to_double() * 100.0;
    const double weighted = day.volume.is_zero() ? 0.0 : day.quote_volume.to_double() / day.volume.to_double();
    json.begin_object()
        .field("symbol", instrument.symbol)
        .field("priceChange", change)
        .field("priceChangePercent", fmt::format("{:.3f}", percent))
        .field("weightedAvgPrice", Price::from_double(weighted).value())
        .field("lastPrice", day.last)
        .field("lastQty", "0")
        .field("openPrice", day.open)
        .field("highPrice", day.high)
        .field("lowPrice", day.low)
        .field("volume", day.volume)
        .field("quoteVolume", day.quote_volume)
        .field("openTime", to_ms(day.open_time))
        .field("closeTime", to_ms(day.close_time))
        .field("firstId", 0)
        .field("lastId", 0)
        .field("count", day.trades)
        .end_object();
  };
  return one_or_all(call, write);
}

Result<std::string> LoopbackExchange::ticker_price(const Call& call) {
  const auto write = [&](JsonWriter& json, const Instrument& instrument) {
    json.begin_object()
        .field("symbol", instrument.symbol)
        .field("price", mark_of(instrument.symbol))
        .field("time", to_ms(server_clock()))
        .end_object();
  };
  return one_or_all(call, write);
}

Result<std::string> LoopbackExchange::premium_index(const Call& call) {
  const FundingView funding = funding_view();
  const auto write = [&](JsonWriter& json, const Instrument& instrument) {
    const Price mark = mark_of(instrument.symbol);
    json.begin_object()
        .field("symbol", instrument.symbol)
        .field("markPrice", mark)
        .field("indexPrice", mark)
        .field("estimatedSettlePrice", mark)
        .field("lastFundingRate", funding.rate)
        .field("interestRate", "0.00010000")
        .field("nextFundingTime", to_ms(funding.next_funding_time))
        .field("time", to_ms(server_clock()))
        .end_object();
  };
  return one_or_all(call, write);
}

// Numbers, not strings, in this response (spec/rest.md #9).
Result<std::string> LoopbackExchange::leverage_bracket(const Call& call) {
  const auto write = [&](JsonWriter& json, const Instrument& instrument) {
    json.begin_object().field("symbol", instrument.symbol);
    json.key("brackets").begin_array();
    const auto found = brackets_.find(instrument.symbol);
    int number = 1;
    if (found != brackets_.end()) {
      for (const LeverageBracket& bracket : found->second) {
        json.begin_object()
            .field("bracket", number++)
            .field("initialLeverage", bracket.initial_leverage)
            .key("notionalCap")
            .raw(bracket.notional_cap.to_string())
            .key("notionalFloor")
            .raw(bracket.notional_floor.to_string())
            .key("maintMarginRatio")
            .raw(fmt::format("{}", bracket.maint_margin_ratio))
            .key("cum")
            .raw(bracket.cum.to_string())
            .end_object();
      }
    }
    json.end_array().end_object();
  };
  return one_or_all(call, write);
}

}  // namespace winiswin::loopback
