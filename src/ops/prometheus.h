// GET /metrics: the engine's status in Prometheus' text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/). Every family has its
// # HELP and # TYPE lines, names match [a-zA-Z_:][a-zA-Z0-9_:]*, label values are escaped
// (\\, \", \n), and a histogram's buckets are cumulative with le="+Inf" equal to _count.
// Written by hand rather than with prometheus-cpp: the families are few, and that library
// would bring its own HTTP server (civetweb) beside ours; the test parses the output with a
// third-party parser (tests/ops).
//
// Metric names (all gauges unless _total / histogram):
//   winiswin_up, winiswin_healthy, winiswin_check_ok{check}
//   winiswin_decision_cycle_seconds (histogram), winiswin_decision_cycle_cpu_seconds_total, winiswin_last_cycle_seconds
//   winiswin_decisions_total, winiswin_signals_ranked_total, winiswin_refusals_total
//   winiswin_orders_sent_total, winiswin_orders_accepted_total, winiswin_order_rejects_total{code}
//   winiswin_fills_total, winiswin_liquidations_total
//   winiswin_breaker_level (0 NORMAL … 3 EMERGENCY), winiswin_breaker{level} (1 for the current)
//   winiswin_trading_state_level (0 NORMAL … 3 SHUTDOWN), winiswin_trading_state{state}
//   winiswin_equity_usdt, winiswin_drawdown_ratio, winiswin_open_positions, winiswin_virtual_positions
//   winiswin_market_stream_reconnects_total, winiswin_market_data_age_seconds, winiswin_symbols
//   winiswin_journal_writes_total, winiswin_journal_write_failures_total, winiswin_journal_write_seconds_total
//   winiswin_user_stream_reconnects_total (live)
//   winiswin_notifications_queued_total, _delivered_total, _dropped_total{importance}, _refused_total,
//   _retries_total, _rate_limited_total, winiswin_notification_queue_depth,
//   winiswin_notification_last_delivered_timestamp_seconds (with Discord configured; the last one
//   once a message went out)
//   process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
//   process_start_time_seconds, process_open_fds (the names Prometheus' client libraries use)
#pragma once

#include <optional>
#include <string>

#include "ops/health.h"
#include "ops/notification_counters.h"
#include "ops/process_stats.h"
#include "ops/status_snapshot.h"

namespace winiswin::ops {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string render_metrics(const StatusBoard& board, const HealthReport& health, Timestamp now, const std::optional<ProcessStats>& process,
                           const std::optional<NotificationCounters>& notifications = std::nullopt);

// `text` as a label value between quotes: \ → \\, " → \", newline → \n.
std::string escape_label_value(std::string_view text);

}  // namespace winiswin::ops
