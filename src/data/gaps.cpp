#include "data/gaps.h"

namespace winiswin {

std::vector<Gap> find_gaps(const KlineSeries& series) {
  std::vector<Gap> gaps;
  const std::int64_t length = duration_ms(series.interval);
  for (std::size_t bar_idx = 1; bar_idx < series.bars.size(); ++bar_idx) {
    const Timestamp before = series.bars[bar_idx - 1].open_time;
    const Timestamp after = series.bars[bar_idx].open_time;
    const std::int64_t steps = (to_ms(after) - to_ms(before)) / length;
    if (steps > 1) gaps.push_back(Gap{before, after, steps - 1});
  }
  return gaps;
}

}  // namespace winiswin
