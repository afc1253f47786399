#include "ops/api_json.h"

#include "net/json_writer.h"

namespace winiswin::ops {
namespace {

void time_field(net::JsonWriter& json, std::string_view name, Timestamp time) {
  json.field(name, to_ms(time)).field(std::string(name) + "_utc", format_utc(time));
}

void optional_time_field(net::JsonWriter& json, std::string_view name, const std::optional<Timestamp>& time) {
  if (time) return time_field(json, name, *time);
  json.key(name).null();
}

void write_counters(net::JsonWriter& json, const StatusSnapshot& status) {
  const ActivityCounters& activity = status.activity;
  json.key("counters").begin_object();
  json.field("decisions", static_cast<std::int64_t>(status.decisions)).field("signals_ranked", static_cast<std::int64_t>(status.signals_ranked));
  json.field("orders_sent", static_cast<std::int64_t>(activity.orders_sent)).field("orders_accepted", static_cast<std::int64_t>(activity.orders_accepted));
  json.field("fills", static_cast<std::int64_t>(activity.fills)).field("refusals", static_cast<std::int64_t>(activity.refusals));
  json.key("rejects_by_code").begin_object();
  for (const auto& [code, count] : activity.rejects_by_code) json.field(std::to_string(code), static_cast<std::int64_t>(count));
  json.end_object();
  json.field("market_reconnects", static_cast<std::int64_t>(status.market_reconnects));
  json.field("journal_writes", static_cast<std::int64_t>(activity.journal_writes));
  json.field("journal_failures", static_cast<std::int64_t>(activity.journal_failures));
  json.end_object();
}

void write_trade(net::JsonWriter& json, const journal::TradeRecord& trade) {
  json.begin_object().field("symbol", trade.symbol).field("side", name_of(trade.side));
  time_field(json, "decided", trade.decided);
  time_field(json, "entry_time", trade.entry_time);
  time_field(json, "exit_time", trade.exit_time);
  json.field("entry_price", trade.entry_price).field("exit_price", trade.exit_price);
  json.field("stop", trade.stop.to_double()).field("target", trade.target.to_double()).field("quantity", trade.quantity);
  json.field("pnl", trade.pnl).field("fees", trade.fees).field("r_multiple", trade.r_multiple);
  json.field("exit_reason", journal::name_of(trade.exit_reason)).field("rank", trade.rank).field("confidence", trade.confidence);
  json.end_object();
}

}  // namespace

std::string state_json(const StatusSnapshot& status) {
  net::JsonWriter json;
  json.begin_object().field("mode", status.mode);
  time_field(json, "published", status.published);
  time_field(json, "started", status.started);
  json.field("trading_state", risk::name_of(status.state)).field("breaker", risk::name_of(status.breaker));
  json.field("equity", status.equity).field("drawdown", status.drawdown).field("win_rate", status.win_rate);
  json.field("open_positions", static_cast<std::int64_t>(status.positions.size()));
  json.field("virtual_positions", static_cast<std::int64_t>(status.virtuals.size()));
  json.field("symbols", static_cast<std::int64_t>(status.symbols));
  optional_time_field(json, "last_decision", status.last_decision);
  optional_time_field(json, "last_decided_at", status.last_decided_at);
  json.field("last_cycle_seconds", status.last_cycle_seconds);
  json.field("venue_reachable", status.venue_reachable).field("reconciliation_done", status.reconciliation_done);
  json.field("journal_writable", status.journal_writable);
  json.field("paused", status.paused);
  optional_time_field(json, "paused_since", status.paused_since);
  write_counters(json, status);
  return json.end_object().take();
}

std::string positions_json(const StatusSnapshot& status) {
  net::JsonWriter json;
  json.begin_array();
  for (const OpenPositionView& position : status.positions) {
    json.begin_object().field("symbol", position.symbol).field("side", name_of(position.side)).field("filled", position.filled);
    json.field("quantity", position.quantity).field("entry_price", position.entry_price);
    json.field("stop", position.stop).field("target", position.target);
    time_field(json, "decided", position.decided);
    if (position.filled) time_field(json, "entry_time", position.entry_time);
    json.field("rank", position.rank).field("confidence", position.confidence).end_object();
  }
  return json.end_array().take();
}

std::string signals_json(const StatusSnapshot& status) {
  net::JsonWriter json;
  json.begin_object();
  optional_time_field(json, "decision", status.last_decision);
  json.key("signals").begin_array();
  for (const RankedSignalView& signal : status.signals) {
    json.begin_object().field("rank", signal.rank).field("symbol", signal.symbol).field("side", name_of(signal.side));
    json.field("real", signal.real).field("confidence", signal.confidence).field("score", signal.score);
    json.key("ml_probability");
    if (signal.ml_probability) json.value(*signal.ml_probability); else json.null();
    json.key("components").begin_object().field("trend", signal.components.trend).field("structure", signal.components.structure);
    json.field("position", signal.components.position).field("momentum", signal.components.momentum);
    json.field("volatility", signal.components.volatility).end_object();
    json.field("entry", signal.entry).field("stop", signal.stop).field("target", signal.target).end_object();
  }
  return json.end_array().end_object().take();
}

std::string virtual_json(const StatusSnapshot& status) {
  net::JsonWriter json;
  json.begin_array();
  for (const VirtualPositionView& position : status.virtuals) {
    json.begin_object().field("symbol", position.symbol).field("side", name_of(position.side)).field("rank", position.rank);
    time_field(json, "decided", position.decided);
    json.field("entry", position.entry).field("stop", position.stop).field("target", position.target).end_object();
  }
  return json.end_array().take();
}

std::string controls_json(const StatusSnapshot& status) {
  net::JsonWriter json;
  json.begin_object().field("paused", status.paused);
  optional_time_field(json, "paused_since", status.paused_since);
  json.key("actions").begin_array();
  for (const journal::ControlRecord& action : status.controls) {
    json.begin_object().field("action", action.action).field("symbol", action.symbol).field("who", action.who).field("remote", action.remote);
    time_field(json, "received", action.received);
    time_field(json, "applied", action.applied);
    json.field("ok", action.ok).field("result", action.result).end_object();
  }
  return json.end_array().end_object().take();
}

std::string control_answer_json(std::string_view action, std::string_view symbol, bool ok, std::string_view result) {
  net::JsonWriter json;
  json.begin_object().field("action", action);
  if (!symbol.empty()) json.field("symbol", symbol);
  return json.field("ok", ok).field("result", result).end_object().take();
}

std::string events_json(std::span<const risk::StateTransition> transitions, std::span<const journal::BreakerEvent> breaker,
                        std::span<const journal::RefusalRecord> refusals) {
  net::JsonWriter json;
  json.begin_object().key("transitions").begin_array();
  for (const risk::StateTransition& transition : transitions) {
    json.begin_object();
    time_field(json, "time", transition.time);
    json.field("from", risk::name_of(transition.from)).field("to", risk::name_of(transition.to)).field("reason", transition.reason).end_object();
  }
  json.end_array().key("breaker").begin_array();
  for (const journal::BreakerEvent& event : breaker) {
    json.begin_object();
    time_field(json, "time", event.time);
    json.field("from", risk::name_of(event.from)).field("to", risk::name_of(event.to)).field("reason", event.reason).end_object();
  }
  json.end_array().key("refusals").begin_array();
  for (const journal::RefusalRecord& refusal : refusals) {
    json.begin_object();
    time_field(json, "decided", refusal.decided);
    json.field("symbol", refusal.symbol).field("rank", refusal.rank).field("rule", refusal.limit).field("reason", refusal.reason).end_object();
  }
  return json.end_array().end_object().take();
}

std::string trades_json(std::span<const journal::TradeRecord> trades) {
  net::JsonWriter json;
  json.begin_array();
  for (const journal::TradeRecord& trade : trades) write_trade(json, trade);
  return json.end_array().take();
}

std::string equity_json(std::span<const journal::EquityPoint> points) {
  net::JsonWriter json;
  json.begin_array();
  for (const journal::EquityPoint& point : points) {
    json.begin_object();
    time_field(json, "time", point.time);
    json.field("equity", point.equity).field("state", risk::name_of(point.state)).end_object();
  }
  return json.end_array().take();
}

}  // namespace winiswin::ops
