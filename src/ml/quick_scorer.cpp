#include "ml/quick_scorer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include <immintrin.h>

#include "ml/flat_forest.h"

namespace winiswin::ml {

namespace {

constexpr std::size_t kLanes = 16;  // rows per AVX-512 vector
// Rows scored together: eight vectors' leaf sets and sums stay in registers (32 of them), and
// the chunk's transposed columns (28 features × 2 copies × 128 rows = 28 KB) stay in L1. With
// 64-bit leaf sets a vector needs two: six vectors.
constexpr std::size_t kChunkVectors = 8;
constexpr std::size_t kWideChunkVectors = 6;

bool same_split(const FlatForest::Split& a, const FlatForest::Split& b) {
  return std::bit_cast<std::uint32_t>(a.threshold) == std::bit_cast<std::uint32_t>(b.threshold) && a.feature == b.feature &&
         a.default_left == b.default_left;
}

// Whether the subtrees at complete-tree positions a and b are the same splits and leaves.
bool same_subtrees(const FlatForest::Split* splits, const float* leaves, std::uint32_t depth, std::uint32_t a, std::uint32_t b) {
  const std::uint32_t inner = (1u << depth) - 1;
  if (a >= inner) return std::bit_cast<std::uint32_t>(leaves[a - inner]) == std::bit_cast<std::uint32_t>(leaves[b - inner]);
  return same_split(splits[a], splits[b]) && same_subtrees(splits, leaves, depth, 2 * a + 1, 2 * b + 1) &&
         same_subtrees(splits, leaves, depth, 2 * a + 2, 2 * b + 2);
}

// The leaf-set bits of bottom positions [first, first + count) of `positions`: position p is
// bit positions − 1 − p, so that the leftmost position left is the count of leading zeros.
std::uint64_t position_bits(std::uint32_t first, std::uint32_t count, std::uint32_t positions) {
  std::uint64_t bits = 0;
  for (std::uint32_t position = first; position < first + count; ++position) bits |= std::uint64_t{1} << (positions - 1 - position);
  return bits;
}

}  // namespace

std::optional<QuickScorerForest> QuickScorerForest::from(const FlatForest& forest) {
  QuickScorerForest scorer;
  scorer.feature_count_ = forest.feature_count();
  std::uint32_t depth = 0;
  for (const FlatForest::Tree& tree : forest.trees()) depth = std::max(depth, tree.depth);
  if (depth > kMaxDepth) return std::nullopt;
  scorer.positions_ = depth > 5 ? 64 : 32;
  const std::uint32_t positions = scorer.positions_;
  for (const FlatForest::Tree& tree : forest.trees()) {
    const FlatForest::Split* splits = forest.splits().data() + tree.first_split;
    const float* leaves = forest.leaves().data() + tree.first_leaf;
    for (std::uint32_t leaf = 0; leaf < (1u << tree.depth); ++leaf) {
      scorer.leaves_.insert(scorer.leaves_.end(), positions >> tree.depth, leaves[leaf]);
    }
    for (std::uint32_t node = 0; node + 1 < (1u << tree.depth); ++node) {
      if (same_subtrees(splits, leaves, tree.depth, 2 * node + 1, 2 * node + 2)) continue;
      const auto level = static_cast<std::uint32_t>(std::bit_width(node + 1) - 1);
      const std::uint32_t below = positions >> level;  // bottom positions under the node
      const std::uint32_t first = (node + 1 - (1u << level)) * below;
      const FlatForest::Split& split = splits[node];
      scorer.thresholds_.push_back(split.threshold);
      scorer.columns_.push_back(split.feature + (split.default_left != 0 ? static_cast<std::uint32_t>(scorer.feature_count_) : 0u));
      const std::uint64_t all = positions == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << positions) - 1;
      scorer.clears_.push_back(all & ~position_bits(first, below / 2, positions));
    }
    scorer.ends_.push_back(static_cast<std::uint32_t>(scorer.thresholds_.size()));
  }
  return scorer;
}

namespace {

struct Tables {
  const float* thresholds;
  const std::uint32_t* columns;
  const std::uint64_t* clears;
  const std::uint32_t* ends;
  std::size_t tree_count;
  const float* leaves;
};

// kVectors × 16 rows, transposed (`stride` floats per column), through every tree: per split,
// one broadcast threshold against each vector's column; per tree, each row's leaf by one
// two-table permute of the tree's 32 positions.
template <std::size_t kVectors>
__attribute__((target("avx512f,avx512cd"))) void score_chunk(const Tables& tables, const float* transposed, std::size_t stride,
                                                             float* margins) {
  __m512 sums[kVectors];
  for (std::size_t vector = 0; vector < kVectors; ++vector) sums[vector] = _mm512_loadu_ps(margins + vector * kLanes);
  std::uint32_t split = 0;
  for (std::size_t tree = 0; tree < tables.tree_count; ++tree) {
    __m512i leaf_sets[kVectors];
    for (std::size_t vector = 0; vector < kVectors; ++vector) leaf_sets[vector] = _mm512_set1_epi32(-1);
    for (; split < tables.ends[tree]; ++split) {
      const __m512 threshold = _mm512_set1_ps(tables.thresholds[split]);
      const __m512i clear = _mm512_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(tables.clears[split])));
      const float* column = transposed + tables.columns[split] * stride;
      for (std::size_t vector = 0; vector < kVectors; ++vector) {
        // Right unless value < threshold (no NaN is left in the transposed copies).
        const __mmask16 right = _mm512_cmp_ps_mask(_mm512_loadu_ps(column + vector * kLanes), threshold, _CMP_NLT_UQ);
        leaf_sets[vector] = _mm512_mask_and_epi32(leaf_sets[vector], right, leaf_sets[vector], clear);
      }
    }
    const float* leaves = tables.leaves + tree * 32;
    const __m512 low = _mm512_loadu_ps(leaves);
    const __m512 high = _mm512_loadu_ps(leaves + kLanes);
    for (std::size_t vector = 0; vector < kVectors; ++vector) {
      const __m512i position = _mm512_lzcnt_epi32(leaf_sets[vector]);
      sums[vector] = _mm512_add_ps(sums[vector], _mm512_permutex2var_ps(low, position, high));
    }
  }
  for (std::size_t vector = 0; vector < kVectors; ++vector) _mm512_storeu_ps(margins + vector * kLanes, sums[vector]);
}

// The same with 64 positions (a tree 6 deep): each vector's 16 rows keep their leaf sets in two
// vectors of eight 64-bit lanes (rows 0–7, 8–15), and a row's leaf is picked from the tree's 64
// by two two-table permutes blended on the position's bit 5.
template <std::size_t kVectors>
__attribute__((target("avx512f,avx512cd"))) void score_wide_chunk(const Tables& tables, const float* transposed, std::size_t stride,
                                                                  float* margins) {
  const __m512i low_halves = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  __m512 sums[kVectors];
  for (std::size_t vector = 0; vector < kVectors; ++vector) sums[vector] = _mm512_loadu_ps(margins + vector * kLanes);
  std::uint32_t split = 0;
  for (std::size_t tree = 0; tree < tables.tree_count; ++tree) {
    __m512i low_rows[kVectors], high_rows[kVectors];
    for (std::size_t vector = 0; vector < kVectors; ++vector) low_rows[vector] = high_rows[vector] = _mm512_set1_epi64(-1);
    for (; split < tables.ends[tree]; ++split) {
      const __m512 threshold = _mm512_set1_ps(tables.thresholds[split]);
      const __m512i clear = _mm512_set1_epi64(static_cast<long long>(tables.clears[split]));
      const float* column = transposed + tables.columns[split] * stride;
      for (std::size_t vector = 0; vector < kVectors; ++vector) {
        const __mmask16 right = _mm512_cmp_ps_mask(_mm512_loadu_ps(column + vector * kLanes), threshold, _CMP_NLT_UQ);
        low_rows[vector] = _mm512_mask_and_epi64(low_rows[vector], static_cast<__mmask8>(right), low_rows[vector], clear);
        high_rows[vector] = _mm512_mask_and_epi64(high_rows[vector], static_cast<__mmask8>(right >> 8), high_rows[vector], clear);
      }
    }
    const float* leaves = tables.leaves + tree * 64;
    const __m512 first = _mm512_loadu_ps(leaves), second = _mm512_loadu_ps(leaves + 16);
    const __m512 third = _mm512_loadu_ps(leaves + 32), fourth = _mm512_loadu_ps(leaves + 48);
    for (std::size_t vector = 0; vector < kVectors; ++vector) {
      // The 16 rows' positions as 32-bit lanes: the low halves of both vectors' 64-bit counts.
      const __m512i position = _mm512_permutex2var_epi32(_mm512_lzcnt_epi64(low_rows[vector]), low_halves, _mm512_lzcnt_epi64(high_rows[vector]));
      const __mmask16 upper = _mm512_test_epi32_mask(position, _mm512_set1_epi32(32));
      const __m512 leaf = _mm512_mask_blend_ps(upper, _mm512_permutex2var_ps(first, position, second), _mm512_permutex2var_ps(third, position, fourth));
      sums[vector] = _mm512_add_ps(sums[vector], leaf);
    }
  }
  for (std::size_t vector = 0; vector < kVectors; ++vector) _mm512_storeu_ps(margins + vector * kLanes, sums[vector]);
}

using ChunkScorer = void (*)(const Tables&, const float*, std::size_t, float*);
constexpr ChunkScorer kChunkScorers[kChunkVectors] = {score_chunk<1>, score_chunk<2>, score_chunk<3>, score_chunk<4>,
                                                      score_chunk<5>, score_chunk<6>, score_chunk<7>, score_chunk<8>};
constexpr ChunkScorer kWideChunkScorers[kWideChunkVectors] = {score_wide_chunk<1>, score_wide_chunk<2>, score_wide_chunk<3>,
                                                              score_wide_chunk<4>, score_wide_chunk<5>, score_wide_chunk<6>};

// Feature-major copies of `count` rows, `stride` floats per column (padding rows 0): columns
// [0, features) with NaN as +∞ (to the right), [features, 2·features) with NaN as −∞ (left).
void transpose(const float* rows, std::size_t columns, std::size_t count, std::size_t features, std::size_t stride, float* out) {
  constexpr float kInfinity = std::numeric_limits<float>::infinity();
  for (std::size_t row = 0; row < count; ++row) {
    for (std::size_t feature = 0; feature < features; ++feature) {
      const float value = rows[row * columns + feature];
      const bool missing = std::isnan(value);
      out[feature * stride + row] = missing ? kInfinity : value;
      out[(features + feature) * stride + row] = missing ? -kInfinity : value;
    }
  }
  for (std::size_t column = 0; column < 2 * features; ++column) std::fill(out + column * stride + count, out + (column + 1) * stride, 0.0f);
}

}  // namespace

void QuickScorerForest::add_margins(const float* rows, std::size_t columns, std::size_t count, float* margins) const {
  const Tables tables{thresholds_.data(), columns_.data(), clears_.data(), ends_.data(), ends_.size(), leaves_.data()};
  // Kept per thread: no allocation per cycle once warm.
  thread_local std::vector<float> transposed;
  transposed.resize(2 * std::max<std::size_t>(feature_count_, 1) * kChunkVectors * kLanes);
  const bool wide = positions_ == 64;
  const std::size_t most = wide ? kWideChunkVectors : kChunkVectors;
  std::size_t vectors_left = (count + kLanes - 1) / kLanes;
  std::size_t first = 0;
  while (vectors_left > 0) {
    // Chunks of balanced sizes: 13 vectors as 7 + 6 rather than 8 + 5.
    const std::size_t chunks_left = (vectors_left + most - 1) / most;
    const std::size_t vectors = (vectors_left + chunks_left - 1) / chunks_left;
    const std::size_t stride = vectors * kLanes;
    const std::size_t rows_in_chunk = std::min(stride, count - first);
    transpose(rows + first * columns, columns, rows_in_chunk, feature_count_, stride, transposed.data());
    float chunk_margins[kChunkVectors * kLanes] = {};
    std::copy_n(margins + first, rows_in_chunk, chunk_margins);
    (wide ? kWideChunkScorers : kChunkScorers)[vectors - 1](tables, transposed.data(), stride, chunk_margins);
    std::copy_n(chunk_margins, rows_in_chunk, margins + first);
    first += rows_in_chunk;
    vectors_left -= vectors;
  }
}

}  // namespace winiswin::ml
