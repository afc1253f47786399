#include "indicators/trend.h"

#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace winiswin::indicators {

// GCC 12 leaves this loop scalar at -O3 on the x86-64 baseline (a compare-and-carry chain
// per value), and the band-width rank reads 100 values on every bar of every timeframe.
// With SSE2 (every x86-64 CPU) two values are compared at once and the all-ones lanes of
// the compare mask counted by subtraction; elsewhere, the plain loop.
std::size_t count_at_or_below(const double* values, std::size_t size, double limit) {
  std::size_t idx = 0;
  std::size_t count = 0;
#if defined(__SSE2__)
  const __m128d bound = _mm_set1_pd(limit);
  __m128i lanes = _mm_setzero_si128();
  for (; idx + 4 <= size; idx += 4) {
    const __m128d low = _mm_cmple_pd(_mm_loadu_pd(values + idx), bound);
    const __m128d high = _mm_cmple_pd(_mm_loadu_pd(values + idx + 2), bound);
    lanes = _mm_sub_epi64(lanes, _mm_add_epi64(_mm_castpd_si128(low), _mm_castpd_si128(high)));
  }
  for (; idx + 2 <= size; idx += 2) {
    lanes = _mm_sub_epi64(lanes, _mm_castpd_si128(_mm_cmple_pd(_mm_loadu_pd(values + idx), bound)));
  }
  alignas(16) std::int64_t parts[2];
  _mm_store_si128(reinterpret_cast<__m128i*>(parts), lanes);
  count = static_cast<std::size_t>(parts[0] + parts[1]);
#endif
  for (; idx < size; ++idx) count += values[idx] <= limit ? 1 : 0;
  return count;
}

}  // namespace winiswin::indicators
