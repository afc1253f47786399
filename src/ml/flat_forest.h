// An XGBoost binary:logistic forest read from its JSON model file into flat arrays, and a
// batch evaluator whose probabilities equal libxgboost 1.7's bit for bit.
//
// Why by hand: libxgboost's in-place predict costs 0.2–1.0 ms per 200-row batch here (its
// per-call set-up, a sparse feature vector per row, pointer-chasing nodes), five to twenty
// times the cycle's budget (issue 14), and no library evaluates XGBoost's JSON for us.
//
// Layout: each tree is padded to a complete binary tree of its own depth (a leaf above the
// bottom becomes a split whose both sides hold its value), so a walk is exactly `depth`
// branch-free steps, child = 2·node + 1 + went_right, and the node arrays need no pointers.
//
// Arithmetic, as libxgboost 1.7.4's CPU predictor does it (src/predictor/cpu_predictor.cc,
// predict_fn.h, src/common/math.h, src/objective/regression_loss.h): features as float;
// a missing one (NaN) takes the node's default side, else left when `value < threshold`
// in float; the margin is a float that starts at the base margin, -logf(1/base_score - 1),
// and adds each tree's leaf in the file's tree order; the probability is XGBoost's own
// Sigmoid (an exponent clamped at 88.7, 1/(expf(-x) + 1 + 1e-16f)), in float.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "ml/quick_scorer.h"

namespace winiswin::ml {

// How the forest evaluates a batch: all three give the same bits (tests run each).
//   kPortable  one row per tree walk, plain C++;
//   kAvx2      8 rows per vector walking each tree (a gather per level);
//   kAvx512    16 rows per vector, QuickScorer over the transposed batch (quick_scorer.h),
//              for forests whose trees are at most QuickScorerForest::kMaxDepth deep.
enum class ForestPath { kPortable, kAvx2, kAvx512 };
std::string_view name_of(ForestPath path);

class FlatForest {
 public:
  // Deeper trees would pad to 2^depth nodes each; such a model is refused (the caller can
  // predict through libxgboost instead).
  static constexpr int kMaxDepth = 12;

  // Refuses (with what and where) anything but a gbtree, binary:logistic model of numerical
  // splits: another objective, booster, categorical splits, a malformed or absent file.
  static Result<FlatForest> load(const std::filesystem::path& file);
  static Result<FlatForest> parse(std::string_view json, const std::string& where);

  // One probability per row of `columns` floats (row-major). Rows must be at least as
  // wide as the widest split index (checked at `predict` by the column count).
  // Through the fastest path this CPU and forest can take; the same values on every path.
  [[nodiscard]] Status predict(std::span<const float> rows, std::size_t columns, std::span<double> probabilities) const;
  // Through `path`; an error when it cannot be taken here (see can_take).
  [[nodiscard]] Status predict_on(ForestPath path, std::span<const float> rows, std::size_t columns,
                                  std::span<double> probabilities) const;
  // Whether the CPU has the path's instructions and (AVX-512) the trees are shallow enough.
  [[nodiscard]] bool can_take(ForestPath path) const;
  [[nodiscard]] ForestPath fastest_path() const;

  [[nodiscard]] std::size_t tree_count() const { return trees_.size(); }
  [[nodiscard]] float base_margin() const { return base_margin_; }
  // The widest split index + 1: how many columns a row needs.
  [[nodiscard]] std::size_t feature_count() const { return feature_count_; }

  struct Split {
    float threshold = 0.0f;
    std::uint16_t feature = 0;
    std::uint16_t default_left = 1;
  };
  struct Tree {
    std::uint32_t first_split = 0;  // into splits_: 2^depth - 1 of them
    std::uint32_t first_leaf = 0;   // into leaves_: 2^depth of them
    std::uint32_t depth = 0;
  };
  // The complete trees, as QuickScorerForest reads them.
  [[nodiscard]] std::span<const Tree> trees() const { return trees_; }
  [[nodiscard]] std::span<const Split> splits() const { return splits_; }
  [[nodiscard]] std::span<const float> leaves() const { return leaves_; }

 private:
  friend class FlatForestBuilder;
  void walk_margins(const float* rows, std::size_t columns, std::size_t count, bool avx2, float* margins) const;
  void add_margins(const float* rows, std::size_t columns, std::size_t count, float* margins) const;

  std::vector<Split> splits_;
  // The splits again, as the AVX2 path reads them: thresholds, and codes (the feature, with
  // the default side in bit 16); both, and the leaves, padded by 8 for its 8-wide loads.
  std::vector<float> thresholds_;
  std::vector<std::int32_t> codes_;
  std::vector<float> leaves_;
  std::vector<Tree> trees_;
  std::optional<QuickScorerForest> quick_scorer_;  // empty when a tree is too deep for it
  float base_margin_ = 0.0f;
  std::size_t feature_count_ = 0;
};

}  // namespace winiswin::ml
