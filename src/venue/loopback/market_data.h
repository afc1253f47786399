// The loopback venue's market: each symbol's 1m bars, of which the prefix that has closed by
// the exchange clock is history (served by /fapi/v1/klines, fed to the simulator) and the
// rest is the future. Coarser intervals are aggregated from the closed 1m bars on request,
// the way Binance builds its bars (open first, high max, low min, close last, sums).
//
// Served klines are **closed bars only**. Binance also returns the bar still forming; here
// that bar's contents would come from the future (the 1m file holds it whole), so it is left
// out. A client that drops Binance's last (open) bar should instead drop bars whose close
// time is not before the server time — which also works against Binance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/kline.h"

namespace winiswin::loopback {

// GET /fapi/v1/klines's window: startTime, endTime (bar open times, inclusive) and limit.
struct KlineQuery {
  std::optional<Timestamp> start;
  std::optional<Timestamp> end;
  std::size_t limit = 500;
};

// Figures of GET /fapi/v1/ticker/24hr over the closed 1m bars of the last 24 h.
struct DayStatistics {
  Price open;
  Price high;
  Price low;
  Price last;
  Quantity volume;
  Notional quote_volume;
  std::int64_t trades = 0;
  Timestamp open_time;
  Timestamp close_time;
};

// Consecutive 1m bars grouped into `interval` bars (UTC-aligned buckets), at most
// `max_bars` of them from the front. Bars missing from a bucket are simply absent from its sums.
std::vector<Kline> aggregate(std::span<const Kline> minutes, Interval interval, std::size_t max_bars);

class MarketData {
 public:
  // Each series must be 1m bars of a named symbol, in increasing open-time order.
  static Result<MarketData> create(std::vector<KlineSeries> minutes);

  [[nodiscard]] std::optional<std::size_t> index_of(std::string_view symbol) const;
  [[nodiscard]] std::size_t size() const { return series_.size(); }
  [[nodiscard]] const std::string& symbol(std::size_t idx) const { return series_[idx].symbol; }

  // Hands every not yet released bar whose close time is before `now` to `on_bar`, in time
  // order across symbols (open time, then symbol), and marks it closed.
  void release_until(Timestamp now, const std::function<void(std::size_t symbol_idx, const Kline& bar)>& on_bar);

  // The closed bars of a symbol, oldest first.
  [[nodiscard]] std::span<const Kline> closed(std::size_t idx) const;
  [[nodiscard]] std::optional<Price> last_close(std::size_t idx) const;

  // The closed `interval` bars a klines request asks for (a bucket is closed when its whole
  // span lies before `now`). Without startTime the most recent `limit` bars up to endTime.
  [[nodiscard]] std::vector<Kline> klines(std::size_t idx, Interval interval, const KlineQuery& query, Timestamp now) const;
  // None when no bar closed in the last 24 h.
  [[nodiscard]] std::optional<DayStatistics> day_statistics(std::size_t idx, Timestamp now) const;

 private:
  std::vector<KlineSeries> series_;
  std::vector<std::size_t> released_;  // per symbol: how many bars have closed
  std::map<std::string, std::size_t, std::less<>> index_;
};

}  // namespace winiswin::loopback
