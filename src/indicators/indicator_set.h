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
#include <initializer_list>
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

// Column order of `IndicatorSet::values()`; names are those of the CSV output.
enum class Column : std::uint8_t {
  kEma0, kEma1, kEma2, kEma3, kSma, kRsi, kMacd, kMacdSignal, kMacdHist,
  kBbUpper, kBbMiddle, kBbLower, kBbWidth, kBbWidthRank, kTrueRange, kAtr, kNatr,
  kAdx, kPlusDi, kMinusDi, kStdDev, kEmaSlope, kVolumeMean, kReturnStdDev,
  kCount
};
inline constexpr std::size_t kColumnCount = static_cast<std::size_t>(Column::kCount);
using IndicatorValues = std::array<double, kColumnCount>;  // NaN until warmed up

// Which columns an IndicatorSet computes. An indicator none of whose columns is wanted is
// not updated, and its columns read as NaN: each reader turns off what it never reads.
class ColumnSet {
 public:
  static ColumnSet all() { return ColumnSet{(std::uint32_t{1} << kColumnCount) - 1}; }
  [[nodiscard]] ColumnSet without(std::initializer_list<Column> columns) const {
    std::uint32_t bits = bits_;
    for (const Column column : columns) bits &= ~bit(column);
    return ColumnSet{bits};
  }
  [[nodiscard]] bool has(Column column) const { return (bits_ & bit(column)) != 0; }
  [[nodiscard]] bool has_any(std::initializer_list<Column> columns) const {
    for (const Column column : columns) {
      if (has(column)) return true;
    }
    return false;
  }

 private:
  explicit ColumnSet(std::uint32_t bits) : bits_(bits) {}
  static std::uint32_t bit(Column column) { return std::uint32_t{1} << static_cast<unsigned>(column); }
  std::uint32_t bits_;
};
static_assert(kColumnCount <= 32, "ColumnSet holds one bit per column");

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
  ColumnSet columns = ColumnSet::all();
};

// EMA 0, 2 and 3, SMA, STDDEV and the return STDDEV: columns of the `indicators` report
// that no strategy input reads.
inline constexpr std::initializer_list<Column> kReportOnlyColumns = {Column::kEma0, Column::kEma2, Column::kEma3,
                                                                     Column::kSma,  Column::kStdDev, Column::kReturnStdDev};


struct UpdateReport {
  std::int64_t missing_bars = 0;  // bars absent between the previous bar and this one
};

class IndicatorSet {
 public:
  IndicatorSet(Interval interval, const IndicatorConfig& config = {});

  Result<UpdateReport> update(const Kline& bar);
  // Values as of the last accepted bar.
  [[nodiscard]] IndicatorValues values() const;
  // One column (NaN when this set does not compute it).
  [[nodiscard]] double value(Column column) const;
  [[nodiscard]] std::int64_t bars_seen() const { return bars_seen_; }
  [[nodiscard]] bool computes(Column column) const { return config_.columns.has(column); }
  // "ema9", "rsi14", … following the configured periods.
  [[nodiscard]] std::array<std::string, kColumnCount> column_names() const;

 private:
  void update_values(double high, double low, double close, double volume);

  // Which indicators are updated (from config_.columns).
  struct Updated {
    std::array<bool, 4> emas{};
    bool sma = false, rsi = false, macd = false, bands = false, width_rank = false, atr = false, directional = false;
    bool stddev = false, slope = false, volume_mean = false, return_stddev = false;
  };

  std::int64_t interval_ms_;  // the bars' interval
  IndicatorConfig config_;
  Updated updated_;
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

// Inline: readers that name their columns get straight loads, not a 24-way switch.
inline double IndicatorSet::value(Column column) const {
  if (!config_.columns.has(column)) return kNotReady;
  switch (column) {
    case Column::kEma0: return emas_[0].value();
    case Column::kEma1: return emas_[1].value();
    case Column::kEma2: return emas_[2].value();
    case Column::kEma3: return emas_[3].value();
    case Column::kSma: return sma_.value();
    case Column::kRsi: return rsi_.value();
    case Column::kMacd: return macd_.macd();
    case Column::kMacdSignal: return macd_.signal();
    case Column::kMacdHist: return macd_.histogram();
    case Column::kBbUpper: return bollinger_.upper();
    case Column::kBbMiddle: return bollinger_.middle();
    case Column::kBbLower: return bollinger_.lower();
    case Column::kBbWidth: return bollinger_.width();
    case Column::kBbWidthRank: return width_rank_.value();
    case Column::kTrueRange: return atr_.last_true_range();
    case Column::kAtr: return atr_.value();
    case Column::kNatr: return atr_.natr();
    case Column::kAdx: return directional_.adx();
    case Column::kPlusDi: return directional_.plus_di();
    case Column::kMinusDi: return directional_.minus_di();
    case Column::kStdDev: return stddev_.value();
    case Column::kEmaSlope: return slope_.value();
    case Column::kVolumeMean: return volume_mean_.value();
    case Column::kReturnStdDev: return return_stddev_.value_unclamped();
    case Column::kCount: break;
  }
  return kNotReady;
}

}  // namespace winiswin::indicators
