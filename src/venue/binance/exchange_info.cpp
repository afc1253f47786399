#include "venue/binance/exchange_info.h"

#include <simdjson.h>

#include <fmt/format.h>

#include "data/file_bytes.h"
#include "venue/binance/json_fields.h"

namespace winiswin::binance {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

using json::FieldReader;

Result<LotFilter> parse_lot(const FieldReader& reader) {
  LotFilter lot;
  WINISWIN_TRY(lot.min_quantity, reader.decimal<Quantity>("minQty"));
  WINISWIN_TRY(lot.max_quantity, reader.decimal<Quantity>("maxQty"));
  WINISWIN_TRY(lot.step_size, reader.decimal<Quantity>("stepSize"));
  return lot;
}

Status parse_filters(array filters, Instrument& instrument, const std::string& source) {
  bool has_price = false, has_lot = false, has_market_lot = false, has_notional = false;
  for (element filter_element : filters) {
    object filter;
    if (filter_element.get_object().get(filter) != simdjson::SUCCESS) {
      return make_error(ErrorCode::kParse, fmt::format("{}: {}: a filter is not an object", source, instrument.symbol));
    }
    std::string_view type;
    if (filter["filterType"].get_string().get(type) != simdjson::SUCCESS) {
      return make_error(ErrorCode::kParse, fmt::format("{}: {}: a filter has no 'filterType' string", source, instrument.symbol));
    }
    const FieldReader reader(filter, fmt::format("{}: {} {}", source, instrument.symbol, type));
    if (type == "PRICE_FILTER") {
      WINISWIN_TRY(instrument.price_filter.min_price, reader.decimal<Price>("minPrice"));
      WINISWIN_TRY(instrument.price_filter.max_price, reader.decimal<Price>("maxPrice"));
      WINISWIN_TRY(instrument.price_filter.tick_size, reader.decimal<Price>("tickSize"));
      has_price = true;
    } else if (type == "LOT_SIZE") {
      WINISWIN_TRY(instrument.lot_size, parse_lot(reader));
      has_lot = true;
    } else if (type == "MARKET_LOT_SIZE") {
      WINISWIN_TRY(instrument.market_lot_size, parse_lot(reader));
      has_market_lot = true;
    } else if (type == "MIN_NOTIONAL") {
      WINISWIN_TRY(instrument.min_notional, reader.decimal<Notional>("notional"));
      has_notional = true;
    } else if (type == "PERCENT_PRICE") {
      WINISWIN_TRY(instrument.percent_price_up, reader.decimal<Ratio>("multiplierUp"));
      WINISWIN_TRY(instrument.percent_price_down, reader.decimal<Ratio>("multiplierDown"));
    }
  }
  const char* absent = !has_price ? "PRICE_FILTER" : !has_lot ? "LOT_SIZE" : !has_notional ? "MIN_NOTIONAL" : nullptr;
  if (absent) {
    return make_error(ErrorCode::kParse, fmt::format("{}: {}: required filter {} is missing", source, instrument.symbol, absent));
  }
  if (!has_market_lot) instrument.market_lot_size = instrument.lot_size;
  return Ok{};
}

Result<Instrument> parse_symbol(element symbol_element, std::size_t index, const std::string& source) {
  object symbol_object;
  if (symbol_element.get_object().get(symbol_object) != simdjson::SUCCESS) {
    return make_error(ErrorCode::kParse, fmt::format("{}: symbols[{}] is not an object", source, index));
  }
  Instrument instrument;
  {
    const FieldReader reader(symbol_object, fmt::format("{}: symbols[{}]", source, index));
    WINISWIN_TRY(instrument.symbol, reader.string("symbol"));
  }
  const FieldReader reader(symbol_object, fmt::format("{}: {}", source, instrument.symbol));
  WINISWIN_TRY(const std::string status, reader.string("status"));
  WINISWIN_TRY(const std::string contract_type, reader.string("contractType"));
  instrument.status = parse_instrument_status(status);
  instrument.contract_type = parse_contract_type(contract_type);
  WINISWIN_TRY(instrument.base_asset, reader.string("baseAsset"));
  WINISWIN_TRY(instrument.quote_asset, reader.string("quoteAsset"));
  WINISWIN_TRY(instrument.margin_asset, reader.string("marginAsset"));
  WINISWIN_TRY(const std::int64_t price_precision, reader.integer("pricePrecision"));
  WINISWIN_TRY(const std::int64_t quantity_precision, reader.integer("quantityPrecision"));
  instrument.price_precision = static_cast<int>(price_precision);
  instrument.quantity_precision = static_cast<int>(quantity_precision);
  WINISWIN_TRY(instrument.liquidation_fee, reader.optional_decimal<Ratio>("liquidationFee", Ratio{}));
  if (instrument.liquidation_fee.is_negative() || instrument.liquidation_fee >= Ratio::from_units(1)) {
    return make_error(ErrorCode::kParse, fmt::format("{}: {}: field 'liquidationFee' {} is outside [0, 1)", source,
                                                     instrument.symbol, instrument.liquidation_fee.to_string()));
  }
  array filters;
  if (symbol_object["filters"].get_array().get(filters) != simdjson::SUCCESS) {
    return reader.missing("filters", "an array");
  }
  if (auto status_ok = parse_filters(filters, instrument, source); !status_ok) return status_ok.error();
  return instrument;
}

}  // namespace

std::vector<Instrument> ExchangeInfo::tradable_usdt_perpetuals() const {
  std::vector<Instrument> tradable;
  for (const Instrument& instrument : instruments) {
    if (instrument.is_tradable_usdt_perpetual()) tradable.push_back(instrument);
  }
  return tradable;
}

Result<ExchangeInfo> parse_exchange_info(std::string_view json, const std::string& source) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  element document;
  if (auto error = parser.parse(padded).get(document); error != simdjson::SUCCESS) {
    return make_error(ErrorCode::kParse, fmt::format("{}: malformed JSON: {}", source, simdjson::error_message(error)));
  }
  object root;
  if (document.get_object().get(root) != simdjson::SUCCESS) {
    return make_error(ErrorCode::kParse, fmt::format("{}: exchangeInfo must be a JSON object", source));
  }
  ExchangeInfo info;
  const FieldReader reader(root, fmt::format("{}: exchangeInfo", source));
  WINISWIN_TRY(const std::int64_t server_time, reader.integer("serverTime"));
  info.server_time = timestamp_from_ms(server_time);
  array symbols;
  if (root["symbols"].get_array().get(symbols) != simdjson::SUCCESS) return reader.missing("symbols", "an array");
  std::size_t index = 0;
  for (element symbol_element : symbols) {
    WINISWIN_TRY(Instrument instrument, parse_symbol(symbol_element, index++, source));
    info.instruments.push_back(std::move(instrument));
  }
  return info;
}

Result<ExchangeInfo> load_exchange_info(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return parse_exchange_info(*bytes, path);
}

std::string format_exchange_info(const std::vector<Instrument>& instruments, Timestamp server_time) {
  std::string out = fmt::format("{{\"timezone\":\"UTC\",\"serverTime\":{},\"futuresType\":\"U_MARGINED\",\"symbols\":[",
                                to_ms(server_time));
  bool first = true;
  for (const Instrument& instrument : instruments) {
    if (!first) out += ',';
    first = false;
    const auto lot = [](const char* type, const LotFilter& filter) {
      return fmt::format("{{\"filterType\":\"{}\",\"minQty\":\"{}\",\"maxQty\":\"{}\",\"stepSize\":\"{}\"}}", type,
                         filter.min_quantity.to_string(), filter.max_quantity.to_string(), filter.step_size.to_string());
    };
    fmt::format_to(std::back_inserter(out),
                   "{{\"symbol\":\"{}\",\"pair\":\"{}\",\"contractType\":\"{}\",\"status\":\"{}\",\"baseAsset\":\"{}\","
                   "\"quoteAsset\":\"{}\",\"marginAsset\":\"{}\",\"pricePrecision\":{},\"quantityPrecision\":{},{}"
                   "\"filters\":[{{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"{}\",\"maxPrice\":\"{}\",\"tickSize\":\"{}\"}},"
                   "{},{},{{\"filterType\":\"MIN_NOTIONAL\",\"notional\":\"{}\"}},"
                   "{{\"filterType\":\"PERCENT_PRICE\",\"multiplierUp\":\"{}\",\"multiplierDown\":\"{}\",\"multiplierDecimal\":\"4\"}}],"
                   "\"orderTypes\":[\"LIMIT\",\"MARKET\",\"STOP\",\"STOP_MARKET\",\"TAKE_PROFIT\",\"TAKE_PROFIT_MARKET\","
                   "\"TRAILING_STOP_MARKET\"],\"timeInForce\":[\"GTC\",\"IOC\",\"FOK\",\"GTX\",\"GTD\"]}}",
                   instrument.symbol, instrument.symbol, name_of(instrument.contract_type), name_of(instrument.status),
                   instrument.base_asset, instrument.quote_asset, instrument.margin_asset, instrument.price_precision,
                   instrument.quantity_precision,
                   instrument.liquidation_fee.is_zero()
                       ? std::string()
                       : fmt::format("\"liquidationFee\":\"{}\",", instrument.liquidation_fee.to_string()),
                   instrument.price_filter.min_price.to_string(),
                   instrument.price_filter.max_price.to_string(), instrument.price_filter.tick_size.to_string(),
                   lot("LOT_SIZE", instrument.lot_size), lot("MARKET_LOT_SIZE", instrument.market_lot_size),
                   instrument.min_notional.to_string(), instrument.percent_price_up.to_string(),
                   instrument.percent_price_down.to_string());
  }
  out += "]}";
  return out;
}

}  // namespace winiswin::binance
