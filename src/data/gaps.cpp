#include "data/gaps.h"

#include <algorithm>

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

BarSpan span_of(const KlineSeries& series) {
  if (series.bars.empty()) return BarSpan{};
  return BarSpan{series.bars.front().open_time, series.bars.back().open_time, static_cast<std::int64_t>(series.bars.size()),
                 find_gaps(series)};
}

JoinedGaps find_gaps_across(std::vector<BarSpan> pieces, Interval interval) {
  std::erase_if(pieces, [](const BarSpan& piece) { return piece.bars == 0; });
  std::sort(pieces.begin(), pieces.end(), [](const BarSpan& a, const BarSpan& b) { return a.first < b.first; });
  JoinedGaps joined;
  joined.pieces = pieces.size();
  if (pieces.empty()) return joined;
  const std::int64_t length = duration_ms(interval);
  joined.first = pieces.front().first;
  joined.last = pieces.front().last;
  for (std::size_t piece_idx = 0; piece_idx < pieces.size(); ++piece_idx) {
    const BarSpan& piece = pieces[piece_idx];
    if (piece_idx > 0) {
      if (piece.first <= joined.last) {
        ++joined.overlaps;
      } else {
        // Steps of one bar from the latest bar so far to this piece's first: > 1 is a hole.
        const std::int64_t steps = (to_ms(piece.first) - to_ms(joined.last)) / length;
        if (steps > 1) joined.gaps.push_back(Gap{joined.last, piece.first, steps - 1, true});
      }
    }
    joined.gaps.insert(joined.gaps.end(), piece.gaps.begin(), piece.gaps.end());
    joined.bars += piece.bars;
    joined.last = std::max(joined.last, piece.last);
  }
  // Overlapping pieces can put a piece's inner gaps before a gap found earlier.
  std::stable_sort(joined.gaps.begin(), joined.gaps.end(),
                   [](const Gap& a, const Gap& b) { return a.last_before < b.last_before; });
  for (const Gap& gap : joined.gaps) joined.missing_bars += gap.missing_bars;
  return joined;
}

std::vector<Gap> largest_gaps(std::vector<Gap> gaps, std::size_t count) {
  std::stable_sort(gaps.begin(), gaps.end(), [](const Gap& a, const Gap& b) { return a.missing_bars > b.missing_bars; });
  gaps.resize(std::min(count, gaps.size()));
  return gaps;
}

}  // namespace winiswin
