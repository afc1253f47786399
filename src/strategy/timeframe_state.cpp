#include "strategy/timeframe_state.h"

#include <algorithm>

namespace winiswin::strategy {
namespace {
constexpr std::size_t kLiquidityKept = 16;
}  // namespace

TimeframeState::TimeframeState(Interval interval, Structure structure_tracking, const indicators::IndicatorConfig& indicators,
                               const structure::StructureConfig& structure)
    : interval_(interval),
      tracks_structure_(structure_tracking == Structure::kTracked),
      indicators_(interval, indicators),
      structure_(structure) {
  liquidity_.reserve(kLiquidityKept + 1);
}

Status TimeframeState::update(const Kline& bar) {
  auto report = indicators_.update(bar);
  if (!report) return report.error();
  values_ = indicators_.values();
  if (tracks_structure_) {
    for (const structure::StructureEvent& event : structure_.update(bar, values_)) absorb(event);
  }
  last_bar_ = bar;
  ++bars_;
  closes_.push(bar.close.to_double());
  atrs_.push(value(indicators::Column::kAtr));
  hists_.push(value(indicators::Column::kMacdHist));
  return Ok{};
}

void TimeframeState::absorb(const structure::StructureEvent& event) {
  using structure::EventKind;
  switch (event.kind) {
    case EventKind::kBreakOfStructure:
    case EventKind::kChangeOfCharacter:
      last_break_ = LastBreak{event.direction, event.kind == EventKind::kChangeOfCharacter, event.top, event.known_time};
      break;
    case EventKind::kLiquidity: {
      // A zone is reported again as it grows: replace it (same anchor) with its new level.
      const Price level = Price::from_raw((event.top.raw() + event.bottom.raw()) / 2);
      std::erase_if(liquidity_, [&](const OpenLiquidity& zone) { return zone.direction == event.direction && zone.anchor == event.bar; });
      liquidity_.push_back(OpenLiquidity{event.direction, event.bar, level, event.top, event.bottom});
      if (liquidity_.size() > kLiquidityKept) liquidity_.erase(liquidity_.begin());
      break;
    }
    case EventKind::kLiquiditySwept:
      std::erase_if(liquidity_, [&](const OpenLiquidity& zone) { return zone.direction == event.direction && zone.anchor == event.bar; });
      break;
    default:
      break;
  }
}

}  // namespace winiswin::strategy
