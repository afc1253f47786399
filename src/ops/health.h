// GET /health: is this process fit to trade? Each check passes or fails with a reason; the
// answer is 200 when all pass, 503 with the failing ones otherwise.
//
//   decision_loop       the loop went round within `loop_max_age` (a stalled loop trades nothing)
//   market_data_fresh   a bar arrived within `market_data_max_age` (5m bars: one per 5 min per
//                       symbol; the default allows one missed close)
//   venue_reachable     no venue step failing 3 times in a row (run_command.cpp's LoopHealth)
//   reconciliation_done live: the start-up reconciliation applied (paper has none to do)
//   breaker             the circuit breaker below EMERGENCY
//   journal_writable    the last journal write succeeded
// Before the first snapshot every check but the loop's fails as "not published yet".
// Paused by the operator is no failure: the answer says "paused": true (exits and stops are
// still managed), and stays 200 when every check passes.
#pragma once

#include <string>
#include <vector>

#include "ops/status_snapshot.h"

namespace winiswin::ops {

struct HealthLimits {
  Milliseconds loop_max_age{60'000};
  Milliseconds market_data_max_age{11 * 60'000};
};

struct HealthCheck {
  std::string name;
  bool ok = false;
  std::string detail;  // what was seen (failing: what is wrong)
};

struct HealthReport {
  std::vector<HealthCheck> checks;
  bool paused = false;
  [[nodiscard]] bool healthy() const;
  [[nodiscard]] std::string to_json() const;  // {"status":"ok"|"failing","paused":bool,"failing":[…],"checks":[…]}
};

HealthReport check_health(const StatusBoard& board, Timestamp now, const HealthLimits& limits);

}  // namespace winiswin::ops
