// A deliberately simple second strategy, proving the strategy seam: trade pullbacks in an
// EMA trend.
//   side       d = +1 when the 1h and 15m closes are both above their EMA20, −1 both below
//   pullback   the 5m RSI has pulled back against d: RSI < 45 for a long, > 55 for a short
//   confidence 0.5·min(ADX_1h / 25, 1) + 0.5·depth, depth = clamp((45 − RSI) / 15, 0, 1)
//              (mirrored for shorts)
//   trade      stop 1.5 ATR_15m, target 1.5 R, rounded toward the entry
#pragma once

#include "strategy/strategy.h"

namespace winiswin::strategy {

class EmaPullbackStrategy final : public Strategy {
 public:
  [[nodiscard]] std::string_view name() const override { return "ema_pullback"; }
  [[nodiscard]] Scoring score(const MarketSnapshot& snapshot) const override;
  [[nodiscard]] Evaluation propose(const MarketSnapshot& snapshot, const Score& score, const Instrument& instrument) const override;
};

}  // namespace winiswin::strategy
