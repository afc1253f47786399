// The user-data stream: a listen key kept alive, a WebSocket on it, and every message turned
// into VenueEvents handed to the BinanceVenue — the socket's thread only parses and hands
// over (venue.h's threading contract). Every REST call (create, keep-alive, re-create) is made
// in poll(), on the decision thread.
//
//   keep-alive   PUT listenKey every `keepalive` (Binance: valid 60 min after the last one)
//   expiry       a listenKeyExpired message, or a keep-alive answered -1125: a new key, a new
//                connection
//   liveness     an idle account sends nothing, so silence proves nothing: the client pings
//                every `ping_interval` and a connection whose pongs stop for `pong_timeout` is
//                replaced (a dropped or closed one at once)
//   after any of these, events may have been missed: poll() says so, and the caller
//   reconciles its orders and positions over REST before trusting the stream again.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "net/websocket_client.h"
#include "venue/binance/binance_venue.h"
#include "venue/binance/rest_client.h"
#include "venue/binance/stream_plan.h"

namespace winiswin::binance {

struct UserStreamConfig {
  Milliseconds keepalive{30 * 60'000};
  Milliseconds ping_interval{30'000};
  Milliseconds pong_timeout{90'000};
};

class UserStream {
 public:
  // `private_url`: BinanceUrls::user_stream ("wss://fstream.binance.com/private").
  UserStream(RestClient& rest, std::string private_url, BinanceVenue& venue, UserStreamConfig config = {});
  ~UserStream();
  UserStream(const UserStream&) = delete;
  UserStream& operator=(const UserStream&) = delete;

  // A listen key and a connection on it. `now` here and in poll(): this machine's clock (the
  // keep-alive and pong deadlines are wall time, whatever the venue's clock says).
  Status start(Timestamp now);
  // Keep-alive when due; a new key or connection when needed. True when events may have been
  // missed since the last call (a reconnection, a new key): reconcile.
  Result<bool> poll(Timestamp now);
  void stop();

  [[nodiscard]] const std::string& listen_key() const { return listen_key_; }
  [[nodiscard]] int reconnects() const { return reconnects_; }

 private:
  Status create_key();
  Status connect(Timestamp now);
  Status reconnect(Timestamp now);
  [[nodiscard]] bool needs_reconnect(Timestamp now) const;

  RestClient& rest_;
  std::string private_url_;
  BinanceVenue& venue_;
  UserStreamConfig config_;
  std::string listen_key_;
  Timestamp last_keepalive_{};
  Timestamp connected_{};
  std::uint64_t pongs_seen_ = 0;
  Timestamp last_pong_seen_{};
  std::unique_ptr<net::WebSocketClient> socket_;
  // Set by the socket's thread, read by poll().
  std::shared_ptr<std::atomic<bool>> ended_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<bool>> expired_ = std::make_shared<std::atomic<bool>>(false);
  ReconnectBackoff backoff_{0x5eed};
  Timestamp retry_at_{};
  int reconnects_ = 0;
};

}  // namespace winiswin::binance
