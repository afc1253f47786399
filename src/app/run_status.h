// What `winiswin run --http HOST:PORT` adds to the decision loop: the ops server
// (ops/ops_server.h) started before anything else, a JournalTap between the runner and the
// journal (its counts), and a StatusSnapshot built and published by the decision thread after
// each decision and each trade check — plus the loop's heartbeat every round. Without --http
// the tap still forwards every row and nothing is built or served.
// Control (POST /api/control/…): the server posts into a ControlMailbox; apply_controls(),
// once per loop round on the decision thread, acts on each request, journals it (the
// journal's control_actions) and answers it.
// Pause across restarts: the journal keeps every control action, and a run that can be
// controlled (--http with WINISWIN_HTTP_TOKEN) starts paused when the journal's last pause or
// resume was a pause — an operator who paused because something was wrong is not resumed by
// a restart. A run that cannot be controlled would never be resumed: it starts unpaused, says
// so, and journals that resume.
// Not thread-safe: the decision thread calls it; only the StatusBoard and the mailbox are
// shared with the server.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/commands.h"
#include "engine/live_runner.h"
#include "journal/sqlite_journal.h"
#include "ops/control.h"
#include "ops/journal_tap.h"
#include "ops/ops_server.h"
#include "ops/status_snapshot.h"

namespace winiswin {

// The parts of the loop's own state a snapshot shows.
struct LoopView {
  bool venue_reachable = true;
  int market_reconnects = 0;
  std::optional<int> user_stream_reconnects;  // live: the listen key's WebSocket
  std::optional<int> request_weight_used;  // the REST client's count for the current minute
};

class RunStatus {
 public:
  explicit RunStatus(std::string mode);
  ~RunStatus();

  // --http: the bind policy (WINISWIN_HTTP_TOKEN from the environment), the server started,
  // and "http: listening on http://HOST:PORT" printed (the bound port, also for port 0).
  // `routes`: served ahead of the built-in ones (Discord's interactions endpoint);
  // `notifications`: the Discord notifier's counters for /metrics.
  Status serve(const RunOptions& options, std::vector<ops::OpsRoute> routes = {}, ops::NotificationSource notifications = {});
  // What the server shows; routes added by serve() may answer from it.
  [[nodiscard]] const ops::StatusBoard& board() const { return board_; }

  // What the runner records into: `journal`, through the tap (once; it must outlive this).
  journal::Recorder& record_into(journal::Recorder& journal);
  void set_symbols(std::size_t symbols) { symbols_ = symbols; }
  void set_reconciled(bool done) { reconciled_ = done; }

  // At start-up, before trading: the pause the journal's control actions leave (see above).
  Status restore_pause(const journal::SqliteJournal& journal, engine::LiveRunner& runner, Timestamp now);
  // Every loop round: the control requests waiting, applied in order, journalled and answered;
  // a snapshot published when there were any. A lost journal row stops the loop.
  // `now`: the wall clock (when received and applied); `trading_now`: the trader's clock, which
  // stamps an operator's close (run_command.cpp's trading clock).
  Status apply_controls(engine::LiveRunner& runner, const LoopView& loop, Timestamp now, Timestamp trading_now);

  // Every loop round (lock-free): alive, and whether market data came.
  void beat(Timestamp now, bool bars_came);
  // After a decision at `close` that took `seconds` of wall time and `cpu_seconds` of the
  // decision thread's CPU.
  void after_decision(const engine::LiveRunner& runner, const LoopView& loop, Timestamp close, double seconds, double cpu_seconds,
                      Timestamp now);
  // After a trade check, or whenever the state is worth showing (start-up).
  void publish(const engine::LiveRunner& runner, const LoopView& loop, Timestamp now);

 private:
  ops::ControlOutcome apply(const ops::ControlRequest& request, engine::LiveRunner& runner, Timestamp now, Timestamp trading_now);
  Status journal_control(journal::ControlRecord row);

  std::string mode_;
  std::unique_ptr<ops::JournalTap> tap_;
  ops::ControlMailbox mailbox_;
  bool controllable_ = false;  // --http with a token
  bool paused_ = false;
  std::optional<Timestamp> paused_since_;
  std::vector<journal::ControlRecord> recent_controls_;
  std::size_t symbols_ = 0;
  bool reconciled_ = false;
  Timestamp started_;
  ops::StatusBoard board_;
  std::unique_ptr<ops::OpsServer> server_;
  // Kept across snapshots: the decision thread's own history.
  ops::LatencyHistogram cycle_latency_;
  std::uint64_t decisions_ = 0;
  std::uint64_t signals_ranked_ = 0;
  std::optional<Timestamp> last_decision_, last_decided_at_;
  double last_cycle_seconds_ = 0.0;
  double cycle_cpu_seconds_ = 0.0;
};

}  // namespace winiswin
