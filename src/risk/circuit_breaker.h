// Graded circuit breaker for calls to the exchange.
//
// Levels and what they mean for the caller (`rate_multiplier`):
//   NORMAL     1      full request rate
//   WARNING    0.5    failure rate ≥ 20 % or ≥ 5 consecutive failures
//   CRITICAL   0.25   failure rate ≥ 40 % or ≥ 10 consecutive failures
//   EMERGENCY  0      failure rate ≥ 60 % or ≥ 15 consecutive failures: stop trading;
//                     only `reset()` (a human) leaves it
// The failure rate is over the last `window` calls (default 50), counted once at least
// `min_calls` (10) are in the window. Escalation is evaluated on each failure and may jump
// levels; recovery needs `recovery_successes` (5) consecutive successes and steps down one
// level at a time (never out of EMERGENCY).
// Back-off: after k consecutive failures the next call is allowed no sooner than
// base · 2^(k−1), capped (500 ms … 60 s by default).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"
#include "indicators/ring_buffer.h"

namespace winiswin::risk {

enum class BreakerLevel : std::uint8_t { kNormal, kWarning, kCritical, kEmergency };
std::string_view name_of(BreakerLevel level);

struct CircuitBreakerConfig {
  int window = 50;
  int min_calls = 10;
  double warning_rate = 0.20, critical_rate = 0.40, emergency_rate = 0.60;
  int warning_consecutive = 5, critical_consecutive = 10, emergency_consecutive = 15;
  int recovery_successes = 5;
  Milliseconds backoff_base{500};
  Milliseconds backoff_max{60'000};
};

struct BreakerTransition {
  BreakerLevel from;
  BreakerLevel to;
  std::string reason;
};

class CircuitBreaker {
 public:
  explicit CircuitBreaker(CircuitBreakerConfig config = {});

  // May a call be made now? False in EMERGENCY and during a back-off.
  [[nodiscard]] bool allows(Timestamp now) const;
  // The results of calls; each returns the level change it caused, if any.
  std::optional<BreakerTransition> record_success(Timestamp now);
  std::optional<BreakerTransition> record_failure(Timestamp now);
  // Manual reset (an operator's decision): back to NORMAL with a clean window.
  BreakerTransition reset(const std::string& who);

  [[nodiscard]] BreakerLevel level() const { return level_; }
  [[nodiscard]] double rate_multiplier() const;
  [[nodiscard]] double failure_rate() const;
  [[nodiscard]] int consecutive_failures() const { return consecutive_failures_; }
  [[nodiscard]] Timestamp next_allowed() const { return next_allowed_; }

 private:
  [[nodiscard]] BreakerLevel level_for_failures() const;

  CircuitBreakerConfig config_;
  indicators::RingBuffer<std::uint8_t> outcomes_;  // true = failure
  int failures_in_window_ = 0;
  int consecutive_failures_ = 0;
  int consecutive_successes_ = 0;
  BreakerLevel level_ = BreakerLevel::kNormal;
  Timestamp next_allowed_{};
};

}  // namespace winiswin::risk
