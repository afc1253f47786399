#include "structure/swings.h"

#include <algorithm>
#include <stdexcept>

namespace winiswin::structure {

SwingDetector::SwingDetector(int left, int right)
    : left_(left), right_(right), window_(static_cast<std::size_t>(left + right + 1)) {
  if (left < 0 || right < 1) throw std::invalid_argument("swing lengths: left ≥ 0, right ≥ 1");
  swings_.reserve(2 * kHistory);
}

std::optional<SwingUpdate> SwingDetector::update(const Kline& bar) {
  window_.push(bar);
  const BarIndex candidate = window_.newest() - right_;
  if (candidate - left_ < 0) return std::nullopt;
  // The window holds exactly [candidate − left, candidate + right]. O(left + right) with
  // both fixed: a constant bound per bar (21 comparisons at the default lengths). Nearest
  // neighbours first, stopping once the bar can be neither: most bars are out within a few.
  const Kline& middle = window_.at(candidate);
  bool is_high = true, is_low = true;
  const auto compare = [&](const Kline& other) {
    is_high &= other.high <= middle.high;
    is_low &= other.low >= middle.low;
  };
  for (int distance = 1; distance <= std::max(left_, right_) && (is_high || is_low); ++distance) {
    if (distance <= left_) compare(window_.at(candidate - distance));
    if (distance <= right_) compare(window_.at(candidate + distance));
  }
  if (!is_high && !is_low) return std::nullopt;
  const SwingType type = is_high ? SwingType::kHigh : SwingType::kLow;  // a bar that is both counts as a high
  const Swing swing{type, candidate, window_.newest(), middle.open_time, bar.open_time, is_high ? middle.high : middle.low};

  if (!swings_.empty() && swings_.back().type == type) {
    const Swing previous = swings_.back();
    const bool more_extreme = type == SwingType::kHigh ? swing.level > previous.level : swing.level < previous.level;
    if (!more_extreme) return std::nullopt;  // the run's swing stands (earliest among equals)
    swings_.back() = swing;
    return SwingUpdate{swing, previous};
  }
  if (swings_.size() == 2 * kHistory) swings_.erase(swings_.begin(), swings_.begin() + kHistory);  // amortised O(1)
  swings_.push_back(swing);
  return SwingUpdate{swing, std::nullopt};
}

}  // namespace winiswin::structure
