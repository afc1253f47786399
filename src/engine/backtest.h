// The event-driven backtest: 1m bars of every symbol in time order, a decision cycle at
// each 5m close, the simulated venue for real trades and virtual positions for the next
// ranks. The decision code is what live will run; only the feed and the venue differ.
//
// The venue is any bar-driven one (venue/bar_driven.h; the simulator: backtest/): the
// engine sees only the Venue interface, as live will.
// Each minute, for every symbol with a bar: the venue executes on it (entries decided at
// the last 5m close fill at its open, stops and targets trigger on its path), open virtual
// positions are checked on it with the same fill model, and the bar is aggregated into
// 5m/15m/1h bars, which update the symbol's state as they close (1h before 15m before 5m).
// At a 5m close every symbol is scored, the signals ranked (≥ min confidence): the top K
// not already in a position are sized (trading state multiplier, account limits) and sent
// as a MARKET entry with closePosition STOP_MARKET and TAKE_PROFIT_MARKET; ranks K+1..M
// open virtual positions with the same entry, stop, target and maximum holding time.
// Nothing reads a bar before it closed: decisions at T see only bars closed by T.
// Two phases per hour of data: first every symbol's bars are aggregated and scored (a pure
// function of that symbol's bars: run on `threads` threads), then the sequential portfolio
// pass walks the minutes (venue, virtual positions, ranking, risk) using those signals.
#pragma once

#include <functional>
#include <map>
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
#include "venue/bar_driven.h"
#include "venue/fill_model.h"

namespace winiswin::engine {

struct BacktestConfig {
  CycleConfig cycle;  // ranking, real slots, virtual ranks, sizing and account limits
  int max_holding_minutes = 24 * 60;
  // A symbol's data is a sequence of segments: a hole up to this long is bridged (positions
  // held, state kept); a longer one closes its positions at the last close ("data gap", or
  // "end of data" where its data ends) and its state warms up again after it.
  int max_bridged_gap_minutes = 15;
  int threads = 1;  // scoring threads (phase 1); results are identical for any count
  std::function<void(double)> progress;  // called with the share done, once per hour of data
  risk::TradingStateConfig state;
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
