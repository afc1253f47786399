#include "ml/placebo_model.h"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "ml/blend.h"

namespace winiswin::ml {

namespace {

// splitmix64's finaliser: a well-mixed 64-bit value from any input (no library offers a
// stable, platform-independent hash; std::hash may differ between standard libraries).
std::uint64_t mixed(std::uint64_t value) {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

std::uint64_t hash_of(const strategy::Signal& signal) {
  std::uint64_t hash = mixed(static_cast<std::uint64_t>(to_ms(signal.time)) * 2 + (signal.side == Side::kBuy ? 1 : 0));
  for (const char letter : signal.symbol) hash = mixed(hash ^ static_cast<unsigned char>(letter));
  return hash;
}

}  // namespace

PlaceboModel::PlaceboModel(std::vector<double> probabilities, double model_weight)
    : sorted_(std::move(probabilities)), model_weight_(model_weight) {
  std::sort(sorted_.begin(), sorted_.end());
}

double PlaceboModel::probability_of(const strategy::Signal& signal) const {
  if (sorted_.empty()) return 0.5;
  return sorted_[hash_of(signal) % sorted_.size()];
}

Status PlaceboModel::evaluate(std::span<const strategy::Signal> batch, std::span<double> scores, std::span<double> probabilities) const {
  if (scores.size() != batch.size() || probabilities.size() != batch.size()) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("model {}: {} scores and {} probabilities for {} signals", name(), scores.size(), probabilities.size(), batch.size()));
  }
  for (std::size_t idx = 0; idx < batch.size(); ++idx) {
    probabilities[idx] = probability_of(batch[idx]);
    scores[idx] = blended_score(probabilities[idx], batch[idx].confidence, model_weight_);
  }
  return Ok{};
}

}  // namespace winiswin::ml
