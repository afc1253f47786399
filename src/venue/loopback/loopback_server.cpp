#include "venue/loopback/loopback_server.h"

#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "venue/loopback/fault_control.h"

namespace winiswin::loopback {
namespace {

// One WebSocket connection and what it listens to.
struct StreamSession {
  std::shared_ptr<net::WebSocketSession> socket;
  bool combined = false;             // {"stream":…,"data":…} envelopes (the /stream paths)
  std::set<std::string, std::less<>> streams;
  std::string listen_key;            // a user-data connection's key
  std::set<std::string, std::less<>> events;  // the `events` allow-list (empty: every event)
};

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (!text.empty()) {
    const std::size_t at = text.find(separator);
    const std::string_view part = text.substr(0, at);
    if (!part.empty()) parts.push_back(part);
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return parts;
}

std::string query_param(std::string_view query, std::string_view name) {
  for (const std::string_view pair : split(query, '&')) {
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
  }
  return {};
}

HttpRequest to_exchange(const net::HttpServerRequest& in) {
  HttpRequest request{in.method, in.target, {}, in.body};
  for (const auto& [name, value] : in.headers.fields()) request.headers.push_back(HttpHeader{name, value});
  return request;
}

net::HttpResponse to_network(const HttpResponse& out) {
  net::HttpResponse response{out.status, {}, out.body};
  for (const HttpHeader& header : out.headers) response.headers.add(header.name, header.value);
  return response;
}

}  // namespace

struct LoopbackServer::Impl {
  Impl(std::unique_ptr<LoopbackExchange> venue, LoopbackServerConfig settings)
      : exchange(std::move(venue)), config(settings),
        server(config.http, [this](const net::HttpServerRequest& request) { return serve(request); }) {
    server.add_websocket_route("/", [this](const std::shared_ptr<net::WebSocketSession>& socket, const net::HttpServerRequest& upgrade) {
      return connect(socket, upgrade);
    });
  }

  std::optional<net::HttpResponse> serve(const net::HttpServerRequest& request) {
    if (request.path() == "/control/faults") return control(request);
    const HttpResponse out = exchange->handle(to_exchange(request));
    if (out.withhold) return std::nullopt;  // fault injection: the client times out
    if (out.delay > Milliseconds{0}) std::this_thread::sleep_for(out.delay);
    return to_network(out);
  }

  // POST /control/faults (fault_control.h): the settings replaced, the actions done.
  net::HttpResponse control(const net::HttpServerRequest& request) {
    if (request.method != "POST") return net::HttpResponse{405, {}, R"({"error":"POST a JSON object of faults"})"};
    FaultConfig faults = exchange->faults();
    const auto actions = apply_fault_json(request.body, faults);
    if (!actions) {
      std::string message;  // JSON-escaped
      for (const char c : actions.error().message) {
        if (c == '"' || c == '\\') message += '\\';
        message += c;
      }
      return net::HttpResponse{400, {}, fmt::format(R"({{"error":"{}"}})", message)};
    }
    exchange->set_faults(faults);
    if (actions->expire_listen_keys) exchange->expire_listen_keys();
    if (actions->stall_market_streams) for_market_sessions([](net::WebSocketSession& socket) { socket.stall(); });
    if (actions->drop_market_streams) for_market_sessions([](net::WebSocketSession& socket) { socket.drop(); });
    spdlog::info("loopback venue: faults set: {}", request.body);
    return net::HttpResponse{200, {}, R"({"ok":true})"};
  }

  template <typename Action>
  void for_market_sessions(const Action& action) {
    const std::lock_guard lock(mutex);
    for (const auto& session : sessions) {
      if (session->listen_key.empty()) action(*session->socket);
    }
  }

  // A new WebSocket connection: what its path and query ask for, then its frames.
  net::WebSocketCallbacks connect(const std::shared_ptr<net::WebSocketSession>& socket, const net::HttpServerRequest& upgrade) {
    auto session = std::make_shared<StreamSession>();
    session->socket = socket;
    const std::vector<std::string_view> path = split(upgrade.path(), '/');
    const std::string_view last_dir = path.size() >= 2 ? path[path.size() - 2] : (path.empty() ? "" : path.back());
    const bool stream_mode = !path.empty() && path.back() == "stream";
    session->combined = stream_mode;
    {
      const std::lock_guard lock(mutex);
      const std::string listen_key = query_param(upgrade.query(), "listenKey");
      if (!listen_key.empty()) adopt_name(*session, listen_key);
      for (const std::string_view name : split(query_param(upgrade.query(), "streams"), '/')) adopt_name(*session, std::string(name));
      if (!stream_mode && last_dir == "ws" && !path.empty()) {
        for (std::size_t idx = 0; idx < path.size(); ++idx) {
          if (path[idx] == "ws") {
            for (std::size_t name = idx + 1; name < path.size(); ++name) adopt_name(*session, std::string(path[name]));
            break;
          }
        }
      }
      for (const std::string_view event : split(query_param(upgrade.query(), "events"), '/')) session->events.emplace(event);
      sessions.push_back(session);
    }
    std::weak_ptr<StreamSession> weak = session;
    return net::WebSocketCallbacks{[this, weak](std::string_view text) {
                                     if (auto held = weak.lock()) on_frame(*held, text);
                                   },
                                   [this, weak] {
                                     if (auto held = weak.lock()) disconnect(held);
                                   }};
  }

  // A stream name or a listen key, from a path, a query or a SUBSCRIBE frame (under `mutex`).
  void adopt_name(StreamSession& session, const std::string& name) {
    if (exchange->listen_key_active(name)) {
      session.listen_key = name;
      return;
    }
    if (name.find('@') == std::string::npos || session.streams.contains(name)) return;  // ccxt's /ws/<index>: no stream
    session.streams.insert(name);
    exchange->subscribe(name);
  }

  void on_frame(StreamSession& session, std::string_view text) {
    simdjson::dom::parser parser;
    simdjson::dom::object frame;
    if (parser.parse(text.data(), text.size()).get(frame) != simdjson::SUCCESS) return;
    std::string_view method;
    if (frame["method"].get_string().get(method) != simdjson::SUCCESS) return;
    simdjson::dom::element id_element;
    const std::string id = frame["id"].get(id_element) == simdjson::SUCCESS ? simdjson::to_string(id_element) : "null";
    const std::lock_guard lock(mutex);
    if (method == "LIST_SUBSCRIPTIONS") {
      std::string list;
      for (const std::string& stream : session.streams) list += fmt::format("{}\"{}\"", list.empty() ? "" : ",", stream);
      session.socket->send(fmt::format(R"({{"result":[{}],"id":{}}})", list, id));
      return;
    }
    simdjson::dom::array params;
    if (frame["params"].get_array().get(params) == simdjson::SUCCESS) {
      for (const simdjson::dom::element param : params) {
        std::string_view name;
        if (param.get_string().get(name) != simdjson::SUCCESS) continue;
        if (method == "SUBSCRIBE") adopt_name(session, std::string(name));
        if (method == "UNSUBSCRIBE" && session.streams.erase(std::string(name)) > 0) exchange->unsubscribe(name);
      }
    }
    session.socket->send(fmt::format(R"({{"result":null,"id":{}}})", id));
  }

  void disconnect(const std::shared_ptr<StreamSession>& session) {
    const std::lock_guard lock(mutex);
    for (const std::string& stream : session->streams) exchange->unsubscribe(stream);
    session->streams.clear();
    std::erase(sessions, session);
  }

  // One tick: the clock moves, and what it produced goes out.
  void tick(Timestamp target) {
    if (target > exchange->now()) {
      if (auto status = exchange->advance_to(target); !status) spdlog::warn("loopback venue clock: {}", status.error().message);
    }
    const std::vector<MarketStreamMessage> market = exchange->take_market_messages();
    const std::lock_guard lock(mutex);
    for (const MarketStreamMessage& message : market) {
      for (const auto& session : sessions) {
        if (session->streams.contains(message.stream)) session->socket->send(session->combined ? message.combined() : message.data);
      }
    }
    for (const auto& session : sessions) push_user_messages(*session);
  }

  void push_user_messages(StreamSession& session) {
    if (session.listen_key.empty()) return;
    auto messages = exchange->take_user_messages(session.listen_key);
    if (!messages) return;
    for (const UserStreamMessage& message : *messages) {
      if (!session.events.empty() && !session.events.contains(message.event) && message.event != "listenKeyExpired") continue;
      session.socket->send(session.combined ? fmt::format(R"({{"stream":"{}","data":{}}})", session.listen_key, message.json) : message.json);
      if (message.event == "listenKeyExpired") session.socket->close();
    }
  }

  void run_clock() {
    const auto wall_start = std::chrono::steady_clock::now();
    const Timestamp exchange_start = exchange->now();
    std::unique_lock lock(clock_mutex);
    while (!stopping) {
      clock_changed.wait_for(lock, config.tick, [this] { return stopping; });
      if (stopping) break;
      const double elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_start).count();
      lock.unlock();
      tick(exchange_start + Milliseconds{static_cast<std::int64_t>(elapsed_ms * config.speed)});
      lock.lock();
    }
  }

  std::unique_ptr<LoopbackExchange> exchange;
  LoopbackServerConfig config;
  std::mutex mutex;  // sessions and their subscriptions
  std::vector<std::shared_ptr<StreamSession>> sessions;
  std::mutex clock_mutex;
  std::condition_variable clock_changed;
  bool stopping = false;
  std::thread clock;
  net::HttpServer server;  // last: stopped first, while the rest still stands
};

LoopbackServer::LoopbackServer(std::unique_ptr<LoopbackExchange> exchange, LoopbackServerConfig config)
    : impl_(std::make_unique<Impl>(std::move(exchange), config)) {}

LoopbackServer::~LoopbackServer() { stop(); }

Status LoopbackServer::start() {
  if (auto status = impl_->server.start(); !status) return status;
  impl_->clock = std::thread([this] { impl_->run_clock(); });
  return Ok{};
}

void LoopbackServer::stop() {
  {
    const std::lock_guard lock(impl_->clock_mutex);
    impl_->stopping = true;
  }
  impl_->clock_changed.notify_all();
  if (impl_->clock.joinable()) impl_->clock.join();
  impl_->server.stop();
}

std::uint16_t LoopbackServer::port() const { return impl_->server.port(); }

void LoopbackServer::stall_market_streams() {
  impl_->for_market_sessions([](net::WebSocketSession& socket) { socket.stall(); });
}

void LoopbackServer::drop_market_streams() {
  impl_->for_market_sessions([](net::WebSocketSession& socket) { socket.drop(); });
}

LoopbackExchange& LoopbackServer::exchange() { return *impl_->exchange; }

}  // namespace winiswin::loopback
