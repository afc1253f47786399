// Fault injection as data: what the loopback venue does wrong on purpose, so clients can be
// tested against the failures a real exchange produces. Set at construction, replaced at run
// time with LoopbackExchange::set_faults (later also from `POST /control/faults`).
//
// Deterministic: every random decision comes from one generator seeded with `seed`
// (splitmix64, whose output is specified, unlike std:: distributions), and each request
// draws the same number of values whatever the rates, so the same requests in the same order
// meet the same faults on every run and changing one rate does not reshuffle the others.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace winiswin::loopback {

// How an order whose answer is lost is answered.
enum class LostAnswer {
  kServiceUnavailable,  // HTTP 503 {"code":-1007,"msg":"Timeout waiting for response from backend server. …"}
  kNoAnswer,            // no answer at all: the transport withholds it and the client times out
};

struct FaultConfig {
  std::uint64_t seed = 1;
  // Added latency: every answer waits latency + uniform[0, latency_jitter] (the transport applies it).
  Milliseconds latency{0};
  Milliseconds latency_jitter{0};
  // Per-request probabilities (0..1) of refusing the request unprocessed, drawn in this order:
  double too_many_requests_rate = 0.0;  // 429, -1003, Retry-After
  double ip_ban_rate = 0.0;             // 418, -1003 "IP banned until …", Retry-After
  double server_error_rate = 0.0;       // 503, -1001 "Internal error …" (not executed)
  Milliseconds retry_after{60'000};     // the Retry-After of 429 and 418 (whole seconds on the wire)
  // Orders (regular and algo) placed as usual but answered as lost (outcome unknown): the
  // ones whose client id is listed (once each), and a share of all the others.
  std::vector<std::string> lose_answer_for;
  double lost_answer_rate = 0.0;
  LostAnswer lost_answer = LostAnswer::kServiceUnavailable;
  // An algo order is invisible to GET/DELETE algoOrder and openAlgoOrders for this long after
  // it is placed (Binance's read-after-write lag, spec/changes-2026.md).
  Milliseconds algo_query_lag{0};
  // The server's clock runs this much ahead (negative: behind) of the exchange clock, in what
  // it reports (/time, serverTime) and in the recvWindow check.
  Milliseconds clock_skew{0};
  // A listen key expires this long after its creation or last keepalive (Binance: 60 min).
  Milliseconds listen_key_validity{60 * 60'000};
};

// splitmix64: a specified, portable generator (the same sequence on every platform).
class FaultDice {
 public:
  explicit FaultDice(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  double uniform();  // [0, 1)
  // True with probability `rate` (one draw whatever the rate).
  bool roll(double rate) { return uniform() < rate; }

 private:
  std::uint64_t state_;
};

}  // namespace winiswin::loopback
