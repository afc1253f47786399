// The ICT/Smart-Money strategy: multi-timeframe trend, structure, order-block position,
// momentum and volatility, scored into a confidence in [0, 1]. Symmetric for longs and
// shorts: d = +1 (long) when the 1h close is above its EMA20, −1 below.
//
//   trend (40 %)      0.5·aligned + 0.25·min(ADX_1h / 20, 1) + 0.25·clamp(d·slope_1h / 0.01 %, 0, 1)
//                     aligned = share of {1h, 15m, 5m} whose close is on side d of its EMA20
//   structure (20 %)  0.6·break + 0.4·swings; break = 1 (15m BOS toward d), 0.8 (CHOCH toward d),
//                     0.5 (none), 0 (against); swings = share of {highs, lows} moving toward d
//   position (20 %)   strength · clamp(1 − distance / 3 ATR, 0, 1) of the nearest qualified
//                     15m order block on d's side (demand below a long, supply above a short);
//                     distance = from price to the block's near edge (0 inside it); none → 0
//   momentum (10 %)   0.5 if RSI_5m in [50, 70] (long) / [30, 50] (short)
//                     + 0.25 if d·MACD-hist_5m > 0 + 0.25 if the histogram moved toward d
//   volatility (10 %) 0.5·clamp(min(rank, 1 − rank) / 0.2, 0, 1) + 0.5·regime score
//                     (rank = 5m band-width percentile; trending 1, ranging 0.5, volatile 0.2)
//   confidence = Σ weight·component, × 0.8 when the 15m reversal-risk flag points against d.
// ADX below 20 lowers the trend component rather than dropping the symbol.
// Trade: entry = the 5m close; stop beyond the order block by 0.2 ATR_15m when one scores,
// else 1.5 ATR_15m, kept within [0.5, 3] ATR; reward:risk = 1 + confidence (1:1 … 1:2).
#pragma once

#include "strategy/strategy.h"

namespace winiswin::strategy {

struct IctConfig {
  double weight_trend = 0.4, weight_structure = 0.2, weight_position = 0.2, weight_momentum = 0.1,
         weight_volatility = 0.1;
  double adx_threshold = 20.0;
  double min_slope_pct = 0.01;
  double max_block_distance_atr = 3.0;
  double reversal_penalty = 0.2;
  double stop_buffer_atr = 0.2, default_stop_atr = 1.5, min_stop_atr = 0.5, max_stop_atr = 3.0;
  double min_reward_risk = 1.0, max_reward_risk = 2.0;
};

ScoreComponents ict_components(const MarketSnapshot& snapshot, int direction, const IctConfig& config);

struct StrategyParameters {
  IctConfig ict;
};

class IctStrategy final : public Strategy {
 public:
  explicit IctStrategy(IctConfig config = {}) : config_(config) {}
  [[nodiscard]] std::string_view name() const override { return "ict_smc"; }
  [[nodiscard]] Scoring score(const MarketSnapshot& snapshot) const override;
  [[nodiscard]] Evaluation propose(const MarketSnapshot& snapshot, const Score& score, const Instrument& instrument) const override;

 private:
  IctConfig config_;
};

}  // namespace winiswin::strategy
