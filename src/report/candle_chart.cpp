#include "report/candle_chart.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "data/resample.h"
#include "indicators/indicator_set.h"
#include "structure/structure_set.h"

namespace winiswin::report {
namespace {

constexpr std::array kCandleIntervals{Interval::k5m, Interval::k15m, Interval::k1h, Interval::k4h, Interval::k1d};

std::int64_t seconds(Timestamp time) { return to_ms(time) / 1000; }

// [first, last] bar open times, in seconds.
struct Window {
  std::int64_t first = 0, last = 0;
};

class Windows {
 public:
  Windows(std::vector<Window> windows, Interval interval) : interval_(interval) {
    std::sort(windows.begin(), windows.end(), [](const Window& a, const Window& b) { return a.first < b.first; });
    const std::int64_t bar = duration_ms(interval) / 1000;
    for (const Window& window : windows) {
      if (!merged_.empty() && window.first <= merged_.back().last + bar) {
        merged_.back().last = std::max(merged_.back().last, window.last);
      } else {
        merged_.push_back(window);
      }
    }
  }
  // Around each of the symbol's trades, in bars of `interval`.
  static Windows around(std::span<const journal::TradeRecord> trades, const std::string& symbol, Interval interval) {
    const std::int64_t bar = duration_ms(interval) / 1000;
    std::vector<Window> windows;
    for (const journal::TradeRecord& trade : trades) {
      if (trade.symbol != symbol) continue;
      windows.push_back(Window{seconds(bar_open_time(trade.entry_time, interval)) - kBarsBefore * bar,
                               seconds(bar_open_time(trade.exit_time, interval)) + kBarsAfter * bar});
    }
    return Windows(std::move(windows), interval);
  }
  [[nodiscard]] bool empty() const { return merged_.empty(); }
  // Bars of the interval the windows hold within [first, last] (seconds): an upper bound of
  // the candles drawn (gaps in the data hold none).
  [[nodiscard]] std::int64_t bars_within(std::int64_t first, std::int64_t last) const {
    const std::int64_t bar = duration_ms(interval_) / 1000;
    std::int64_t total = 0;
    for (const Window& window : merged_) {
      const std::int64_t begin = std::max(window.first, first), end = std::min(window.last, last);
      if (end >= begin) total += (end - begin) / bar + 1;
    }
    return total;
  }
  [[nodiscard]] bool covers(std::int64_t time) const {
    const auto after = std::upper_bound(merged_.begin(), merged_.end(), time, [](std::int64_t t, const Window& w) { return t < w.first; });
    return after != merged_.begin() && std::prev(after)->last >= time;
  }

 private:
  Interval interval_;
  std::vector<Window> merged_;
};

std::string trades_json(std::span<const journal::TradeRecord> trades, const std::string& symbol, Interval interval) {
  std::string out = "[";
  for (const journal::TradeRecord& trade : trades) {
    if (trade.symbol != symbol) continue;
    fmt::format_to(std::back_inserter(out), "{}[{},{},{},{},\"{}\",{:.2f}]", out.size() > 1 ? "," : "",
                   seconds(bar_open_time(trade.entry_time, interval)), trade.side == Side::kBuy ? 1 : -1, trade.entry_price,
                   seconds(bar_open_time(trade.exit_time, interval)), journal::name_of(trade.exit_reason), trade.pnl);
  }
  return out + "]";
}

// The order blocks and fair value gaps of the 5m structure, at the chart's bars, in the windows.
std::string zones_json(const std::vector<Kline>& five, const Windows& windows, Interval interval) {
  std::string zones = "[";
  std::string previous;
  indicators::IndicatorSet indicator_set(Interval::k5m);
  structure::StructureSet structure_set;
  for (const Kline& bar : five) {
    if (!indicator_set.update(bar)) continue;
    for (const structure::StructureEvent& event : structure_set.update(bar, structure::StructureInputs::of(indicator_set))) {
      const bool block = event.kind == structure::EventKind::kOrderBlock && event.flag;
      const bool gap = event.kind == structure::EventKind::kFairValueGap && interval == Interval::k5m;
      const std::int64_t time = seconds(bar_open_time(event.time, interval));
      if ((!block && !gap) || !windows.covers(time)) continue;
      std::string zone = fmt::format("[{},{},{}]", time, event.direction > 0 ? 1 : -1, block ? 1 : 0);
      if (zone == previous) continue;  // one mark per coarse bar
      zones += (zones.size() > 1 ? "," : "") + zone;
      previous = std::move(zone);
    }
  }
  return zones + "]";
}

// The coarsest tick every price of `bars` lies on (at least 1e-8).
Price inferred_tick(const std::vector<Kline>& bars) {
  int decimals = 0;
  for (const Kline& bar : bars) {
    for (const Price price : {bar.open, bar.high, bar.low, bar.close}) decimals = std::max(decimals, decimals_of(price));
  }
  std::int64_t raw = kFixedScale;
  for (int idx = 0; idx < decimals; ++idx) raw /= 10;
  return Price::from_raw(raw);
}

constexpr const char* kNoChart = R"({"interval":"5m","precision":2,"minMove":0.01,"candles":[],"zones":[],"trades":[]})";

}  // namespace

int decimals_of(Price tick) {
  std::int64_t raw = tick.raw();
  if (raw == 0) return 0;
  int decimals = kFixedDecimals;
  while (decimals > 0 && raw % 10 == 0) {
    raw /= 10;
    --decimals;
  }
  return decimals;
}

Interval candle_interval(std::span<const journal::TradeRecord> trades, const std::string& symbol, Timestamp first, Timestamp last) {
  for (const Interval interval : kCandleIntervals) {
    const Windows windows = Windows::around(trades, symbol, interval);
    if (windows.bars_within(seconds(first), seconds(last)) <= static_cast<std::int64_t>(kMaxCandles)) return interval;
  }
  return kCandleIntervals.back();
}

std::string candle_chart_json(const KlineSeries& minutes, std::span<const journal::TradeRecord> trades, Price tick_size) {
  auto five = resample(minutes, Interval::k5m);
  if (!five || five->series.bars.empty()) return kNoChart;
  const std::vector<Kline>& five_bars = five->series.bars;
  const Interval interval = candle_interval(trades, minutes.symbol, five_bars.front().open_time, five_bars.back().open_time);
  Windows windows = Windows::around(trades, minutes.symbol, interval);
  if (windows.empty()) {
    const std::size_t first = five_bars.size() > kBarsWithoutTrades ? five_bars.size() - kBarsWithoutTrades : 0;
    windows = Windows({Window{seconds(five_bars[first].open_time), seconds(five_bars.back().open_time)}}, interval);
  }
  std::optional<ResampleResult> coarse;
  if (interval != Interval::k5m) {
    auto resampled = resample(five->series, interval);
    if (!resampled) return kNoChart;  // not on 5m bars: nothing to chart
    coarse = std::move(*resampled);
  }
  const std::vector<Kline>& bars = coarse ? coarse->series.bars : five_bars;
  std::string candles = "[";
  for (const Kline& bar : bars) {
    if (!windows.covers(seconds(bar.open_time))) continue;
    fmt::format_to(std::back_inserter(candles), "{}[{},{},{},{},{}]", candles.size() > 1 ? "," : "", seconds(bar.open_time),
                   bar.open.to_double(), bar.high.to_double(), bar.low.to_double(), bar.close.to_double());
  }
  const Price tick = tick_size.raw() > 0 ? tick_size : inferred_tick(bars);
  return fmt::format("{{\"interval\":\"{}\",\"precision\":{},\"minMove\":{},\"candles\":{}],\"zones\":{},\"trades\":{}}}",
                     name_of(interval), decimals_of(tick), tick.to_string(), candles, zones_json(five_bars, windows, interval),
                     trades_json(trades, minutes.symbol, interval));
}

}  // namespace winiswin::report
