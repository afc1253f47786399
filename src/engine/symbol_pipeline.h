// One symbol's bars in (1m or 5m, in time order), aggregated into its timeframes as they
// close (5m, then 15m, then 1h) and applied through SymbolState::on_closed in the one order it
// wants — the same object for the backtest (a chunk of bars at a time) and the live runner
// (a bar at a time, as the stream delivers it), so both reach the same state at every 5m close.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "core/error.h"
#include "core/interval.h"
#include "core/kline.h"
#include "data/resample.h"
#include "strategy/timeframe_state.h"

namespace winiswin::engine {

class SymbolPipeline {
 public:
  // `fine`: the bars it is given, 1m or 5m.
  SymbolPipeline(std::string symbol, Interval fine);

  // Takes bars from the front of `bars` up to and including the next 5m close (`consumed`
  // says how many); the 5m bar that closed, with the state updated by it, or null.
  Result<const Kline*> push_front(std::span<const Kline> bars, std::size_t& consumed);
  // One bar: the 5m bar it closed, with the state updated by it, or null.
  Result<const Kline*> push(const Kline& bar);
  // After a gap: a fresh state (it warms up again) and nothing half-aggregated from before.
  void start_over();

  [[nodiscard]] const strategy::SymbolState& state() const { return *state_; }
  [[nodiscard]] const std::string& symbol() const { return state_->symbol; }

 private:
  Result<const Kline*> apply(const Kline* five);

  Interval fine_;
  std::unique_ptr<strategy::SymbolState> state_;
  KlineAggregator to_five_;  // from the fine bars (5m: one in, one out)
  KlineAggregator to_quarter_{Interval::k5m, Interval::k15m};
  KlineAggregator to_hour_{Interval::k15m, Interval::k1h};
};

}  // namespace winiswin::engine
