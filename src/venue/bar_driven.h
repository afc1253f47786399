// A venue that trades on historical bars: the simulator, driven by the backtest (and, with
// live bars, by paper mode). Beyond the Venue calls, its driver feeds each symbol's closed
// bars in time order and, where a symbol's data stops, asks it to close that symbol out at
// its last price — a venue with data has no such call: its market simply goes on.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/kline.h"
#include "venue/venue.h"

namespace winiswin::venue {

class BarDrivenVenue : public Venue {
 public:
  // A symbol's index for on_bar / close_out (none: the venue does not list it).
  [[nodiscard]] virtual std::optional<std::size_t> index_of(const std::string& symbol) const = 0;
  // The symbol's next closed bar; its orders execute on it. `mark`: the mark-price bar of the
  // same time when there is one.
  virtual Status on_bar(std::size_t symbol_index, const Kline& bar, const Kline* mark = nullptr) = 0;
  // Whether drain_events would return anything (the per-bar common case is: no).
  [[nodiscard]] virtual bool has_events() const = 0;
  // The symbol's data stops: its open orders are canceled and its position closes at the
  // last bar's close as a taker MARKET order with `client_order_id`, reported like any fill.
  virtual Status close_out(std::size_t symbol_index, const std::string& client_order_id, const std::string& reason) = 0;
};

}  // namespace winiswin::venue
