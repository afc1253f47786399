#include "structure/liquidity.h"

#include <algorithm>
#include <cmath>

namespace winiswin::structure {
namespace {

constexpr std::size_t kTrackedSwings = 8;
constexpr std::size_t kOpenZones = 64;

int direction_of(SwingType type) { return type == SwingType::kHigh ? 1 : -1; }

}  // namespace

LiquidityDetector::LiquidityDetector(int swing_right, LiquidityConfig config)
    : config_(config), window_(static_cast<std::size_t>(swing_right) + 1) {
  tracked_.reserve(kTrackedSwings + 1);
  zones_.reserve(kOpenZones + 1);
  out_.reserve(4);
}

bool LiquidityDetector::sweeps(const Tracked& tracked, const Kline& bar) {
  return tracked.swing.type == SwingType::kHigh ? bar.high >= tracked.swing.level + tracked.tolerance
                                                : bar.low <= tracked.swing.level - tracked.tolerance;
}

void LiquidityDetector::drop_closed(int direction, BarIndex final_pivot) {
  // Final swings of one direction arrive in pivot order: a zone swept at or before this
  // pivot can gain no further member.
  std::erase_if(zones_, [&](const LiquidityZone& zone) {
    return zone.direction == direction && zone.swept && *zone.swept <= final_pivot;
  });
}

void LiquidityDetector::on_final(const Tracked& final_swing, const Kline& bar, BarIndex now) {
  const Swing& swing = final_swing.swing;
  const int direction = direction_of(swing.type);
  for (LiquidityZone& zone : zones_) {
    if (zone.direction != direction || (zone.swept && *zone.swept <= swing.pivot)) continue;
    const Price distance = swing.level > zone.anchor_level ? swing.level - zone.anchor_level : zone.anchor_level - swing.level;
    if (distance > zone.tolerance) continue;
    zone.level_sum += swing.level.raw();
    ++zone.members;
    zone.level = Price::from_raw(zone.level_sum / zone.members);
    zone.end = swing.pivot;
    zone.known = now;
    zone.known_time = bar.open_time;
    out_.push_back(zone);
    drop_closed(direction, swing.pivot);
    return;
  }
  drop_closed(direction, swing.pivot);
  LiquidityZone zone;
  zone.direction = direction;
  zone.anchor = swing.pivot;
  zone.anchor_time = swing.pivot_time;
  zone.anchor_level = swing.level;
  zone.tolerance = final_swing.tolerance;
  zone.members = 1;
  zone.level = swing.level;
  zone.level_sum = swing.level.raw();
  zone.end = swing.pivot;
  zone.swept = final_swing.swept;
  zones_.push_back(zone);  // even if already swept: a swing with a pivot before the sweep may still join
  if (zones_.size() > kOpenZones) zones_.erase(zones_.begin());
}

const std::vector<LiquidityZone>& LiquidityDetector::update(const Kline& bar, const std::optional<SwingUpdate>& swing,
                                                           const SwingDetector& swings, double atr) {
  out_.clear();
  window_.push(bar);
  const BarIndex now = window_.newest();

  if (bar.high < lowest_sweep_high_ && bar.low > highest_sweep_low_) {
    if (swing) return on_swing(*swing, bar, swings, atr, now);
    return out_;
  }
  for (Tracked& tracked : tracked_) {
    if (!tracked.swept && sweeps(tracked, bar)) tracked.swept = now;
  }
  // A swept zone stays listed: a swing with an earlier pivot may still become final and
  // join it. It leaves once a later final swing shows no earlier pivot can come (on_final).
  for (LiquidityZone& zone : zones_) {
    if (zone.swept) continue;
    const Tracked anchor{Swing{zone.direction > 0 ? SwingType::kHigh : SwingType::kLow, zone.anchor, zone.anchor,
                               zone.anchor_time, zone.anchor_time, zone.anchor_level},
                         zone.tolerance, std::nullopt};
    if (!sweeps(anchor, bar)) continue;
    zone.swept = now;
    zone.known = now;
    zone.known_time = bar.open_time;
    if (zone.members >= 2) out_.push_back(zone);
  }
  if (swing) return on_swing(*swing, bar, swings, atr, now);
  refresh_bounds();
  return out_;
}

// A swing was confirmed or revised at this bar: track it; the swing it follows may be final.
const std::vector<LiquidityZone>& LiquidityDetector::on_swing(const SwingUpdate& swing, const Kline& bar,
                                                              const SwingDetector& swings, double atr, BarIndex now) {
  const Price tolerance = config_.tolerance ? *config_.tolerance
                          : std::isfinite(atr) ? Price::from_double(config_.tolerance_atr * atr).value()
                                               : Price{};
  if (swing.replaced) {
    std::erase_if(tracked_, [&](const Tracked& t) { return t.swing.pivot == swing.replaced->pivot; });
  } else {
    // A new swing of the other type makes the previous swing final.
    const auto& list = swings.swings();
    if (list.size() >= 2) {
      const Swing& previous = list[list.size() - 2];
      const auto found = std::find_if(tracked_.begin(), tracked_.end(),
                                      [&](const Tracked& t) { return t.swing.pivot == previous.pivot; });
      if (found != tracked_.end() && (config_.tolerance || found->tolerance.is_positive())) on_final(*found, bar, now);
    }
  }
  Tracked tracked{swing.swing, tolerance, std::nullopt};
  for (BarIndex idx = swing.swing.pivot + 1; idx <= now; ++idx) {  // bars since the pivot still in the window
    if (window_.holds(idx) && sweeps(tracked, window_.at(idx))) {
      tracked.swept = idx;
      break;
    }
  }
  tracked_.push_back(tracked);
  if (tracked_.size() > kTrackedSwings) tracked_.erase(tracked_.begin());
  refresh_bounds();
  return out_;
}

void LiquidityDetector::refresh_bounds() {
  lowest_sweep_high_ = Price::from_raw(std::numeric_limits<std::int64_t>::max());
  highest_sweep_low_ = Price::from_raw(std::numeric_limits<std::int64_t>::min());
  const auto include = [&](bool high, Price level, Price tolerance) {
    if (high) {
      lowest_sweep_high_ = std::min(lowest_sweep_high_, level + tolerance);
    } else {
      highest_sweep_low_ = std::max(highest_sweep_low_, level - tolerance);
    }
  };
  for (const Tracked& tracked : tracked_) {
    if (!tracked.swept) include(tracked.swing.type == SwingType::kHigh, tracked.swing.level, tracked.tolerance);
  }
  for (const LiquidityZone& zone : zones_) {
    if (!zone.swept) include(zone.direction > 0, zone.anchor_level, zone.tolerance);
  }
}

}  // namespace winiswin::structure
