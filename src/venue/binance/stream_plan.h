// How the market-data WebSocket connections are laid out and kept alive. Pure: the client's
// transport opens the connections and calls these with the clock.
//
//   streams      `<symbol>@kline_<interval>` and `<symbol>@markPrice@1s`, lower case, split
//                over connections of at most `streams_per_connection` (Binance allows 1024;
//                200 as nautilus_trader pools) on the 2026 `/market` path
//   subscribe    SUBSCRIBE frames of at most `streams_per_frame` names each; Binance drops a
//                connection that receives more than 10 messages a second, so the sender
//                spaces them (`frame_spacing`)
//   watchdog     no message for `silence` → reconnect: since 2026-04 Binance's legacy URLs
//                accept the handshake and then send nothing, with no error and no close
//   planned      a connection lives 24 h at most: reconnect before (`max_age`)
//   back-off     reconnect after 1 s, 2 s, 4 s … capped, with jitter so that many clients
//                (or connections) do not come back in step; a connection that delivered
//                messages resets it
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/interval.h"
#include "core/time.h"

namespace winiswin::binance {

struct StreamPlanConfig {
  int streams_per_connection = 200;
  int streams_per_frame = 100;
  Milliseconds frame_spacing{250};  // 4 frames a second, well under Binance's 10
  Milliseconds silence{30'000};
  Milliseconds max_age{23 * 3'600'000 + 50 * 60'000};  // 23 h 50 min
};

std::string kline_stream(std::string_view symbol, Interval interval);  // "btcusdt@kline_5m"
std::string mark_price_stream(std::string_view symbol);                // "btcusdt@markPrice@1s"

// The stream names split over connections, in the order given.
std::vector<std::vector<std::string>> split_streams(const std::vector<std::string>& streams, const StreamPlanConfig& config = {});
// {"method":"SUBSCRIBE","params":[…],"id":N} frames for one connection's streams; ids from `first_id`.
std::vector<std::string> subscribe_frames(const std::vector<std::string>& streams, std::int64_t first_id,
                                          const StreamPlanConfig& config = {});

class ReconnectBackoff {
 public:
  explicit ReconnectBackoff(std::uint64_t seed, Milliseconds base = Milliseconds{1'000}, Milliseconds cap = Milliseconds{60'000});
  // The wait before the next attempt: base · 2^failures, capped, then jittered to 50–100 %.
  Milliseconds next();
  void reset() { failures_ = 0; }
  [[nodiscard]] int failures() const { return failures_; }

 private:
  std::uint64_t state_;
  Milliseconds base_, cap_;
  int failures_ = 0;
};

class StreamWatchdog {
 public:
  StreamWatchdog(Timestamp connected, const StreamPlanConfig& config = {});
  void on_message(Timestamp received) { last_message_ = received; }
  // Silent too long (connected but nothing arrives): reconnect.
  [[nodiscard]] bool silent(Timestamp now) const { return now - last_message_ >= silence_; }
  // Old enough that Binance's 24 h cut is near: reconnect on our own terms.
  [[nodiscard]] bool due_for_planned_reconnect(Timestamp now) const { return now - connected_ >= max_age_; }

 private:
  Timestamp connected_;
  Timestamp last_message_;
  Milliseconds silence_, max_age_;
};

}  // namespace winiswin::binance
