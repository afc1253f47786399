// The operations HTTP server (`winiswin run --http HOST:PORT`): /health, /metrics and the
// read API over the StatusBoard the decision thread publishes on, and the journal read on a
// connection of its own. It never talks to the exchange and never calls into the engine:
// the decision thread publishes, this side only reads.
//
//   GET /                         the dashboard (dashboard.h; its files under /dashboard/)
//   WebSocket /api/stream         the dashboard's live status bundles (dashboard_stream.h)
//   GET /health                   200 or 503, the checks in JSON (health.h)
//   GET /metrics                  Prometheus text format 0.0.4 (prometheus.h)
//   GET /api/state                mode, trading state, breaker, equity, drawdown, counters …
//   GET /api/positions            open real trades with stop and target
//   GET /api/signals              the last decision's ranked signals with their components
//   GET /api/virtual              open virtual positions
//   GET /api/trades?from=TIME     closed real trades whose exit is at or after TIME (any form
//                                 core/time.h's parse_utc_time reads), from the journal
//   GET /api/equity?from=TIME     the equity marks from the journal
//   GET /api/events               the journal's newest transitions, breaker changes, refusals
//   GET /api/control              paused or not, the latest control actions
//   POST /api/control/pause       no new entries (exits, stops, supervision go on)
//   POST /api/control/resume      entries again
//   POST /api/control/close?symbol=S   the open trade on S closed at market (exit reason "operator")
//
// Control needs the bearer token, on loopback too: without WINISWIN_HTTP_TOKEN it is refused
// (403). The HTTP thread never calls the engine: a control request goes into the
// ControlMailbox (control.h), the decision thread acts on it at its next loop round and
// journals it (who, from where, when, what came of it); the answer waits for that up to
// `control_wait` (200 / 404 / 409 / 502 with the result), else says 202 "queued" (the result
// then shows in GET /api/control).
//
// Binding: 127.0.0.1 (or any loopback address) by default; any other address only with a
// token (WINISWIN_HTTP_TOKEN): start() refuses otherwise. With a token set, /metrics and
// /api/* need "Authorization: Bearer <token>" (401 without); /health and the dashboard's
// files (no data in them) stay open; the stream wants the token as its first message.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "net/http_server.h"
#include "ops/control.h"
#include "ops/dashboard_stream.h"
#include "ops/health.h"
#include "ops/notification_counters.h"
#include "ops/status_snapshot.h"

namespace winiswin::ops {

struct OpsServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                    // 0: any free port (port() says which)
  std::optional<std::string> token;          // WINISWIN_HTTP_TOKEN
  std::filesystem::path journal;             // read-only, for /api/trades and /api/equity
  HealthLimits health;
  // /metrics is rendered at most once per this interval and the same text served meanwhile
  // (Prometheus scrapes every 15 s or so): a flood of scrapes costs socket work only, not a
  // render and a /proc read each — the HTTP thread competes less with the decision thread.
  Milliseconds metrics_max_age{1'000};
  // How long a control request's answer waits for the decision thread (a loop round is
  // ~100 ms; a decision can take longer) before it answers 202 "queued".
  Milliseconds control_wait{10'000};
  LogTail log_tail;  // the newest log lines for the dashboard (may be empty)
  NotificationSource notifications;  // the Discord notifier's counters for /metrics (may be empty)
};

// A route another part of the program adds (Discord's interactions endpoint): it answers on
// an I/O thread, quickly, and does its own authorisation — the bearer token is not asked.
using OpsRouteHandler = std::function<net::HttpResponse(const net::HttpServerRequest&)>;
struct OpsRoute {
  std::string method;
  std::string path;  // exact, without the query
  OpsRouteHandler handler;
};

// "HOST:PORT" (IPv4, or [IPv6]:PORT) into host and port; kInvalidArgument with the reason.
Status parse_listen_address(std::string_view text, OpsServerOptions& options);
// Loopback addresses need no token; any other does (kConfig naming the variable otherwise).
Status check_bind_policy(const OpsServerOptions& options);

class OpsServer {
 public:
  // `control`: where control requests go (nullptr: control answers 503, not wired).
  OpsServer(OpsServerOptions options, const StatusBoard& board, ControlMailbox* control = nullptr);
  ~OpsServer();
  OpsServer(const OpsServer&) = delete;
  OpsServer& operator=(const OpsServer&) = delete;

  // `method` `path` (exact, without the query) answered by `handler`, ahead of the built-in
  // routes; before start().
  void add_route(std::string method, std::string path, OpsRouteHandler handler);

  // The bind policy, then binds and serves on its own I/O threads.
  Status start();
  void stop();
  [[nodiscard]] std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace winiswin::ops
