// Gap detection. Policy: a missing bar is reported, never invented. Readers keep the bars
// they have; `find_gaps` says where the holes are so callers (data info, the backtest's
// feed, resampling) can decide — resampling, for one, refuses to build a coarse bar over
// a hole (data/resample.h).
//
// One symbol's bars often come in pieces (Binance's monthly dump files, with months
// missing). `span_of` keeps what joining needs of a piece — its ends, its bar count and the
// gaps inside it — so the pieces' bars need not be held together; `find_gaps_across` joins
// the spans in time order and adds a gap wherever one piece ends more than one bar before
// the next begins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/kline.h"

namespace winiswin {

struct Gap {
  Timestamp last_before;  // open time of the last bar before the hole
  Timestamp first_after;  // open time of the first bar after it
  std::int64_t missing_bars = 0;
  bool between_pieces = false;  // the hole lies between two pieces (files), not inside one
};

// Holes inside one series: where consecutive bars are more than one interval apart;
// missing_bars = (after − before) / interval − 1.
std::vector<Gap> find_gaps(const KlineSeries& series);

// A piece of one symbol's bars at one interval, summarised for joining.
struct BarSpan {
  Timestamp first;  // open time of the first bar
  Timestamp last;   // open time of the last bar
  std::int64_t bars = 0;
  std::vector<Gap> gaps;  // inside the piece, as find_gaps
};

// An empty series gives an empty span (bars = 0), which joining skips.
BarSpan span_of(const KlineSeries& series);

struct JoinedGaps {
  Timestamp first;  // the earliest bar of any piece
  Timestamp last;   // the latest
  std::int64_t bars = 0;
  std::size_t pieces = 0;  // non-empty ones
  std::vector<Gap> gaps;  // inside and between pieces, in time order
  std::int64_t missing_bars = 0;
  std::size_t overlaps = 0;  // pieces starting at or before the last bar of those before them
};

// The pieces (in any order; sorted here by their first bar) joined at `interval`: each
// piece's own gaps, and a gap between two pieces when the next starts more than one bar
// after the latest bar so far. Overlapping pieces are counted in `overlaps`, not merged:
// their own gaps are kept as found (the other piece may hold those bars). O(n log n) in
// pieces plus the gaps.
JoinedGaps find_gaps_across(std::vector<BarSpan> pieces, Interval interval);

// The `count` largest of `gaps` (in time order, as found), most missing bars first, the
// earlier first among equals.
std::vector<Gap> largest_gaps(std::vector<Gap> gaps, std::size_t count);

}  // namespace winiswin
