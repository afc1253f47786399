#include "structure/order_blocks.h"

#include <algorithm>
#include <cmath>

namespace winiswin::structure {
namespace {

constexpr double kMillisecondsPerDay = 86'400'000.0;

}  // namespace

double OrderBlock::strength(Timestamp now, const OrderBlockConfig& config) const {
  if (!valid) return 0.0;
  const double days = static_cast<double>(to_ms(now) - to_ms(formed_time)) / kMillisecondsPerDay;
  // A valid block has at most two retests: the factor is 1, q or q·q, each of which is the
  // correctly rounded q^n that std::pow gives, without its cost (a fifth of a snapshot).
  const double q = 1.0 - config.decay_per_retest;
  const double per_retest = retests == 0 ? 1.0 : retests == 1 ? q : retests == 2 ? q * q : std::pow(q, retests);
  return std::pow(1.0 - config.decay_per_day, std::max(days, 0.0)) * per_retest;
}

OrderBlockDetector::OrderBlockDetector(int swing_right, OrderBlockConfig config)
    : config_(config), window_(static_cast<std::size_t>(swing_right) + 1) {
  active_.reserve(kMaxActive + 1);
  out_.reserve(8);
}

void OrderBlockDetector::extend(Reference& reference, const Kline& bar, BarIndex index) const {
  const bool bullish = reference.swing.type == SwingType::kHigh;
  if (!reference.extreme || (bullish ? bar.low <= reference.extreme_bar.low : bar.high >= reference.extreme_bar.high)) {
    reference.extreme = index;  // "<=": the latest candle wins ties
    reference.extreme_bar = bar;
  }
}

void OrderBlockDetector::reset_reference(Reference& reference, const Swing& swing) {
  reference = Reference{swing, false, std::nullopt, Kline{}};
  // Bars after the pivot that closed before confirmation are in the window; one of them
  // may already have broken the level (then the reference is spent, as for a later swing).
  for (BarIndex idx = swing.pivot + 1; idx < window_.newest(); ++idx) {
    if (!window_.holds(idx)) continue;
    const Kline& bar = window_.at(idx);
    const bool breaks = swing.type == SwingType::kHigh ? bar.close > swing.level : bar.close < swing.level;
    if (breaks) {
      reference.broken = true;
      return;
    }
    extend(reference, bar, idx);
  }
}

void OrderBlockDetector::try_form(Reference& reference, const Kline& bar, BarIndex now, double volume_mean) {
  const bool bullish = reference.swing.type == SwingType::kHigh;
  const bool breaks = bullish ? bar.close > reference.swing.level : bar.close < reference.swing.level;
  if (!breaks) {
    extend(reference, bar, now);
    return;
  }
  reference.broken = true;
  if (!reference.extreme) return;  // no candle between the pivot and the break
  OrderBlock block;
  block.direction = bullish ? 1 : -1;
  block.candle = *reference.extreme;
  block.candle_time = reference.extreme_bar.open_time;
  block.top = reference.extreme_bar.high;
  block.bottom = reference.extreme_bar.low;
  block.formed = now;
  block.formed_time = bar.open_time;
  block.broken_level = reference.swing.level;
  block.volume_ratio = std::isfinite(volume_mean) && volume_mean > 0 ? bar.volume.to_double() / volume_mean : 0.0;
  const double close = bar.close.to_double();
  block.rejection = bullish ? close / block.top.to_double() - 1.0 : 1.0 - close / block.bottom.to_double();
  block.qualified = block.volume_ratio >= config_.min_volume_ratio && block.rejection >= config_.min_rejection;
  active_.push_back(block);
  if (active_.size() > kMaxActive) active_.erase(active_.begin());
  reorder();
  out_.push_back(OrderBlockEvent{OrderBlockChange::kFormed, block, now, bar.open_time});
}

void OrderBlockDetector::update_active(const Kline& bar, BarIndex now) {
  // A retest needs the bar to enter a zone and an invalidation to close through it; both
  // reach the zone. (With max_retests ≤ 0 every block goes at once: no shortcut then.)
  if (bar.low > highest_bullish_top_ && bar.high < lowest_bearish_bottom_ && config_.max_retests > 0) return;
  const std::size_t before = active_.size();
  const Kline* previous = window_.holds(now - 1) ? &window_.at(now - 1) : nullptr;
  for (auto it = active_.begin(); it != active_.end();) {
    OrderBlock& block = *it;
    const bool bullish = block.direction > 0;
    const bool closed_through = bullish ? bar.close < block.bottom : bar.close > block.top;
    const bool entered = bullish ? bar.low <= block.top : bar.high >= block.bottom;
    const bool was_outside = previous && (bullish ? previous->low > block.top : previous->high < block.bottom);
    if (!closed_through && entered && was_outside) {
      ++block.retests;
      out_.push_back(OrderBlockEvent{OrderBlockChange::kRetested, block, now, bar.open_time});
    }
    if (closed_through || block.retests >= config_.max_retests) {
      block.valid = false;
      out_.push_back(OrderBlockEvent{OrderBlockChange::kInvalidated, block, now, bar.open_time});
      it = active_.erase(it);
      continue;
    }
    ++it;
  }
  if (active_.size() != before) reorder();
}

void OrderBlockDetector::reorder() {
  static_assert(kMaxActive < 256, "block indexes are bytes");
  demand_order_.clear();
  supply_order_.clear();
  highest_bullish_top_ = Price::from_raw(std::numeric_limits<std::int64_t>::min());
  lowest_bearish_bottom_ = Price::from_raw(std::numeric_limits<std::int64_t>::max());
  for (std::size_t idx = 0; idx < active_.size(); ++idx) {
    const OrderBlock& block = active_[idx];
    if (block.direction > 0) highest_bullish_top_ = std::max(highest_bullish_top_, block.top);
    if (block.direction < 0) lowest_bearish_bottom_ = std::min(lowest_bearish_bottom_, block.bottom);
    if (!block.valid || !block.qualified) continue;
    (block.direction > 0 ? demand_order_ : supply_order_).push_back(static_cast<std::uint8_t>(idx));
  }
  std::stable_sort(demand_order_.begin(), demand_order_.end(),
                   [&](std::uint8_t a, std::uint8_t b) { return active_[a].top > active_[b].top; });
  std::stable_sort(supply_order_.begin(), supply_order_.end(),
                   [&](std::uint8_t a, std::uint8_t b) { return active_[a].bottom < active_[b].bottom; });
}

const OrderBlock* OrderBlockDetector::nearest_demand(Price price) const {
  for (const std::uint8_t idx : demand_order_) {
    if (active_[idx].bottom <= price) return &active_[idx];
  }
  return nullptr;
}

const OrderBlock* OrderBlockDetector::nearest_supply(Price price) const {
  for (const std::uint8_t idx : supply_order_) {
    if (active_[idx].top >= price) return &active_[idx];
  }
  return nullptr;
}

const std::vector<OrderBlockEvent>& OrderBlockDetector::update(const Kline& bar, const std::optional<SwingUpdate>& swing,
                                                               double volume_mean) {
  out_.clear();
  window_.push(bar);
  const BarIndex now = window_.newest();
  update_active(bar, now);  // blocks formed at earlier bars
  if (swing) {
    std::optional<Reference>& reference = swing->swing.type == SwingType::kHigh ? high_ : low_;
    reference.emplace();
    reset_reference(*reference, swing->swing);
  }
  for (std::optional<Reference>* reference : {&high_, &low_}) {
    if (*reference && !(*reference)->broken) try_form(**reference, bar, now, volume_mean);
  }
  return out_;
}

}  // namespace winiswin::structure
