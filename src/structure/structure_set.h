// Every market-structure detector of one symbol at one interval, fed bar by bar, and the
// events they produce — what the strategy scores and `winiswin structure` prints.
// Every event carries where it is (its bar) and when it became known (its confirmation
// bar); decisions may read only what is known.
#pragma once

#include <string>
#include <vector>

#include "indicators/indicator_set.h"
#include "structure/fair_value_gaps.h"
#include "structure/liquidity.h"
#include "structure/order_blocks.h"
#include "structure/regime.h"
#include "structure/structure_breaks.h"
#include "structure/swings.h"

namespace winiswin::structure {

struct StructureConfig {
  int swing_left = 9;    // with right = 10: smartmoneyconcepts' swing_length = 10
  int swing_right = 10;
  LiquidityConfig liquidity;
  OrderBlockConfig order_blocks;
  RegimeConfig regime;
};

enum class EventKind : std::uint8_t {
  kSwing, kSwingRevised, kFairValueGap, kFairValueGapMitigated, kOrderBlock, kOrderBlockRetest,
  kOrderBlockInvalidated, kBreakOfStructure, kChangeOfCharacter, kLiquidity, kLiquiditySwept, kRegimeChange
};
std::string_view name_of(EventKind kind);

// One event, flat. Which fields mean something depends on the kind (see structure_set.cpp).
struct StructureEvent {
  EventKind kind = EventKind::kSwing;
  int direction = 0;       // +1 bullish / high, −1 bearish / low
  BarIndex bar = 0;        // where: the pivot, the gap's middle bar, the block's candle …
  Timestamp time;
  BarIndex known = 0;      // when it became known (confirmation)
  Timestamp known_time;
  Price top;               // price or upper bound (swing level, gap/zone top, broken level)
  Price bottom;            // lower bound, where there is one
  double strength = 0.0;   // order blocks: decayed strength
  std::int64_t count = 0;  // liquidity members, order-block retests
  BarIndex related = -1;   // the replaced swing, the mitigating bar, the break bar …
  bool flag = false;       // order block qualified
  Regime regime = Regime::kUnknown;
};

// The indicator values the detectors read, as of the bar they are fed with.
struct StructureInputs {
  double atr = 0.0;            // liquidity tolerance, regime volatility
  double volume_mean = 0.0;    // order-block quality
  double adx = 0.0;            // regime …
  double bb_width_rank = 0.0;
  double rsi = 0.0;
  // From an IndicatorSet that has already seen the bar (only these five are computed).
  static StructureInputs of(const indicators::IndicatorSet& indicators);
};

class StructureSet {
 public:
  explicit StructureSet(StructureConfig config = {});
  // Feeds the next closed bar with its indicator values. The events are valid until the
  // next call.
  const std::vector<StructureEvent>& update(const Kline& bar, const StructureInputs& inputs);

  // The last update's events (valid until the next update).
  [[nodiscard]] const std::vector<StructureEvent>& events() const { return events_; }
  [[nodiscard]] const SwingDetector& swings() const { return swings_; }
  [[nodiscard]] const OrderBlockDetector& order_blocks() const { return order_blocks_; }
  [[nodiscard]] const RegimeDetector& regime() const { return regime_; }

 private:
  StructureConfig config_;
  SwingDetector swings_;
  FairValueGapDetector gaps_;
  StructureBreakDetector breaks_;
  LiquidityDetector liquidity_;
  OrderBlockDetector order_blocks_;
  RegimeDetector regime_;
  std::vector<StructureEvent> events_;
  BarIndex bars_seen_ = 0;
};

// One JSON object per event, for JSONL output.
std::string format_event_json(const StructureEvent& event, const std::string& symbol);

}  // namespace winiswin::structure
