// The event-driven backtest: 1m (or 5m) bars of every symbol in time order, the decision
// cycle at each 5m close, real trades through the executor to a venue, virtual positions for
// the next ranks. The decision code is what live will run; only the feed and the venue differ.
// The venue is any bar-driven one (venue/bar_driven.h; the simulator: backtest/): the engine
// sees only the Venue interface, as live will.
//
// Two phases per hour of data: first every symbol's bars are aggregated into 5m/15m/1h
// (SymbolState::on_closed) and each 5m close scored — a pure function of that symbol's bars,
// run on `threads` threads — then the portfolio pass walks the minutes: the venue executes on
// each bar of a symbol with a trade on, virtual positions are checked on it (VirtualBook), a
// symbol whose data stopped closes what it holds, and at each 5m close the DecisionCycle's
// real entries go to the Executor (MARKET entry, then stop-loss and take-profit algo orders)
// and its next ranks become virtual positions. Every row goes to a journal::Recorder.
// Nothing reads a bar before it closed: decisions at T see only bars closed by T.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/instrument.h"
#include "core/kline.h"
#include "core/leverage_bracket.h"
#include "engine/bar_feed.h"
#include "journal/recorder.h"
#include "engine/decision_cycle.h"
#include "ml/model.h"
#include "risk/trading_state.h"
#include "strategy/signal.h"
#include "strategy/strategy.h"
#include "structure/zones.h"
#include "venue/bar_driven.h"
#include "venue/fill_model.h"

namespace winiswin::engine {

// Warm-up (what --from loads before the window): the strategies' 1h view is ready after
// ~35 closed 1h bars (MACD 26 + signal 9; the 15m and 5m views and the 5m band rank need less
// time), and the longest recursive smoothing (ADX's Wilder average over 14 1h bars) forgets
// its start to ~1e-6 after ~190 bars. 200 1h bars (8⅓ days) make a state started there
// decide as one started at the data's start, up to that residue.
inline constexpr int kWarmupHours = 200;

struct BacktestConfig {
  CycleConfig cycle;  // ranking, real slots, virtual ranks, sizing and account limits
  int max_holding_minutes = 24 * 60;
  // A symbol's data is a sequence of segments: a hole up to this long is bridged (positions
  // held, state kept); a longer one closes its positions at the last close ("data gap", or
  // "end of data" where its data ends) and its state warms up again after it.
  int max_bridged_gap_minutes = 15;
  int threads = 1;  // scoring threads (phase 1); results are identical for any count
  // The first 5m close the portfolio pass acts on (--from). The bars before it only warm the
  // symbols' states (phase 1 runs from the start of the feed): no decision, equity mark,
  // venue bar or virtual position before it — freqtrade's startup candles.
  Timestamp decide_from = Timestamp::min();
  // Each decision's candidates (every symbol scored at or above min_confidence at that close,
  // blocked ones included), as the cycle is about to see them: what `check causality` compares.
  std::function<void(Timestamp, std::span<const Candidate>)> on_candidates;
  // Each symbol's 15m order blocks and fair value gaps as they appear and end
  // (structure/zones.h): what the report draws. Called after each hour's scoring, symbol by
  // symbol in name order (the same for any thread count); nothing is recorded when unset.
  std::function<void(const std::string& symbol, std::span<const structure::ZoneChange>)> on_zones;
  std::function<void(double)> progress;  // called with the share done, once per hour of data
  risk::TradingStateConfig state;
  risk::CircuitBreakerConfig breaker;  // over the outcomes of the executor's venue calls
  venue::FillModelConfig fills;  // how virtual positions fill: the venue's own rules
};

using journal::EquityPoint;
using journal::ExitReason;
using journal::RefusalRecord;
using journal::TradeRecord;
using journal::name_of;
using journal::r_multiple;

// What a run counted; its rows went to the recorder.
struct BacktestCounts {
  std::int64_t symbol_bars_5m = 0;
  std::int64_t decisions = 0;
  double fees_paid = 0.0;
  double funding_paid = 0.0;
};

// A run with its rows kept in memory (tests, small runs).
struct BacktestResult {
  std::vector<TradeRecord> trades;    // real, closed
  std::vector<TradeRecord> virtuals;  // virtual, closed
  std::vector<EquityPoint> equity;    // at every 5m close
  std::vector<risk::StateTransition> transitions;  // trading-state changes with reasons
  std::vector<RefusalRecord> refusals;
  std::vector<journal::OrderRecord> orders;  // each step of each order the executor sent
  std::vector<journal::FillRecord> fills;    // each fill of them
  std::vector<journal::BreakerEvent> breaker_events;  // the venue circuit breaker's level changes
  std::int64_t symbol_bars_5m = 0;
  std::int64_t decisions = 0;
  double fees_paid = 0.0;
  double funding_paid = 0.0;
};

class Backtest {
 public:
  // The model re-scores each cycle's proposed signals (default: the strategy's confidence).
  Backtest(std::vector<Instrument> instruments, std::map<std::string, std::vector<LeverageBracket>> brackets,
           const strategy::Strategy& strategy, BacktestConfig config, const ml::Model& model = ml::pass_through_model());

  // The 1m (or 5m) bars of every symbol from `feed` (symbols need instruments), read an hour
  // at a time; series may start and end at different times. Orders go to `venue`, which sees
  // each symbol's bars as they pass (its balance at the start is the starting equity). Every
  // row goes to `recorder` as it happens.
  Result<BacktestCounts> run(BarFeed& feed, venue::BarDrivenVenue& venue, journal::Recorder& recorder);
  // The same, with the rows kept in memory.
  Result<BacktestResult> run(BarFeed& feed, venue::BarDrivenVenue& venue);

 private:
  std::vector<Instrument> instruments_;
  std::map<std::string, std::vector<LeverageBracket>> brackets_;
  const strategy::Strategy& strategy_;
  BacktestConfig config_;
  const ml::Model& model_;
};

}  // namespace winiswin::engine
