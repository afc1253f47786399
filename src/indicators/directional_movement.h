// Wilder's directional movement: +DI, −DI and ADX, as TA-Lib computes them.
//   up = high_t − high_{t−1}, down = low_{t−1} − low_t
//   +DM = up if up > 0 and up > down, else 0;  −DM = down if down > 0 and up < down, else 0
//   Wilder sums S of +DM, −DM and TR: seeded with plain sums over bars 1..p−1, then from
//   bar p on: S = S − S/p + x.   ±DI = 100·(S_±DM / S_TR)  (0 when S_TR < 1e-14), from bar p.
//   DX = 100·(|−DI − +DI| / (−DI + +DI)); ADX = mean of DX over bars p..2p−1 (first at
//   bar 2p−1), then (ADX·(p−1) + DX) / p. A bar whose S_TR or DI sum is below 1e-14 adds no
//   DX (TA-Lib skips it: the ADX carries over unchanged).
#pragma once

#include "indicators/talib_rules.h"
#include "indicators/volatility.h"

namespace winiswin::indicators {

class DirectionalMovement {
 public:
  explicit DirectionalMovement(int period) : period_(period) {}

  void update(double high, double low, double close) {
    if (count_ == 0) {
      previous_high_ = high;
      previous_low_ = low;
      previous_close_ = close;
      count_ = 1;
      return;
    }
    const double up = high - previous_high_;
    const double down = previous_low_ - low;
    const double range = true_range(high, low, previous_close_);
    previous_high_ = high;
    previous_low_ = low;
    previous_close_ = close;
    const double plus_dm = (up > 0 && up > down) ? up : 0.0;
    const double minus_dm = (down > 0 && up < down) ? down : 0.0;
    const auto period = static_cast<double>(period_);
    const int bar = count_++;
    if (bar < period_) {  // seed: plain sums over bars 1..p−1
      plus_sum_ += plus_dm;
      minus_sum_ += minus_dm;
      range_sum_ += range;
      return;
    }
    plus_sum_ = plus_sum_ - (plus_sum_ / period) + plus_dm;
    minus_sum_ = minus_sum_ - (minus_sum_ / period) + minus_dm;
    range_sum_ = range_sum_ - (range_sum_ / period) + range;
    double dx = 0.0;
    bool has_dx = false;
    if (is_talib_zero(range_sum_)) {
      plus_di_ = minus_di_ = 0.0;
    } else {
      plus_di_ = 100.0 * (plus_sum_ / range_sum_);
      minus_di_ = 100.0 * (minus_sum_ / range_sum_);
      const double di_sum = minus_di_ + plus_di_;
      if (!is_talib_zero(di_sum)) {
        dx = 100.0 * (std::fabs(minus_di_ - plus_di_) / di_sum);
        has_dx = true;
      }
    }
    if (bar <= 2 * period_ - 1) {
      if (has_dx) dx_sum_ += dx;
      // The seed mean divides by p even when some seed bars added no DX (TA-Lib does).
      if (bar == 2 * period_ - 1) adx_ = dx_sum_ / period;
    } else if (has_dx) {
      adx_ = ((adx_ * (period - 1)) + dx) / period;
    }
  }
  [[nodiscard]] bool di_ready() const { return count_ > period_; }
  [[nodiscard]] bool adx_ready() const { return count_ >= 2 * period_; }
  [[nodiscard]] double plus_di() const { return di_ready() ? plus_di_ : kNotReady; }
  [[nodiscard]] double minus_di() const { return di_ready() ? minus_di_ : kNotReady; }
  [[nodiscard]] double adx() const { return adx_ready() ? adx_ : kNotReady; }

 private:
  int period_;
  int count_ = 0;
  double previous_high_ = 0.0, previous_low_ = 0.0, previous_close_ = 0.0;
  double plus_sum_ = 0.0, minus_sum_ = 0.0, range_sum_ = 0.0;
  double plus_di_ = 0.0, minus_di_ = 0.0;
  double dx_sum_ = 0.0;
  double adx_ = 0.0;
};

}  // namespace winiswin::indicators
