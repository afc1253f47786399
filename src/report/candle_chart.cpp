#include "report/candle_chart.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>
#include <numeric>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "data/resample.h"

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

// The symbol's trades to mark, in time order: all of them up to kMaxTradeMarkers, else those
// with the largest |PnL| (the trades a reader looks for on the chart; the trade list keeps the
// same ones), earlier first among equals.
struct MarkedTrades {
  std::vector<const journal::TradeRecord*> trades;
  std::size_t left_out = 0;
};

MarkedTrades marked_trades(std::span<const journal::TradeRecord> trades, const std::string& symbol) {
  MarkedTrades marked;
  for (const journal::TradeRecord& trade : trades) {
    if (trade.symbol == symbol) marked.trades.push_back(&trade);
  }
  if (marked.trades.size() <= kMaxTradeMarkers) return marked;
  marked.left_out = marked.trades.size() - kMaxTradeMarkers;
  std::stable_sort(marked.trades.begin(), marked.trades.end(), [](const auto* a, const auto* b) { return std::abs(a->pnl) > std::abs(b->pnl); });
  marked.trades.resize(kMaxTradeMarkers);
  std::stable_sort(marked.trades.begin(), marked.trades.end(), [](const auto* a, const auto* b) { return a->entry_time < b->entry_time; });
  return marked;
}

std::string trades_json(std::span<const journal::TradeRecord* const> marked, Interval interval) {
  std::string out = "[";
  for (const journal::TradeRecord* trade : marked) {
    fmt::format_to(std::back_inserter(out), "{}[{},{},{},{},\"{}\",{:.2f}]", out.size() > 1 ? "," : "",
                   seconds(bar_open_time(trade->entry_time, interval)), trade->side == Side::kBuy ? 1 : -1, trade->entry_price,
                   seconds(bar_open_time(trade->exit_time, interval)), journal::name_of(trade->exit_reason), trade->pnl);
  }
  return out + "]";
}

// At most kMaxZones of them, in the order kept: every order block first (what the strategy
// scores), then the fair value gaps tallest relative to their price, so that what is left out
// is the small gaps, wherever they are, not one end of the run.
std::vector<std::size_t> drawn_zones(std::span<const DrawnZone> zones) {
  std::vector<std::size_t> drawn(zones.size());
  std::iota(drawn.begin(), drawn.end(), std::size_t{0});
  if (zones.size() <= kMaxZones) return drawn;
  const auto height = [&](std::size_t index) {
    const DrawnZone& zone = zones[index];
    return zone.kind == structure::ZoneKind::kOrderBlock ? std::numeric_limits<double>::infinity()
                                                         : (zone.top - zone.bottom).to_double() / zone.top.to_double();
  };
  std::stable_sort(drawn.begin(), drawn.end(), [&](std::size_t a, std::size_t b) { return height(a) > height(b); });
  drawn.resize(kMaxZones);
  std::sort(drawn.begin(), drawn.end());
  return drawn;
}

std::string zones_json(std::span<const DrawnZone> zones) {
  std::string out = "[";
  for (const std::size_t index : drawn_zones(zones)) {
    const DrawnZone& zone = zones[index];
    fmt::format_to(std::back_inserter(out), "{}[{},{},{},{},{},{},{}]", out.size() > 1 ? "," : "", seconds(zone.start), seconds(zone.known),
                   zone.end ? std::to_string(seconds(*zone.end)) : "null", zone.top.to_string(), zone.bottom.to_string(),
                   zone.direction > 0 ? 1 : -1, zone.kind == structure::ZoneKind::kOrderBlock ? 1 : 0);
  }
  return out + "]";
}

constexpr const char* kNoChart = R"({"interval":"5m","precision":2,"minMove":0.01,"candles":[],"zones":[],"zonesLeftOut":0,"trades":[],"tradesLeftOut":0})";

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

struct CandleChartBuilder::State {
  State(std::string name, Interval fine, Interval chart, Windows drawn, Price tick)
      : symbol(std::move(name)), bars_interval(fine), interval(chart), windows(std::move(drawn)), tick_size(tick),
        to_five(fine, Interval::k5m), to_chart(Interval::k5m, chart) {}

  void on_five(const Kline& bar);
  void on_chart_bar(const Kline& bar);

  std::string symbol;
  Interval bars_interval, interval;
  Windows windows;
  Price tick_size;
  KlineAggregator to_five, to_chart;
  std::string candles = "[", zones, trades;
  std::size_t zones_left_out = 0;
  std::size_t trades_left_out = 0;
  int decimals = 0;  // the finest the drawn prices need, for an unknown tick
};

// A 5m bar: the chart's bar, or a part of it.
void CandleChartBuilder::State::on_five(const Kline& bar) {
  if (interval == Interval::k5m) return on_chart_bar(bar);
  if (auto coarse = to_chart.push(bar); coarse && *coarse) on_chart_bar(**coarse);
}

void CandleChartBuilder::State::on_chart_bar(const Kline& bar) {
  if (!windows.covers(seconds(bar.open_time))) return;
  for (const Price price : {bar.open, bar.high, bar.low, bar.close}) decimals = std::max(decimals, decimals_of(price));
  fmt::format_to(std::back_inserter(candles), "{}[{},{},{},{},{}]", candles.size() > 1 ? "," : "", seconds(bar.open_time),
                 bar.open.to_double(), bar.high.to_double(), bar.low.to_double(), bar.close.to_double());
}

CandleChartBuilder::CandleChartBuilder(std::string symbol, Interval bars_interval, std::span<const journal::TradeRecord> trades,
                                       Price tick_size, Timestamp first, Timestamp last, std::span<const DrawnZone> zones) {
  const Interval interval = candle_interval(trades, symbol, first, last);
  Windows windows = Windows::around(trades, symbol, interval);
  if (windows.empty()) {
    const std::int64_t end = seconds(bar_open_time(last, Interval::k5m));
    windows = Windows({Window{end - (kBarsWithoutTrades - 1) * 300, end}}, interval);
  }
  state_ = std::make_unique<State>(symbol, bars_interval, interval, std::move(windows), tick_size);
  const MarkedTrades marked = marked_trades(trades, symbol);
  state_->trades = trades_json(marked.trades, interval);
  state_->trades_left_out = marked.left_out;
  state_->zones = zones_json(zones);
  state_->zones_left_out = zones.size() - std::min(zones.size(), kMaxZones);
}

CandleChartBuilder::CandleChartBuilder(CandleChartBuilder&&) noexcept = default;
CandleChartBuilder::~CandleChartBuilder() = default;

Status CandleChartBuilder::add(std::span<const Kline> bars) {
  for (const Kline& bar : bars) {
    if (state_->bars_interval == Interval::k5m) {
      state_->on_five(bar);
      continue;
    }
    WINISWIN_TRY(const Kline* five, state_->to_five.push(bar));
    if (five != nullptr) state_->on_five(*five);
  }
  return Ok{};
}

std::string CandleChartBuilder::json() const {
  const State& state = *state_;
  Price tick = state.tick_size;
  if (tick.raw() <= 0) {
    std::int64_t raw = kFixedScale;
    for (int idx = 0; idx < state.decimals; ++idx) raw /= 10;
    tick = Price::from_raw(raw);
  }
  return fmt::format("{{\"interval\":\"{}\",\"precision\":{},\"minMove\":{},\"candles\":{}],\"zones\":{},\"zonesLeftOut\":{},\"trades\":{},\"tradesLeftOut\":{}}}",
                     name_of(state.interval), decimals_of(tick), tick.to_string(), state.candles, state.zones, state.zones_left_out,
                     state.trades, state.trades_left_out);
}

std::string candle_chart_json(const KlineSeries& minutes, std::span<const journal::TradeRecord> trades, Price tick_size,
                              std::span<const DrawnZone> zones) {
  if (minutes.bars.empty()) return kNoChart;
  CandleChartBuilder builder(minutes.symbol, minutes.interval, trades, tick_size, minutes.bars.front().open_time,
                             minutes.bars.back().open_time, zones);
  if (!builder.add(minutes.bars)) return kNoChart;  // not 1m or 5m bars in order: nothing to chart
  return builder.json();
}

}  // namespace winiswin::report
