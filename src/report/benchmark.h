// The backtest's benchmark: buy and hold of the same symbols over the same window, equal parts
// of the capital each, unlevered and without costs — what doing nothing clever would have made.
#pragma once

#include <optional>
#include <span>

namespace winiswin::report {

struct HeldSymbol {
  double first_open = 0.0;  // the window's first bar's open
  double last_close = 0.0;  // its last bar's close
};

// The mean of last_close / first_open − 1 over the symbols; none for no symbol (or a price ≤ 0).
std::optional<double> equal_weight_return(std::span<const HeldSymbol> symbols);

}  // namespace winiswin::report
