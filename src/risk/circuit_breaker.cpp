#include "risk/circuit_breaker.h"

#include <algorithm>

#include <fmt/format.h>

namespace winiswin::risk {

std::string_view name_of(BreakerLevel level) {
  switch (level) {
    case BreakerLevel::kNormal: return "NORMAL";
    case BreakerLevel::kWarning: return "WARNING";
    case BreakerLevel::kCritical: return "CRITICAL";
    case BreakerLevel::kEmergency: return "EMERGENCY";
  }
  return "?";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerConfig config)
    : config_(config), outcomes_(static_cast<std::size_t>(config.window)) {}

bool CircuitBreaker::allows(Timestamp now) const { return level_ != BreakerLevel::kEmergency && now >= next_allowed_; }

double CircuitBreaker::rate_multiplier() const {
  switch (level_) {
    case BreakerLevel::kNormal: return 1.0;
    case BreakerLevel::kWarning: return 0.5;
    case BreakerLevel::kCritical: return 0.25;
    case BreakerLevel::kEmergency: return 0.0;
  }
  return 0.0;
}

double CircuitBreaker::failure_rate() const {
  return outcomes_.size() == 0 ? 0.0 : static_cast<double>(failures_in_window_) / static_cast<double>(outcomes_.size());
}

BreakerLevel CircuitBreaker::level_for_failures() const {
  const bool rate_counts = static_cast<int>(outcomes_.size()) >= config_.min_calls;
  const double rate = failure_rate();
  const auto at_least = [&](double rate_threshold, int consecutive_threshold) {
    return (rate_counts && rate >= rate_threshold) || consecutive_failures_ >= consecutive_threshold;
  };
  if (at_least(config_.emergency_rate, config_.emergency_consecutive)) return BreakerLevel::kEmergency;
  if (at_least(config_.critical_rate, config_.critical_consecutive)) return BreakerLevel::kCritical;
  if (at_least(config_.warning_rate, config_.warning_consecutive)) return BreakerLevel::kWarning;
  return BreakerLevel::kNormal;
}

std::optional<BreakerTransition> CircuitBreaker::record_failure(Timestamp now) {
  if (outcomes_.full() && outcomes_.oldest() != 0) --failures_in_window_;
  outcomes_.push(1);
  ++failures_in_window_;
  ++consecutive_failures_;
  consecutive_successes_ = 0;
  // Exponential back-off: base · 2^(k−1), capped.
  const int doublings = std::min(consecutive_failures_ - 1, 30);
  const auto delay = std::min(config_.backoff_base * (std::int64_t{1} << doublings), config_.backoff_max);
  next_allowed_ = now + delay;
  const BreakerLevel target = level_for_failures();
  if (target <= level_) return std::nullopt;
  BreakerTransition transition{level_, target,
                               fmt::format("failure rate {:.0f} % over the last {} calls, {} consecutive failures",
                                           100.0 * failure_rate(), outcomes_.size(), consecutive_failures_)};
  level_ = target;
  return transition;
}

std::optional<BreakerTransition> CircuitBreaker::record_success(Timestamp /*now*/) {
  if (outcomes_.full() && outcomes_.oldest() != 0) --failures_in_window_;
  outcomes_.push(0);
  consecutive_failures_ = 0;
  ++consecutive_successes_;
  if (level_ == BreakerLevel::kNormal || level_ == BreakerLevel::kEmergency) return std::nullopt;
  if (consecutive_successes_ < config_.recovery_successes) return std::nullopt;
  consecutive_successes_ = 0;
  const BreakerLevel from = level_;
  level_ = static_cast<BreakerLevel>(static_cast<int>(level_) - 1);
  return BreakerTransition{from, level_, fmt::format("{} consecutive successes", config_.recovery_successes)};
}

BreakerTransition CircuitBreaker::reset(const std::string& who) {
  BreakerTransition transition{level_, BreakerLevel::kNormal, "manual reset by " + who};
  outcomes_ = indicators::RingBuffer<std::uint8_t>(static_cast<std::size_t>(config_.window));
  failures_in_window_ = consecutive_failures_ = consecutive_successes_ = 0;
  level_ = BreakerLevel::kNormal;
  next_allowed_ = Timestamp{};
  return transition;
}

}  // namespace winiswin::risk
