#include "ops/prometheus.h"

#include <cmath>

#include <fmt/format.h>

namespace winiswin::ops {
namespace {

// A sample value as the format wants it: Go's float syntax, +Inf / -Inf / NaN spelled so.
std::string number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

class Exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  void sample(std::string_view name, double value, std::string_view labels = {}) {
    out_ += labels.empty() ? fmt::format("{} {}\n", name, number(value)) : fmt::format("{}{{{}}} {}\n", name, labels, number(value));
  }
  void gauge(std::string_view name, std::string_view help, double value) {
    family(name, "gauge", help);
    sample(name, value);
  }
  void counter(std::string_view name, std::string_view help, double value) {
    family(name, "counter", help);
    sample(name, value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string label(std::string_view name, std::string_view value) { return fmt::format("{}=\"{}\"", name, escape_label_value(value)); }

void write_histogram(Exposition& out, const LatencyHistogram& histogram, std::string_view name, std::string_view help) {
  out.family(name, "histogram", help);
  const std::string bucket = fmt::format("{}_bucket", name);
  for (std::size_t idx = 0; idx < histogram.bounds().size(); ++idx) {
    out.sample(bucket, static_cast<double>(histogram.cumulative(idx)), label("le", number(histogram.bounds()[idx])));
  }
  out.sample(bucket, static_cast<double>(histogram.count()), label("le", "+Inf"));
  out.sample(fmt::format("{}_sum", name), histogram.sum_seconds());
  out.sample(fmt::format("{}_count", name), static_cast<double>(histogram.count()));
}

void write_cycle_cpu(Exposition& out, const StatusSnapshot& status) {
  out.counter("winiswin_decision_cycle_cpu_seconds_total",
              "CPU time of the decision thread in decisions, seconds (wall time minus this: waiting for a core).",
              status.cycle_cpu_seconds);
}

void write_activity(Exposition& out, const StatusSnapshot& status) {
  const ActivityCounters& activity = status.activity;
  out.counter("winiswin_decisions_total", "5m closes decided.", static_cast<double>(status.decisions));
  out.counter("winiswin_signals_ranked_total", "Ranked signals over all decisions (real walk and virtual).",
              static_cast<double>(status.signals_ranked));
  out.counter("winiswin_refusals_total", "Ranked signals not traded for real (a limit or the venue refused).",
              static_cast<double>(activity.refusals));
  out.counter("winiswin_orders_sent_total", "Orders sent to the venue (each intent journalled before it is sent).",
              static_cast<double>(activity.orders_sent));
  out.counter("winiswin_orders_accepted_total", "Orders the venue accepted.", static_cast<double>(activity.orders_accepted));
  out.family("winiswin_order_rejects_total", "counter", "Orders the venue rejected, by its error code.");
  for (const auto& [code, count] : activity.rejects_by_code) {
    out.sample("winiswin_order_rejects_total", static_cast<double>(count), label("code", std::to_string(code)));
  }
  out.counter("winiswin_fills_total", "Fills of our orders.", static_cast<double>(activity.fills));
  out.counter("winiswin_liquidations_total", "Liquidation fills of our positions.", static_cast<double>(activity.liquidations));
  out.counter("winiswin_journal_writes_total", "Rows written to the journal.", static_cast<double>(activity.journal_writes));
  out.counter("winiswin_journal_write_failures_total", "Journal writes that failed.", static_cast<double>(activity.journal_failures));
  out.counter("winiswin_journal_write_seconds_total", "Time spent writing journal rows, seconds.", activity.journal_write_seconds);
}

template <typename Level>
void write_levels(Exposition& out, std::string_view name, std::string_view label_name, std::string_view help, Level current, int levels) {
  out.family(name, "gauge", help);
  for (int level_idx = 0; level_idx < levels; ++level_idx) {
    const auto level = static_cast<Level>(level_idx);
    out.sample(name, level == current ? 1.0 : 0.0, label(label_name, risk::name_of(level)));
  }
}

void write_account(Exposition& out, const StatusSnapshot& status) {
  out.gauge("winiswin_breaker_level", "Venue circuit breaker: 0 NORMAL, 1 WARNING, 2 CRITICAL, 3 EMERGENCY.",
            static_cast<double>(status.breaker));
  write_levels(out, "winiswin_breaker", "level", "Venue circuit breaker level (1 for the current one).", status.breaker, 4);
  out.gauge("winiswin_trading_state_level", "Trading state: 0 NORMAL, 1 CAUTIOUS, 2 RISK_AVERSE, 3 SHUTDOWN.",
            static_cast<double>(status.state));
  write_levels(out, "winiswin_trading_state", "state", "Trading state (1 for the current one).", status.state, 4);
  out.gauge("winiswin_equity_usdt", "Account equity (wallet + unrealised PnL) at the last mark, USDT.", status.equity);
  out.gauge("winiswin_drawdown_ratio", "Drawdown from the equity peak, 0..1.", status.drawdown);
  out.gauge("winiswin_open_positions", "Real trades open (pending entries included).", static_cast<double>(status.positions.size()));
  out.gauge("winiswin_virtual_positions", "Virtual positions open.", static_cast<double>(status.virtuals.size()));
  out.gauge("winiswin_last_cycle_seconds", "Wall time of the last decision, seconds.", status.last_cycle_seconds);
  out.counter("winiswin_market_stream_reconnects_total", "Market-data WebSocket reconnections.",
              static_cast<double>(status.market_reconnects));
  if (status.user_stream_reconnects) {
    out.counter("winiswin_user_stream_reconnects_total", "User-data (listen key) WebSocket reconnections (live only).",
                static_cast<double>(*status.user_stream_reconnects));
  }
  out.gauge("winiswin_symbols", "Symbols in the universe.", static_cast<double>(status.symbols));
  if (status.request_weight_used) {
    out.gauge("winiswin_request_weight_used", "REST request weight used in the current minute (X-MBX-USED-WEIGHT-1M, as the client counts it).",
              static_cast<double>(*status.request_weight_used));
  }
  out.gauge("winiswin_paused", "1 while paused by the operator (no new entries; exits and stops still managed).", status.paused ? 1.0 : 0.0);
}

void write_notifications(Exposition& out, const NotificationCounters& sent) {
  out.counter("winiswin_notifications_queued_total", "Discord messages the notifier's queue took.", static_cast<double>(sent.queued));
  out.counter("winiswin_notifications_delivered_total", "Discord messages Discord took.", static_cast<double>(sent.delivered));
  out.family("winiswin_notifications_dropped_total", "counter", "Discord messages dropped by the full queue, by importance.");
  out.sample("winiswin_notifications_dropped_total", static_cast<double>(sent.dropped_routine), label("importance", "routine"));
  out.sample("winiswin_notifications_dropped_total", static_cast<double>(sent.dropped_matters), label("importance", "matters"));
  out.counter("winiswin_notifications_refused_total", "Discord messages Discord refused for good (4xx), not sent again.",
              static_cast<double>(sent.refused));
  out.counter("winiswin_notification_retries_total", "Discord attempts made again after a 5xx or a connection failure.",
              static_cast<double>(sent.retries));
  out.counter("winiswin_notification_rate_limited_total", "Discord 429 answers waited out.", static_cast<double>(sent.rate_limited));
  out.gauge("winiswin_notification_queue_depth", "Discord messages waiting to be sent.", static_cast<double>(sent.queue_depth));
  if (sent.last_delivered) {
    out.gauge("winiswin_notification_last_delivered_timestamp_seconds", "When Discord last took a message, seconds since the epoch.",
              static_cast<double>(to_ms(*sent.last_delivered)) / 1000.0);
  }
}

void write_process(Exposition& out, const ProcessStats& process) {
  out.counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", process.cpu_seconds);
  out.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", process.resident_bytes);
  out.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", process.virtual_bytes);
  out.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", process.start_time_seconds);
  out.gauge("process_open_fds", "Number of open file descriptors.", process.open_fds);
}

}  // namespace

std::string escape_label_value(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') escaped += "\\\\";
    else if (c == '"') escaped += "\\\"";
    else if (c == '\n') escaped += "\\n";
    else escaped += c;
  }
  return escaped;
}

std::string render_metrics(const StatusBoard& board, const HealthReport& health, Timestamp now, const std::optional<ProcessStats>& process,
                           const std::optional<NotificationCounters>& notifications) {
  Exposition out;
  out.gauge("winiswin_up", "1 while the process serves metrics.", 1.0);
  out.gauge("winiswin_healthy", "1 when every /health check passes.", health.healthy() ? 1.0 : 0.0);
  out.family("winiswin_check_ok", "gauge", "Each /health check: 1 passing, 0 failing.");
  for (const HealthCheck& check : health.checks) out.sample("winiswin_check_ok", check.ok ? 1.0 : 0.0, label("check", check.name));
  if (const auto market = board.last_market_data()) {
    out.gauge("winiswin_market_data_age_seconds", "Seconds since the last market-data bar arrived.",
              static_cast<double>((now - *market).count()) / 1000.0);
  }
  if (const std::shared_ptr<const StatusSnapshot> status = board.latest()) {
    write_histogram(out, status->cycle_latency, "winiswin_decision_cycle_seconds",
                    "Wall time of one decision (LiveRunner::decide at a 5m close), seconds.");
    write_histogram(out, status->activity.journal_latency, "winiswin_journal_write_latency_seconds",
                    "Wall time of one journal write (a committed row), seconds.");
    write_cycle_cpu(out, *status);
    write_activity(out, *status);
    write_account(out, *status);
  }
  if (notifications) write_notifications(out, *notifications);
  if (process) write_process(out, *process);
  return out.take();
}

}  // namespace winiswin::ops
