#include "strategy/ema_pullback_strategy.h"

#include <algorithm>

namespace winiswin::strategy {

Evaluation EmaPullbackStrategy::evaluate(const MarketSnapshot& snapshot, const Instrument& instrument) const {
  if (!snapshot.hour.ready || !snapshot.quarter.ready || !snapshot.five.ready || !snapshot.five.bands_ready) {
    return Evaluation{std::nullopt, "warming up"};
  }
  const auto side = [](const FrameView& frame) { return frame.close > frame.ema ? 1 : frame.close < frame.ema ? -1 : 0; };
  const int direction = side(snapshot.hour);
  if (direction == 0 || side(snapshot.quarter) != direction) return Evaluation{std::nullopt, "1h and 15m trends disagree"};
  const double rsi = direction > 0 ? snapshot.five.rsi : 100.0 - snapshot.five.rsi;
  if (rsi >= 45.0) return Evaluation{std::nullopt, "no pullback on 5m"};
  Signal signal;
  signal.symbol = snapshot.symbol;
  signal.strategy = std::string(name());
  signal.time = snapshot.time;
  signal.side = direction > 0 ? Side::kBuy : Side::kSell;
  signal.confidence = 0.5 * std::min(snapshot.hour.adx / 25.0, 1.0) + 0.5 * std::clamp((45.0 - rsi) / 15.0, 0.0, 1.0);
  signal.components.trend = std::min(snapshot.hour.adx / 25.0, 1.0);
  signal.components.momentum = std::clamp((45.0 - rsi) / 15.0, 0.0, 1.0);
  signal.entry = snapshot.last_price;
  if (!place_stop_and_target(instrument, signal, 1.5 * snapshot.quarter.atr, 1.5)) {
    return Evaluation{std::nullopt, "tick coarser than the stop distance"};
  }
  signal.features = build_features(snapshot, signal);
  return Evaluation{signal, ""};
}

}  // namespace winiswin::strategy
