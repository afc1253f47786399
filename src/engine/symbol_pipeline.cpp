#include "engine/symbol_pipeline.h"

namespace winiswin::engine {

SymbolPipeline::SymbolPipeline(std::string symbol, Interval fine, Zones zones)
    : fine_(fine), state_(std::make_unique<strategy::SymbolState>(std::move(symbol))), to_five_(fine, Interval::k5m) {
  if (zones == Zones::kRecorded) zone_watch_.emplace();
}

void SymbolPipeline::start_over() {
  if (zone_watch_ && last_close_ != Timestamp::min()) {
    zone_changes_.push_back(structure::ZoneChange{structure::ZoneChange::Type::kAllEnded, {}, 0, {}, last_close_, {}, {}});
    zone_watch_.emplace();
  }
  state_ = std::make_unique<strategy::SymbolState>(state_->symbol);
  to_five_ = KlineAggregator(fine_, Interval::k5m);
  to_quarter_ = KlineAggregator(Interval::k5m, Interval::k15m);
  to_hour_ = KlineAggregator(Interval::k15m, Interval::k1h);
}

// A 5m close: the 15m and 1h bars it completes, then all three applied, 1h first.
Result<const Kline*> SymbolPipeline::apply(const Kline* five) {
  if (!five) return five;
  strategy::ClosedBars closed{nullptr, nullptr, five};
  WINISWIN_TRY(closed.quarter, to_quarter_.push(*five));
  if (closed.quarter) {
    WINISWIN_TRY(closed.hour, to_hour_.push(*closed.quarter));
  }
  const bool watched = zone_watch_ && closed.quarter;
  if (watched) zone_watch_->before(state_->quarter.structure());
  if (auto status = state_->on_closed(closed); !status) return status.error();
  if (watched) zone_watch_->after(state_->quarter.structure(), *closed.quarter, zone_changes_);
  last_close_ = five->close_time;
  return five;
}

Result<const Kline*> SymbolPipeline::push_front(std::span<const Kline> bars, std::size_t& consumed) {
  WINISWIN_TRY(const Kline* five, to_five_.push_front(bars, consumed));
  return apply(five);
}

Result<const Kline*> SymbolPipeline::push(const Kline& bar) {
  WINISWIN_TRY(const Kline* five, to_five_.push(bar));
  return apply(five);
}

}  // namespace winiswin::engine
