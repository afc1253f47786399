// The operations HTTP server (`winiswin run --http HOST:PORT`): /health, /metrics and the
// read API over the StatusBoard the decision thread publishes on, and the journal read on a
// connection of its own. It never talks to the exchange and never calls into the engine:
// the decision thread publishes, this side only reads.
//
//   GET /health                   200 or 503, the checks in JSON (health.h)
//   GET /metrics                  Prometheus text format 0.0.4 (prometheus.h)
//   GET /api/state                mode, trading state, breaker, equity, drawdown, counters …
//   GET /api/positions            open real trades with stop and target
//   GET /api/signals              the last decision's ranked signals with their components
//   GET /api/virtual              open virtual positions
//   GET /api/trades?from=TIME     closed real trades whose exit is at or after TIME (any form
//                                 core/time.h's parse_utc_time reads), from the journal
//   GET /api/equity?from=TIME     the equity marks from the journal
//
// Binding: 127.0.0.1 (or any loopback address) by default; any other address only with a
// token (WINISWIN_HTTP_TOKEN): start() refuses otherwise. With a token set, /metrics and
// /api/* need "Authorization: Bearer <token>" (401 without); /health stays open for probes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "net/http_server.h"
#include "ops/health.h"
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
  // Asked first, before the method, token and built-in routes: its answer is served, nullopt
  // passes the request on. For endpoints that authenticate themselves (Discord's interactions
  // endpoint checks an Ed25519 signature; Discord cannot send our bearer token). Runs on the
  // I/O thread: it must answer quickly.
  std::function<std::optional<net::HttpResponse>(const net::HttpServerRequest&, const StatusBoard&)> extra_route;
};

// "HOST:PORT" (IPv4, or [IPv6]:PORT) into host and port; kInvalidArgument with the reason.
Status parse_listen_address(std::string_view text, OpsServerOptions& options);
// Loopback addresses need no token; any other does (kConfig naming the variable otherwise).
Status check_bind_policy(const OpsServerOptions& options);

class OpsServer {
 public:
  OpsServer(OpsServerOptions options, const StatusBoard& board);
  ~OpsServer();
  OpsServer(const OpsServer&) = delete;
  OpsServer& operator=(const OpsServer&) = delete;

  // The bind policy, then binds and serves on its own I/O thread.
  Status start();
  void stop();
  [[nodiscard]] std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace winiswin::ops
