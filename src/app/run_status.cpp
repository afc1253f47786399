#include "app/run_status.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

namespace winiswin {
namespace {

ops::OpenPositionView position_view(const execution::Executor::OpenTradeView& trade) {
  const journal::TradeRecord& record = trade.record;
  ops::OpenPositionView view;
  view.symbol = record.symbol;
  view.side = record.side;
  view.filled = trade.filled;
  view.quantity = trade.quantity.to_double();
  view.entry_price = trade.filled ? record.entry_price : record.planned_entry.to_double();
  view.stop = record.stop.to_double();
  view.target = record.target.to_double();
  view.decided = record.decided;
  view.entry_time = record.entry_time;
  view.rank = record.rank;
  view.confidence = record.confidence;
  return view;
}

ops::RankedSignalView signal_view(const engine::LiveRunner::RankedAtClose& at_close) {
  const engine::RankedSignal& ranked = at_close.ranked;
  ops::RankedSignalView view;
  view.symbol = ranked.signal.symbol;
  view.rank = ranked.rank;
  view.side = ranked.signal.side;
  view.confidence = ranked.signal.confidence;
  view.score = ranked.model_score;
  view.ml_probability = ranked.ml_probability;
  view.components = ranked.signal.components;
  view.entry = ranked.signal.entry.to_double();
  view.stop = ranked.signal.stop.to_double();
  view.target = ranked.signal.target.to_double();
  view.real = at_close.real;
  return view;
}

ops::VirtualPositionView virtual_view(const journal::TradeRecord& record) {
  return ops::VirtualPositionView{record.symbol, record.side, record.decided, record.planned_entry.to_double(), record.stop.to_double(),
                                  record.target.to_double(), record.rank};
}

// The newest log lines kept in memory for the dashboard (spdlog's ring buffer sink, which
// locks for itself: the HTTP side reads it while the engine logs). Added to the default
// logger before any other thread runs; what the log level filters out is not kept either.
ops::LogTail keep_log_tail() {
  constexpr std::size_t kKept = 200, kShown = 100;
  auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(kKept);
  ring->set_pattern("%Y-%m-%d %H:%M:%S.%e %l %v");
  spdlog::default_logger()->sinks().push_back(ring);
  return [ring] { return ring->last_formatted(kShown); };
}

}  // namespace

RunStatus::RunStatus(std::string mode)
    : mode_(std::move(mode)), started_(std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now())) {}

journal::Recorder& RunStatus::record_into(journal::Recorder& journal) {
  if (tap_) throw std::logic_error("RunStatus::record_into called twice");
  tap_ = std::make_unique<ops::JournalTap>(journal);
  return *tap_;
}

RunStatus::~RunStatus() {
  if (server_) server_->stop();
}

Status RunStatus::serve(const RunOptions& options, std::vector<ops::OpsRoute> routes, ops::NotificationSource notifications) {
  if (options.http.empty()) return Ok{};
  ops::OpsServerOptions server_options;
  if (auto parsed = ops::parse_listen_address(options.http, server_options); !parsed) return parsed;
  if (const char* token = std::getenv("WINISWIN_HTTP_TOKEN"); token && *token) server_options.token = token;
  server_options.journal = options.journal;
  server_options.log_tail = keep_log_tail();
  server_options.notifications = std::move(notifications);
  if (auto allowed = ops::check_bind_policy(server_options); !allowed) return allowed;
  controllable_ = server_options.token.has_value();
  server_ = std::make_unique<ops::OpsServer>(server_options, board_, &mailbox_);
  for (ops::OpsRoute& route : routes) server_->add_route(std::move(route.method), std::move(route.path), std::move(route.handler));
  if (auto started = server_->start(); !started) return started.error().with_context("--http");
  const bool bracketed = server_options.host.find(':') != std::string::npos;
  fmt::print("http: listening on http://{}{}{}:{}\n", bracketed ? "[" : "", server_options.host, bracketed ? "]" : "", server_->port());
  std::fflush(stdout);
  return Ok{};
}

void RunStatus::beat(Timestamp now, bool bars_came) {
  if (!server_) return;
  board_.beat(now);
  if (bars_came) board_.market_data_received(now);
}

void RunStatus::after_decision(const engine::LiveRunner& runner, const LoopView& loop, Timestamp close, double seconds, double cpu_seconds,
                               Timestamp now) {
  ++decisions_;
  cycle_cpu_seconds_ += cpu_seconds;
  signals_ranked_ += runner.last_ranked().size();
  cycle_latency_.observe(seconds);
  last_cycle_seconds_ = seconds;
  last_decision_ = close;
  last_decided_at_ = now;
  publish(runner, loop, now);
}

void RunStatus::publish(const engine::LiveRunner& runner, const LoopView& loop, Timestamp now) {
  if (!server_) return;
  ops::StatusSnapshot snapshot;
  snapshot.mode = mode_;
  snapshot.published = now;
  snapshot.started = started_;
  const risk::Portfolio& portfolio = runner.trader().portfolio();
  snapshot.state = portfolio.state();
  snapshot.breaker = portfolio.breaker_level();
  snapshot.equity = portfolio.equity();
  snapshot.drawdown = portfolio.state_machine().drawdown();
  snapshot.win_rate = portfolio.win_rate();
  for (const auto& trade : runner.trader().executor().open_trades()) snapshot.positions.push_back(position_view(trade));
  for (const auto& ranked : runner.last_ranked()) snapshot.signals.push_back(signal_view(ranked));
  for (const auto& record : runner.virtuals().open_positions()) snapshot.virtuals.push_back(virtual_view(record));
  snapshot.decisions = decisions_;
  snapshot.signals_ranked = signals_ranked_;
  snapshot.last_decision = last_decision_;
  snapshot.last_decided_at = last_decided_at_;
  snapshot.last_cycle_seconds = last_cycle_seconds_;
  snapshot.cycle_latency = cycle_latency_;
  snapshot.cycle_cpu_seconds = cycle_cpu_seconds_;
  snapshot.venue_reachable = loop.venue_reachable;
  snapshot.reconciliation_done = reconciled_;
  if (tap_) {
    snapshot.journal_writable = tap_->last_write_ok();
    snapshot.activity = tap_->counters();
  }
  snapshot.paused = paused_;
  snapshot.paused_since = paused_since_;
  snapshot.controls = recent_controls_;
  snapshot.market_reconnects = static_cast<std::uint64_t>(loop.market_reconnects);
  if (loop.user_stream_reconnects) snapshot.user_stream_reconnects = static_cast<std::uint64_t>(*loop.user_stream_reconnects);
  snapshot.request_weight_used = loop.request_weight_used;
  snapshot.symbols = symbols_;
  board_.publish(std::move(snapshot));
}

Status RunStatus::restore_pause(const journal::SqliteJournal& journal, engine::LiveRunner& runner, Timestamp now) {
  WINISWIN_TRY(const std::vector<journal::ControlRecord> actions, journal.control_actions());
  const auto last = std::find_if(actions.rbegin(), actions.rend(), [](const journal::ControlRecord& action) {
    return action.ok && (action.action == "pause" || action.action == "resume");
  });
  if (last == actions.rend() || last->action != "pause") return Ok{};
  if (controllable_) {
    paused_ = true;
    paused_since_ = last->applied;
    runner.set_paused(true);
    spdlog::warn("paused since {} by {} (the journal's last control action): no new entries until POST /api/control/resume",
                 format_utc(last->applied), last->who);
    return Ok{};
  }
  spdlog::warn("the journal says paused since {} by {}, but this run cannot be controlled (no --http or no WINISWIN_HTTP_TOKEN): "
               "it trades unpaused, and journals that resume",
               format_utc(last->applied), last->who);
  return journal_control(journal::ControlRecord{now, now, "resume", "", "start-up", "", true,
                                                "resumed at start-up: control is off in this run (no --http or no WINISWIN_HTTP_TOKEN)"});
}

Status RunStatus::apply_controls(engine::LiveRunner& runner, const LoopView& loop, Timestamp now, Timestamp trading_now) {
  std::vector<ops::ControlMailbox::Pending> pending = mailbox_.take();
  if (pending.empty()) return Ok{};
  // The answers wait until the status shows the actions: a client that reads /api/state after
  // its control request returned sees what it asked for.
  std::vector<ops::ControlOutcome> outcomes;
  Status journal_writes = Ok{};
  for (ops::ControlMailbox::Pending& each : pending) {
    const ops::ControlRequest& request = each.request;
    if (!journal_writes) {
      outcomes.push_back({503, "not applied: the journal failed on an earlier request"});
      continue;
    }
    const ops::ControlOutcome outcome = apply(request, runner, now, trading_now);
    spdlog::warn("control: {}{}{} by {} from {}: {}", ops::name_of(request.action), request.symbol.empty() ? "" : " ", request.symbol,
                 request.who, request.remote, outcome.message);
    const Status journalled = journal_control(journal::ControlRecord{request.received, now, std::string(ops::name_of(request.action)),
                                                                     request.symbol, request.who, request.remote, outcome.ok(), outcome.message});
    outcomes.push_back(journalled ? outcome : ops::ControlOutcome{500, "applied, but not journalled: " + journalled.error().message});
    if (!journalled) journal_writes = journalled;
  }
  const Status routed = journal_writes ? runner.on_venue_events() : Status(Ok{});  // a close's acknowledgement
  if (journal_writes && routed) publish(runner, loop, now);
  for (std::size_t idx = 0; idx < pending.size(); ++idx) pending[idx].reply.set_value(outcomes[idx]);
  return journal_writes ? routed : journal_writes;
}

ops::ControlOutcome RunStatus::apply(const ops::ControlRequest& request, engine::LiveRunner& runner, Timestamp now, Timestamp trading_now) {
  switch (request.action) {
    case ops::ControlAction::kPause:
    case ops::ControlAction::kResume: {
      const bool pause = request.action == ops::ControlAction::kPause;
      if (pause == paused_) return {200, pause ? "paused already" : "not paused: nothing to resume"};
      paused_ = pause;
      paused_since_ = pause ? std::optional<Timestamp>(now) : std::nullopt;
      runner.set_paused(pause);
      return {200, pause ? "paused: no new entries (open trades, their stops and exits are still managed)" : "resumed: entries allowed"};
    }
    case ops::ControlAction::kClose: {
      const Status closed = runner.close_by_operator(request.symbol, trading_now);
      if (closed) return {200, fmt::format("{}: exit at market sent (reason operator); the trade closes when it fills", request.symbol)};
      const int status = closed.error().code == ErrorCode::kNotFound ? 404 : closed.error().code == ErrorCode::kInvalidArgument ? 409 : 502;
      return {status, closed.error().message};
    }
  }
  return {500, "unknown control action"};
}

Status RunStatus::journal_control(journal::ControlRecord row) {
  if (!tap_) return make_error(ErrorCode::kInvalidArgument, "RunStatus: control before record_into (no journal)");
  if (auto written = tap_->control(row); !written) return written;
  recent_controls_.push_back(std::move(row));
  if (recent_controls_.size() > ops::StatusSnapshot::kRecentControls) recent_controls_.erase(recent_controls_.begin());
  return Ok{};
}

}  // namespace winiswin
