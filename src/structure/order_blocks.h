// Order blocks, causal, with our quality filters and decay.
//
// Contract. When a bar closes beyond the last confirmed swing (close > swing high: bullish;
// close < swing low: bearish) for the first time, the order block is the candle with the
// lowest low (bullish; highest high for bearish) strictly between the swing's pivot and the
// breaking bar, latest on ties — the last push against the move before the displacement.
// Its zone is that candle's [low, high]. It forms at the breaking bar.
// Quality (our design): volume_ratio = breaking bar's volume / mean volume (20 bars) and
// rejection = how far the breaking close is beyond the zone, as a fraction of price
// (close/top − 1 for bullish, 1 − close/bottom for bearish). Qualified when
// volume_ratio ≥ 1.5 and rejection ≥ 0.5 %.
// Strength = 0.95^(age in days) · 0.9^(retests). A retest is a bar that enters the zone
// after the previous bar was entirely outside it on the far side. The block is invalid
// after 3 retests, or when a bar closes through it (close < bottom bullish, > top bearish).
// smartmoneyconcepts.ob uses the same candle choice but with swings not yet knowable at
// the break, its own mitigation/deletion rules and no filters; the agreement that remains
// is measured in tests/structure.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "structure/swings.h"

namespace winiswin::structure {

struct OrderBlockConfig {
  double min_volume_ratio = 1.5;
  double min_rejection = 0.005;
  double decay_per_day = 0.05;
  double decay_per_retest = 0.10;
  int max_retests = 3;
};

enum class OrderBlockChange { kFormed, kRetested, kInvalidated };

struct OrderBlock {
  int direction = 0;  // +1 bullish (demand below), −1 bearish (supply above)
  BarIndex candle = 0;
  Timestamp candle_time;
  Price top;
  Price bottom;
  BarIndex formed = 0;
  Timestamp formed_time;
  Price broken_level;  // the swing level the displacement closed beyond
  double volume_ratio = 0.0;
  double rejection = 0.0;
  bool qualified = false;
  int retests = 0;
  bool valid = true;

  // Strength at time `now`: 0.95^days · 0.9^retests (0 once invalid).
  [[nodiscard]] double strength(Timestamp now, const OrderBlockConfig& config) const;
};

struct OrderBlockEvent {
  OrderBlockChange change;
  OrderBlock block;
  BarIndex bar;
  Timestamp time;
};

class OrderBlockDetector {
 public:
  static constexpr std::size_t kMaxActive = 32;  // the oldest block goes when a newer one forms beyond this

  explicit OrderBlockDetector(int swing_right, OrderBlockConfig config = {});
  // Call for every bar after the swing detector, with its result and the mean volume of
  // the last 20 bars (NaN while warming up: the ratio is then 0 and the block unqualified).
  const std::vector<OrderBlockEvent>& update(const Kline& bar, const std::optional<SwingUpdate>& swing,
                                             double volume_mean);
  [[nodiscard]] const std::vector<OrderBlock>& active() const { return active_; }
  [[nodiscard]] const OrderBlockConfig& config() const { return config_; }
  // The valid, qualified block a long trades from at `price`: the highest top among bullish
  // blocks whose bottom is at or below it (the oldest of equals); null if none. O(blocks
  // above price), not O(active): the blocks are kept ordered by level as they change.
  [[nodiscard]] const OrderBlock* nearest_demand(Price price) const;
  // The same for a short: the lowest bottom among bearish blocks whose top is at or above.
  [[nodiscard]] const OrderBlock* nearest_supply(Price price) const;

 private:
  // The swing a displacement must break, and the extreme candle since its pivot.
  struct Reference {
    Swing swing;
    bool broken = false;
    std::optional<BarIndex> extreme;  // candle with the lowest low (highest high) after the pivot
    Kline extreme_bar;
  };
  void reset_reference(Reference& reference, const Swing& swing);
  void extend(Reference& reference, const Kline& bar, BarIndex index) const;
  void try_form(Reference& reference, const Kline& bar, BarIndex now, double volume_mean);
  void update_active(const Kline& bar, BarIndex now);
  void reorder();  // after active_ gained or lost a block

  OrderBlockConfig config_;
  BarWindow window_;
  std::optional<Reference> high_;  // bullish blocks form when it breaks
  std::optional<Reference> low_;   // bearish blocks form when it breaks
  std::vector<OrderBlock> active_;  // oldest first
  // Indexes into active_ of the valid, qualified blocks: bullish by top, highest first;
  // bearish by bottom, lowest first (oldest first among equals, as the scan they replace).
  std::vector<std::uint8_t> demand_order_;
  std::vector<std::uint8_t> supply_order_;
  // No bar inside (low above every bullish top, high below every bearish bottom) can retest
  // or invalidate a block: update_active skips its list then.
  Price highest_bullish_top_ = Price::from_raw(std::numeric_limits<std::int64_t>::min());
  Price lowest_bearish_bottom_ = Price::from_raw(std::numeric_limits<std::int64_t>::max());
  std::vector<OrderBlockEvent> out_;
};

}  // namespace winiswin::structure
