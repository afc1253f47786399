// Bars for the sequence tests: a seeded random walk of 1m bars on the 5m grid.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/kline.h"

namespace winiswin::ml::sequence {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kStartMs = 1'700'000'100'000 - 1'700'000'100'000 % (5 * kMinuteMs);  // on the 5m grid

inline Kline bar_at(std::int64_t open_ms, double open, double close, double spread, double volume, std::int64_t length_ms) {
  Kline bar;
  bar.open_time = timestamp_from_ms(open_ms);
  bar.close_time = timestamp_from_ms(open_ms + length_ms - 1);
  bar.open = Price::from_double(open).value();
  bar.close = Price::from_double(close).value();
  bar.high = Price::from_double(std::max(open, close) + spread).value();
  bar.low = Price::from_double(std::min(open, close) - spread).value();
  bar.volume = Quantity::from_double(volume).value();
  return bar;
}

// A random walk of 1m bars from kStartMs.
inline std::vector<Kline> minutes(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> step(0.0, 0.002);
  std::uniform_real_distribution<double> volume(10.0, 1000.0);
  std::vector<Kline> bars;
  double price = 100.0;
  for (std::size_t minute = 0; minute < count; ++minute) {
    const double next = price * std::exp(step(random));
    bars.push_back(bar_at(kStartMs + static_cast<std::int64_t>(minute) * kMinuteMs, price, next, price * 0.001, volume(random), kMinuteMs));
    price = next;
  }
  return bars;
}

inline Timestamp decision(std::size_t five_minute_bars) {
  return timestamp_from_ms(kStartMs + static_cast<std::int64_t>(five_minute_bars) * 5 * kMinuteMs);
}

}  // namespace winiswin::ml::sequence
