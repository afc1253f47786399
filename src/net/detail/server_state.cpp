#include "net/detail/server_state.h"

namespace winiswin::net::detail {

ServerState::ServerState(HttpServerOptions server_options, HttpHandler http_handler)
    : options(std::move(server_options)), handler(std::move(http_handler)) {}

bool ServerState::adopt(const std::shared_ptr<LiveConnection>& connection) {
  const std::lock_guard lock(mutex_);
  if (stopping_) return false;
  live_.emplace(connection.get(), connection);
  return true;
}

void ServerState::release(const LiveConnection* connection) {
  std::shared_ptr<LiveConnection> released;  // destroyed after the lock is let go
  {
    const std::lock_guard lock(mutex_);
    const auto found = live_.find(connection);
    if (found == live_.end()) return;
    released = std::move(found->second);
    live_.erase(found);
  }
  released_.notify_all();
}

void ServerState::wait_until_no_connections() {
  std::unique_lock lock(mutex_);
  released_.wait(lock, [this] { return live_.empty(); });
}

void ServerState::shut_down_all() {
  std::vector<std::shared_ptr<LiveConnection>> connections;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    for (const auto& [key, connection] : live_) connections.push_back(connection);
  }
  for (const auto& connection : connections) connection->shut_down();
}

std::size_t ServerState::live_count() const {
  const std::lock_guard lock(mutex_);
  return live_.size();
}

const WebSocketHandler* ServerState::find_websocket_route(std::string_view path) const {
  const WebSocketHandler* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& [prefix, route_handler] : websocket_routes) {
    if (path.starts_with(prefix) && (best == nullptr || prefix.size() > best_length)) {
      best = &route_handler;
      best_length = prefix.size();
    }
  }
  return best;
}

std::string format_peer(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  std::string text;
  if (address.is_v6()) {
    text.append("[").append(address.to_string()).append("]");
  } else {
    text = address.to_string();
  }
  text.append(":").append(std::to_string(endpoint.port()));
  return text;
}

}  // namespace winiswin::net::detail
