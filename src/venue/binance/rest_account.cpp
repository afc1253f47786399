#include "venue/binance/rest_account.h"

#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "venue/binance/enum_names.h"
#include "venue/binance/json_fields.h"

namespace winiswin::binance {
namespace {

using json::element;
using json::FieldReader;

constexpr int kMaxLeverage = 125;

Result<int> leverage_of(const FieldReader& reader, std::string_view key) {
  // positionRisk v2 prints it as a string ("10"), the leverage endpoint as a number.
  std::int64_t leverage = 0;
  if (reader.raw()[key].get_int64().get(leverage) != simdjson::SUCCESS) {
    WINISWIN_TRY(const std::string_view text, reader.string_view(key));
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), leverage);
    if (error != std::errc() || end != text.data() + text.size()) return reader.invalid(key, fmt::format("'{}' is not a leverage", text));
  }
  if (leverage < 1 || leverage > kMaxLeverage) return reader.invalid(key, fmt::format("{} is outside 1..{}", leverage, kMaxLeverage));
  return static_cast<int>(leverage);
}

Notional magnitude(Notional value) { return value.is_negative() ? -value : value; }

// The margin of a crossed position without Binance's initialMargin: notional / leverage, up.
Notional crossed_margin(Notional notional, int leverage) {
  if (leverage <= 0) return Notional{};
  const std::int64_t raw = magnitude(notional).raw();
  return Notional::from_raw(raw / leverage + (raw % leverage != 0 ? 1 : 0));
}

Result<venue::MarginType> margin_type_of(const FieldReader& reader, Notional isolated_wallet) {
  if (!reader.has("marginType")) return isolated_wallet.is_zero() ? venue::MarginType::kCrossed : venue::MarginType::kIsolated;
  WINISWIN_TRY(const std::string_view name, reader.string_view("marginType"));
  const auto type = margin_type_from_name(name);
  if (!type) return reader.invalid("marginType", fmt::format("'{}' is not a margin type", name));
  return *type;
}

Result<venue::PositionReport> position_of(const FieldReader& reader) {
  venue::PositionReport position;
  WINISWIN_TRY(position.symbol, reader.string("symbol"));
  WINISWIN_TRY(position.quantity, reader.decimal<Quantity>("positionAmt"));
  WINISWIN_TRY(position.entry_price, reader.rounded_decimal<Price>("entryPrice"));
  WINISWIN_TRY(position.mark_price, reader.rounded_decimal<Price>("markPrice"));
  WINISWIN_TRY(position.liquidation_price, reader.rounded_decimal<Price>("liquidationPrice"));
  WINISWIN_TRY(position.unrealized_pnl, reader.rounded_decimal<Notional>("unRealizedProfit"));
  WINISWIN_TRY(const Notional notional, reader.rounded_decimal<Notional>("notional"));
  WINISWIN_TRY(const Notional isolated_wallet, reader.rounded_decimal<Notional>("isolatedWallet"));
  if (reader.has("leverage")) {
    WINISWIN_TRY(position.leverage, leverage_of(reader, "leverage"));
  }
  WINISWIN_TRY(position.margin_type, margin_type_of(reader, isolated_wallet));
  if (position.margin_type == venue::MarginType::kIsolated) {
    position.margin = isolated_wallet;
  } else if (reader.has("initialMargin")) {
    WINISWIN_TRY(position.margin, reader.rounded_decimal<Notional>("initialMargin"));
  } else {
    position.margin = crossed_margin(notional, position.leverage);
  }
  return position;
}

Result<venue::BalanceReport> balance_row_of(json::array rows, std::string_view where, std::string_view asset,
                                            std::string_view wallet_key) {
  std::size_t index = 0;
  for (element row : rows) {
    json::object row_object;
    const std::string row_where = fmt::format("{}[{}]", where, index++);
    if (row.get_object().get(row_object) != simdjson::SUCCESS) {
      return make_error(ErrorCode::kParse, fmt::format("{}: expected a JSON object", row_where));
    }
    const FieldReader reader(row_object, row_where);
    WINISWIN_TRY(const std::string_view row_asset, reader.string_view("asset"));
    if (row_asset != asset) continue;
    venue::BalanceReport balance;
    WINISWIN_TRY(balance.wallet_balance, reader.decimal<Notional>(wallet_key));
    WINISWIN_TRY(balance.available_balance, reader.decimal<Notional>("availableBalance"));
    return balance;
  }
  return make_error(ErrorCode::kNotFound, fmt::format("{}: no row for asset {}", where, asset));
}

// Binance prints "no cap" as huge integers; they saturate at the largest notional we hold.
Result<Notional> saturating_notional(const FieldReader& reader, std::string_view key) {
  WINISWIN_TRY(const std::string_view text, reader.string_view(key));
  auto value = Notional::parse(text);
  if (value) return value;
  const bool plain_integer = !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
  if (plain_integer) return Notional::from_raw(std::numeric_limits<std::int64_t>::max());
  return reader.invalid(key, value.error().message);
}

}  // namespace

Result<std::vector<venue::PositionReport>> parse_position_risk(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "positionRisk"));
  WINISWIN_TRY(std::vector<venue::PositionReport> rows,
               json::parse_each<venue::PositionReport>(document, "positionRisk", false, position_of));
  std::vector<venue::PositionReport> open;
  for (venue::PositionReport& row : rows) {
    if (!row.quantity.is_zero()) open.push_back(std::move(row));
  }
  return open;
}

Result<venue::BalanceReport> parse_balance(std::string_view json, std::string_view asset) {
  WINISWIN_TRY(const element document, json::parse_document(json, "balance"));
  json::array rows;
  if (document.get_array().get(rows) != simdjson::SUCCESS) return make_error(ErrorCode::kParse, "balance: expected a JSON array");
  return balance_row_of(rows, "balance", asset, "balance");
}

Result<venue::BalanceReport> parse_account_balance(std::string_view json, std::string_view asset) {
  WINISWIN_TRY(const element document, json::parse_document(json, "account"));
  WINISWIN_TRY(const FieldReader reader, json::root_object(document, "account"));
  WINISWIN_TRY(const json::array assets, reader.array_field("assets"));
  return balance_row_of(assets, "account.assets", asset, "walletBalance");
}

Result<std::string> parse_listen_key(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "listenKey"));
  WINISWIN_TRY(const FieldReader reader, json::root_object(document, "listenKey"));
  WINISWIN_TRY(std::string key, reader.string("listenKey"));
  if (key.empty()) return reader.invalid("listenKey", "is empty");
  return key;
}

Result<std::optional<std::string>> parse_listen_key_keepalive(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "listenKey"));
  WINISWIN_TRY(const FieldReader reader, json::root_object(document, "listenKey"));
  if (!reader.has("listenKey")) return std::optional<std::string>{};
  WINISWIN_TRY(std::string key, reader.string("listenKey"));
  if (key.empty()) return reader.invalid("listenKey", "is empty");
  return std::optional<std::string>{std::move(key)};
}

Result<LeverageSetting> parse_leverage(std::string_view json) {
  WINISWIN_TRY(const element document, json::parse_document(json, "leverage"));
  WINISWIN_TRY(const FieldReader reader, json::root_object(document, "leverage"));
  LeverageSetting setting;
  WINISWIN_TRY(setting.symbol, reader.string("symbol"));
  WINISWIN_TRY(setting.leverage, leverage_of(reader, "leverage"));
  WINISWIN_TRY(setting.max_notional, saturating_notional(reader, "maxNotionalValue"));
  return setting;
}

}  // namespace winiswin::binance
