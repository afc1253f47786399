// Sends notifications to Discord from a thread of its own, so that trading never waits for
// Discord: the decision thread only post()s into a bounded queue (message_queue.h: when full,
// routine messages go before the ones that matter, and drops are counted).
//
// The sending thread posts one message at a time, in order, and keeps at it through an outage:
// a 429 waits as long as Discord asks, a 5xx or a connection failure backs off (doubling up to
// max_backoff) and the same message is tried again — messages wait in the queue meanwhile and
// go out when Discord answers again. A message Discord refuses for good (4xx) is dropped and
// logged. A request that may have reached Discord before the connection broke is sent again:
// a duplicate notification is better than a lost one (a bot's messages carry a nonce Discord
// uses to drop the duplicate; a webhook has no such thing).
//
// stop() gives the queue up to drain_on_stop to go out (a back-off under way is cut short:
// Discord may be back), then ends the thread: what is left is
// counted and logged, never waited for. Secrets never reach a log: every text from the HTTP
// side passes DiscordDelivery::redact first.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/time.h"
#include "net/tls_options.h"
#include "notify/discord_delivery.h"
#include "notify/message_queue.h"
#include "ops/notification_counters.h"

namespace winiswin::net {
class HttpClient;
}

namespace winiswin::notify {

struct NotifierOptions {
  std::size_t capacity = 500;
  Milliseconds first_backoff{1'000};
  Milliseconds max_backoff{60'000};
  Milliseconds max_rate_limit_wait{600'000};  // a longer wait Discord asks for is cut to this
  Milliseconds request_timeout{10'000};
  Milliseconds drain_on_stop{5'000};
  net::TlsOptions tls;
};

struct NotifierStats {
  QueueCounts queue;
  std::uint64_t delivered = 0;
  std::uint64_t refused = 0;             // 4xx: dropped for good
  std::uint64_t retries = 0;             // attempts after a 5xx or a connection failure
  std::uint64_t rate_limited = 0;        // 429s waited out
  std::uint64_t abandoned_at_stop = 0;
  std::optional<Timestamp> last_delivered;  // wall time Discord last took a message
};

class Notifier final : public MessageSink {
 public:
  Notifier(DiscordDelivery delivery, NotifierOptions options = {});
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  void start();
  // Any thread; never blocks on Discord. False when the queue dropped this message.
  bool post(Importance importance, std::string text) override;
  void stop();
  [[nodiscard]] NotifierStats stats() const;
  // The stats as /metrics shows them (ops/notification_counters.h).
  [[nodiscard]] ops::NotificationCounters counters() const;
  [[nodiscard]] const DiscordDelivery& delivery() const { return delivery_; }

 private:
  void run();
  void deliver(const Message& message);
  // Sleeps `duration`. stop() cuts it short (the message is tried again at once); once
  // stopping, false when the pause would end past the drain deadline: the message is given up.
  bool pause(Milliseconds duration);
  [[nodiscard]] bool past_drain_deadline() const;

  DiscordDelivery delivery_;
  NotifierOptions options_;
  std::unique_ptr<net::HttpClient> http_;
  MessageQueue queue_;
  std::thread thread_;
  mutable std::mutex mutex_;  // guards the stop fields and the counters below
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point drain_deadline_;
  NotifierStats counters_;
  std::atomic<std::uint64_t> logged_drops_{0};  // the drop count last logged
  // Nonces: this process's start (ms) and a count — unique across restarts too, since Discord
  // drops a message whose nonce it saw from the same author minutes before.
  std::string nonce_prefix_;
  std::uint64_t sequence_ = 0;  // the sending thread's
};

}  // namespace winiswin::notify
