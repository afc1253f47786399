// Listen keys and the user-data messages queued for them (spec/websocket.md §6, rest.md #21).
//
//   POST    the account's active key, extended — or a new one when none is active
//   PUT     extends a key; -1125 when it does not exist or has expired
//   DELETE  closes a key; -1125 likewise
// A key expires `validity` after its creation or last keepalive (exchange clock); its queue
// then receives a final `listenKeyExpired` event and takes no more messages. Messages are
// queued for every active key as they happen; the transport takes them with take() and
// pushes them (filtering by the connection's `events=` list on `event`, without parsing).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "venue/loopback/faults.h"

namespace winiswin::loopback {

struct UserStreamMessage {
  std::string event;  // the payload's "e": ORDER_TRADE_UPDATE, ACCOUNT_UPDATE, ALGO_UPDATE …
  std::string json;   // the payload, as Binance pushes it on /ws/<listenKey> or /private/ws
};

class UserStreams {
 public:
  explicit UserStreams(std::uint64_t seed) : dice_(seed ^ 0x6c697374656e6b65ULL) {}

  std::string open(Timestamp now, Milliseconds validity);
  Status keepalive(std::string_view key, Timestamp now, Milliseconds validity);
  Status close(std::string_view key);
  // Expires the keys whose time is up at `now` (all active keys with `force`).
  void expire(Timestamp now, bool force = false);

  // The account's active key, if any.
  [[nodiscard]] std::optional<std::string> active_key() const;
  [[nodiscard]] bool is_active(std::string_view key) const;
  [[nodiscard]] bool has_active() const { return active_key().has_value(); }

  void publish(const UserStreamMessage& message);
  // The messages queued for `key` since the last call, oldest first; -1125 for a key never issued.
  Result<std::vector<UserStreamMessage>> take(std::string_view key);

 private:
  struct Stream {
    Timestamp expires;
    bool active = true;
    std::deque<UserStreamMessage> queue;
  };
  std::string new_key();
  FaultDice dice_;  // key material: deterministic, like everything else here
  std::map<std::string, Stream, std::less<>> streams_;
};

Error unknown_listen_key();  // -1125

}  // namespace winiswin::loopback
