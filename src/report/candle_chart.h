// One symbol's candle chart for the report, only around its trades: the candles from
// kBarsBefore bars before each trade's entry to kBarsAfter bars after its exit (overlapping
// windows join), the 15m order blocks and fair value gaps the run's strategy saw there, and
// the trades' entries and exits. Far from any trade nothing is drawn. The candles are 5m when
// the windows fit in kMaxCandles, else the finest of 15m, 1h, 4h, 1d that fits (a symbol traded
// all day every day for years): the chart's size is bounded whatever the run's length and every
// trade's window is on it. A symbol without trades shows its last kBarsWithoutTrades 5m bars.
// At most kMaxTradeMarkers trades are marked: those with the largest |PnL|, as the report's
// trade list keeps them (the JSON says how many smaller ones were left out; their candles stay).
//
// The zones are what the backtest recorded (trade_zones.h: each zone's bar, when it became
// known, its bounds and when it ended), not a recomputation: the page draws each as a rectangle
// from its bar to its end (faint until it was known). At most kMaxZones per chart: every order
// block, then the tallest fair value gaps (the JSON says how many small gaps were left out).
//
// JSON, compact (the page expands it): {"interval":"5m","precision":4,"minMove":0.0001,
// "candles":[[t,o,h,l,c],…],"zones":[[start,known,end,top,bottom,dir,block],…],"zonesLeftOut":n,
// "trades":[[entry t,side,entry price,exit t,exit reason,pnl],…],"tradesLeftOut":n}; times in
// seconds (candles and trades at bar opens of the chart's interval, zones at their 15m bars'
// opens, end null while the zone was still open when the run ended), dir ±1, block 1 for a
// qualified order block and 0 for a fair value gap, side 1 long and −1 short.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "core/error.h"
#include "core/interval.h"
#include "core/kline.h"
#include "journal/records.h"
#include "report/trade_zones.h"

namespace winiswin::report {

inline constexpr int kBarsBefore = 36;  // bars of the chart's interval: the set-up
inline constexpr int kBarsAfter = 12;   // what followed the exit
inline constexpr int kBarsWithoutTrades = 288;
inline constexpr std::size_t kMaxCandles = 15'000;  // per symbol: ~0.6 MB of JSON
inline constexpr std::size_t kMaxZones = 5'000;     // per symbol: ~0.3 MB of JSON
inline constexpr std::size_t kMaxTradeMarkers = 2'000;  // per symbol: ~0.1 MB of JSON

// The finest interval whose windows around the symbol's trades hold at most kMaxCandles bars
// within [first, last] (the series' span), 1d when none does.
Interval candle_interval(std::span<const journal::TradeRecord> trades, const std::string& symbol, Timestamp first, Timestamp last);

// The decimals a price axis needs for `tick` (0.0001 → 4, 0.0010 → 3, 0.5 → 1): the
// instrument's own precision, so ALGOUSDT at 0.0893 is not labelled "0.09".
int decimals_of(Price tick);

// Builds one symbol's chart from its bars fed a span at a time (memory: the drawn candles,
// not the series): 1m or 5m bars, in time order, each span after the previous one.
class CandleChartBuilder {
 public:
  // `first`, `last`: open times of the symbol's first and last bars (the candle budget is
  // counted within them; without trades the last kBarsWithoutTrades 5m bars are drawn);
  // `tick_size`: the instrument's (0 when unknown: the finest tick the prices need is used);
  // `zones`: the symbol's, as the run recorded them (TradeZones::zones).
  CandleChartBuilder(std::string symbol, Interval bars_interval, std::span<const journal::TradeRecord> trades, Price tick_size,
                     Timestamp first, Timestamp last, std::span<const DrawnZone> zones = {});
  CandleChartBuilder(CandleChartBuilder&&) noexcept;
  ~CandleChartBuilder();

  Status add(std::span<const Kline> bars);
  [[nodiscard]] std::string json() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The same over a series in memory.
std::string candle_chart_json(const KlineSeries& minutes, std::span<const journal::TradeRecord> trades, Price tick_size,
                              std::span<const DrawnZone> zones = {});

}  // namespace winiswin::report
