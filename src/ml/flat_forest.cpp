#include "ml/flat_forest.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <immintrin.h>

#include <fmt/format.h>
#include <simdjson.h>

namespace winiswin::ml {

namespace ondemand = simdjson::ondemand;

// Rows per AVX2 vector.
constexpr std::size_t kLanes = 8;

// One tree as the file lists it: parallel arrays indexed by node id, -1 for a leaf's children.
struct RawTree {
  std::vector<std::int64_t> left;
  std::vector<std::int64_t> right;
  std::vector<std::int64_t> split_index;
  std::vector<float> split_condition;
  std::vector<std::int64_t> default_left;
  std::vector<std::int64_t> split_type;
};

// The parts of the model file the forest needs.
struct RawModel {
  std::string objective;
  std::string booster;
  std::string base_score;
  std::string num_class = "0";
  std::vector<RawTree> trees;
  std::vector<std::int64_t> tree_info;
};

// Fills a FlatForest from a RawModel: checks the trees and pads each to a complete tree.
class FlatForestBuilder {
 public:
  static Result<FlatForest> build(const RawModel& raw, const std::string& where);

 private:
  static Result<std::uint32_t> depth_of(const RawTree& tree, std::int64_t node, std::uint32_t level, const std::string& where);
  static void fill(const RawTree& tree, std::int64_t node, std::uint32_t position, const FlatForest::Tree& flat, FlatForest& forest);
};

namespace {

Error json_error(simdjson::error_code code, const std::string& where, std::string_view what) {
  return make_error(ErrorCode::kInvalidArgument,
                    fmt::format("{}: {}: {} (not an XGBoost JSON model?)", where, what, simdjson::error_message(code)));
}

// Floats are parsed from the file's own digits straight to float, as XGBoost reads them:
// through double first, a value could round twice.
Result<float> float_of(std::string_view token, const std::string& where, std::string_view what) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t')) token.remove_suffix(1);
  float value = 0.0f;
  const auto parsed = std::from_chars(token.data(), token.data() + token.size(), value);
  if (parsed.ec != std::errc{} || parsed.ptr != token.data() + token.size() || !std::isfinite(value)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {} '{}' is not a finite float", where, what, token));
  }
  return value;
}

// Calls visit(key, value) for each field of `object`, in the file's order.
template <typename Visit>
Status for_each_field(ondemand::object object, const std::string& where, std::string_view what, Visit&& visit) {
  for (auto field : object) {
    std::string_view key;
    ondemand::value value;
    if (auto code = field.unescaped_key().get(key); code) return json_error(code, where, what);
    if (auto code = field.value().get(value); code) return json_error(code, where, what);
    if (auto status = visit(key, value); !status) return status;
  }
  return Ok{};
}

Status read_object(ondemand::value value, const std::string& where, std::string_view what, auto&& visit) {
  ondemand::object object;
  if (auto code = value.get_object().get(object); code) return json_error(code, where, what);
  return for_each_field(object, where, what, visit);
}

Status read_string(ondemand::value value, std::string& out, const std::string& where, std::string_view what) {
  std::string_view text;
  if (auto code = value.get_string().get(text); code) return json_error(code, where, what);
  out = text;
  return Ok{};
}

// Integers; XGBoost writes default_left as 0/1 (older files: booleans).
Status read_integers(ondemand::value value, std::vector<std::int64_t>& out, const std::string& where, std::string_view what) {
  ondemand::array array;
  if (auto code = value.get_array().get(array); code) return json_error(code, where, what);
  for (auto element : array) {
    ondemand::value item;
    if (auto code = element.get(item); code) return json_error(code, where, what);
    ondemand::json_type type;
    if (auto code = item.type().get(type); code) return json_error(code, where, what);
    if (type == ondemand::json_type::boolean) {
      bool flag = false;
      if (auto code = item.get_bool().get(flag); code) return json_error(code, where, what);
      out.push_back(flag ? 1 : 0);
      continue;
    }
    std::int64_t number = 0;
    if (auto code = item.get_int64().get(number); code) return json_error(code, where, what);
    out.push_back(number);
  }
  return Ok{};
}

Status read_floats(ondemand::value value, std::vector<float>& out, const std::string& where, std::string_view what) {
  ondemand::array array;
  if (auto code = value.get_array().get(array); code) return json_error(code, where, what);
  for (auto element : array) {
    ondemand::value item;
    std::string_view token;
    if (auto code = element.get(item); code) return json_error(code, where, what);
    token = item.raw_json_token();
    WINISWIN_TRY(const float number, float_of(token, where, what));
    out.push_back(number);
  }
  return Ok{};
}

Status read_tree(ondemand::value value, RawTree& tree, const std::string& where) {
  return read_object(value, where, "a tree", [&](std::string_view key, ondemand::value field) -> Status {
    if (key == "left_children") return read_integers(field, tree.left, where, key);
    if (key == "right_children") return read_integers(field, tree.right, where, key);
    if (key == "split_indices") return read_integers(field, tree.split_index, where, key);
    if (key == "split_conditions") return read_floats(field, tree.split_condition, where, key);
    if (key == "default_left") return read_integers(field, tree.default_left, where, key);
    if (key == "split_type") return read_integers(field, tree.split_type, where, key);
    return Ok{};
  });
}

Status read_trees(ondemand::value value, RawModel& model, const std::string& where) {
  ondemand::array array;
  if (auto code = value.get_array().get(array); code) return json_error(code, where, "trees");
  for (auto element : array) {
    ondemand::value item;
    if (auto code = element.get(item); code) return json_error(code, where, "trees");
    model.trees.emplace_back();
    if (auto status = read_tree(item, model.trees.back(), where); !status) return status;
  }
  return Ok{};
}

Status read_booster(ondemand::value value, RawModel& model, const std::string& where) {
  return read_object(value, where, "learner.gradient_booster", [&](std::string_view key, ondemand::value field) -> Status {
    if (key == "name") return read_string(field, model.booster, where, key);
    if (key != "model") return Ok{};
    return read_object(field, where, "gradient_booster.model", [&](std::string_view model_key, ondemand::value part) -> Status {
      if (model_key == "trees") return read_trees(part, model, where);
      if (model_key == "tree_info") return read_integers(part, model.tree_info, where, model_key);
      return Ok{};
    });
  });
}

Status read_learner(ondemand::value value, RawModel& model, const std::string& where) {
  return read_object(value, where, "learner", [&](std::string_view key, ondemand::value field) -> Status {
    if (key == "gradient_booster") return read_booster(field, model, where);
    if (key == "learner_model_param") {
      return read_object(field, where, key, [&](std::string_view param, ondemand::value setting) -> Status {
        if (param == "base_score") return read_string(setting, model.base_score, where, param);
        if (param == "num_class") return read_string(setting, model.num_class, where, param);
        return Ok{};
      });
    }
    if (key == "objective") {
      return read_object(field, where, key, [&](std::string_view part, ondemand::value setting) -> Status {
        return part == "name" ? read_string(setting, model.objective, where, "objective.name") : Status{Ok{}};
      });
    }
    return Ok{};
  });
}

Result<RawModel> read_model(std::string_view json, const std::string& where) {
  ondemand::parser parser;
  const simdjson::padded_string padded(json);
  ondemand::document document;
  if (auto code = parser.iterate(padded).get(document); code) return json_error(code, where, "the file");
  ondemand::object root;
  if (auto code = document.get_object().get(root); code) return json_error(code, where, "the file");
  RawModel model;
  if (auto status = for_each_field(root, where, "the file",
                                   [&](std::string_view key, ondemand::value field) -> Status {
                                     return key == "learner" ? read_learner(field, model, where) : Status{Ok{}};
                                   });
      !status) {
    return status.error();
  }
  return model;
}

// XGBoost 1.7's own Sigmoid (src/common/math.h), operation for operation, in float.
float xgboost_sigmoid(float margin) {
  constexpr float kEps = 1e-16f;
  const float exponent = std::min(-margin, 88.7f);
  const float denominator = expf(exponent) + 1.0f + kEps;
  return 1.0f / denominator;
}

Status check_tree(const RawTree& tree, std::size_t index, const std::string& where) {
  const std::size_t nodes = tree.left.size();
  const bool same_sizes = nodes > 0 && tree.right.size() == nodes && tree.split_index.size() == nodes &&
                          tree.split_condition.size() == nodes && tree.default_left.size() == nodes &&
                          (tree.split_type.empty() || tree.split_type.size() == nodes);
  if (!same_sizes) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: tree {}: its node arrays are missing or of different lengths", where, index));
  }
  for (std::size_t node = 0; node < nodes; ++node) {
    const bool leaf = tree.left[node] == -1;
    const auto in_range = [&](std::int64_t child) { return child > 0 && static_cast<std::size_t>(child) < nodes; };
    if (!leaf && (!in_range(tree.left[node]) || !in_range(tree.right[node]))) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: tree {} node {}: a child is out of range", where, index, node));
    }
    if (!leaf && (tree.split_index[node] < 0 || tree.split_index[node] > 0xffff)) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: tree {} node {}: split index {}", where, index, node, tree.split_index[node]));
    }
    if (!tree.split_type.empty() && tree.split_type[node] != 0) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("{}: tree {} node {}: a categorical split, which the flat forest does not evaluate", where, index, node));
    }
  }
  return Ok{};
}

Result<float> base_margin_of(const RawModel& raw, const std::string& where) {
  WINISWIN_TRY(const float base_score, float_of(raw.base_score, where, "learner_model_param.base_score"));
  if (!(base_score > 0.0f && base_score < 1.0f)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: base_score {} is outside (0, 1)", where, base_score));
  }
  // LogisticRegression::ProbToMargin (src/objective/regression_loss.h), in float.
  return -logf(1.0f / base_score - 1.0f);
}

Status check_model(const RawModel& raw, const std::string& where) {
  if (raw.objective != "binary:logistic") {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: objective '{}', not binary:logistic", where, raw.objective));
  }
  if (raw.booster != "gbtree") {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: booster '{}', not gbtree", where, raw.booster));
  }
  if (raw.num_class != "0" && raw.num_class != "1") {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {} classes, not one output", where, raw.num_class));
  }
  const bool one_group = std::all_of(raw.tree_info.begin(), raw.tree_info.end(), [](std::int64_t group) { return group == 0; });
  if (raw.tree_info.size() != raw.trees.size() || !one_group) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: tree_info does not list one output group for every tree", where));
  }
  for (std::size_t index = 0; index < raw.trees.size(); ++index) {
    if (auto status = check_tree(raw.trees[index], index, where); !status) return status;
  }
  return Ok{};
}

}  // namespace

Result<std::uint32_t> FlatForestBuilder::depth_of(const RawTree& tree, std::int64_t node, std::uint32_t level, const std::string& where) {
  if (level > static_cast<std::uint32_t>(FlatForest::kMaxDepth)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: a tree deeper than {} (or a cycle): the flat forest does not evaluate it", where, FlatForest::kMaxDepth));
  }
  const auto at = static_cast<std::size_t>(node);
  if (tree.left[at] == -1) return level;
  WINISWIN_TRY(const std::uint32_t left, depth_of(tree, tree.left[at], level + 1, where));
  WINISWIN_TRY(const std::uint32_t right, depth_of(tree, tree.right[at], level + 1, where));
  return std::max(left, right);
}

// Places `node` of the file's tree at `position` of the complete tree; a leaf above the
// bottom level fills both sides below it, so either way leads to its value.
void FlatForestBuilder::fill(const RawTree& tree, std::int64_t node, std::uint32_t position, const FlatForest::Tree& flat, FlatForest& forest) {
  const auto at = static_cast<std::size_t>(node);
  const std::uint32_t splits = (1u << flat.depth) - 1;
  if (position >= splits) {
    forest.leaves_[flat.first_leaf + position - splits] = tree.split_condition[at];
    return;
  }
  const bool leaf = tree.left[at] == -1;
  FlatForest::Split& split = forest.splits_[flat.first_split + position];
  if (!leaf) {
    split = {tree.split_condition[at], static_cast<std::uint16_t>(tree.split_index[at]), static_cast<std::uint16_t>(tree.default_left[at] != 0)};
    forest.feature_count_ = std::max<std::size_t>(forest.feature_count_, split.feature + 1u);
  }
  fill(tree, leaf ? node : tree.left[at], 2 * position + 1, flat, forest);
  fill(tree, leaf ? node : tree.right[at], 2 * position + 2, flat, forest);
}

Result<FlatForest> FlatForestBuilder::build(const RawModel& raw, const std::string& where) {
  if (auto status = check_model(raw, where); !status) return status.error();
  FlatForest forest;
  WINISWIN_TRY(forest.base_margin_, base_margin_of(raw, where));
  for (const RawTree& tree : raw.trees) {
    WINISWIN_TRY(const std::uint32_t depth, depth_of(tree, 0, 0, where));
    const FlatForest::Tree flat{static_cast<std::uint32_t>(forest.splits_.size()), static_cast<std::uint32_t>(forest.leaves_.size()), depth};
    forest.splits_.resize(forest.splits_.size() + (1u << depth) - 1);
    forest.leaves_.resize(forest.leaves_.size() + (1u << depth));
    fill(tree, 0, 0, flat, forest);
    forest.trees_.push_back(flat);
  }
  for (const FlatForest::Split& split : forest.splits_) {
    forest.thresholds_.push_back(split.threshold);
    forest.codes_.push_back(split.feature | (split.default_left != 0 ? 1 << 16 : 0));
  }
  // The AVX2 path loads eight entries from any level's or tree's start.
  forest.thresholds_.resize(forest.thresholds_.size() + kLanes);
  forest.codes_.resize(forest.codes_.size() + kLanes);
  forest.leaves_.resize(forest.leaves_.size() + kLanes);
  forest.quick_scorer_ = QuickScorerForest::from(forest);
  return forest;
}

Result<FlatForest> FlatForest::parse(std::string_view json, const std::string& where) {
  WINISWIN_TRY(const RawModel raw, read_model(json, where));
  return FlatForestBuilder::build(raw, where);
}

Result<FlatForest> FlatForest::load(const std::filesystem::path& file) {
  const std::string where = fmt::format("model {}", file.string());
  simdjson::padded_string text;
  if (auto code = simdjson::padded_string::load(file.string()).get(text); code) {
    return make_error(ErrorCode::kNotFound, fmt::format("{}: cannot read it: {}", where, simdjson::error_message(code)));
  }
  return parse(std::string_view(text), where);
}

namespace {

// Rows walked together through one tree by the portable path: their walks overlap in the CPU.
// (AVX2: four vectors of eight, enough independent walks to hide the gathers' latency.)
constexpr std::size_t kBlockRows = 32;

// The entries of `table` (`size` of them, a power of two; readable 8 past its end) at the
// lanes' indexes: permutes of 8 entries at a time, blended by which eight each lane wants —
// a level's splits and a tree's leaves are a few dozen entries, cheaper to permute than gather.
__attribute__((target("avx2"), always_inline)) inline __m256 select_floats(const float* table, std::uint32_t size, __m256i index) {
  __m256 result = _mm256_permutevar8x32_ps(_mm256_loadu_ps(table), index);
  const __m256i eighth = _mm256_srli_epi32(index, 3);
  for (std::uint32_t chunk = 1; chunk * kLanes < size; ++chunk) {
    const __m256i wanted = _mm256_cmpeq_epi32(eighth, _mm256_set1_epi32(static_cast<int>(chunk)));
    result = _mm256_blendv_ps(result, _mm256_permutevar8x32_ps(_mm256_loadu_ps(table + chunk * kLanes), index), _mm256_castsi256_ps(wanted));
  }
  return result;
}

__attribute__((target("avx2"), always_inline)) inline __m256i select_ints(const std::int32_t* table, std::uint32_t size, __m256i index) {
  const auto* vectors = reinterpret_cast<const __m256i*>(table);
  __m256i result = _mm256_permutevar8x32_epi32(_mm256_loadu_si256(vectors), index);
  const __m256i eighth = _mm256_srli_epi32(index, 3);
  for (std::uint32_t chunk = 1; chunk * kLanes < size; ++chunk) {
    const __m256i wanted = _mm256_cmpeq_epi32(eighth, _mm256_set1_epi32(static_cast<int>(chunk)));
    result = _mm256_blendv_epi8(result, _mm256_permutevar8x32_epi32(_mm256_loadu_si256(vectors + chunk), index), wanted);
  }
  return result;
}

// Eight rows' walks at once with AVX2, `kVectors` groups of eight interleaved: per level, the
// lanes' splits by permutes of that level's (contiguous) splits, their features by one
// gather. Comparisons are exact and each row still adds its trees' leaves in tree order, so
// the margins equal the portable path's bit for bit. A code is a split's feature (low 16
// bits) and default side (bit 16).
template <std::size_t kVectors>
__attribute__((target("avx2"))) void add_margins_avx2(std::span<const FlatForest::Tree> trees, const float* all_thresholds,
                                                      const std::int32_t* all_codes, const float* all_leaves, const float* rows,
                                                      std::size_t columns, float* margins) {
  const __m256i lane_offsets = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(static_cast<int>(columns)));
  const __m256i feature_bits = _mm256_set1_epi32(0xffff);
  const __m256i one = _mm256_set1_epi32(1);
  __m256 sums[kVectors];
  for (std::size_t group = 0; group < kVectors; ++group) sums[group] = _mm256_loadu_ps(margins + group * kLanes);
  for (const FlatForest::Tree& tree : trees) {
    __m256i index[kVectors];  // each lane's node within the level
    for (std::size_t group = 0; group < kVectors; ++group) index[group] = _mm256_setzero_si256();
    for (std::uint32_t level = 0; level < tree.depth; ++level) {
      const std::uint32_t first = tree.first_split + (1u << level) - 1;
      for (std::size_t group = 0; group < kVectors; ++group) {
        const __m256 threshold = select_floats(all_thresholds + first, 1u << level, index[group]);
        const __m256i code = select_ints(all_codes + first, 1u << level, index[group]);
        const __m256i at = _mm256_add_epi32(lane_offsets, _mm256_and_si256(code, feature_bits));
        const __m256 value = _mm256_i32gather_ps(rows + group * kLanes * columns, at, 4);
        const __m256 default_left = _mm256_castsi256_ps(_mm256_cmpgt_epi32(code, feature_bits));
        // Left when value < threshold; a missing value (NaN) is below nothing, so "not ≥"
        // (true for NaN) is the rule where the default side is left.
        const __m256 left = _mm256_blendv_ps(_mm256_cmp_ps(value, threshold, _CMP_LT_OQ), _mm256_cmp_ps(value, threshold, _CMP_NGE_UQ), default_left);
        // next = 2·index + went_right = 2·index + 1 + (left ? -1 : 0)
        index[group] = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(index[group], index[group]), one), _mm256_castps_si256(left));
      }
    }
    for (std::size_t group = 0; group < kVectors; ++group) {
      sums[group] = _mm256_add_ps(sums[group], select_floats(all_leaves + tree.first_leaf, 1u << tree.depth, index[group]));
    }
  }
  for (std::size_t group = 0; group < kVectors; ++group) _mm256_storeu_ps(margins + group * kLanes, sums[group]);
}

bool has_avx2() {
  static const bool supported = __builtin_cpu_supports("avx2");
  return supported;
}

bool has_avx512() {
  static const bool supported = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd");
  return supported;
}

}  // namespace

std::string_view name_of(ForestPath path) {
  switch (path) {
    case ForestPath::kPortable: return "portable";
    case ForestPath::kAvx2: return "avx2";
    case ForestPath::kAvx512: return "avx512";
  }
  return "unknown";
}

void FlatForest::add_margins(const float* rows, std::size_t columns, std::size_t count, float* margins) const {
  for (const Tree& tree : trees_) {
    const Split* splits = splits_.data() + tree.first_split;
    std::uint32_t node[kBlockRows] = {};
    for (std::uint32_t level = 0; level < tree.depth; ++level) {
      for (std::size_t row = 0; row < count; ++row) {
        const Split split = splits[node[row]];
        const float value = rows[row * columns + split.feature];
        // libxgboost: a missing value takes the default side, else right unless value < threshold.
        const bool right = !(value < split.threshold) & !(std::isnan(value) & (split.default_left != 0));
        node[row] = 2 * node[row] + 1 + static_cast<std::uint32_t>(right);
      }
    }
    // The bottom level's positions start after the 2^depth - 1 splits.
    const float* leaves = leaves_.data() + tree.first_leaf;
    const std::uint32_t first_leaf_position = (1u << tree.depth) - 1;
    for (std::size_t row = 0; row < count; ++row) margins[row] += leaves[node[row] - first_leaf_position];
  }
}

// The walking paths, a block of up to kBlockRows rows at a time.
void FlatForest::walk_margins(const float* rows, std::size_t columns, std::size_t count, bool avx2, float* margins) const {
  for (std::size_t first = 0; first < count; first += kBlockRows) {
    const std::size_t in_block = std::min(kBlockRows, count - first);
    const float* block = rows + first * columns;
    float* block_margins = margins + first;
    const std::size_t vectored = avx2 ? in_block / kLanes * kLanes : 0;
    switch (vectored / kLanes) {
      case 4: add_margins_avx2<4>(trees_, thresholds_.data(), codes_.data(), leaves_.data(), block, columns, block_margins); break;
      case 3: add_margins_avx2<3>(trees_, thresholds_.data(), codes_.data(), leaves_.data(), block, columns, block_margins); break;
      case 2: add_margins_avx2<2>(trees_, thresholds_.data(), codes_.data(), leaves_.data(), block, columns, block_margins); break;
      case 1: add_margins_avx2<1>(trees_, thresholds_.data(), codes_.data(), leaves_.data(), block, columns, block_margins); break;
      default: break;
    }
    if (vectored < in_block) add_margins(block + vectored * columns, columns, in_block - vectored, block_margins + vectored);
  }
}

bool FlatForest::can_take(ForestPath path) const {
  switch (path) {
    case ForestPath::kPortable: return true;
    case ForestPath::kAvx2: return has_avx2();
    case ForestPath::kAvx512: return has_avx512() && quick_scorer_.has_value();
  }
  return false;
}

ForestPath FlatForest::fastest_path() const {
  for (const ForestPath path : {ForestPath::kAvx512, ForestPath::kAvx2}) {
    if (can_take(path)) return path;
  }
  return ForestPath::kPortable;
}

Status FlatForest::predict(std::span<const float> rows, std::size_t columns, std::span<double> probabilities) const {
  return predict_on(fastest_path(), rows, columns, probabilities);
}

Status FlatForest::predict_on(ForestPath path, std::span<const float> rows, std::size_t columns, std::span<double> probabilities) const {
  if (columns == 0 || columns < feature_count_ || rows.size() != probabilities.size() * columns) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("flat forest: {} values for {} rows of {} columns (the model reads {})",
                                                               rows.size(), probabilities.size(), columns, feature_count_));
  }
  if (!can_take(path)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("flat forest: the {} path cannot be taken here (the CPU lacks it, or a tree is deeper than {})",
                                  name_of(path), QuickScorerForest::kMaxDepth));
  }
  const std::size_t count = probabilities.size();
  thread_local std::vector<float> margins;  // kept per thread: no allocation per cycle once warm
  margins.assign(count, base_margin_);
  if (path == ForestPath::kAvx512) {
    quick_scorer_->add_margins(rows.data(), columns, count, margins.data());
  } else {
    walk_margins(rows.data(), columns, count, path == ForestPath::kAvx2, margins.data());
  }
  for (std::size_t row = 0; row < count; ++row) probabilities[row] = static_cast<double>(xgboost_sigmoid(margins[row]));
  return Ok{};
}

}  // namespace winiswin::ml
