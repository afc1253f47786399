// What the strategy knows about one symbol at one interval: the indicators and structures
// of its closed bars, and a short history of the values it compares over time.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "indicators/indicator_set.h"
#include "indicators/ring_buffer.h"
#include "indicators/rolling_range.h"
#include "structure/structure_set.h"

namespace winiswin::strategy {

// The latest break of structure (BOS or CHOCH) seen on this timeframe.
struct LastBreak {
  int direction = 0;
  bool is_choch = false;
  Price level;
  Timestamp known_time;
};

// One timeframe's numbers as the strategy reads them (the snapshot holds one per timeframe),
// made once per closed bar rather than at every 5m close that reads it.
struct FrameView {
  bool ready = false;        // every value below that the timeframe computes is warm, except …
  bool bands_ready = false;  // … the band width and its 100-bar rank, which warm up last
  double close = 0, ema = 0, ema_slope = 0, adx = 0, rsi = 0, macd = 0, macd_hist = 0, macd_hist_previous = 0;
  double atr = 0, natr = 0, bb_width = 0, bb_width_rank = 0;
  double close_4_ago = 0, atr_12_ago = 0;
  // Highest high and lowest low of the last `range_bars` closed bars (fewer after a start or
  // a gap: those seen); NaN on a timeframe that keeps no range. Not part of `ready`.
  double range_high = 0, range_low = 0;
};

// A liquidity zone that has not been swept (yet).
struct OpenLiquidity {
  int direction = 0;  // +1 equal highs above, −1 equal lows below
  structure::BarIndex anchor = 0;
  Price level;        // the zone's mean level ± its tolerance is [bottom, top]
  Price top;
  Price bottom;
};

class TimeframeState {
 public:
  static constexpr std::size_t kHistory = 16;  // bars of close/ATR/MACD history kept
  static constexpr std::size_t kReadinessFields = 11;  // FrameView fields that decide `ready`

  enum class Structure : std::uint8_t { kTracked, kSkipped };
  // `range_bars`: the window of the view's range_high/range_low (0: no range kept).
  TimeframeState(Interval interval, Structure structure_tracking = Structure::kTracked,
                 const indicators::IndicatorConfig& indicators = {}, const structure::StructureConfig& structure = {},
                 std::size_t range_bars = 0);

  // Feeds the next closed bar of this interval.
  Status update(const Kline& bar);

  [[nodiscard]] Interval interval() const { return interval_; }
  [[nodiscard]] bool has_bars() const { return bars_ > 0; }
  [[nodiscard]] const Kline& last_bar() const { return last_bar_; }
  [[nodiscard]] double value(indicators::Column column) const { return indicators_.value(column); }
  // The value `age` bars ago (0 = the last closed bar), NaN when not kept or not warm.
  [[nodiscard]] double close_ago(std::size_t age) const { return age < closes_.size() ? closes_.back(age) : kNaN; }
  [[nodiscard]] double atr_ago(std::size_t age) const { return age < atrs_.size() ? atrs_.back(age) : kNaN; }
  [[nodiscard]] double macd_hist_ago(std::size_t age) const { return age < hists_.size() ? hists_.back(age) : kNaN; }
  [[nodiscard]] const FrameView& view() const { return view_; }
  [[nodiscard]] const std::optional<LastBreak>& last_break() const { return last_break_; }
  // Empty (no bars seen) when this timeframe skips structure.
  [[nodiscard]] const structure::StructureSet& structure() const { return structure_; }
  [[nodiscard]] bool tracks_structure() const { return tracks_structure_; }
  [[nodiscard]] const std::vector<OpenLiquidity>& liquidity() const { return liquidity_; }
  // +1 when the latest swing high (low) is above the one before it, −1 below, 0 unknown or
  // equal; kept per bar (the snapshot reads it at every 5m close).
  [[nodiscard]] int swing_highs() const { return swing_highs_; }
  [[nodiscard]] int swing_lows() const { return swing_lows_; }

 private:
  static constexpr double kNaN = indicators::kNotReady;
  void absorb(const structure::StructureEvent& event);
  void refresh_view();
  std::array<bool, kReadinessFields> computed_fields_{};  // which of the readiness fields this timeframe computes

  Interval interval_;
  bool tracks_structure_ = true;
  indicators::IndicatorSet indicators_;
  structure::StructureSet structure_;
  Kline last_bar_{};
  std::int64_t bars_ = 0;
  indicators::RingBuffer<double> closes_{kHistory};
  indicators::RingBuffer<double> atrs_{kHistory};
  indicators::RingBuffer<double> hists_{kHistory};
  std::optional<indicators::RollingRange> range_;
  FrameView view_;
  std::optional<LastBreak> last_break_;
  std::vector<OpenLiquidity> liquidity_;  // bounded: the most recent zones
  int swing_highs_ = 0;
  int swing_lows_ = 0;
};

// The bars of one symbol that closed at one time: a 5m close, and the 15m and 1h bars when
// they close with it (null when they do not).
struct ClosedBars {
  const Kline* hour = nullptr;
  const Kline* quarter = nullptr;
  const Kline* five = nullptr;
};

// The three timeframes of one symbol. Higher timeframes hold their last *closed* bar only:
// feed the bars as they close, in time order, through `on_closed`, and decide at 5m closes.
// Market structure is tracked on 15m only: it is the only structure the snapshot reads, and
// the detectors cost more than every indicator together (~190 ns per bar). Likewise each
// timeframe computes only the indicator columns something reads of it (the strategies, the
// features, the 15m structure, and each view's readiness).
struct SymbolState {
  explicit SymbolState(std::string symbol_name)
      : symbol(std::move(symbol_name)),
        hour(Interval::k1h, TimeframeState::Structure::kSkipped, indicators_without(kHourUnread), {}, kWeekOfHours),
        quarter(Interval::k15m, TimeframeState::Structure::kTracked, indicators_without({})),
        five(Interval::k5m, TimeframeState::Structure::kSkipped, indicators_without(kFiveUnread)) {}

  // The 1h range the feature range_position_7d reads (strategy.h): a week of closed 1h bars.
  static constexpr std::size_t kWeekOfHours = 7 * 24;
  // Nothing reads the 1h bands or volume mean, nor the 5m ADX, EMA slope or volume mean
  // (none of them decides when a view is ready: MACD and the ATR history warm up later).
  static constexpr std::initializer_list<indicators::Column> kHourUnread = {
      indicators::Column::kBbUpper, indicators::Column::kBbMiddle, indicators::Column::kBbLower, indicators::Column::kBbWidth,
      indicators::Column::kBbWidthRank, indicators::Column::kVolumeMean};
  static constexpr std::initializer_list<indicators::Column> kFiveUnread = {
      indicators::Column::kAdx, indicators::Column::kPlusDi, indicators::Column::kMinusDi, indicators::Column::kEmaSlope,
      indicators::Column::kVolumeMean};
  static indicators::IndicatorConfig indicators_without(std::initializer_list<indicators::Column> unread) {
    indicators::IndicatorConfig config;
    config.columns = indicators::ColumnSet::all().without(indicators::kReportOnlyColumns).without(unread);
    return config;
  }
  // Applies the bars that closed together, 1h before 15m before 5m: a decision taken after a
  // 5m close sees the higher timeframes' bars that closed with it, and none that had not.
  // The one place that order is written (backtest, replay and live all come through here).
  Status on_closed(const ClosedBars& bars);

  std::string symbol;
  TimeframeState hour;
  TimeframeState quarter;
  TimeframeState five;
};

}  // namespace winiswin::strategy
