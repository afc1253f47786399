#include "ops/ops_server.h"

#include <algorithm>
#include <charconv>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "journal/sqlite_journal.h"
#include "net/http_server.h"
#include "net/json_writer.h"
#include "ops/api_json.h"
#include "ops/dashboard.h"
#include "ops/process_stats.h"
#include "ops/prometheus.h"

namespace winiswin::ops {
namespace {

Timestamp wall_now() { return std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now()); }

net::HttpResponse answer(int status, std::string body, std::string_view content_type = "application/json") {
  net::HttpResponse response(status, {}, std::move(body));
  response.headers.set("Content-Type", std::string(content_type));
  response.headers.set("Cache-Control", "no-store");
  return response;
}

// The dashboard's files, with a policy that lets the page load scripts, styles and data from
// this server only (and the charting library set element styles): an injected script or a
// call elsewhere is refused by the browser.
net::HttpResponse dashboard_answer(const DashboardAsset& asset) {
  net::HttpResponse response = answer(200, *asset.body, asset.content_type);
  response.headers.set("Content-Security-Policy",
                       "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                       "frame-ancestors 'none'");
  response.headers.set("X-Content-Type-Options", "nosniff");
  return response;
}

net::HttpResponse error_answer(int status, std::string_view message) {
  net::JsonWriter json;
  return answer(status, json.begin_object().field("error", message).end_object().take());
}

bool is_loopback(std::string_view host) { return host.starts_with("127.") || host == "::1"; }

// A query value decoded: '+' is a space, %XX the byte XX; a broken escape is kept as it is
// (parse_utc_time then names the value it could not read).
std::string decode_query_value(std::string_view raw) {
  std::string decoded;
  decoded.reserve(raw.size());
  for (std::size_t idx = 0; idx < raw.size(); ++idx) {
    unsigned byte = 0;
    if (raw[idx] == '%' && idx + 2 < raw.size() &&
        std::from_chars(raw.data() + idx + 1, raw.data() + idx + 3, byte, 16).ptr == raw.data() + idx + 3) {
      decoded += static_cast<char>(byte);
      idx += 2;
    } else {
      decoded += raw[idx] == '+' ? ' ' : raw[idx];
    }
  }
  return decoded;
}

// The value of `name` in a raw query string ("from=2026-01-01&x=1"), decoded.
std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return decode_query_value(pair.substr(name.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace

Status parse_listen_address(std::string_view text, OpsServerOptions& options) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("--http '{}': expected HOST:PORT, e.g. 127.0.0.1:9100", text));
  }
  std::string_view host = text.substr(0, colon);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("--http '{}': the port '{}' is not a number from 0 to 65535", text, port_text));
  }
  options.host = std::string(host == "localhost" ? "127.0.0.1" : host);
  options.port = static_cast<std::uint16_t>(port);
  return Ok{};
}

Status check_bind_policy(const OpsServerOptions& options) {
  if (is_loopback(options.host)) return Ok{};
  if (options.token && !options.token->empty()) return Ok{};
  return make_error(ErrorCode::kConfig, fmt::format("--http {}: binding to an address other than loopback needs WINISWIN_HTTP_TOKEN set "
                                                    "(its bearer token guards the API); or bind 127.0.0.1 and reach it through a proxy",
                                                    options.host));
}

struct AddedRoute {
  std::string method;
  std::string path;
  OpsRouteHandler handler;
};

struct OpsServer::Impl {
  OpsServerOptions options;
  const StatusBoard& board;
  ControlMailbox* mailbox = nullptr;
  std::vector<AddedRoute> added;
  std::unique_ptr<DashboardStream> stream;
  std::unique_ptr<net::HttpServer> server;
  std::mutex journal_mutex;  // the read connection, should the server run more than one I/O thread
  std::unique_ptr<journal::SqliteJournal> journal;
  std::mutex metrics_mutex;  // the rendered /metrics, should the server run more than one I/O thread
  std::optional<std::chrono::steady_clock::time_point> metrics_rendered;
  std::string metrics_text;

  Impl(OpsServerOptions opts, const StatusBoard& status_board, ControlMailbox* control)
      : options(std::move(opts)), board(status_board), mailbox(control) {}

  std::optional<net::HttpResponse> handle(const net::HttpServerRequest& request);
  net::HttpResponse health() const;
  net::HttpResponse metrics();
  net::HttpResponse snapshot_api(std::string_view path) const;
  net::HttpResponse journal_api(std::string_view path, std::string_view query);
  net::HttpResponse events_api();
  net::HttpResponse control(const net::HttpServerRequest& request);
  net::HttpResponse await_control(ControlRequest request);
  bool authorised(const net::HttpServerRequest& request) const;
};

bool OpsServer::Impl::authorised(const net::HttpServerRequest& request) const {
  if (!options.token || options.token->empty()) return true;
  const auto header = request.headers.find("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  return header && header->starts_with(kBearer) && same_secret(header->substr(kBearer.size()), *options.token);
}

std::optional<net::HttpResponse> OpsServer::Impl::handle(const net::HttpServerRequest& request) {
  lower_this_threads_priority();
  const std::string_view path = request.path();
  const auto added_path = [&](const AddedRoute& route) { return route.path == path; };
  for (const AddedRoute& route : added) {
    if (route.path == path && route.method == request.method) return route.handler(request);
  }
  if (std::any_of(added.begin(), added.end(), added_path)) {
    return error_answer(405, fmt::format("{} {}: not a method this path serves", request.method, path));
  }
  if (path.starts_with("/api/control/")) return control(request);
  if (request.method != "GET") return error_answer(405, fmt::format("{} {}: only GET is served here", request.method, path));
  if (path == "/health") return health();
  if (const std::optional<DashboardAsset> asset = dashboard_asset(path)) return dashboard_answer(*asset);
  if (!authorised(request)) return error_answer(401, "this server needs Authorization: Bearer <WINISWIN_HTTP_TOKEN>");
  if (path == "/metrics") return metrics();
  if (path == "/api/trades" || path == "/api/equity" || path == "/api/events") return journal_api(path, request.query());
  if (path.starts_with("/api/")) return snapshot_api(path);
  return error_answer(404, fmt::format("{}: not found (GET /health, /metrics, /api/state, /api/positions, /api/signals, /api/virtual, "
                                       "/api/trades, /api/equity, /api/control; POST /api/control/pause|resume|close)", path));
}

net::HttpResponse OpsServer::Impl::health() const {
  const HealthReport report = check_health(board, wall_now(), options.health);
  return answer(report.healthy() ? 200 : 503, report.to_json());
}

net::HttpResponse OpsServer::Impl::metrics() {
  const std::lock_guard lock(metrics_mutex);
  const auto steady_now = std::chrono::steady_clock::now();
  if (!metrics_rendered || steady_now - *metrics_rendered >= options.metrics_max_age) {
    const Timestamp now = wall_now();
    const HealthReport report = check_health(board, now, options.health);
    auto process = read_process_stats();
    const std::optional<NotificationCounters> sent = options.notifications ? options.notifications() : std::nullopt;
    metrics_text = render_metrics(board, report, now, process ? std::optional<ProcessStats>(*process) : std::nullopt, sent);
    metrics_rendered = steady_now;
  }
  return answer(200, metrics_text, kPrometheusContentType);
}

net::HttpResponse OpsServer::Impl::snapshot_api(std::string_view path) const {
  const std::shared_ptr<const StatusSnapshot> status = board.latest();
  if (!status) return error_answer(503, "the engine has published no status yet (starting)");
  if (path == "/api/state") return answer(200, state_json(*status));
  if (path == "/api/positions") return answer(200, positions_json(*status));
  if (path == "/api/signals") return answer(200, signals_json(*status));
  if (path == "/api/virtual") return answer(200, virtual_json(*status));
  if (path == "/api/control") return answer(200, controls_json(*status));
  return error_answer(404, fmt::format("{}: no such API", path));
}

net::HttpResponse OpsServer::Impl::journal_api(std::string_view path, std::string_view query) {
  Timestamp from = Timestamp::min();
  if (const auto text = query_value(query, "from")) {
    auto parsed = parse_utc_time(*text);
    if (!parsed) return error_answer(400, fmt::format("from={}: {}", *text, parsed.error().message));
    from = *parsed;
  }
  const std::lock_guard lock(journal_mutex);
  if (!journal) {
    auto opened = journal::SqliteJournal::open_read_only(options.journal);
    if (!opened) return error_answer(503, opened.error().message);
    journal = std::move(*opened);
  }
  if (path == "/api/trades") {
    auto trades = journal->trades_exited_since(from);
    if (!trades) return error_answer(500, trades.error().message);
    return answer(200, trades_json(*trades));
  }
  if (path == "/api/events") return events_api();
  auto points = journal->equity_points_since(from);
  if (!points) return error_answer(500, points.error().message);
  return answer(200, equity_json(*points));
}

// The newest transitions, breaker level changes and refusals (the journal's lock held).
net::HttpResponse OpsServer::Impl::events_api() {
  constexpr int kLatest = 50;
  auto transitions = journal->latest_transitions(kLatest);
  if (!transitions) return error_answer(500, transitions.error().message);
  auto breaker = journal->latest_breaker_events(kLatest);
  if (!breaker) return error_answer(500, breaker.error().message);
  auto refusals = journal->latest_refusals(kLatest);
  if (!refusals) return error_answer(500, refusals.error().message);
  return answer(200, events_json(*transitions, *breaker, *refusals));
}

// A symbol as Binance spells one: capitals and digits (anything else cannot be ours to close).
bool plausible_symbol(std::string_view symbol) {
  constexpr std::size_t kLongest = 32;
  return !symbol.empty() && symbol.size() <= kLongest &&
         std::all_of(symbol.begin(), symbol.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

net::HttpResponse OpsServer::Impl::control(const net::HttpServerRequest& request) {
  const std::string_view path = request.path();
  if (request.method != "POST") return error_answer(405, fmt::format("{} {}: control actions are POST", request.method, path));
  if (!options.token || options.token->empty()) {
    return error_answer(403, "control is off: set WINISWIN_HTTP_TOKEN (a bearer token) in the engine's environment to pause, resume or close");
  }
  if (!authorised(request)) return error_answer(401, "control needs Authorization: Bearer <WINISWIN_HTTP_TOKEN>");
  const std::optional<ControlAction> action = control_action_named(path.substr(std::string_view("/api/control/").size()));
  if (!action) return error_answer(404, fmt::format("{}: no such control (POST /api/control/pause, /resume, /close?symbol=S)", path));
  if (!mailbox) return error_answer(503, "control is not wired in this process");
  ControlRequest posted{*action, {}, token_identity(*options.token), request.peer, wall_now()};
  if (*action == ControlAction::kClose) {
    posted.symbol = query_value(request.query(), "symbol").value_or("");
    if (!plausible_symbol(posted.symbol)) {
      return error_answer(400, fmt::format("close needs ?symbol=SYMBOL (capitals and digits, e.g. BTCUSDT); got '{}'", posted.symbol));
    }
  }
  return await_control(std::move(posted));
}

// The request into the mailbox, and its outcome as the decision thread gives it — or 202 when
// that takes longer than control_wait (it is still applied, and journalled, when its turn comes).
net::HttpResponse OpsServer::Impl::await_control(ControlRequest request) {
  const std::string action(name_of(request.action));
  const std::string symbol = request.symbol;
  std::optional<std::future<ControlOutcome>> outcome = mailbox->post(std::move(request));
  if (!outcome) return error_answer(429, fmt::format("{} control requests are waiting already: try again shortly", ControlMailbox::kCapacity));
  if (outcome->wait_for(options.control_wait) != std::future_status::ready) {
    return answer(202, control_answer_json(action, symbol, false, "queued: the engine applies it at its next loop round (see GET /api/control)"));
  }
  try {
    const ControlOutcome done = outcome->get();
    return answer(done.status, control_answer_json(action, symbol, done.ok(), done.message));
  } catch (const std::future_error&) {  // the engine stopped with it unanswered
    return error_answer(503, "the engine stopped before it applied the request");
  }
}

OpsServer::OpsServer(OpsServerOptions options, const StatusBoard& board, ControlMailbox* control)
    : impl_(std::make_unique<Impl>(std::move(options), board, control)) {}

void OpsServer::add_route(std::string method, std::string path, OpsRouteHandler handler) {
  if (impl_->server) throw std::logic_error("OpsServer::add_route called after start()");
  impl_->added.push_back(AddedRoute{std::move(method), std::move(path), std::move(handler)});
}

OpsServer::~OpsServer() { stop(); }

Status OpsServer::start() {
  if (auto allowed = check_bind_policy(impl_->options); !allowed) return allowed;
  net::HttpServerOptions server_options;
  server_options.host = impl_->options.host;
  server_options.port = impl_->options.port;
  server_options.max_body_bytes = 64 * 1024;  // control takes none; an added route's (Discord's) are small
  // Two: a control request waits for the decision thread on one while /health, /metrics and
  // the dashboard are served on the other.
  server_options.io_threads = 2;
  impl_->server = std::make_unique<net::HttpServer>(server_options, [impl = impl_.get()](const net::HttpServerRequest& request) {
    return impl->handle(request);
  });
  impl_->stream = std::make_unique<DashboardStream>(
      impl_->board, DashboardStream::Options{impl_->options.token, impl_->options.health, impl_->options.log_tail});
  impl_->server->add_websocket_route("/api/stream", [stream = impl_->stream.get()](const std::shared_ptr<net::WebSocketSession>& session,
                                                                                  const net::HttpServerRequest&) {
    return stream->accept(session);
  });
  if (auto started = impl_->server->start(); !started) return started;
  impl_->stream->start();
  return Ok{};
}

void OpsServer::stop() {
  if (impl_ && impl_->stream) impl_->stream->stop();
  if (impl_ && impl_->server) impl_->server->stop();
}

std::uint16_t OpsServer::port() const { return impl_->server ? impl_->server->port() : 0; }

}  // namespace winiswin::ops
