// The operator's control actions (POST /api/control/pause, /resume, /close?symbol=S) and the
// mailbox that carries them from the HTTP side to the decision thread.
//
// Threading: the HTTP side never calls into the engine. It posts a request here and waits
// (bounded) for the answer on a future; the decision thread takes what is pending once per
// loop round (take(), lock-free when nothing is), acts between two steps of its own, and
// fulfils each request's promise. The mailbox is bounded: a flood of requests is refused at
// the door (429) instead of growing a queue the decision thread must work through.
#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace winiswin::ops {

enum class ControlAction { kPause, kResume, kClose };
std::string_view name_of(ControlAction action);
// "pause" / "resume" / "close"; nullopt for anything else.
std::optional<ControlAction> control_action_named(std::string_view name);

struct ControlRequest {
  ControlAction action = ControlAction::kPause;
  std::string symbol;   // kClose
  std::string who;      // the credential's identity (token_identity)
  std::string remote;   // the peer address
  Timestamp received;   // wall time
};

// What came of a request, as the HTTP answer gives it: 200 done, 404 nothing to act on, 409
// not possible now, 502 the venue refused.
struct ControlOutcome {
  int status = 200;
  std::string message;
  [[nodiscard]] bool ok() const { return status >= 200 && status < 300; }
};

class ControlMailbox {
 public:
  static constexpr std::size_t kCapacity = 16;

  struct Pending {
    ControlRequest request;
    std::promise<ControlOutcome> reply;
  };

  // Any thread: the request queued, and the future its outcome arrives on; nullopt when
  // kCapacity requests are waiting already.
  std::optional<std::future<ControlOutcome>> post(ControlRequest request);
  // The decision thread: every request waiting, oldest first (each must be answered).
  std::vector<Pending> take();

 private:
  std::mutex mutex_;
  std::deque<Pending> waiting_;
  std::atomic<bool> any_{false};
};

// Who a bearer token is in the journal: "token:" and the first 8 hex digits of its SHA-256
// (the token itself is never written; a rotated token shows as another identity).
std::string token_identity(std::string_view token);
// `given` equals `expected`, compared without stopping at the first difference (the time taken
// says nothing about how much of a guess was right); an empty `expected` matches nothing.
bool same_secret(std::string_view given, std::string_view expected);

}  // namespace winiswin::ops
