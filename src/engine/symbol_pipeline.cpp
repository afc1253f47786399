#include "engine/symbol_pipeline.h"

namespace winiswin::engine {

SymbolPipeline::SymbolPipeline(std::string symbol, Interval fine)
    : fine_(fine), state_(std::make_unique<strategy::SymbolState>(std::move(symbol))), to_five_(fine, Interval::k5m) {}

void SymbolPipeline::start_over() {
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
  if (auto status = state_->on_closed(closed); !status) return status.error();
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
