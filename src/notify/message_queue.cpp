#include "notify/message_queue.h"

#include <algorithm>
#include <stdexcept>

namespace winiswin::notify {

MessageQueue::MessageQueue(std::size_t capacity) : capacity_(capacity) {
  if (capacity_ == 0) throw std::invalid_argument("MessageQueue: capacity must be at least 1");
}

void MessageQueue::count_drop(Importance importance) {
  ++(importance == Importance::kRoutine ? counts_.dropped_routine : counts_.dropped_matters);
}

bool MessageQueue::push(Message message) {
  {
    const std::lock_guard lock(mutex_);
    if (messages_.size() >= capacity_) {
      const auto least = std::min_element(messages_.begin(), messages_.end(),
                                          [](const Message& a, const Message& b) { return a.importance < b.importance; });
      if (least->importance >= message.importance) {
        count_drop(message.importance);
        return false;
      }
      count_drop(least->importance);
      messages_.erase(least);  // min_element finds the first, i.e. the oldest of the least important
    }
    messages_.push_back(std::move(message));
    ++counts_.accepted;
  }
  ready_.notify_one();
  return true;
}

std::optional<Message> MessageQueue::pop(Milliseconds timeout) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, timeout, [&] { return closed_ || !messages_.empty(); });
  if (messages_.empty()) return std::nullopt;
  Message front = std::move(messages_.front());
  messages_.pop_front();
  return front;
}

void MessageQueue::close() {
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

QueueCounts MessageQueue::counts() const {
  const std::lock_guard lock(mutex_);
  QueueCounts counts = counts_;
  counts.queued = messages_.size();
  return counts;
}

}  // namespace winiswin::notify
