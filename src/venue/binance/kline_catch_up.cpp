#include "venue/binance/kline_catch_up.h"

#include <algorithm>

#include "venue/binance/request_budget.h"

namespace winiswin::binance {

int KlineRequest::weight() const { return klines_weight(limit); }

std::vector<KlineRequest> plan_catch_up(const std::string& symbol, Interval interval, std::optional<Timestamp> last_held,
                                        Timestamp now, const CatchUpConfig& config) {
  const Milliseconds step = duration_of(interval);
  // The bar open at `now` is not closed yet: the last closed one opened a step before it.
  const Timestamp last_closed = bar_open_time(now, interval) - step;
  const Timestamp first = last_held ? *last_held + step : last_closed - step * (std::max(1, config.warmup_bars) - 1);
  std::vector<KlineRequest> requests;
  const int per_request = std::clamp(config.bars_per_request, 1, 1500);
  for (Timestamp start = first; start <= last_closed; start += step * per_request) {
    const Timestamp end = std::min(last_closed, start + step * (per_request - 1));
    const auto bars = static_cast<int>((end - start) / step) + 1;
    requests.push_back(KlineRequest{symbol, interval, start, end, bars});
  }
  return requests;
}

BarArrival BarContinuity::on_closed(const std::string& symbol, Interval interval, Timestamp open,
                                    std::optional<std::pair<Timestamp, Timestamp>>* missing) {
  const auto key = std::make_pair(symbol, interval);
  const auto found = last_.find(key);
  if (found == last_.end()) {
    last_.emplace(key, open);
    return BarArrival::kFirst;
  }
  const Milliseconds step = duration_of(interval);
  Timestamp& last = found->second;
  if (open <= last) return BarArrival::kDuplicate;
  const BarArrival arrival = open == last + step ? BarArrival::kNext : BarArrival::kAfterGap;
  if (arrival == BarArrival::kAfterGap && missing) *missing = std::make_pair(last + step, open - step);
  last = open;
  return arrival;
}

std::optional<Timestamp> BarContinuity::last_held(const std::string& symbol, Interval interval) const {
  const auto found = last_.find(std::make_pair(symbol, interval));
  if (found == last_.end()) return std::nullopt;
  return found->second;
}

void BarContinuity::set_last_held(const std::string& symbol, Interval interval, Timestamp open) {
  Timestamp& last = last_[std::make_pair(symbol, interval)];
  last = std::max(last, open);
}

}  // namespace winiswin::binance
