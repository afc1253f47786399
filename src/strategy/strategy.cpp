#include "strategy/strategy.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "strategy/ema_pullback_strategy.h"
#include "strategy/ict_strategy.h"

namespace winiswin::strategy {
namespace {

struct Registration {
  std::string_view name;
  std::function<std::unique_ptr<Strategy>(const StrategyParameters&)> make;
};

// The registry: one row per strategy.
const std::vector<Registration>& registry() {
  static const std::vector<Registration> rows = {
      {"ict_smc", [](const StrategyParameters& p) { return std::make_unique<IctStrategy>(p.ict); }},
      {"ema_pullback", [](const StrategyParameters&) { return std::make_unique<EmaPullbackStrategy>(); }},
  };
  return rows;
}

double ratio_or_zero(double numerator, double denominator) {
  return denominator != 0 && std::isfinite(numerator) && std::isfinite(denominator) ? numerator / denominator : 0.0;
}

// range_position_7d (features v2, in place of v1's entry_log10): where the entry sits in the
// last week's range of closed 1h bars, read in the trade's direction — 1 a long at the week's
// high or a short at its low (the trade goes with the week's move), 0 a long at the low or a
// short at the high. Chosen over the distance from a long EMA in ATRs: it carries what a
// price level legitimately could (near the week's high or low, breaking out of it) on the same
// 0..1 scale for every symbol and period, is bounded (a PSI between months measures trades,
// not price), and does not repeat the trend features. The week ends at the last *closed* 1h
// bar, so a 5m entry that has left it in the hour under way reads below 0 or above 1 (a
// breakout); the range covers the bars since a start or a gap when fewer than a week
// (SymbolState::kWeekOfHours). Read in the trade's direction because the side is no feature:
// unsigned, a tree could not tell buying the high from selling it. A flat range reads 0.5.
double range_position(const FrameView& hour, double entry, Side side) {
  const double width = hour.range_high - hour.range_low;
  if (!(width > 0) || !std::isfinite(width)) return 0.5;
  const double from_low = (entry - hour.range_low) / width;
  return side == Side::kBuy ? from_low : 1.0 - from_low;
}

}  // namespace

Result<std::unique_ptr<Strategy>> make_strategy(std::string_view name) { return make_strategy(name, StrategyParameters{}); }

Result<std::unique_ptr<Strategy>> make_strategy(std::string_view name, const StrategyParameters& parameters) {
  for (const Registration& row : registry()) {
    if (row.name == name) return row.make(parameters);
  }
  std::string known;
  for (const Registration& row : registry()) known += (known.empty() ? "" : ", ") + std::string(row.name);
  return make_error(ErrorCode::kNotFound, fmt::format("unknown strategy '{}' (known: {})", name, known));
}

std::vector<std::string_view> strategy_names() {
  std::vector<std::string_view> names;
  for (const Registration& row : registry()) names.push_back(row.name);
  return names;
}

Signal signal_from(const MarketSnapshot& snapshot, const Score& score, std::string_view strategy) {
  Signal signal;
  signal.symbol = snapshot.symbol;
  signal.strategy = std::string(strategy);
  signal.time = snapshot.time;
  signal.side = score.side;
  signal.confidence = score.confidence;
  signal.components = score.components;
  signal.notes = score.notes;
  signal.entry = snapshot.last_price;
  return signal;
}

std::vector<Signal> rank_signals(std::vector<Signal> signals, double min_confidence) {
  std::erase_if(signals, [&](const Signal& signal) { return signal.confidence < min_confidence; });
  std::sort(signals.begin(), signals.end(), [](const Signal& a, const Signal& b) {
    return ranks_before(a.confidence, a.symbol, b.confidence, b.symbol);
  });
  return signals;
}

bool place_stop_and_target(const Instrument& instrument, Signal& signal, double stop_distance, double reward_risk) {
  if (!(stop_distance > 0) || !std::isfinite(stop_distance)) return false;
  const double entry = signal.entry.to_double();
  const bool is_long = signal.side == Side::kBuy;
  const double stop = is_long ? entry - stop_distance : entry + stop_distance;
  const double target = is_long ? entry + reward_risk * stop_distance : entry - reward_risk * stop_distance;
  if (stop <= 0 || target <= 0) return false;
  // Toward the entry: a long's stop rounds up and its target down; a short's the reverse.
  signal.stop = instrument.round_price(Price::from_double(stop).value(), is_long ? Rounding::kUp : Rounding::kDown);
  signal.target = instrument.round_price(Price::from_double(target).value(), is_long ? Rounding::kDown : Rounding::kUp);
  // On a grid coarser than the distances, rounding can land on or past the entry.
  const bool ordered = is_long ? signal.stop < signal.entry && signal.entry < signal.target
                               : signal.target < signal.entry && signal.entry < signal.stop;
  return ordered && signal.stop.is_positive() && signal.target.is_positive();
}

FeatureVector build_features(const MarketSnapshot& s, const Signal& signal) {
  const double d = signal.side == Side::kBuy ? 1.0 : -1.0;
  const double close = s.last_price.to_double();
  const double entry = signal.entry.to_double();
  const auto up = [](const FrameView& f) { return f.close > f.ema ? 1.0 : 0.0; };
  const auto down = [](const FrameView& f) { return f.close < f.ema ? 1.0 : 0.0; };
  const std::optional<ZoneView>& zone = d > 0 ? s.demand : s.supply;
  const double atr = s.quarter.atr;
  double block_distance = -1.0, block_strength = 0.0, liquidity_distance = -1.0;
  if (zone && atr > 0) {
    block_distance = std::max(0.0, d > 0 ? close - zone->top.to_double() : zone->bottom.to_double() - close) / atr;
    block_strength = zone->strength;
  }
  const std::optional<double>& liquidity = d > 0 ? s.liquidity_above : s.liquidity_below;  // the target side's pool
  if (liquidity && atr > 0) liquidity_distance = std::fabs(*liquidity - close) / atr;
  const auto hour = static_cast<int>((to_ms(signal.time) / 3'600'000) % 24);
  const double session = hour < 8 ? 0.0 : hour < 13 ? 0.5 : 1.0;  // Asia, Europe, US (UTC)
  return FeatureVector{
      up(s.hour), down(s.hour), up(s.quarter), down(s.quarter), up(s.five), down(s.five),
      s.five.rsi, 100.0 * ratio_or_zero(s.five.macd, close), 100.0 * ratio_or_zero(s.five.macd_hist, close),
      s.quarter.natr, s.five.bb_width, s.five.bb_width_rank,
      range_position(s.hour, entry, signal.side), 100.0 * std::fabs(entry - signal.stop.to_double()) / entry,
      100.0 * std::fabs(signal.target.to_double() - entry) / entry, signal.confidence,
      block_distance, block_strength, liquidity_distance, d * s.last_break, d * (s.swing_highs + s.swing_lows) / 2.0,
      ratio_or_zero(s.five.atr, s.five.atr_12_ago) - 1.0, ratio_or_zero(s.quarter.atr, s.quarter.atr_12_ago) - 1.0,
      s.hour.adx, signal.components.trend, 100.0 * (ratio_or_zero(close, s.five.close_4_ago) - 1.0),
      100.0 * (ratio_or_zero(s.hour.close, s.hour.close_4_ago) - 1.0), session};
}

}  // namespace winiswin::strategy
