#include "strategy/ict_strategy.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace winiswin::strategy {
namespace {

double clamp01(double value) { return std::clamp(value, 0.0, 1.0); }
int side_of(double close, double ema) { return close > ema ? 1 : close < ema ? -1 : 0; }

double regime_score(structure::Regime regime) {
  switch (regime) {
    case structure::Regime::kTrending: return 1.0;
    case structure::Regime::kVolatile: return 0.2;
    case structure::Regime::kRanging:
    case structure::Regime::kUnknown: break;
  }
  return 0.5;
}

}  // namespace

ScoreComponents ict_components(const MarketSnapshot& snapshot, int direction, const IctConfig& config) {
  const double d = direction;
  ScoreComponents c;
  int aligned = 0;
  for (const FrameView* frame : {&snapshot.hour, &snapshot.quarter, &snapshot.five}) {
    aligned += side_of(frame->close, frame->ema) == direction ? 1 : 0;
  }
  c.trend = 0.5 * aligned / 3.0 + 0.25 * clamp01(snapshot.hour.adx / config.adx_threshold) +
            0.25 * clamp01(d * snapshot.hour.ema_slope / config.min_slope_pct);

  const double break_score = snapshot.last_break == 0           ? 0.5
                             : snapshot.last_break == direction ? (snapshot.last_break_is_choch ? 0.8 : 1.0)
                                                                : 0.0;
  const double swing_score = ((d * snapshot.swing_highs > 0 ? 1.0 : 0.0) + (d * snapshot.swing_lows > 0 ? 1.0 : 0.0)) / 2.0;
  c.structure = 0.6 * break_score + 0.4 * swing_score;

  const std::optional<ZoneView>& zone = direction > 0 ? snapshot.demand : snapshot.supply;
  const double atr = snapshot.quarter.atr;
  if (zone && atr > 0) {
    // In exact fixed point, so a long and its mirror-image short measure the same distance.
    const Price gap = direction > 0 ? snapshot.last_price - zone->top : zone->bottom - snapshot.last_price;
    const double distance = std::max(0.0, gap.to_double());
    c.position = zone->strength * clamp01(1.0 - distance / atr / config.max_block_distance_atr);
  }

  const double rsi = direction > 0 ? snapshot.five.rsi : 100.0 - snapshot.five.rsi;  // mirrored for shorts
  c.momentum = (rsi >= 50.0 && rsi <= 70.0 ? 0.5 : 0.0) + (d * snapshot.five.macd_hist > 0 ? 0.25 : 0.0) +
               (d * (snapshot.five.macd_hist - snapshot.five.macd_hist_previous) > 0 ? 0.25 : 0.0);

  const double rank = snapshot.five.bb_width_rank;
  c.volatility = 0.5 * clamp01(std::min(rank, 1.0 - rank) / 0.2) + 0.5 * regime_score(snapshot.regime);
  return c;
}

Scoring IctStrategy::score(const MarketSnapshot& snapshot) const {
  if (!snapshot.hour.ready || !snapshot.quarter.ready || !snapshot.five.ready || !snapshot.five.bands_ready) {
    return Scoring{std::nullopt, "warming up: not every timeframe has warm indicators"};
  }
  if (!(snapshot.quarter.atr > 0)) return Scoring{std::nullopt, "15m ATR is zero: no volatility to place a stop by"};
  const int direction = side_of(snapshot.hour.close, snapshot.hour.ema);
  if (direction == 0) return Scoring{std::nullopt, "1h close exactly on its EMA: no trend side"};
  Score score;
  score.side = direction > 0 ? Side::kBuy : Side::kSell;
  score.components = ict_components(snapshot, direction, config_);
  const ScoreComponents& c = score.components;
  double confidence = config_.weight_trend * c.trend + config_.weight_structure * c.structure +
                      config_.weight_position * c.position + config_.weight_momentum * c.momentum +
                      config_.weight_volatility * c.volatility;
  if (snapshot.reversal_risk == -direction) {
    confidence *= 1.0 - config_.reversal_penalty;
    score.notes = "reversal risk against the trend";
  }
  score.confidence = std::clamp(confidence, 0.0, 1.0);
  return Scoring{std::move(score), ""};
}

Evaluation IctStrategy::propose(const MarketSnapshot& snapshot, const Score& score, const Instrument& instrument) const {
  Signal signal = signal_from(snapshot, score, name());
  const int direction = score.side == Side::kBuy ? 1 : -1;
  // Stop beyond the scoring order block, else a multiple of ATR; within [min, max] ATR.
  const double atr = snapshot.quarter.atr;
  const std::optional<ZoneView>& zone = direction > 0 ? snapshot.demand : snapshot.supply;
  double distance = config_.default_stop_atr * atr;
  if (zone && score.components.position > 0) {
    const Price beyond = direction > 0 ? snapshot.last_price - zone->bottom : zone->top - snapshot.last_price;
    distance = beyond.to_double() + config_.stop_buffer_atr * atr;
  }
  distance = std::clamp(distance, config_.min_stop_atr * atr, config_.max_stop_atr * atr);
  const double reward_risk = std::clamp(config_.min_reward_risk + signal.confidence, config_.min_reward_risk, config_.max_reward_risk);
  if (!place_stop_and_target(instrument, signal, distance, reward_risk)) {
    return Evaluation{std::nullopt, fmt::format("{}: the tick {} is coarser than the stop distance {}", snapshot.symbol,
                                                instrument.price_filter.tick_size.to_string(), distance)};
  }
  signal.features = build_features(snapshot, signal);
  std::string notes = signal.notes;
  return Evaluation{std::move(signal), std::move(notes)};
}

}  // namespace winiswin::strategy
