#include "structure/structure_set.h"

#include <fmt/format.h>

namespace winiswin::structure {

using indicators::Column;

std::string_view name_of(EventKind kind) {
  switch (kind) {
    case EventKind::kSwing: return "swing";
    case EventKind::kSwingRevised: return "swing_revised";
    case EventKind::kFairValueGap: return "fvg";
    case EventKind::kFairValueGapMitigated: return "fvg_mitigated";
    case EventKind::kOrderBlock: return "order_block";
    case EventKind::kOrderBlockRetest: return "order_block_retest";
    case EventKind::kOrderBlockInvalidated: return "order_block_invalidated";
    case EventKind::kBreakOfStructure: return "bos";
    case EventKind::kChangeOfCharacter: return "choch";
    case EventKind::kLiquidity: return "liquidity";
    case EventKind::kLiquiditySwept: return "liquidity_swept";
    case EventKind::kRegimeChange: return "regime";
  }
  return "unknown";
}

namespace {

StructureEvent make_event(EventKind kind, int direction, BarIndex bar, Timestamp time, BarIndex known, Timestamp known_time,
                          Price top = {}, Price bottom = {}) {
  StructureEvent event;
  event.kind = kind;
  event.direction = direction;
  event.bar = bar;
  event.time = time;
  event.known = known;
  event.known_time = known_time;
  event.top = top;
  event.bottom = bottom;
  return event;
}

}  // namespace

StructureSet::StructureSet(StructureConfig config)
    : config_(config),
      swings_(config.swing_left, config.swing_right),
      breaks_(config.swing_right),
      liquidity_(config.swing_right, config.liquidity),
      order_blocks_(config.swing_right, config.order_blocks),
      regime_(config.swing_right, config.regime) {
  events_.reserve(16);
}

StructureInputs StructureInputs::of(const indicators::IndicatorSet& indicators) {
  return StructureInputs{indicators.value(Column::kAtr), indicators.value(Column::kVolumeMean), indicators.value(Column::kAdx),
                         indicators.value(Column::kBbWidthRank), indicators.value(Column::kRsi)};
}

const std::vector<StructureEvent>& StructureSet::update(const Kline& bar, const StructureInputs& inputs) {
  events_.clear();
  const BarIndex now = bars_seen_++;

  const std::optional<SwingUpdate> swing = swings_.update(bar);
  if (swing) {
    const Swing& s = swing->swing;
    StructureEvent event = make_event(swing->replaced ? EventKind::kSwingRevised : EventKind::kSwing,
                         s.type == SwingType::kHigh ? 1 : -1, s.pivot, s.pivot_time, s.confirmed, s.confirmed_time,
                         s.level);
    if (swing->replaced) event.related = swing->replaced->pivot;
    events_.push_back(event);
  }

  const FairValueGapUpdate& gaps = gaps_.update(bar);
  for (const GapMitigation& mitigation : gaps.mitigated) {
    const FairValueGap& gap = mitigation.gap;
    StructureEvent event = make_event(EventKind::kFairValueGapMitigated, gap.direction, gap.middle, gap.middle_time, mitigation.bar,
                         mitigation.time, gap.top, gap.bottom);
    event.related = mitigation.bar;
    events_.push_back(event);
  }
  if (gaps.formed) {
    const FairValueGap& gap = *gaps.formed;
    events_.push_back(make_event(EventKind::kFairValueGap, gap.direction, gap.middle, gap.middle_time, gap.confirmed,
                                     bar.open_time, gap.top, gap.bottom));
  }

  for (const StructureBreak& broken : breaks_.update(bar, swing, swings_)) {
    StructureEvent event = make_event(broken.is_choch ? EventKind::kChangeOfCharacter : EventKind::kBreakOfStructure,
                         broken.direction, broken.pivot, broken.pivot_time, broken.confirmed, broken.confirmed_time,
                         broken.level);
    event.related = broken.broken;
    events_.push_back(event);
  }

  for (const LiquidityZone& zone : liquidity_.update(bar, swing, swings_, inputs.atr)) {
    StructureEvent event = make_event(zone.swept ? EventKind::kLiquiditySwept : EventKind::kLiquidity, zone.direction, zone.anchor,
                         zone.anchor_time, zone.known, zone.known_time, zone.level + zone.tolerance,
                         zone.level - zone.tolerance);
    event.count = zone.members;
    event.related = zone.swept ? *zone.swept : zone.end;
    events_.push_back(event);
  }

  for (const OrderBlockEvent& change : order_blocks_.update(bar, swing, inputs.volume_mean)) {
    const OrderBlock& block = change.block;
    const EventKind kind = change.change == OrderBlockChange::kFormed      ? EventKind::kOrderBlock
                           : change.change == OrderBlockChange::kRetested ? EventKind::kOrderBlockRetest
                                                                           : EventKind::kOrderBlockInvalidated;
    StructureEvent event = make_event(kind, block.direction, block.candle, block.candle_time, change.bar, change.time,
                                      block.top, block.bottom);
    event.strength = block.strength(change.time, order_blocks_.config());
    event.count = block.retests;
    event.related = block.formed;
    event.flag = block.qualified;
    events_.push_back(event);
  }

  if (const auto changed = regime_.update(inputs.adx, inputs.atr, inputs.bb_width_rank, inputs.rsi, swing)) {
    StructureEvent event = make_event(EventKind::kRegimeChange, regime_.reversal_risk(), now, bar.open_time, now,
                                      bar.open_time);
    event.regime = *changed;
    event.strength = regime_.atr_ratio();
    events_.push_back(event);
  }
  return events_;
}

std::string format_event_json(const StructureEvent& event, const std::string& symbol) {
  std::string out = fmt::format(R"({{"symbol":"{}","kind":"{}","direction":{},"time":"{}","time_ms":{},)"
                                R"("known_time":"{}","known_ms":{})",
                                symbol, name_of(event.kind), event.direction, format_utc(event.time), to_ms(event.time),
                                format_utc(event.known_time), to_ms(event.known_time));
  const auto price = [&](const char* key, Price value) { fmt::format_to(std::back_inserter(out), R"(,"{}":{})", key, value.to_string()); };
  switch (event.kind) {
    case EventKind::kSwing:
    case EventKind::kSwingRevised:
      price("price", event.top);
      if (event.related >= 0) fmt::format_to(std::back_inserter(out), R"(,"replaces_bar":{})", event.related);
      break;
    case EventKind::kFairValueGap:
    case EventKind::kFairValueGapMitigated:
      price("top", event.top);
      price("bottom", event.bottom);
      break;
    case EventKind::kBreakOfStructure:
    case EventKind::kChangeOfCharacter:
      price("level", event.top);
      fmt::format_to(std::back_inserter(out), R"(,"broken_bar":{})", event.related);
      break;
    case EventKind::kLiquidity:
    case EventKind::kLiquiditySwept:
      price("top", event.top);
      price("bottom", event.bottom);
      fmt::format_to(std::back_inserter(out), R"(,"members":{})", event.count);
      break;
    case EventKind::kOrderBlock:
    case EventKind::kOrderBlockRetest:
    case EventKind::kOrderBlockInvalidated:
      price("top", event.top);
      price("bottom", event.bottom);
      fmt::format_to(std::back_inserter(out), R"(,"strength":{:.6f},"retests":{},"qualified":{})", event.strength,
                     event.count, event.flag);
      break;
    case EventKind::kRegimeChange:
      fmt::format_to(std::back_inserter(out), R"(,"regime":"{}","reversal_risk":{},"atr_ratio":{:.6f})",
                     name_of(event.regime), event.direction, event.strength);
      break;
  }
  fmt::format_to(std::back_inserter(out), R"(,"bar":{},"known_bar":{}}})", event.bar, event.known);
  return out;
}

}  // namespace winiswin::structure
