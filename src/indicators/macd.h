// MACD(fast, slow, signal) with TA-Lib's seeding, which our oracles follow:
//   both EMAs produce their first value at input index slow−1: the slow EMA seeded with
//   the mean of inputs 0..slow−1, the fast EMA with the mean of inputs slow−fast..slow−1
//   (it ignores the first slow−fast inputs);
//   macd = fast − slow; signal = EMA(signal) of macd, seeded with the mean of its first
//   `signal` values; hist = macd − signal. All three are output from index slow+signal−2.
// (An EMA12 seeded at index 0 differs by up to 3 USD on BTC 5m for hundreds of bars.)
#pragma once

#include "indicators/moving_average.h"

namespace winiswin::indicators {

class Macd {
 public:
  Macd(int fast, int slow, int signal) : fast_skip_(slow - fast), fast_(fast), slow_(slow), signal_(signal) {}

  void update(double close) {
    slow_.update(close);
    if (seen_ < fast_skip_) {
      ++seen_;
    } else {
      fast_.update(close);
    }
    if (!slow_.ready()) return;
    macd_ = fast_.value() - slow_.value();
    signal_.update(macd_);
  }
  [[nodiscard]] bool ready() const { return signal_.ready(); }
  [[nodiscard]] double macd() const { return ready() ? macd_ : kNotReady; }
  [[nodiscard]] double signal() const { return signal_.value(); }
  [[nodiscard]] double histogram() const { return ready() ? macd_ - signal_.value() : kNotReady; }

 private:
  int fast_skip_;
  int seen_ = 0;
  Ema fast_;
  Ema slow_;
  Ema signal_;
  double macd_ = 0.0;
};

}  // namespace winiswin::indicators
