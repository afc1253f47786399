#include "app/run_status.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

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

Status RunStatus::serve(const RunOptions& options, decltype(ops::OpsServerOptions::extra_route) extra_route) {
  if (options.http.empty()) return Ok{};
  ops::OpsServerOptions server_options;
  if (auto parsed = ops::parse_listen_address(options.http, server_options); !parsed) return parsed;
  if (const char* token = std::getenv("WINISWIN_HTTP_TOKEN"); token && *token) server_options.token = token;
  server_options.journal = options.journal;
  server_options.extra_route = std::move(extra_route);
  if (auto allowed = ops::check_bind_policy(server_options); !allowed) return allowed;
  server_ = std::make_unique<ops::OpsServer>(server_options, board_);
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
  snapshot.market_reconnects = static_cast<std::uint64_t>(loop.market_reconnects);
  snapshot.symbols = symbols_;
  board_.publish(std::move(snapshot));
}

}  // namespace winiswin
