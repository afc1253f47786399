// The flat forest's AVX-512 path: QuickScorer (Lucchese et al., SIGIR 2015) over 16 rows per
// vector, for forests whose trees are at most 6 deep (the default model: 200 trees of depth 4).
//
// Why not walk the trees, as the AVX2 path does: a walk needs one gather per level, and
// gathers are slow on the CPUs here (Zen 4). QuickScorer compares every split of a tree
// against its feature for 16 rows at once — with the batch transposed feature-major, each
// comparison is one contiguous load — and keeps, per row, a bit per bottom position of the
// tree (32 bits when every tree is at most 5 deep, else 64): a split a row passes on the right
// clears the positions of its left subtree. The row's
// leaf is then the leftmost position left (a leading-zero count), whatever the order of the
// comparisons; a split whose two subtrees are the same (the complete-tree padding) is skipped.
//
// Same bits as the other paths: comparisons are exact, a missing value (NaN) is replaced, in
// the copy of its column its split reads, by −∞ where the default side is left and +∞ where it
// is right (so `value < threshold` sends it there, thresholds being finite), and each row adds
// its trees' leaves in the file's tree order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace winiswin::ml {

class FlatForest;

class QuickScorerForest {
 public:
  static constexpr std::uint32_t kMaxDepth = 6;

  // Empty when a tree is deeper than kMaxDepth.
  static std::optional<QuickScorerForest> from(const FlatForest& forest);

  // Adds each tree's leaf to `margins` (count of them) for `count` rows of `columns` floats.
  // Needs AVX-512F and AVX-512CD (the caller checks the CPU).
  void add_margins(const float* rows, std::size_t columns, std::size_t count, float* margins) const;

 private:
  std::vector<float> thresholds_;       // the real splits, tree by tree
  std::vector<std::uint32_t> columns_;  // the split's column in the transposed batch
  std::vector<std::uint64_t> clears_;   // the leaf set, less the split's left subtree
  std::vector<std::uint32_t> ends_;     // per tree, one past its last split
  std::vector<float> leaves_;           // positions_ per tree, bottom positions left to right
  std::uint32_t positions_ = 32;        // bits of a row's leaf set: 32, or 64 for a tree 6 deep
  std::size_t feature_count_ = 0;
};

}  // namespace winiswin::ml
