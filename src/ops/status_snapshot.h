// What the engine shows the operator: a StatusSnapshot, a plain value the decision thread
// builds after each decision and each trade check, and the StatusBoard it publishes it on,
// which the HTTP side (ops_server.h) reads from its own thread.
//
// Threading: the decision thread must never wait for the HTTP side. publish() swaps a
// shared_ptr under a mutex held only for that pointer swap, and readers take a copy of the
// pointer under the same mutex and render without it — so a slow or flooded reader (a
// scrape, a dashboard) can hold the lock for a pointer copy at most, never for the time it
// takes to render. (A mutex rather than std::atomic<std::shared_ptr>: libstdc++ 12 implements
// that with a lock too, and the mutex says plainly what is shared.) Between publications
// the loop's heartbeat — its last round and its last market-data bar, wall times — goes into
// two atomics, so that liveness and freshness stay current without building a snapshot every
// 100 ms round.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/side.h"
#include "journal/records.h"
#include "core/time.h"
#include "risk/circuit_breaker.h"
#include "risk/trading_state.h"
#include "strategy/signal.h"

namespace winiswin::ops {

// A latency histogram, cumulative as Prometheus histograms are: bucket i counts what took at
// most bounds()[i]; the last (+Inf) all of it. Decision cycles by default; journal writes
// (a row commit with synchronous=FULL: tens of µs to some ms) on finer bounds.
class LatencyHistogram {
 public:
  using Bounds = std::array<double, 12>;
  static constexpr Bounds kBoundsSeconds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};
  static constexpr Bounds kJournalBoundsSeconds{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5};
  explicit LatencyHistogram(const Bounds& bounds = kBoundsSeconds) : bounds_(&bounds) {}
  [[nodiscard]] const Bounds& bounds() const { return *bounds_; }
  void observe(double seconds);
  [[nodiscard]] std::uint64_t cumulative(std::size_t bucket_idx) const;  // bucket_idx == size(): +Inf
  [[nodiscard]] std::uint64_t count() const { return count_; }
  [[nodiscard]] double sum_seconds() const { return sum_; }

 private:
  const Bounds* bounds_;  // static storage: kBoundsSeconds or kJournalBoundsSeconds
  std::array<std::uint64_t, Bounds{}.size()> in_bucket_{};  // not cumulative: the bucket it fell in
  std::uint64_t count_ = 0;
  double sum_ = 0.0;
};

struct OpenPositionView {
  std::string symbol;
  Side side = Side::kBuy;
  bool filled = false;       // false: the entry is still pending
  double quantity = 0.0;     // as filled
  double entry_price = 0.0;  // as filled (the decision's entry while pending)
  double stop = 0.0;
  double target = 0.0;
  Timestamp decided;
  Timestamp entry_time;      // once filled
  int rank = 0;
  double confidence = 0.0;
};

struct RankedSignalView {
  std::string symbol;
  int rank = 0;
  Side side = Side::kBuy;
  double confidence = 0.0;
  double score = 0.0;  // what it was ranked by (a model's blended score, else the confidence)
  std::optional<double> ml_probability;
  strategy::ScoreComponents components;
  double entry = 0.0, stop = 0.0, target = 0.0;
  bool real = false;   // went the real walk (entered or refused), else virtual
};

struct VirtualPositionView {
  std::string symbol;
  Side side = Side::kBuy;
  Timestamp decided;
  double entry = 0.0, stop = 0.0, target = 0.0;
  int rank = 0;
};

// What the journal tap (journal_tap.h) counted: orders, fills, rejects by the venue's code.
struct ActivityCounters {
  std::uint64_t orders_sent = 0;
  std::uint64_t orders_accepted = 0;
  std::uint64_t fills = 0;
  std::uint64_t liquidations = 0;
  std::uint64_t refusals = 0;  // ranked signals not traded for real
  std::map<int, std::uint64_t> rejects_by_code;
  std::uint64_t journal_writes = 0;
  std::uint64_t journal_failures = 0;
  double journal_write_seconds = 0.0;  // Σ over journal_writes
  LatencyHistogram journal_latency{LatencyHistogram::kJournalBoundsSeconds};
};

struct StatusSnapshot {
  std::string mode;  // "paper" or "live"
  Timestamp published;  // wall time of this snapshot
  Timestamp started;
  risk::TradingState state = risk::TradingState::kNormal;
  risk::BreakerLevel breaker = risk::BreakerLevel::kNormal;
  double equity = 0.0;
  double drawdown = 0.0;  // from the equity peak, as the state machine sees it, 0..1
  double win_rate = 0.0;
  std::vector<OpenPositionView> positions;
  std::vector<RankedSignalView> signals;  // of the last decision with candidates
  std::vector<VirtualPositionView> virtuals;
  std::uint64_t decisions = 0;
  std::uint64_t signals_ranked = 0;  // Σ ranked signals over all decisions
  std::optional<Timestamp> last_decision;   // the 5m close last decided
  std::optional<Timestamp> last_decided_at; // wall time it was decided
  double last_cycle_seconds = 0.0;
  LatencyHistogram cycle_latency;
  // The decision thread's own CPU time in decisions (CLOCK_THREAD_CPUTIME_ID): beside the wall
  // time above, it tells work from waiting for a core (another process, the HTTP thread).
  double cycle_cpu_seconds = 0.0;
  bool venue_reachable = true;       // no venue step failing 3 times in a row (the loop's alarm)
  bool reconciliation_done = false;  // live: start-up reconciliation applied; paper: nothing to reconcile
  bool journal_writable = true;      // the last journal write succeeded
  ActivityCounters activity;
  std::uint64_t market_reconnects = 0;
  std::optional<std::uint64_t> user_stream_reconnects;  // live only: paper has no user-data stream
  std::optional<int> request_weight_used;  // REST weight used in the current minute (Binance's X-MBX-USED-WEIGHT-1M)
  std::size_t symbols = 0;
  // The operator's controls: paused (no new entries) since when, and the latest actions
  // (newest last, at most kRecentControls), as journalled.
  bool paused = false;
  std::optional<Timestamp> paused_since;
  std::vector<journal::ControlRecord> controls;
  static constexpr std::size_t kRecentControls = 20;
};

class StatusBoard {
 public:
  // The decision thread: a whole new snapshot (waits only for a concurrent pointer copy).
  void publish(StatusSnapshot snapshot);
  // The loop's heartbeat, lock-free: its round at `loop` and (when bars came) the newest bar's
  // receipt at `market_data`, both wall times.
  void beat(Timestamp loop) { loop_ms_.store(to_ms(loop), std::memory_order_relaxed); }
  void market_data_received(Timestamp at) { market_data_ms_.store(to_ms(at), std::memory_order_relaxed); }

  // Any thread: the latest snapshot (nullptr before the first publication).
  [[nodiscard]] std::shared_ptr<const StatusSnapshot> latest() const;
  [[nodiscard]] std::optional<Timestamp> last_beat() const { return load(loop_ms_); }
  [[nodiscard]] std::optional<Timestamp> last_market_data() const { return load(market_data_ms_); }

 private:
  static std::optional<Timestamp> load(const std::atomic<std::int64_t>& ms);
  mutable std::mutex mutex_;
  std::shared_ptr<const StatusSnapshot> latest_;
  std::atomic<std::int64_t> loop_ms_{kNever};
  std::atomic<std::int64_t> market_data_ms_{kNever};
  static constexpr std::int64_t kNever = INT64_MIN;
};

}  // namespace winiswin::ops
