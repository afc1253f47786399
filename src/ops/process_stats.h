// The process's own CPU time and resident memory, from /proc/self (Linux), for /metrics —
// the original design's health monitor. Read on the HTTP thread at each scrape.
#pragma once

#include "core/error.h"

namespace winiswin::ops {

struct ProcessStats {
  double cpu_seconds = 0.0;          // user + system, since the process started
  double resident_bytes = 0.0;
  double virtual_bytes = 0.0;
  double start_time_seconds = 0.0;   // since the Unix epoch
  double open_fds = 0.0;
};

// kIo when /proc/self cannot be read (not Linux, or a hardened /proc).
Result<ProcessStats> read_process_stats();

// The calling thread's niceness raised (ops' I/O and pusher threads yield to the decision
// thread when they compete for a core); once per thread, a failure leaves the default.
void lower_this_threads_priority();

}  // namespace winiswin::ops
