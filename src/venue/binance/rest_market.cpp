#include "venue/binance/rest_market.h"

#include <array>

#include <fmt/format.h>

#include "venue/binance/json_fields.h"

namespace winiswin::binance {
namespace {

using json::element;
using json::FieldReader;

// Binance's kline rows have 12 columns; the 12th is ignored and may one day be dropped.
constexpr std::size_t kKlineColumns = 11;

// One column of a kline row, named "klines[<row>][<column>] (<name>)" in errors.
class KlineRow {
 public:
  KlineRow(std::array<element, kKlineColumns> cells, std::size_t row) : cells_(cells), row_(row) {}

  Result<Timestamp> time(std::size_t column, std::string_view name) const {
    std::int64_t value = 0;
    if (cells_[column].get_int64().get(value) != simdjson::SUCCESS) return wrong(column, name, "an integer time");
    return timestamp_from_ms(value);
  }
  Result<std::int64_t> integer(std::size_t column, std::string_view name) const {
    std::int64_t value = 0;
    if (cells_[column].get_int64().get(value) != simdjson::SUCCESS) return wrong(column, name, "an integer");
    return value;
  }
  template <typename T>
  Result<T> decimal(std::size_t column, std::string_view name) const {
    std::string_view text;
    if (cells_[column].get_string().get(text) != simdjson::SUCCESS) return wrong(column, name, "a decimal string");
    auto value = T::parse(text);
    if (!value) return make_error(ErrorCode::kParse, fmt::format("{}: {}", where(column, name), value.error().message));
    return value;
  }

 private:
  std::string where(std::size_t column, std::string_view name) const {
    return fmt::format("klines[{}][{}] ({})", row_, column, name);
  }
  Error wrong(std::size_t column, std::string_view name, std::string_view expected) const {
    return make_error(ErrorCode::kParse, fmt::format("{}: not {}", where(column, name), expected));
  }
  std::array<element, kKlineColumns> cells_;
  std::size_t row_;
};

Result<Kline> parse_kline_row(element row_element, std::size_t row) {
  json::array cells_array;
  if (row_element.get_array().get(cells_array) != simdjson::SUCCESS) {
    return make_error(ErrorCode::kParse, fmt::format("klines[{}]: expected an array", row));
  }
  std::array<element, kKlineColumns> cells{};
  std::size_t count = 0;
  for (element cell : cells_array) {
    if (count < kKlineColumns) cells[count] = cell;
    ++count;
  }
  if (count < kKlineColumns) {
    return make_error(ErrorCode::kParse, fmt::format("klines[{}]: {} columns, expected at least {}", row, count, kKlineColumns));
  }
  const KlineRow reader(cells, row);
  Kline kline;
  WINISWIN_TRY(kline.open_time, reader.time(0, "open time"));
  WINISWIN_TRY(kline.open, reader.decimal<Price>(1, "open"));
  WINISWIN_TRY(kline.high, reader.decimal<Price>(2, "high"));
  WINISWIN_TRY(kline.low, reader.decimal<Price>(3, "low"));
  WINISWIN_TRY(kline.close, reader.decimal<Price>(4, "close"));
  WINISWIN_TRY(kline.volume, reader.decimal<Quantity>(5, "volume"));
  WINISWIN_TRY(kline.close_time, reader.time(6, "close time"));
  WINISWIN_TRY(kline.quote_volume, reader.decimal<Notional>(7, "quote volume"));
  WINISWIN_TRY(kline.trades, reader.integer(8, "trades"));
  WINISWIN_TRY(kline.taker_buy_volume, reader.decimal<Quantity>(9, "taker buy volume"));
  WINISWIN_TRY(kline.taker_buy_quote_volume, reader.decimal<Notional>(10, "taker buy quote volume"));
  return kline;
}

Result<PremiumIndex> premium_index_of(const FieldReader& reader) {
  PremiumIndex index;
  WINISWIN_TRY(index.symbol, reader.string("symbol"));
  WINISWIN_TRY(index.mark_price, reader.decimal<Price>("markPrice"));
  WINISWIN_TRY(index.index_price, reader.decimal<Price>("indexPrice"));
  WINISWIN_TRY(index.estimated_settle_price, reader.decimal_or_zero<Price>("estimatedSettlePrice"));
  WINISWIN_TRY(index.last_funding_rate, reader.decimal<Ratio>("lastFundingRate"));
  WINISWIN_TRY(index.interest_rate, reader.decimal_or_zero<Ratio>("interestRate"));
  WINISWIN_TRY(index.next_funding_time, reader.timestamp("nextFundingTime"));
  WINISWIN_TRY(index.time, reader.timestamp("time"));
  return index;
}

Result<Ticker24h> ticker_of(const FieldReader& reader) {
  Ticker24h ticker;
  WINISWIN_TRY(ticker.symbol, reader.string("symbol"));
  WINISWIN_TRY(ticker.price_change, reader.decimal<Price>("priceChange"));
  WINISWIN_TRY(ticker.price_change_percent, reader.decimal<Ratio>("priceChangePercent"));
  WINISWIN_TRY(ticker.weighted_average_price, reader.decimal<Price>("weightedAvgPrice"));
  WINISWIN_TRY(ticker.last_price, reader.decimal<Price>("lastPrice"));
  WINISWIN_TRY(ticker.last_quantity, reader.decimal<Quantity>("lastQty"));
  WINISWIN_TRY(ticker.open_price, reader.decimal<Price>("openPrice"));
  WINISWIN_TRY(ticker.high_price, reader.decimal<Price>("highPrice"));
  WINISWIN_TRY(ticker.low_price, reader.decimal<Price>("lowPrice"));
  WINISWIN_TRY(ticker.volume, reader.decimal<Quantity>("volume"));
  WINISWIN_TRY(ticker.quote_volume, reader.decimal<Notional>("quoteVolume"));
  WINISWIN_TRY(ticker.open_time, reader.timestamp("openTime"));
  WINISWIN_TRY(ticker.close_time, reader.timestamp("closeTime"));
  WINISWIN_TRY(ticker.trades, reader.integer("count"));
  return ticker;
}

Result<FundingInfo> funding_info_of(const FieldReader& reader) {
  FundingInfo info;
  WINISWIN_TRY(info.symbol, reader.string("symbol"));
  WINISWIN_TRY(info.adjusted_cap, reader.decimal<Ratio>("adjustedFundingRateCap"));
  WINISWIN_TRY(info.adjusted_floor, reader.decimal<Ratio>("adjustedFundingRateFloor"));
  WINISWIN_TRY(const std::int64_t hours, reader.integer("fundingIntervalHours"));
  constexpr std::int64_t kMaxIntervalHours = 24;
  if (hours < 1 || hours > kMaxIntervalHours) {
    return reader.invalid("fundingIntervalHours", fmt::format("{} is outside 1..{}", hours, kMaxIntervalHours));
  }
  info.interval_hours = static_cast<int>(hours);
  return info;
}

Result<FundingRateRecord> funding_rate_of(const FieldReader& reader) {
  FundingRateRecord record;
  WINISWIN_TRY(record.symbol, reader.string("symbol"));
  WINISWIN_TRY(record.funding_time, reader.timestamp("fundingTime"));
  WINISWIN_TRY(record.funding_rate, reader.decimal<Ratio>("fundingRate"));
  WINISWIN_TRY(record.mark_price, reader.decimal_or_zero<Price>("markPrice"));
  return record;
}

}  // namespace

Result<Timestamp> parse_server_time(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "time"));
  WINISWIN_TRY(const FieldReader reader, json::root_object(document, "time"));
  return reader.timestamp("serverTime");
}

Result<std::vector<Kline>> parse_klines(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "klines"));
  json::array rows;
  if (document.get_array().get(rows) != simdjson::SUCCESS) return make_error(ErrorCode::kParse, "klines: expected a JSON array");
  std::vector<Kline> klines;
  std::size_t row = 0;
  for (element row_element : rows) {
    WINISWIN_TRY(Kline kline, parse_kline_row(row_element, row));
    if (!klines.empty() && kline.open_time <= klines.back().open_time) {
      return make_error(ErrorCode::kParse, fmt::format("klines[{}]: open time {} is not after the previous row's", row,
                                                       to_ms(kline.open_time)));
    }
    klines.push_back(kline);
    ++row;
  }
  return klines;
}

Result<std::vector<PremiumIndex>> parse_premium_index(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "premiumIndex"));
  return json::parse_each<PremiumIndex>(document, "premiumIndex", true, premium_index_of);
}

Result<std::vector<Ticker24h>> parse_ticker_24h(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "ticker/24hr"));
  return json::parse_each<Ticker24h>(document, "ticker/24hr", true, ticker_of);
}

Result<std::vector<FundingInfo>> parse_funding_info(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "fundingInfo"));
  return json::parse_each<FundingInfo>(document, "fundingInfo", false, funding_info_of);
}

Result<std::vector<FundingRateRecord>> parse_funding_rates(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "fundingRate"));
  return json::parse_each<FundingRateRecord>(document, "fundingRate", false, funding_rate_of);
}

}  // namespace winiswin::binance
