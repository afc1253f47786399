// Small helpers for the loopback network tests: waiting on a condition with a generous
// deadline (never a fixed sleep), and a thread-safe message log.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace winiswin::net::testing {

// Generous: a loaded CI machine must not fail a test by slowness; a passing test never waits it out.
constexpr std::chrono::seconds kPatience{10};

// Collects strings from any thread; waits until a count is reached.
class MessageLog {
 public:
  void add(std::string message) {
    {
      const std::lock_guard lock(mutex_);
      messages_.push_back(std::move(message));
    }
    changed_.notify_all();
  }
  bool wait_for_count(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kPatience, [&] { return messages_.size() >= count; });
  }
  std::vector<std::string> messages() const {
    const std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> messages_;
};

// A one-shot flag another thread raises.
class Signal {
 public:
  void raise() {
    {
      const std::lock_guard lock(mutex_);
      raised_ = true;
    }
    changed_.notify_all();
  }
  bool wait() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kPatience, [&] { return raised_; });
  }
  bool raised() const {
    const std::lock_guard lock(mutex_);
    return raised_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool raised_ = false;
};

// For state without a notification of its own (a counter behind an atomic): polls briefly
// until `condition` holds or the patience runs out.
inline bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace winiswin::net::testing
