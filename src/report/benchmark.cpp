#include "report/benchmark.h"

namespace winiswin::report {

std::optional<double> equal_weight_return(std::span<const HeldSymbol> symbols) {
  if (symbols.empty()) return std::nullopt;
  double sum = 0.0;
  for (const HeldSymbol& held : symbols) {
    if (held.first_open <= 0.0 || held.last_close <= 0.0) return std::nullopt;
    sum += held.last_close / held.first_open - 1.0;
  }
  return sum / static_cast<double>(symbols.size());
}

}  // namespace winiswin::report
