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
// the chunk's transposed columns (28 features × 2 copies × 128 rows = 28 KB) stay in L1.
constexpr std::size_t kChunkVectors = 8;

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

// The leaf-set bits of bottom positions [first, first + count): position p is bit 31 − p, so
// that the leftmost position left is the count of leading zeros.
std::uint32_t position_bits(std::uint32_t first, std::uint32_t count) {
  std::uint32_t bits = 0;
  for (std::uint32_t position = first; position < first + count; ++position) bits |= 1u << (QuickScorerForest::kPositions - 1 - position);
  return bits;
}

}  // namespace

std::optional<QuickScorerForest> QuickScorerForest::from(const FlatForest& forest) {
  QuickScorerForest scorer;
  scorer.feature_count_ = forest.feature_count();
  for (const FlatForest::Tree& tree : forest.trees()) {
    if (tree.depth > kMaxDepth) return std::nullopt;
    const FlatForest::Split* splits = forest.splits().data() + tree.first_split;
    const float* leaves = forest.leaves().data() + tree.first_leaf;
    for (std::uint32_t leaf = 0; leaf < (1u << tree.depth); ++leaf) {
      scorer.leaves_.insert(scorer.leaves_.end(), kPositions >> tree.depth, leaves[leaf]);
    }
    for (std::uint32_t node = 0; node + 1 < (1u << tree.depth); ++node) {
      if (same_subtrees(splits, leaves, tree.depth, 2 * node + 1, 2 * node + 2)) continue;
      const auto level = static_cast<std::uint32_t>(std::bit_width(node + 1) - 1);
      const std::uint32_t below = kPositions >> level;  // bottom positions under the node
      const std::uint32_t first = (node + 1 - (1u << level)) * below;
      const FlatForest::Split& split = splits[node];
      scorer.thresholds_.push_back(split.threshold);
      scorer.columns_.push_back(split.feature + (split.default_left != 0 ? static_cast<std::uint32_t>(scorer.feature_count_) : 0u));
      scorer.clears_.push_back(~position_bits(first, below / 2));
    }
    scorer.ends_.push_back(static_cast<std::uint32_t>(scorer.thresholds_.size()));
  }
  return scorer;
}

namespace {

struct Tables {
  const float* thresholds;
  const std::uint32_t* columns;
  const std::uint32_t* clears;
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
      const __m512i clear = _mm512_set1_epi32(static_cast<int>(tables.clears[split]));
      const float* column = transposed + tables.columns[split] * stride;
      for (std::size_t vector = 0; vector < kVectors; ++vector) {
        // Right unless value < threshold (no NaN is left in the transposed copies).
        const __mmask16 right = _mm512_cmp_ps_mask(_mm512_loadu_ps(column + vector * kLanes), threshold, _CMP_NLT_UQ);
        leaf_sets[vector] = _mm512_mask_and_epi32(leaf_sets[vector], right, leaf_sets[vector], clear);
      }
    }
    const float* leaves = tables.leaves + tree * QuickScorerForest::kPositions;
    const __m512 low = _mm512_loadu_ps(leaves);
    const __m512 high = _mm512_loadu_ps(leaves + kLanes);
    for (std::size_t vector = 0; vector < kVectors; ++vector) {
      const __m512i position = _mm512_lzcnt_epi32(leaf_sets[vector]);
      sums[vector] = _mm512_add_ps(sums[vector], _mm512_permutex2var_ps(low, position, high));
    }
  }
  for (std::size_t vector = 0; vector < kVectors; ++vector) _mm512_storeu_ps(margins + vector * kLanes, sums[vector]);
}

using ChunkScorer = void (*)(const Tables&, const float*, std::size_t, float*);
constexpr ChunkScorer kChunkScorers[kChunkVectors] = {score_chunk<1>, score_chunk<2>, score_chunk<3>, score_chunk<4>,
                                                      score_chunk<5>, score_chunk<6>, score_chunk<7>, score_chunk<8>};

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
  std::size_t vectors_left = (count + kLanes - 1) / kLanes;
  std::size_t first = 0;
  while (vectors_left > 0) {
    // Chunks of balanced sizes: 13 vectors as 7 + 6 rather than 8 + 5.
    const std::size_t chunks_left = (vectors_left + kChunkVectors - 1) / kChunkVectors;
    const std::size_t vectors = (vectors_left + chunks_left - 1) / chunks_left;
    const std::size_t stride = vectors * kLanes;
    const std::size_t rows_in_chunk = std::min(stride, count - first);
    transpose(rows + first * columns, columns, rows_in_chunk, feature_count_, stride, transposed.data());
    float chunk_margins[kChunkVectors * kLanes] = {};
    std::copy_n(margins + first, rows_in_chunk, chunk_margins);
    kChunkScorers[vectors - 1](tables, transposed.data(), stride, chunk_margins);
    std::copy_n(chunk_margins, rows_in_chunk, margins + first);
    first += rows_in_chunk;
    vectors_left -= vectors;
  }
}

}  // namespace winiswin::ml
