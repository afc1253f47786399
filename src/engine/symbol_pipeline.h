// One symbol's bars in (1m or 5m, in time order), aggregated into its timeframes as they
// close (5m, then 15m, then 1h) and applied through SymbolState::on_closed in the one order it
// wants — the same object for the backtest (a chunk of bars at a time) and the live runner
// (a bar at a time, as the stream delivers it), so both reach the same state at every 5m close.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/interval.h"
#include "core/kline.h"
#include "data/resample.h"
#include "strategy/timeframe_state.h"
#include "structure/zones.h"

namespace winiswin::engine {

class SymbolPipeline {
 public:
  enum class Zones : std::uint8_t { kIgnored, kRecorded };
  // `fine`: the bars it is given, 1m or 5m. `zones`: whether the 15m structure's zones are
  // recorded as they appear and end (zone_changes), for the report.
  SymbolPipeline(std::string symbol, Interval fine, Zones zones = Zones::kIgnored);

  // Takes bars from the front of `bars` up to and including the next 5m close (`consumed`
  // says how many); the 5m bar that closed, with the state updated by it, or null.
  Result<const Kline*> push_front(std::span<const Kline> bars, std::size_t& consumed);
  // One bar: the 5m bar it closed, with the state updated by it, or null.
  Result<const Kline*> push(const Kline& bar);
  // After a gap: a fresh state (it warms up again) and nothing half-aggregated from before.
  void start_over();

  [[nodiscard]] const strategy::SymbolState& state() const { return *state_; }
  [[nodiscard]] const std::string& symbol() const { return state_->symbol; }
  // The 15m zones that appeared and ended since the last clear (start_over ends them all at
  // the last 5m close); empty unless recorded.
  [[nodiscard]] const std::vector<structure::ZoneChange>& zone_changes() const { return zone_changes_; }
  void clear_zone_changes() { zone_changes_.clear(); }

 private:
  Result<const Kline*> apply(const Kline* five);

  Interval fine_;
  std::unique_ptr<strategy::SymbolState> state_;
  KlineAggregator to_five_;  // from the fine bars (5m: one in, one out)
  KlineAggregator to_quarter_{Interval::k5m, Interval::k15m};
  KlineAggregator to_hour_{Interval::k15m, Interval::k1h};
  std::optional<structure::ZoneWatch> zone_watch_;  // when recorded
  std::vector<structure::ZoneChange> zone_changes_;
  Timestamp last_close_ = Timestamp::min();  // the last 5m bar's close applied
};

}  // namespace winiswin::engine
