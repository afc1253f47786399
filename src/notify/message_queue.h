// The notifier's bounded queue. The decision thread puts messages in and never waits for
// Discord: when the queue is full, the least important message goes — the oldest routine one
// before anything that matters (a trade opened or closed, a breaker trip, a state change);
// when everything queued matters as much as the newcomer or more, the newcomer is dropped
// (a full queue of messages that matter keeps the earliest: they explain what came after).
// Every drop is counted by importance. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "core/time.h"

namespace winiswin::notify {

enum class Importance : std::uint8_t { kRoutine, kMatters };

struct Message {
  Importance importance = Importance::kRoutine;
  std::string text;
};

// Where messages are posted: the Notifier, or a list in tests.
class MessageSink {
 public:
  virtual ~MessageSink() = default;
  // Never waits for Discord; false when the message was dropped.
  virtual bool post(Importance importance, std::string text) = 0;
};

struct QueueCounts {
  std::uint64_t accepted = 0;
  std::uint64_t dropped_routine = 0;
  std::uint64_t dropped_matters = 0;
  std::size_t queued = 0;
};

class MessageQueue {
 public:
  explicit MessageQueue(std::size_t capacity);

  // Never blocks beyond the queue's lock. False when the message itself was dropped.
  bool push(Message message);
  // Waits up to `timeout` for a message; nullopt when none came (or close() was called and
  // the queue is empty).
  std::optional<Message> pop(Milliseconds timeout);
  // Wakes every pop(); push still works (a message posted while stopping may yet go out).
  void close();
  [[nodiscard]] QueueCounts counts() const;

 private:
  void count_drop(Importance importance);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Message> messages_;
  QueueCounts counts_;
  bool closed_ = false;
};

}  // namespace winiswin::notify
