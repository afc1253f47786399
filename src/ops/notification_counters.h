// What /metrics shows of the Discord notifier: plain counts, so that ops needs nothing of
// notify (which sits above it). The run wires a NotificationSource that reads the notifier's
// own counters under its lock; the HTTP thread calls it when it renders /metrics, so the
// figures are those of the scrape, not of the last decision (a queue drains between two).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "core/time.h"

namespace winiswin::ops {

struct NotificationCounters {
  std::uint64_t queued = 0;             // messages the queue took, since start
  std::uint64_t delivered = 0;
  std::uint64_t dropped_routine = 0;    // pushed out of a full queue (or refused by it)
  std::uint64_t dropped_matters = 0;
  std::uint64_t refused = 0;            // Discord said no for good (4xx): not sent again
  std::uint64_t retries = 0;            // attempts again after a 5xx or a connection failure
  std::uint64_t rate_limited = 0;       // 429s waited out
  std::uint64_t queue_depth = 0;        // waiting now
  std::optional<Timestamp> last_delivered;  // wall time of the last message Discord took
};

// Any thread, never blocking for long (a lock held for a copy); nullopt: no notifier.
using NotificationSource = std::function<std::optional<NotificationCounters>()>;

}  // namespace winiswin::ops
