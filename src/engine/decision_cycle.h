// The decision cycle: the account-dependent part of one 5m close, the same object for the
// backtest, paper and live. Every symbol's score at this close, an account view and a model
// go in; real entries (sized order intents), virtual entries and refusals (each with the
// limit that refused and why) come out. Pure: no venue, no clock, no I/O — the caller
// places what it returns and records every row.
//
// Order of one cycle:
//   1. candidates at or above `min_confidence` whose symbol holds no real position and no
//      pending entry (a symbol trades one position at a time);
//   2. trade levels and the 28 features proposed for them (Strategy::propose), the batch
//      scored by the Model in one call; a candidate the tick cannot place is dropped;
//   3. ranked by model score, best first (ties by symbol name), `rank_depth` ranks at most;
//   4. real slots: walking the ranks while fewer than `top_k` real entries were made — the
//      trading state, the venue's circuit breaker, sizing and the account limits decide each: a real entry, or a refusal.
//      Sizing gets the 15m ATR and its normal level (volatility breaker) and the account's
//      win rate (leverage_mode "win_rate").
//      Each real entry is added to the account view (its margin is no longer available)
//      before the next rank is sized;
//   5. virtual entries: the ranks up to `virtual_through` that did not become real.
// With `label_every_signal` (the ML data set), every proposed signal is ranked: ranks past
// `rank_depth` take no part in the real walk (the real entries and refusals are those of a
// run without it) and, with every rank that did not become real, open virtual positions.
// With a model that passes confidence through, ranking happens on the strategy's scores
// and only the ranks needed are proposed (the same outcome, without ~180 proposals a cycle).
// Two options let a model's probability p act beyond ranking (both off by default, and no
// effect for a model without a probability, e.g. the pass-through):
//   min_probability  the veto: in the real walk (step 4), a rank with p below it is refused
//                    (limit "model_veto", before the other checks; it takes no slot) and, like
//                    every refused rank, becomes virtual when its rank opens one — the virtual
//                    positions are the training labels, and a model that dropped what it vetoes
//                    from them would teach its successor only from what it let through;
//   size_by_model_score  sizing (fraction and confidence-mode leverage) reads the blended
//                    score (ml/blend.h) in place of the signal's confidence.
// A model may also scale positions (ml::Model::scales_size, e.g. an ensemble unsure of a
// signal): each ranked signal carries its factor in (0, 1] (1 when the model does not scale, and
// then the model is not asked), and sizing multiplies the risk-sized quantity by it before step
// rounding (risk/position_sizing.h); min notional and the account limits apply after it.
//
// The model exit (`exit_below`, off by default; no effect without a model's probability):
// at each close, every open real trade whose symbol has a snapshot at this close is re-scored
// (held_exits, one batch predict over the held trades) and closed at market (ExitReason
// kModelExit) when its updated win probability p is below `exit_below`. "Updated win
// probability" is the model's p for the signal a fresh proposal would be if it were made now
// at the trade's own levels: the trade's symbol and side; entry = this close (the snapshot's
// last price); stop and target = the trade's (so stop_distance_pct and target_distance_pct are
// the distances left from here — what decides the outcome from now on, as the label's "hit
// target before stop" does); every market feature from this close's snapshot (bars closed by
// the decision only); time = this decision (market_session). `confidence` and `trend_strength`
// are the strategy's score now when it favours the trade's side; when it has turned to the
// other side (the strategy scores only the side it favours), the trade's own values at entry
// stand. A trade whose price is not strictly between its stop and target now is left to its
// protective legs (no distance to re-express).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/instrument.h"
#include "core/leverage_bracket.h"
#include "ml/model.h"
#include "risk/account_limits.h"
#include "risk/position_sizing.h"
#include "risk/trading_state.h"
#include "strategy/strategy.h"

namespace winiswin::engine {

struct CycleConfig {
  int top_k = 3;             // real entries per cycle at most
  int rank_depth = 10;       // ranks made per cycle (real slots are sought among them)
  int virtual_through = 10;  // ranks up to this one that are not real become virtual
  bool label_every_signal = false;  // every proposed signal ranked; each one not real becomes virtual
  double min_confidence = 0.35;
  std::optional<double> min_probability;  // the model's veto (see above); none: no veto
  std::optional<double> exit_below;       // the model exit (see above); none: trades are held to stop, target or timeout
  bool size_by_model_score = false;       // sizing reads the model's blended score
  Ratio taker_fee;  // the venue's taker rate: sizing refuses stops so close that fees eat the risk (0: unknown)
  risk::SizingConfig sizing;
  risk::AccountLimitsConfig limits;

  // A rank that did not become real opens a virtual position.
  [[nodiscard]] bool opens_virtual(int rank) const { return label_every_signal || rank <= virtual_through; }
};

// One symbol's score at this close, and what the cycle needs to trade it.
struct Candidate {
  const strategy::MarketSnapshot* snapshot = nullptr;
  const strategy::Score* score = nullptr;
  const Instrument* instrument = nullptr;
  std::span<const LeverageBracket> brackets;
  bool blocked = false;  // the symbol holds a position or a pending entry: no new one
};

// The account as the cycle sizes and limits against it.
struct AccountView {
  Notional equity;             // wallet + unrealised PnL
  Notional available;          // margin that can still be posted
  Notional day_start_equity;   // for the daily loss limit
  risk::TradingState state = risk::TradingState::kNormal;
  bool venue_available = true;  // false while the circuit breaker backs off or is at EMERGENCY
  std::vector<risk::OpenPosition> positions;  // real positions and pending entries
  double win_rate = 0.5;  // of the recent closed real trades (leverage_mode = "win_rate")
};

struct RankedSignal {
  std::size_t candidate = 0;  // index into the candidates given
  int rank = 0;               // 1 = best
  double model_score = 0.0;
  std::optional<double> ml_probability;  // a model's win probability, before the blend (none: pass-through)
  double size_scale = 1.0;               // the model's factor on the risk-sized position (ml::Model::size_scales)
  strategy::Signal signal;
};

struct RealEntry {
  RankedSignal ranked;
  risk::OrderIntent intent;
};

struct Refusal {
  std::size_t candidate = 0;
  int rank = 0;
  std::string symbol;
  std::string limit;   // the rule that refused (risk::name_of(Refusal): "max_open_positions", "fees_exceed_risk", …)
  std::string reason;  // the rule's own words, with its numbers
};

// An open real trade, as the model exit re-scores it.
struct HeldTrade {
  std::size_t candidate = 0;  // its symbol's candidate at this close
  Side side = Side::kBuy;
  Price stop;
  Price target;
  double entry_confidence = 0.0;  // the trade's confidence and trend component at its decision
  double entry_trend = 0.0;
};

struct ModelExit {
  std::size_t candidate = 0;
  std::string symbol;
  double probability = 0.0;  // the updated win probability, below exit_below
};

// The signal the model exit scores for `held` (see above); none when the close is not
// strictly between the trade's stop and target, or the candidate has no snapshot.
std::optional<strategy::Signal> rescored_signal(const Candidate& candidate, const HeldTrade& held);

struct CycleOutcome {
  std::vector<RealEntry> real;          // in rank order
  std::vector<RankedSignal> virtuals;   // in rank order
  std::vector<Refusal> refusals;        // ranks in the real walk that did not become real
};

class DecisionCycle {
 public:
  DecisionCycle(const strategy::Strategy& strategy, const ml::Model& model, CycleConfig config);

  // `decision` is the 5m close; the snapshots are of that close.
  Result<CycleOutcome> run(Timestamp decision, std::span<const Candidate> candidates, AccountView account);
  // The model exit: the held trades whose updated win probability is below exit_below, in
  // the order given. Empty when exit_below is unset or the model gives no probability.
  Result<std::vector<ModelExit>> held_exits(Timestamp decision, std::span<const Candidate> candidates, std::span<const HeldTrade> held);
  [[nodiscard]] const CycleConfig& config() const { return config_; }

 private:
  Status rank(std::span<const Candidate> candidates, std::vector<RankedSignal>& ranked);
  Status read_size_scales();
  void allocate(const Candidate& candidate, RankedSignal& ranked, AccountView& account, CycleOutcome& outcome) const;

  const strategy::Strategy& strategy_;
  const ml::Model& model_;
  CycleConfig config_;
  // Scratch reused from cycle to cycle (no allocation per cycle once warm).
  std::vector<std::size_t> order_;
  std::vector<strategy::Signal> batch_;
  std::vector<std::size_t> batch_candidates_;
  std::vector<double> scores_;
  std::vector<double> probabilities_;
  std::vector<double> size_scales_;
};

}  // namespace winiswin::engine
