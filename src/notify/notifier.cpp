#include "notify/notifier.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "net/http_client.h"
#include "notify/retry_policy.h"

namespace winiswin::notify {
namespace {

constexpr Milliseconds kIdlePoll{200};
constexpr std::size_t kLoggedBodyChars = 200;

std::string answer_text(const Result<net::HttpResponse>& answer) {
  if (!answer) return answer.error().message;
  return fmt::format("HTTP {} {}", answer->status, answer->body.substr(0, kLoggedBodyChars));
}

}  // namespace

Notifier::Notifier(DiscordDelivery delivery, NotifierOptions options)
    : delivery_(std::move(delivery)), options_(std::move(options)), queue_(options_.capacity) {
  net::HttpClientOptions http_options;
  http_options.default_timeout = options_.request_timeout;
  http_options.max_idle_connections_per_endpoint = 1;
  http_options.max_response_body_bytes = 1024 * 1024;
  http_options.tls = options_.tls;
  http_options.user_agent = "DiscordBot (winiswin, 0.1.0)";  // the form Discord asks of bots
  http_ = std::make_unique<net::HttpClient>(http_options);
  nonce_prefix_ = fmt::format("{}-", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

Notifier::~Notifier() { stop(); }

void Notifier::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

bool Notifier::post(Importance importance, std::string text) {
  const bool kept = queue_.push(Message{importance, std::move(text)});
  const QueueCounts counts = queue_.counts();
  const std::uint64_t dropped = counts.dropped_routine + counts.dropped_matters;
  // Said at the 1st, 10th, 100th … drop: an outage that fills the queue is not a log flood.
  std::uint64_t logged = logged_drops_.load(std::memory_order_relaxed);
  if (dropped > logged && (logged == 0 || dropped >= logged * 10) && logged_drops_.compare_exchange_strong(logged, dropped)) {
    spdlog::warn("discord: the queue is full ({} messages wait for {}); dropped so far: {} routine, {} that matter", counts.queued,
                 delivery_.describe(), counts.dropped_routine, counts.dropped_matters);
  }
  return kept;
}

void Notifier::stop() {
  {
    const std::lock_guard lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      drain_deadline_ = std::chrono::steady_clock::now() + options_.drain_on_stop;
    }
  }
  stop_requested_.notify_all();
  queue_.close();
  if (thread_.joinable()) thread_.join();
}

NotifierStats Notifier::stats() const {
  const std::lock_guard lock(mutex_);
  NotifierStats stats = counters_;
  stats.queue = queue_.counts();
  return stats;
}

ops::NotificationCounters Notifier::counters() const {
  const NotifierStats stats = this->stats();
  ops::NotificationCounters counters;
  counters.queued = stats.queue.accepted;
  counters.delivered = stats.delivered;
  counters.dropped_routine = stats.queue.dropped_routine;
  counters.dropped_matters = stats.queue.dropped_matters;
  counters.refused = stats.refused;
  counters.retries = stats.retries;
  counters.rate_limited = stats.rate_limited;
  counters.queue_depth = stats.queue.queued;
  counters.last_delivered = stats.last_delivered;
  return counters;
}

bool Notifier::past_drain_deadline() const {
  const std::lock_guard lock(mutex_);
  return stopping_ && std::chrono::steady_clock::now() >= drain_deadline_;
}

bool Notifier::pause(Milliseconds duration) {
  std::unique_lock lock(mutex_);
  const auto until = std::chrono::steady_clock::now() + duration;
  if (!stopping_) {
    if (!stop_requested_.wait_until(lock, until, [&] { return stopping_; })) return true;
    // Stopping: Discord may be back; try again at once rather than sleep out a long back-off.
    return std::chrono::steady_clock::now() < drain_deadline_;
  }
  if (until > drain_deadline_) return false;  // stopping: a pause past the deadline is not taken
  stop_requested_.wait_until(lock, until, [] { return false; });
  return true;
}

void Notifier::run() {
  for (;;) {
    std::optional<Message> message = queue_.pop(kIdlePoll);
    if (!message) {
      const std::lock_guard lock(mutex_);
      if (stopping_) break;
      continue;
    }
    if (past_drain_deadline()) {
      const std::lock_guard lock(mutex_);
      ++counters_.abandoned_at_stop;
      continue;
    }
    deliver(*message);
  }
  const NotifierStats stats = this->stats();
  if (stats.abandoned_at_stop > 0) {
    spdlog::warn("discord: {} message(s) not delivered to {} before stopping", stats.abandoned_at_stop, delivery_.describe());
  }
}

void Notifier::deliver(const Message& message) {
  const net::HttpRequest request = delivery_.request_for(message.text, nonce_prefix_ + std::to_string(++sequence_));
  int failures = 0;
  for (;;) {
    const Result<net::HttpResponse> answer = http_->send(delivery_.endpoint(), request);
    const AttemptVerdict verdict = judge_attempt(answer);
    Milliseconds wait{0};
    {
      const std::lock_guard lock(mutex_);
      switch (verdict.outcome) {
        case AttemptOutcome::kDelivered:
          ++counters_.delivered;
          counters_.last_delivered = std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now());
          break;
        case AttemptOutcome::kRefused: ++counters_.refused; break;
        case AttemptOutcome::kRateLimited: ++counters_.rate_limited; break;
        case AttemptOutcome::kFailedRetry: ++counters_.retries; break;
      }
    }
    switch (verdict.outcome) {
      case AttemptOutcome::kDelivered:
        if (failures > 0) spdlog::info("discord: {} answers again after {} failed attempt(s)", delivery_.describe(), failures);
        if (verdict.wait) (void)pause(std::min(*verdict.wait, options_.max_rate_limit_wait));  // the bucket is empty
        return;
      case AttemptOutcome::kRefused:
        spdlog::error("discord: {} refused a message, dropped: {}", delivery_.describe(), delivery_.redact(answer_text(answer)));
        return;
      case AttemptOutcome::kRateLimited:
        wait = std::min(verdict.wait.value_or(options_.first_backoff), options_.max_rate_limit_wait);
        spdlog::debug("discord: rate-limited by {}; waiting {} ms", delivery_.describe(), wait.count());
        break;
      case AttemptOutcome::kFailedRetry:
        wait = backoff_delay(++failures, options_.first_backoff, options_.max_backoff);
        if (failures == 1) {
          spdlog::warn("discord: {} failed ({}); retrying, messages wait in the queue", delivery_.describe(),
                       delivery_.redact(answer_text(answer)));
        }
        break;
    }
    if (!pause(wait)) {
      const std::lock_guard lock(mutex_);
      ++counters_.abandoned_at_stop;
      return;
    }
  }
}

}  // namespace winiswin::notify
