// Swing highs and lows, causal.
//
// Contract. Bar c is a swing-high candidate when high[c] ≥ every high in
// [c − left, c + right] (ties allowed); otherwise a swing-low candidate when low[c] ≤ every
// low in that window. A candidate is known only when bar c + right has closed: that bar is
// its confirmation, and it is part of the event.
// Swings alternate. Consecutive candidates of one type form a run whose swing is its most
// extreme member (the earliest among equals). While a run is open, the latest swing is
// provisional: a more extreme candidate of the same type *replaces* it (an event that
// names the replaced pivot); a candidate of the other type closes the run and makes the
// swing final.
//
// With left = N−1 and right = N this reproduces smartmoneyconcepts'
// swing_highs_lows(swing_length=N) once every revision is applied, shifted to the
// confirmation bar — minus its two artificial end labels (tests/structure pin it).
#pragma once

#include <optional>
#include <vector>

#include "structure/bar_window.h"

namespace winiswin::structure {

enum class SwingType : std::int8_t { kLow = -1, kHigh = 1 };

struct Swing {
  SwingType type;
  BarIndex pivot;      // the swing bar
  BarIndex confirmed;  // the bar whose close made it known (pivot + right)
  Timestamp pivot_time;
  Timestamp confirmed_time;
  Price level;  // high of a swing high, low of a swing low
  bool operator==(const Swing&) const = default;
};

struct SwingUpdate {
  Swing swing;
  std::optional<Swing> replaced;  // the provisional swing this one supersedes
};

class SwingDetector {
 public:
  SwingDetector(int left, int right);

  // Feeds the next closed bar; returns the swing confirmed by it, if any.
  std::optional<SwingUpdate> update(const Kline& bar);

  // Recent swings (final ones and the provisional last), oldest first; the history is
  // bounded (at least the last kHistory swings are kept) so memory does not grow with bars.
  static constexpr std::size_t kHistory = 256;
  [[nodiscard]] const std::vector<Swing>& swings() const { return swings_; }
  [[nodiscard]] const Swing* last() const { return swings_.empty() ? nullptr : &swings_.back(); }

 private:
  int left_;
  int right_;
  BarWindow window_;
  std::vector<Swing> swings_;
};

}  // namespace winiswin::structure
