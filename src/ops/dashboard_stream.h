// The dashboard's live updates: WebSocket sessions on /api/stream, each sent the status bundle
// (state, health, positions, signals, virtual positions, control, log tail — one JSON object)
// when the engine publishes a new snapshot, and at least every `heartbeat` (health ages).
//
// Authentication: a browser's WebSocket cannot send an Authorization header, so with a token
// configured the client's first message is the token; until it matches nothing is sent, and a
// wrong one gets {"error":…} and the close. Without a token every session is served at once.
//
// Threading: sessions come and go on the server's I/O threads; one pusher thread of its own
// (at lowered priority) renders each bundle once and sends it to every session (sends are
// queued by the session, never waited for). The decision thread is not involved: it only
// publishes on the StatusBoard.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "net/http_server.h"
#include "ops/health.h"
#include "ops/status_snapshot.h"

namespace winiswin::ops {

using LogTail = std::function<std::vector<std::string>()>;

// The bundle the stream sends: {"state","health","positions","signals","virtual","control","log"}.
std::string status_bundle_json(const StatusSnapshot& status, const HealthReport& health, const std::vector<std::string>& log);

class DashboardStream {
 public:
  struct Options {
    std::optional<std::string> token;
    HealthLimits health;
    LogTail log_tail;                     // may be empty
    Milliseconds poll{250};               // how often the board is looked at
    Milliseconds heartbeat{5'000};        // a bundle at least this often
  };
  DashboardStream(const StatusBoard& board, Options options);
  ~DashboardStream();
  DashboardStream(const DashboardStream&) = delete;
  DashboardStream& operator=(const DashboardStream&) = delete;

  // The server's WebSocket handler for /api/stream.
  net::WebSocketCallbacks accept(const std::shared_ptr<net::WebSocketSession>& session);
  void start();
  void stop();
  [[nodiscard]] std::size_t sessions() const;

 private:
  struct Session {
    std::shared_ptr<net::WebSocketSession> socket;
    bool authorised = false;
    bool fresh = true;  // not sent a bundle yet
  };
  void run();
  void on_message(const std::shared_ptr<net::WebSocketSession>& socket, std::string_view text);
  std::optional<std::string> render() const;

  const StatusBoard& board_;
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Session> sessions_;
  bool stopping_ = false;
  bool anyone_fresh_ = false;
  std::thread pusher_;
};

}  // namespace winiswin::ops
