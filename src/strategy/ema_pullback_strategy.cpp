#include "strategy/ema_pullback_strategy.h"

#include <algorithm>

namespace winiswin::strategy {

Scoring EmaPullbackStrategy::score(const MarketSnapshot& snapshot) const {
  if (!snapshot.hour.ready || !snapshot.quarter.ready || !snapshot.five.ready || !snapshot.five.bands_ready) {
    return Scoring{std::nullopt, "warming up"};
  }
  const auto side = [](const FrameView& frame) { return frame.close > frame.ema ? 1 : frame.close < frame.ema ? -1 : 0; };
  const int direction = side(snapshot.hour);
  if (direction == 0 || side(snapshot.quarter) != direction) return Scoring{std::nullopt, "1h and 15m trends disagree"};
  const double rsi = direction > 0 ? snapshot.five.rsi : 100.0 - snapshot.five.rsi;
  if (rsi >= 45.0) return Scoring{std::nullopt, "no pullback on 5m"};
  Score score;
  score.side = direction > 0 ? Side::kBuy : Side::kSell;
  score.confidence = 0.5 * std::min(snapshot.hour.adx / 25.0, 1.0) + 0.5 * std::clamp((45.0 - rsi) / 15.0, 0.0, 1.0);
  score.components.trend = std::min(snapshot.hour.adx / 25.0, 1.0);
  score.components.momentum = std::clamp((45.0 - rsi) / 15.0, 0.0, 1.0);
  return Scoring{std::move(score), ""};
}

Evaluation EmaPullbackStrategy::propose(const MarketSnapshot& snapshot, const Score& score, const Instrument& instrument) const {
  Signal signal = signal_from(snapshot, score, name());
  if (!place_stop_and_target(instrument, signal, 1.5 * snapshot.quarter.atr, 1.5)) {
    return Evaluation{std::nullopt, "tick coarser than the stop distance"};
  }
  signal.features = build_features(snapshot, signal);
  return Evaluation{std::move(signal), ""};
}

}  // namespace winiswin::strategy
