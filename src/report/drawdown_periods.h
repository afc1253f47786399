// The deepest drawdown periods of a run, gathered point by point in bounded memory: a period
// starts at a peak (the starting equity is the first, at the run's first point, as the
// metrics count it), reaches its trough, and ends when equity first returns to the peak (or
// is still open at the end). Only the kKept deepest finished periods and the open one are
// kept.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/time.h"

namespace winiswin::report {

struct DrawdownPeriod {
  Timestamp peak;                        // the last point at the peak before the fall
  Timestamp trough;
  std::optional<Timestamp> recovered;    // the first point back at the peak; none: not yet
  double depth = 0;                      // 1 − trough / peak
};

class DrawdownPeriods {
 public:
  static constexpr std::size_t kKept = 5;
  explicit DrawdownPeriods(double starting_equity) : peak_(starting_equity) {}

  void add(Timestamp time, double equity);
  // The deepest periods, deepest first (equal depths: the earlier first), the open one included.
  [[nodiscard]] std::vector<DrawdownPeriod> deepest() const;

 private:
  void keep(const DrawdownPeriod& period);

  double peak_;
  std::optional<Timestamp> peak_time_;
  std::optional<DrawdownPeriod> open_;
  std::vector<DrawdownPeriod> kept_;  // finished, deepest first, at most kKept
};

}  // namespace winiswin::report
