// Replays one symbol's closed bars into its SymbolState, in the order they closed: at a
// shared close time the 1h bar goes in before the 15m bar, the 15m before the 5m, so a
// decision taken after a 5m close sees the higher timeframes' bars that closed with it —
// and none that had not yet closed.
#pragma once

#include <memory>

#include "core/kline.h"
#include "strategy/timeframe_state.h"

namespace winiswin::strategy {

class SymbolReplay {
 public:
  // The series must be of 1h, 15m and 5m bars respectively (they are checked).
  static Result<SymbolReplay> create(std::string symbol, KlineSeries hour, KlineSeries quarter, KlineSeries five);
  // From 1m bars (or any interval dividing 5m): resampled to all three.
  static Result<SymbolReplay> from_fine(const KlineSeries& fine);

  // Feeds every bar that closed at or before `time` (ms, exclusive end of the 5m bar).
  Status advance_to(Timestamp time);
  [[nodiscard]] const SymbolState& state() const { return *state_; }
  [[nodiscard]] const KlineSeries& five() const { return five_; }

 private:
  SymbolReplay(std::string symbol, KlineSeries hour, KlineSeries quarter, KlineSeries five);
  KlineSeries hour_, quarter_, five_;
  std::size_t hour_next_ = 0, quarter_next_ = 0, five_next_ = 0;
  std::unique_ptr<SymbolState> state_;
};

}  // namespace winiswin::strategy
