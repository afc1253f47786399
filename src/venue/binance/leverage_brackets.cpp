#include "venue/binance/leverage_brackets.h"

#include <simdjson.h>

#include <charconv>
#include <cstdint>

#include <fmt/format.h>

#include "data/file_bytes.h"

namespace winiswin::binance {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// A bracket value may be a JSON number (Binance) or a string (ccxt's info copy).
Result<std::string> number_text(object bracket, std::string_view key, const std::string& where) {
  element value;
  if (bracket[key].get(value) != simdjson::SUCCESS) {
    return make_error(ErrorCode::kParse, fmt::format("{}: field '{}' is missing", where, key));
  }
  if (value.is_string()) return std::string(std::string_view(value.get_string().value()));
  if (value.is_int64()) return std::to_string(value.get_int64().value());
  if (value.is_double()) return fmt::format("{}", value.get_double().value());
  return make_error(ErrorCode::kParse, fmt::format("{}: field '{}' is not a number", where, key));
}

Result<LeverageBracket> parse_bracket(object bracket, const std::string& where) {
  LeverageBracket out;
  WINISWIN_TRY(const std::string leverage, number_text(bracket, "initialLeverage", where));
  WINISWIN_TRY(const std::string cap, number_text(bracket, "notionalCap", where));
  WINISWIN_TRY(const std::string floor, number_text(bracket, "notionalFloor", where));
  WINISWIN_TRY(const std::string ratio, number_text(bracket, "maintMarginRatio", where));
  WINISWIN_TRY(const std::string cum, number_text(bracket, "cum", where));
  double leverage_value = 0;
  if (std::from_chars(leverage.data(), leverage.data() + leverage.size(), leverage_value).ec != std::errc() ||
      leverage_value < 1) {
    return make_error(ErrorCode::kParse, fmt::format("{}: initialLeverage '{}' is not a leverage", where, leverage));
  }
  out.initial_leverage = static_cast<int>(leverage_value);
  const auto decimal = [&](const std::string& text, const char* key) -> Result<Notional> {
    auto value = Notional::parse(text);
    if (!value) return value.error().with_context(fmt::format("{}: field '{}'", where, key));
    return value;
  };
  // Some delisted symbols list a cap of 2^63 − 1, meaning "no cap": beyond our fixed-point
  // range, it becomes the largest notional we can hold.
  double cap_value = 0;
  if (std::from_chars(cap.data(), cap.data() + cap.size(), cap_value).ec == std::errc() && cap_value >= 9.2e10) {
    out.notional_cap = Notional::from_raw(INT64_MAX);
  } else {
    WINISWIN_TRY(out.notional_cap, decimal(cap, "notionalCap"));
  }
  WINISWIN_TRY(out.notional_floor, decimal(floor, "notionalFloor"));
  WINISWIN_TRY(out.cum, decimal(cum, "cum"));
  if (std::from_chars(ratio.data(), ratio.data() + ratio.size(), out.maint_margin_ratio).ec != std::errc()) {
    return make_error(ErrorCode::kParse, fmt::format("{}: maintMarginRatio '{}' is not a number", where, ratio));
  }
  return out;
}

}  // namespace

Result<BracketTable> parse_leverage_brackets(std::string_view json, const std::string& source) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  element document;
  if (auto error = parser.parse(padded).get(document); error != simdjson::SUCCESS) {
    return make_error(ErrorCode::kParse, fmt::format("{}: malformed JSON: {}", source, simdjson::error_message(error)));
  }
  BracketTable table;
  simdjson::dom::array entries;
  if (document.get_array().get(entries) == simdjson::SUCCESS) {  // Binance's own response
    for (element entry : entries) {
      std::string_view symbol;
      simdjson::dom::array brackets;
      if (entry["symbol"].get(symbol) != simdjson::SUCCESS || entry["brackets"].get(brackets) != simdjson::SUCCESS) {
        return make_error(ErrorCode::kParse, fmt::format("{}: an entry lacks 'symbol' or 'brackets'", source));
      }
      auto& rows = table[std::string(symbol)];
      for (element bracket : brackets) {
        object fields;
        if (bracket.get_object().get(fields) != simdjson::SUCCESS) {
          return make_error(ErrorCode::kParse, fmt::format("{}: {}: a bracket is not an object", source, symbol));
        }
        WINISWIN_TRY(LeverageBracket row, parse_bracket(fields, fmt::format("{}: {}", source, symbol)));
        rows.push_back(row);
      }
    }
    return table;
  }
  object markets;
  if (document.get_object().get(markets) != simdjson::SUCCESS) {
    return make_error(ErrorCode::kParse, fmt::format("{}: expected a JSON array or object of brackets", source));
  }
  for (const auto field : markets) {
    const std::string_view market = field.key;  // "BTC/USDT:USDT"
    const auto slash = market.find('/'), colon = market.find(':');
    if (slash == std::string_view::npos || colon == std::string_view::npos || market.find('-') != std::string_view::npos) {
      continue;  // not a linear perpetual
    }
    const std::string symbol = std::string(market.substr(0, slash)) + std::string(market.substr(slash + 1, colon - slash - 1));
    simdjson::dom::array tiers;
    if (field.value.get_array().get(tiers) != simdjson::SUCCESS) {
      return make_error(ErrorCode::kParse, fmt::format("{}: {} is not a list of tiers", source, market));
    }
    auto& rows = table[symbol];
    for (element tier : tiers) {
      object info;
      if (tier["info"].get(info) != simdjson::SUCCESS) {
        return make_error(ErrorCode::kParse, fmt::format("{}: a tier of {} has no 'info'", source, market));
      }
      WINISWIN_TRY(LeverageBracket row, parse_bracket(info, fmt::format("{}: {}", source, market)));
      rows.push_back(row);
    }
  }
  return table;
}

Result<BracketTable> load_leverage_brackets(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return parse_leverage_brackets(*bytes, path);
}

}  // namespace winiswin::binance
