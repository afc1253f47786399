#include "venue/binance/user_stream.h"

#include <fmt/format.h>

#include "venue/binance/enum_names.h"
#include "venue/binance/json_fields.h"

namespace winiswin::binance {
namespace {

using json::element;
using json::FieldReader;
using venue::EventCause;
using venue::VenueEvent;
using Events = std::vector<VenueEvent>;

using json::enum_field;

Result<std::string> optional_string(const FieldReader& reader, std::string_view key) {
  if (!reader.has(key)) return std::string();
  return reader.string(key);
}

// Binance's forced closes are orders of its own, told apart by their client ids.
struct ForcedClose {
  EventCause cause;
  const char* reason;
};
std::optional<ForcedClose> forced_close_of(std::string_view client_id, std::string_view execution_type) {
  if (client_id.starts_with("settlement_autoclose-")) return ForcedClose{EventCause::kSettlement, "settlement"};
  if (client_id.starts_with("adl_autoclose")) return ForcedClose{EventCause::kAutoDeleverage, "ADL"};
  if (client_id.starts_with("autoclose-") || execution_type == "CALCULATED") return ForcedClose{EventCause::kLiquidation, "LIQUIDATION"};
  return std::nullopt;
}

Status read_fill(const FieldReader& order, VenueEvent& event) {
  event.kind = VenueEvent::Kind::kFill;
  WINISWIN_TRY(event.price, order.decimal<Price>("L"));
  WINISWIN_TRY(event.quantity, order.decimal<Quantity>("l"));
  WINISWIN_TRY(event.cumulative_quantity, order.decimal<Quantity>("z"));
  WINISWIN_TRY(event.fee, order.decimal<Notional>("n"));
  WINISWIN_TRY(event.realized_pnl, order.decimal<Notional>("rp"));
  WINISWIN_TRY(const std::string fee_asset, optional_string(order, "N"));
  if (!fee_asset.empty() && fee_asset != "USDT" && fee_asset != "USDC") event.reason += ", fee in " + fee_asset;
  return Ok{};
}

Result<Events> order_trade_update(const FieldReader& message, Timestamp received) {
  VenueEvent event;
  event.received = received;
  WINISWIN_TRY(event.time, message.timestamp("T"));
  WINISWIN_TRY(const FieldReader order, message.child("o"));
  WINISWIN_TRY(event.symbol, order.string("s"));
  WINISWIN_TRY(event.client_order_id, order.string("c"));
  WINISWIN_TRY(event.order_id, order.integer("i"));
  WINISWIN_TRY(event.side, enum_field(order, "S", "a side", side_from_name));
  WINISWIN_TRY(event.status, enum_field(order, "X", "an order status", order_status_from_name));
  WINISWIN_TRY(const std::string execution_type, order.string("x"));
  WINISWIN_TRY(const std::string original_type, optional_string(order, "ot"));
  event.reason = execution_type;
  event.cause = EventCause::kOrder;
  if (const auto forced = forced_close_of(event.client_order_id, execution_type)) {
    event.cause = forced->cause;
    event.reason = forced->reason;
  } else if (is_conditional_type_name(original_type)) {
    event.cause = EventCause::kAlgoTriggered;
    event.client_algo_id = event.client_order_id;
    event.reason = fmt::format("{} triggered, {}", original_type, execution_type);
  }
  if (execution_type == "TRADE" || execution_type == "CALCULATED") {
    if (auto ok = read_fill(order, event); !ok) return ok.error();
  } else {
    event.kind = VenueEvent::Kind::kOrderUpdate;
  }
  return Events{std::move(event)};
}

Result<VenueEvent> position_change(const FieldReader& position, const VenueEvent& common) {
  VenueEvent event = common;
  event.kind = VenueEvent::Kind::kPositionChange;
  WINISWIN_TRY(event.symbol, position.string("s"));
  WINISWIN_TRY(event.quantity, position.decimal<Quantity>("pa"));
  WINISWIN_TRY(event.price, position.rounded_decimal<Price>("ep"));
  event.side = event.quantity.is_negative() ? Side::kSell : Side::kBuy;
  return event;
}

// A balance row of `margin_asset`: its wallet and its change except PnL and fees (bc).
struct MarginBalance {
  Notional wallet;
  Notional change;
};
Result<std::optional<MarginBalance>> margin_balance_of(const FieldReader& balance, std::string_view margin_asset) {
  WINISWIN_TRY(const std::string_view asset, balance.string_view("a"));
  if (asset != margin_asset) return std::optional<MarginBalance>{};
  MarginBalance out;
  WINISWIN_TRY(out.wallet, balance.decimal<Notional>("wb"));
  WINISWIN_TRY(out.change, balance.decimal_or_zero<Notional>("bc"));
  return std::optional<MarginBalance>{out};
}

Result<Events> account_update(const FieldReader& message, Timestamp received, std::string_view margin_asset) {
  VenueEvent common;
  common.received = received;
  WINISWIN_TRY(common.time, message.timestamp("T"));
  WINISWIN_TRY(const FieldReader account, message.child("a"));
  WINISWIN_TRY(common.reason, account.string("m"));
  const bool funding = common.reason == "FUNDING_FEE";
  common.cause = funding ? EventCause::kFunding : EventCause::kUnspecified;
  // Binance pushes only what changed: an absent list is an empty one.
  std::vector<std::optional<MarginBalance>> balances;
  if (account.has("B")) {
    WINISWIN_TRY(const element rows, account.value("B"));
    WINISWIN_TRY(balances, json::parse_each<std::optional<MarginBalance>>(
                               rows, account.where() + ".B", false, [&](const FieldReader& row) { return margin_balance_of(row, margin_asset); }));
  }
  Events positions;
  if (account.has("P")) {
    WINISWIN_TRY(const element rows, account.value("P"));
    WINISWIN_TRY(positions, json::parse_each<VenueEvent>(rows, account.where() + ".P", false,
                                                         [&](const FieldReader& row) { return position_change(row, common); }));
  }
  Events events;
  if (funding) {
    VenueEvent payment = common;
    payment.kind = VenueEvent::Kind::kFunding;
    for (const auto& balance : balances) {
      if (balance) payment.fee -= balance->change;  // bc < 0 when paid; fee > 0 when paid
    }
    if (positions.size() == 1) {
      payment.symbol = positions[0].symbol;
      payment.quantity = positions[0].quantity;
      payment.side = positions[0].side;
    }
    events.push_back(std::move(payment));
  }
  for (const auto& balance : balances) {
    if (!balance) continue;
    VenueEvent changed = common;
    changed.kind = VenueEvent::Kind::kBalanceChange;
    changed.wallet_balance = balance->wallet;
    events.push_back(std::move(changed));
  }
  events.insert(events.end(), positions.begin(), positions.end());
  return events;
}

EventCause algo_cause(venue::AlgoStatus status) {
  using venue::AlgoStatus;
  switch (status) {
    case AlgoStatus::kTriggering:
    case AlgoStatus::kTriggered:
    case AlgoStatus::kFinished: return EventCause::kAlgoTriggered;
    case AlgoStatus::kRejected: return EventCause::kTriggerRejected;
    case AlgoStatus::kExpired: return EventCause::kPositionClosed;
    case AlgoStatus::kNew:
    case AlgoStatus::kCanceled: return EventCause::kOrder;
  }
  return EventCause::kUnspecified;
}

Result<Events> algo_update(const FieldReader& message, Timestamp received) {
  VenueEvent event;
  event.kind = VenueEvent::Kind::kAlgoUpdate;
  event.received = received;
  // The docs label T "Event Time" and E "Transaction Time", the reverse of every other event;
  // the documented values (T < E) fit the usual meaning, so T is taken as the transaction time.
  WINISWIN_TRY(event.time, message.timestamp("T"));
  WINISWIN_TRY(const FieldReader order, message.child("o"));
  WINISWIN_TRY(event.symbol, order.string("s"));
  WINISWIN_TRY(event.client_algo_id, order.string("caid"));
  WINISWIN_TRY(const std::optional<std::int64_t> algo_id, order.optional_id("aid"));
  if (!algo_id) return order.missing("aid", "an algo id");
  event.algo_id = *algo_id;
  WINISWIN_TRY(event.side, enum_field(order, "S", "a side", side_from_name));
  WINISWIN_TRY(event.algo_status, enum_field(order, "X", "an algo status", algo_status_from_name));
  WINISWIN_TRY(const std::optional<std::int64_t> order_id, order.optional_id("ai"));
  event.order_id = order_id.value_or(0);
  WINISWIN_TRY(event.price, order.decimal_or_zero<Price>("ap"));
  WINISWIN_TRY(event.quantity, order.decimal_or_zero<Quantity>("aq"));
  WINISWIN_TRY(event.reason, optional_string(order, "rm"));
  event.cause = algo_cause(event.algo_status);
  return Events{std::move(event)};
}

Result<UserDataMessage> listen_key_expired(const FieldReader& message) {
  ListenKeyExpired expired;
  WINISWIN_TRY(expired.event_time, message.timestamp("E"));
  WINISWIN_TRY(expired.listen_key, optional_string(message, "listenKey"));
  return UserDataMessage{std::move(expired)};
}

// Wraps a list of events (or its error) as a message, naming the event type in errors.
Result<UserDataMessage> as_message(Result<Events> events) {
  if (!events) return events.error();
  return UserDataMessage{std::move(events).value()};
}

}  // namespace

Result<UserDataMessage> parse_user_data_message(std::string_view json, Timestamp received, std::string_view margin_asset) {
  WINISWIN_TRY(const element raw, json::parse_document(json, "user data stream"));
  WINISWIN_TRY(const FieldReader root, json::root_object(json::unwrap_stream_envelope(raw), "user data stream"));
  if (!root.has("e")) {
    if (root.raw()["id"].error() == simdjson::SUCCESS) return UserDataMessage{json::subscription_reply_of(root)};
    return make_error(ErrorCode::kParse, "user data stream: a message with neither an event type 'e' nor a request 'id'");
  }
  WINISWIN_TRY(const std::string type, root.string("e"));
  const FieldReader message(root.raw(), type);  // errors read "ORDER_TRADE_UPDATE.o: field 'L' …"
  if (type == "ORDER_TRADE_UPDATE") return as_message(order_trade_update(message, received));
  if (type == "ACCOUNT_UPDATE") return as_message(account_update(message, received, margin_asset));
  if (type == "ALGO_UPDATE") return as_message(algo_update(message, received));
  if (type == "listenKeyExpired") return listen_key_expired(message);
  return UserDataMessage{SkippedMessage{type, "not handled"}};
}

}  // namespace winiswin::binance
