// Gap detection. Policy: a missing bar is reported, never invented. Readers keep the bars
// they have; `find_gaps` says where the holes are so callers (data info, the backtest's
// feed, resampling) can decide — resampling, for one, refuses to build a coarse bar over
// a hole (data/resample.h).
#pragma once

#include <cstdint>
#include <vector>

#include "core/kline.h"

namespace winiswin {

struct Gap {
  Timestamp last_before;  // open time of the last bar before the hole
  Timestamp first_after;  // open time of the first bar after it
  std::int64_t missing_bars = 0;
};

std::vector<Gap> find_gaps(const KlineSeries& series);

}  // namespace winiswin
