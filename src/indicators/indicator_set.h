// The full indicator set of one symbol at one interval, updated bar by bar in O(1) with
// no allocation after construction. What the strategy, the ML features and the
// `winiswin indicators` command read.
//
// Input contract: closed bars in strictly increasing open time. A bar that is out of
// order, or has a non-positive price or high < low, is rejected with an error and leaves
// the state unchanged. A jump in time is accepted but reported (`missing_bars`): the
// indicators do not invent the missing bars, so values after a gap are computed as if the
// bars were adjacent; callers decide whether to trust them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/kline.h"
#include "indicators/deviation.h"
#include "indicators/directional_movement.h"
#include "indicators/macd.h"
#include "indicators/rsi.h"
#include "indicators/trend.h"
#include "indicators/volatility.h"

namespace winiswin::indicators {

struct IndicatorConfig {
  std::array<int, 4> ema_periods = {9, 20, 50, 200};
  int sma_period = 20;
  int rsi_period = 14;
  int macd_fast = 12, macd_slow = 26, macd_signal = 9;
  int bollinger_period = 20;
  double bollinger_deviations = 2.0;
  int bollinger_width_rank_window = 100;
  int atr_period = 14;
  int adx_period = 14;
  int stddev_period = 20;
  int slope_ema_period = 20;
  int slope_lookback = 5;
  int volume_mean_period = 20;
  int return_stddev_period = 20;
  // EMA 0, 2 and 3, SMA, STDDEV and the return STDDEV: columns of the `indicators` report
  // that no strategy input reads. Off, they are not updated and read as NaN (the strategy's
  // timeframes turn them off: a tenth of the per-bar work).
  bool extras = true;
};

// Column order of `IndicatorSet::values()`; names are those of the CSV output.
enum class Column : std::uint8_t {
  kEma0, kEma1, kEma2, kEma3, kSma, kRsi, kMacd, kMacdSignal, kMacdHist,
  kBbUpper, kBbMiddle, kBbLower, kBbWidth, kBbWidthRank, kTrueRange, kAtr, kNatr,
  kAdx, kPlusDi, kMinusDi, kStdDev, kEmaSlope, kVolumeMean, kReturnStdDev,
  kCount
};
inline constexpr std::size_t kColumnCount = static_cast<std::size_t>(Column::kCount);
using IndicatorValues = std::array<double, kColumnCount>;  // NaN until warmed up

struct UpdateReport {
  std::int64_t missing_bars = 0;  // bars absent between the previous bar and this one
};

class IndicatorSet {
 public:
  IndicatorSet(Interval interval, const IndicatorConfig& config = {});

  Result<UpdateReport> update(const Kline& bar);
  // Values as of the last accepted bar.
  [[nodiscard]] IndicatorValues values() const;
  void values_into(IndicatorValues& out) const;  // the same, written in place
  [[nodiscard]] double value(Column column) const { return values()[static_cast<std::size_t>(column)]; }
  [[nodiscard]] std::int64_t bars_seen() const { return bars_seen_; }
  // "ema9", "rsi14", … following the configured periods.
  [[nodiscard]] std::array<std::string, kColumnCount> column_names() const;

 private:
  void update_values(double high, double low, double close, double volume);

  Interval interval_;
  IndicatorConfig config_;
  std::array<Ema, 4> emas_;
  Sma sma_;
  Rsi rsi_;
  Macd macd_;
  Bollinger bollinger_;
  PercentRank width_rank_;
  Atr atr_;
  DirectionalMovement directional_;
  StdDev stddev_;
  EmaSlope slope_;
  Sma volume_mean_;
  StdDev return_stddev_;
  double previous_close_ = 0.0;
  Timestamp last_open_time_{};
  std::int64_t bars_seen_ = 0;
};

}  // namespace winiswin::indicators
