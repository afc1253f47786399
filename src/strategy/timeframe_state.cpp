#include "strategy/timeframe_state.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace winiswin::strategy {
namespace {
constexpr std::size_t kLiquidityKept = 16;

// +1 when the latest swing of `type` is beyond the one before it (higher high / higher low).
int swing_direction(const structure::SwingDetector& swings, structure::SwingType type) {
  const structure::Swing* latest = nullptr;
  const structure::Swing* before = nullptr;
  const auto& list = swings.swings();
  for (auto it = list.rbegin(); it != list.rend(); ++it) {
    if (it->type != type) continue;
    if (!latest) {
      latest = &*it;
    } else {
      before = &*it;
      break;
    }
  }
  if (!latest || !before || latest->level == before->level) return 0;
  return latest->level > before->level ? 1 : -1;
}

// The view fields that decide `ready`, each with the indicator column it comes from (the
// close history is always kept: kCount).
struct ReadinessField {
  double FrameView::*field;
  indicators::Column column;
};
using indicators::Column;
constexpr std::array<ReadinessField, 11> kReadiness = {{{&FrameView::ema, Column::kEma1},
                                                        {&FrameView::ema_slope, Column::kEmaSlope},
                                                        {&FrameView::adx, Column::kAdx},
                                                        {&FrameView::rsi, Column::kRsi},
                                                        {&FrameView::macd, Column::kMacd},
                                                        {&FrameView::macd_hist, Column::kMacdHist},
                                                        {&FrameView::macd_hist_previous, Column::kMacdHist},
                                                        {&FrameView::atr, Column::kAtr},
                                                        {&FrameView::natr, Column::kNatr},
                                                        {&FrameView::close_4_ago, Column::kCount},
                                                        {&FrameView::atr_12_ago, Column::kAtr}}};
static_assert(kReadiness.size() == TimeframeState::kReadinessFields);

}  // namespace

TimeframeState::TimeframeState(Interval interval, Structure structure_tracking, const indicators::IndicatorConfig& indicators,
                               const structure::StructureConfig& structure, std::size_t range_bars)
    : interval_(interval),
      tracks_structure_(structure_tracking == Structure::kTracked),
      indicators_(interval, indicators),
      structure_(structure) {
  liquidity_.reserve(kLiquidityKept + 1);
  if (range_bars > 0) range_.emplace(range_bars);
  for (std::size_t idx = 0; idx < kReadiness.size(); ++idx) {
    const Column column = kReadiness[idx].column;
    computed_fields_[idx] = column == Column::kCount || indicators_.computes(column);
  }
}

Status TimeframeState::update(const Kline& bar) {
  auto report = indicators_.update(bar);
  if (!report) return report.error();
  if (tracks_structure_) {
    for (const structure::StructureEvent& event : structure_.update(bar, structure::StructureInputs::of(indicators_))) absorb(event);
    swing_highs_ = swing_direction(structure_.swings(), structure::SwingType::kHigh);
    swing_lows_ = swing_direction(structure_.swings(), structure::SwingType::kLow);
  }
  last_bar_ = bar;
  ++bars_;
  closes_.push(bar.close.to_double());
  atrs_.push(value(indicators::Column::kAtr));
  hists_.push(value(indicators::Column::kMacdHist));
  if (range_) range_->update(bar.high.to_double(), bar.low.to_double());
  refresh_view();
  return Ok{};
}

void TimeframeState::refresh_view() {
  FrameView& view = view_;
  view.close = last_bar_.close.to_double();
  view.ema = value(Column::kEma1);
  view.ema_slope = value(Column::kEmaSlope);
  view.adx = value(Column::kAdx);
  view.rsi = value(Column::kRsi);
  view.macd = value(Column::kMacd);
  view.macd_hist = value(Column::kMacdHist);
  view.macd_hist_previous = macd_hist_ago(1);
  view.atr = value(Column::kAtr);
  view.natr = value(Column::kNatr);
  view.bb_width = value(Column::kBbWidth);
  view.bb_width_rank = value(Column::kBbWidthRank);
  view.close_4_ago = close_ago(4);
  view.atr_12_ago = atr_ago(12);
  view.range_high = range_ ? range_->high() : kNaN;
  view.range_low = range_ ? range_->low() : kNaN;
  // Warm: every field this timeframe computes is finite (the others are NaN by design and
  // read by nobody). One sum instead of eleven tests: it is finite exactly when its terms
  // are (the magnitudes here are far from overflowing).
  double sum = 0.0;
  for (std::size_t idx = 0; idx < kReadiness.size(); ++idx) sum += computed_fields_[idx] ? view.*kReadiness[idx].field : 0.0;
  view.ready = std::isfinite(sum);
  view.bands_ready = std::isfinite(view.bb_width) && std::isfinite(view.bb_width_rank);
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

Status SymbolState::on_closed(const ClosedBars& bars) {
  for (auto [bar, frame] : {std::pair{bars.hour, &hour}, std::pair{bars.quarter, &quarter}, std::pair{bars.five, &five}}) {
    if (bar == nullptr) continue;
    if (auto status = frame->update(*bar); !status) {
      return status.error().with_context(fmt::format("{} {}", symbol, name_of(frame->interval())));
    }
  }
  return Ok{};
}

}  // namespace winiswin::strategy
