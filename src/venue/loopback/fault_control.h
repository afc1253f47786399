// Fault injection from outside: the JSON that `POST /control/faults` takes and
// `winiswin venue --faults JSON` passes at start. Every key is optional; the ones given
// replace those settings (faults.h says what each does):
//   {"seed": 7, "latency_ms": 50, "latency_jitter_ms": 10, "too_many_requests_rate": 0.1,
//    "ip_ban_rate": 0, "server_error_rate": 0.05, "retry_after_ms": 60000,
//    "lose_answer_for": ["run1-3-E"], "lost_answer_rate": 0, "lost_answer": "503" | "none",
//    "algo_query_lag_ms": 120000, "clock_skew_ms": -2000, "listen_key_validity_ms": 3600000,
//    "expire_listen_keys": true, "stall_market_streams": true, "drop_market_streams": true}
// The last three are actions, done once. An unknown key or a value of the wrong type is an
// error naming it, and nothing is changed.
#pragma once

#include <string_view>

#include "core/error.h"
#include "venue/loopback/faults.h"

namespace winiswin::loopback {

struct FaultActions {
  bool expire_listen_keys = false;
  bool stall_market_streams = false;
  bool drop_market_streams = false;
};

// `faults` updated from `json` (unchanged on an error), and the actions it asks for.
Result<FaultActions> apply_fault_json(std::string_view json, FaultConfig& faults);

}  // namespace winiswin::loopback
