// Market regime and reversal risk, from indicators and swings.
//
// Regime, re-evaluated every bar once the inputs are warm:
//   VOLATILE  when ATR / SMA50(ATR) ≥ 1.5 or the Bollinger width rank ≥ 0.95
//   TRENDING  else when ADX ≥ 25
//   RANGING   otherwise
// After the first reading, a new regime must hold for `confirm_bars` consecutive bars
// (default 3) before it is reported, so a reading that flickers across a threshold does not flap the regime.
// Reversal risk (momentum divergence against the swing trend), set when a swing confirms:
//   −1  a swing high above the previous swing high with a lower RSI at its pivot
//       (an uptrend losing momentum: risk of a turn down)
//   +1  a swing low below the previous swing low with a higher RSI (mirror)
//    0  the latest swing of that type did not diverge
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "indicators/moving_average.h"
#include "indicators/ring_buffer.h"
#include "structure/swings.h"

namespace winiswin::structure {

enum class Regime : std::uint8_t { kUnknown, kRanging, kTrending, kVolatile };
std::string_view name_of(Regime regime);

struct RegimeConfig {
  double trending_adx = 25.0;
  double volatile_atr_ratio = 1.5;
  double volatile_width_rank = 0.95;
  int atr_baseline = 50;
  int confirm_bars = 3;
};

class RegimeDetector {
 public:
  RegimeDetector(int swing_right, RegimeConfig config = {});
  // Returns the new regime when it changed at this bar.
  std::optional<Regime> update(double adx, double atr, double width_rank, double rsi,
                               const std::optional<SwingUpdate>& swing);
  [[nodiscard]] Regime regime() const { return regime_; }
  [[nodiscard]] int reversal_risk() const { return reversal_risk_; }
  [[nodiscard]] double atr_ratio() const { return atr_ratio_; }
  // The ATR's normal level: the mean of its last `atr_baseline` (50) values; NaN until then.
  [[nodiscard]] double normal_atr() const { return atr_baseline_.ready() ? atr_baseline_.value() : indicators::kNotReady; }

 private:
  RegimeConfig config_;
  indicators::Sma atr_baseline_;
  indicators::RingBuffer<double> rsi_history_;  // RSI of the last right+1 bars, to read at pivots
  BarIndex bars_ = 0;
  double last_high_rsi_ = 0.0, last_low_rsi_ = 0.0;
  std::optional<Price> last_high_, last_low_;
  Regime regime_ = Regime::kUnknown;
  Regime candidate_ = Regime::kUnknown;
  int candidate_bars_ = 0;
  int reversal_risk_ = 0;
  double atr_ratio_ = indicators::kNotReady;
};

}  // namespace winiswin::structure
