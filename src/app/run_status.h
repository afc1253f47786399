// What `winiswin run --http HOST:PORT` adds to the decision loop: the ops server
// (ops/ops_server.h) started before anything else, a JournalTap between the runner and the
// journal (its counts), and a StatusSnapshot built and published by the decision thread after
// each decision and each trade check — plus the loop's heartbeat every round. Without --http
// the tap still forwards every row and nothing is built or served.
// Not thread-safe: the decision thread calls it; only the StatusBoard is shared with the server.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/commands.h"
#include "engine/live_runner.h"
#include "ops/journal_tap.h"
#include "ops/ops_server.h"
#include "ops/status_snapshot.h"

namespace winiswin {

// The parts of the loop's own state a snapshot shows.
struct LoopView {
  bool venue_reachable = true;
  int market_reconnects = 0;
};

class RunStatus {
 public:
  explicit RunStatus(std::string mode);
  ~RunStatus();

  // --http: the bind policy (WINISWIN_HTTP_TOKEN from the environment), the server started,
  // and "http: listening on http://HOST:PORT" printed (the bound port, also for port 0).
  // `extra_route`: served before the built-in routes (Discord's interactions endpoint).
  Status serve(const RunOptions& options, decltype(ops::OpsServerOptions::extra_route) extra_route = {});

  // What the runner records into: `journal`, through the tap (once; it must outlive this).
  journal::Recorder& record_into(journal::Recorder& journal);
  void set_symbols(std::size_t symbols) { symbols_ = symbols; }
  void set_reconciled(bool done) { reconciled_ = done; }

  // Every loop round (lock-free): alive, and whether market data came.
  void beat(Timestamp now, bool bars_came);
  // After a decision at `close` that took `seconds` of wall time and `cpu_seconds` of the
  // decision thread's CPU.
  void after_decision(const engine::LiveRunner& runner, const LoopView& loop, Timestamp close, double seconds, double cpu_seconds,
                      Timestamp now);
  // After a trade check, or whenever the state is worth showing (start-up).
  void publish(const engine::LiveRunner& runner, const LoopView& loop, Timestamp now);

 private:
  std::string mode_;
  std::unique_ptr<ops::JournalTap> tap_;
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
