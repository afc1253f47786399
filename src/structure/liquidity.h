// Liquidity zones: clusters of equal highs (buy-side) or equal lows (sell-side), causal.
//
// Contract. Only final swings count (a swing is final once the next, opposite swing is
// confirmed). Each final swing high either joins the oldest open zone of swing highs whose
// anchor level is within ±tolerance of its own, or opens a new zone as its anchor. A zone
// closes when it is swept: the first bar after the anchor whose high reaches
// anchor + tolerance (lows mirrored). A zone with two or more members is reported when it
// forms and each time it grows (level = mean of the members' levels, end = the last
// member's pivot), and again when swept.
// Tolerance: a fraction of ATR at the anchor's confirmation (default 0.1·ATR14), or an
// absolute price (tests use smartmoneyconcepts' 1 % of the whole file's range, which
// needs the future; with it, our final zones equal theirs).
#pragma once

#include <limits>
#include <optional>
#include <vector>

#include "structure/swings.h"

namespace winiswin::structure {

struct LiquidityZone {
  int direction = 0;  // +1 equal highs (buy-side liquidity above), −1 equal lows
  BarIndex anchor = 0;
  Timestamp anchor_time;
  Price anchor_level;
  Price tolerance;
  int members = 0;
  Price level;          // mean of the members' levels, rounded toward zero to 1e-8
  std::int64_t level_sum = 0;  // exact sum of the members' levels (raw units)
  BarIndex end = 0;     // pivot of the last member
  std::optional<BarIndex> swept;
  BarIndex known = 0;   // bar at which this state became known
  Timestamp known_time;
};

struct LiquidityConfig {
  double tolerance_atr = 0.1;       // tolerance = tolerance_atr × ATR at confirmation
  std::optional<Price> tolerance;   // when set, an absolute tolerance instead
};

class LiquidityDetector {
 public:
  LiquidityDetector(int swing_right, LiquidityConfig config);
  // Call for every bar after the swing detector, with its result and the bar's ATR
  // (NaN until warm: no zone is anchored before that unless the tolerance is absolute).
  // Returns zones that formed, grew or were swept at this bar (valid until next call).
  const std::vector<LiquidityZone>& update(const Kline& bar, const std::optional<SwingUpdate>& swing,
                                           const SwingDetector& swings, double atr);

 private:
  struct Tracked {  // a recent swing and whether its level + tolerance has been swept
    Swing swing;
    Price tolerance;
    std::optional<BarIndex> swept;
  };
  void on_final(const Tracked& final_swing, const Kline& bar, BarIndex now);
  void drop_closed(int direction, BarIndex final_pivot);
  static bool sweeps(const Tracked& tracked, const Kline& bar);
  void refresh_bounds();
  const std::vector<LiquidityZone>& on_swing(const SwingUpdate& swing, const Kline& bar, const SwingDetector& swings, double atr,
                                             BarIndex now);

  LiquidityConfig config_;
  BarWindow window_;
  std::vector<Tracked> tracked_;      // provisional and recently final swings
  std::vector<LiquidityZone> zones_;  // open zones, oldest first
  // Every unswept high (tracked or zone) needs a high ≥ `lowest_sweep_high_`, every unswept
  // low a low ≤ `highest_sweep_low_`: a bar inside them sweeps nothing (most bars).
  Price lowest_sweep_high_ = Price::from_raw(std::numeric_limits<std::int64_t>::max());
  Price highest_sweep_low_ = Price::from_raw(std::numeric_limits<std::int64_t>::min());
  std::vector<LiquidityZone> out_;
};

}  // namespace winiswin::structure
