// What to do after one attempt to post a message to Discord.
//
//   2xx                     delivered
//   429                     rate-limited: wait as long as Discord says — the Retry-After header,
//                           else X-RateLimit-Reset-After, else the JSON body's retry_after (all
//                           seconds, fractions allowed) — then send it again
//   5xx, no answer          Discord or the network is failing: back off (doubling, capped) and
//                           send it again
//   any other 4xx           refused for good (a deleted webhook, a bad token, a bad payload):
//                           resending cannot help — the message is dropped and the reason logged
// A delivered answer with X-RateLimit-Remaining: 0 asks for a pause (its Reset-After) before
// the next message, so the bucket is not run into a 429 at all.
#pragma once

#include <optional>

#include "core/error.h"
#include "core/time.h"
#include "net/http_message.h"

namespace winiswin::notify {

enum class AttemptOutcome { kDelivered, kRateLimited, kFailedRetry, kRefused };

struct AttemptVerdict {
  AttemptOutcome outcome = AttemptOutcome::kDelivered;
  std::optional<Milliseconds> wait;  // kRateLimited: as Discord asked; kDelivered: a pause before the next (bucket empty)
};

AttemptVerdict judge_attempt(const Result<net::HttpResponse>& answer);

// How long a 429 asks to wait (the three places above, in that order); nullopt when it says not.
std::optional<Milliseconds> rate_limit_wait(const net::HttpResponse& response);

// The back-off before retry number `failures` (1, 2 …): first·2^(failures−1), at most `cap`.
Milliseconds backoff_delay(int failures, Milliseconds first, Milliseconds cap);

}  // namespace winiswin::notify
