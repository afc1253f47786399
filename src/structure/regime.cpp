#include "structure/regime.h"

#include <cmath>

namespace winiswin::structure {

std::string_view name_of(Regime regime) {
  switch (regime) {
    case Regime::kRanging: return "ranging";
    case Regime::kTrending: return "trending";
    case Regime::kVolatile: return "volatile";
    case Regime::kUnknown: break;
  }
  return "unknown";
}

RegimeDetector::RegimeDetector(int swing_right, RegimeConfig config)
    : config_(config), atr_baseline_(config.atr_baseline), rsi_history_(static_cast<std::size_t>(swing_right) + 1) {}

std::optional<Regime> RegimeDetector::update(double adx, double atr, double width_rank, double rsi,
                                             const std::optional<SwingUpdate>& swing) {
  rsi_history_.push(rsi);
  ++bars_;
  if (swing) {
    const Swing& s = swing->swing;
    const auto age = static_cast<std::size_t>(bars_ - 1 - s.pivot);
    const double pivot_rsi = age < rsi_history_.size() ? rsi_history_.back(age) : indicators::kNotReady;
    if (std::isfinite(pivot_rsi)) {
      if (s.type == SwingType::kHigh) {
        // A replacement compares with the swing before the replaced one, which we still hold.
        if (!swing->replaced && last_high_) reversal_risk_ = (s.level > *last_high_ && pivot_rsi < last_high_rsi_) ? -1 : 0;
        if (!swing->replaced) last_high_ = s.level, last_high_rsi_ = pivot_rsi;
      } else {
        if (!swing->replaced && last_low_) reversal_risk_ = (s.level < *last_low_ && pivot_rsi > last_low_rsi_) ? 1 : 0;
        if (!swing->replaced) last_low_ = s.level, last_low_rsi_ = pivot_rsi;
      }
    }
  }
  if (std::isfinite(atr)) atr_baseline_.update(atr);
  if (!std::isfinite(adx) || !std::isfinite(width_rank) || !atr_baseline_.ready()) return std::nullopt;
  atr_ratio_ = atr / atr_baseline_.value();
  Regime next = Regime::kRanging;
  if (atr_ratio_ >= config_.volatile_atr_ratio || width_rank >= config_.volatile_width_rank) {
    next = Regime::kVolatile;
  } else if (adx >= config_.trending_adx) {
    next = Regime::kTrending;
  }
  if (next == regime_) {
    candidate_bars_ = 0;
    return std::nullopt;
  }
  if (regime_ == Regime::kUnknown) {  // the first reading: nothing to flap from
    regime_ = next;
    return next;
  }
  candidate_bars_ = next == candidate_ ? candidate_bars_ + 1 : 1;
  candidate_ = next;
  if (candidate_bars_ < config_.confirm_bars) return std::nullopt;
  regime_ = next;
  candidate_bars_ = 0;
  return next;
}

}  // namespace winiswin::structure
