#include "ops/dashboard_stream.h"

#include <algorithm>

#include <fmt/format.h>

#include "net/json_writer.h"
#include "ops/api_json.h"
#include "ops/control.h"
#include "ops/process_stats.h"

namespace winiswin::ops {
namespace {

Timestamp wall_now() { return std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now()); }

}  // namespace

std::string status_bundle_json(const StatusSnapshot& status, const HealthReport& health, const std::vector<std::string>& log) {
  net::JsonWriter lines;
  lines.begin_array();
  for (const std::string& line : log) lines.value(line);
  // The parts are whole JSON texts already: joined, not parsed again.
  return fmt::format(R"({{"state":{},"health":{},"positions":{},"signals":{},"virtual":{},"control":{},"log":{}}})", state_json(status),
                     health.to_json(), positions_json(status), signals_json(status), virtual_json(status), controls_json(status),
                     lines.end_array().take());
}

DashboardStream::DashboardStream(const StatusBoard& board, Options options) : board_(board), options_(std::move(options)) {}

DashboardStream::~DashboardStream() { stop(); }

void DashboardStream::start() {
  if (pusher_.joinable()) return;
  pusher_ = std::thread([this] { run(); });
}

void DashboardStream::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (pusher_.joinable()) pusher_.join();
  const std::lock_guard lock(mutex_);
  sessions_.clear();
}

std::size_t DashboardStream::sessions() const {
  const std::lock_guard lock(mutex_);
  return sessions_.size();
}

net::WebSocketCallbacks DashboardStream::accept(const std::shared_ptr<net::WebSocketSession>& session) {
  {
    const std::lock_guard lock(mutex_);
    const bool open = !options_.token || options_.token->empty();
    sessions_.push_back(Session{session, open, true});
    anyone_fresh_ = anyone_fresh_ || open;
  }
  wake_.notify_all();
  const std::weak_ptr<net::WebSocketSession> weak = session;
  net::WebSocketCallbacks callbacks;
  callbacks.on_message = [this, weak](std::string_view text) {
    if (const auto socket = weak.lock()) on_message(socket, text);
  };
  callbacks.on_close = [this, weak] {
    const std::lock_guard lock(mutex_);
    std::erase_if(sessions_, [&](const Session& held) { return held.socket == weak.lock() || !held.socket->is_open(); });
  };
  return callbacks;
}

// The first message of a session is its token (when the server has one).
void DashboardStream::on_message(const std::shared_ptr<net::WebSocketSession>& socket, std::string_view text) {
  std::unique_lock lock(mutex_);
  const auto held = std::find_if(sessions_.begin(), sessions_.end(), [&](const Session& one) { return one.socket == socket; });
  if (held == sessions_.end() || held->authorised) return;
  if (!same_secret(text, options_.token.value_or(""))) {
    sessions_.erase(held);
    lock.unlock();
    socket->send(R"({"error":"this stream needs the server's WINISWIN_HTTP_TOKEN as its first message"})");
    socket->close();
    return;
  }
  held->authorised = true;
  anyone_fresh_ = true;
  lock.unlock();
  wake_.notify_all();
}

std::optional<std::string> DashboardStream::render() const {
  const std::shared_ptr<const StatusSnapshot> status = board_.latest();
  if (!status) return std::nullopt;
  const HealthReport health = check_health(board_, wall_now(), options_.health);
  return status_bundle_json(*status, health, options_.log_tail ? options_.log_tail() : std::vector<std::string>{});
}

// Each round: a bundle to every session when the snapshot is new or the heartbeat is due,
// else only to the sessions not yet sent one.
void DashboardStream::run() {
  lower_this_threads_priority();
  std::shared_ptr<const StatusSnapshot> last_sent;  // held: a new snapshot is never mistaken for it
  auto last_push = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.poll, [&] { return stopping_ || anyone_fresh_; });
    if (stopping_) break;
    const std::shared_ptr<const StatusSnapshot> latest = board_.latest();
    const bool due = std::chrono::steady_clock::now() - last_push >= options_.heartbeat;
    const bool everyone = latest != last_sent || due;
    if ((!everyone && !anyone_fresh_) || sessions_.empty() || !latest) continue;
    lock.unlock();
    const std::optional<std::string> bundle = render();
    lock.lock();
    if (!bundle) continue;
    for (Session& session : sessions_) {
      if (!session.authorised || (!everyone && !session.fresh)) continue;
      session.socket->send(*bundle);
      session.fresh = false;
    }
    anyone_fresh_ = false;
    if (everyone) {
      last_sent = latest;
      last_push = std::chrono::steady_clock::now();
    }
  }
}

}  // namespace winiswin::ops
