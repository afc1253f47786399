#include "venue/binance/request_budget.h"

#include <algorithm>
#include <cmath>

namespace winiswin::binance {
namespace {

constexpr Milliseconds kMinute{60'000};
constexpr Milliseconds kTenSeconds{10'000};
constexpr Milliseconds kDefaultBan{120'000};  // Binance's shortest ban, when it does not say

std::int64_t window_index(Timestamp now, Milliseconds length) {
  const std::int64_t ms = to_ms(now);
  const std::int64_t size = length.count();
  return ms >= 0 ? ms / size : (ms - size + 1) / size;
}

int usable(int limit, double share) { return std::max(1, static_cast<int>(std::floor(limit * share))); }

}  // namespace

int klines_weight(int limit) {
  if (limit < 100) return 1;
  if (limit < 500) return 2;
  if (limit <= 1000) return 5;
  return 10;
}

int RequestBudget::Window::used_at(Timestamp now) const { return window_index(now, length) == index ? used : 0; }

Milliseconds RequestBudget::Window::wait(int cost, Timestamp now) const {
  const int in_window = used_at(now);
  // A request heavier than the whole usable window still goes, alone, in a fresh window.
  if (cost <= 0 || in_window + cost <= limit || in_window == 0) return Milliseconds{0};
  const std::int64_t next_start = (window_index(now, length) + 1) * length.count();
  return Milliseconds{next_start - to_ms(now)};
}

void RequestBudget::Window::add(int cost, Timestamp now) {
  const std::int64_t current = window_index(now, length);
  if (current != index) {
    index = current;
    used = 0;
  }
  used += cost;
}

void RequestBudget::Window::at_least(int server_used, Timestamp sent, Timestamp now) {
  // The header counts the server's window at the time it served the request; when the
  // request straddled a window boundary, which one that was is unknown: ignore it.
  const std::int64_t current = window_index(now, length);
  if (window_index(sent, length) != current) return;
  if (current != index) {
    index = current;
    used = 0;
  }
  used = std::max(used, server_used);
}

RequestBudget::RequestBudget(RequestLimits limits)
    : weight_{kMinute, usable(limits.weight_per_minute, limits.usable_share)},
      orders_10s_{kTenSeconds, usable(limits.orders_per_10s, limits.usable_share)},
      orders_1m_{kMinute, usable(limits.orders_per_minute, limits.usable_share)} {}

std::optional<Timestamp> RequestBudget::blocked_until(Timestamp now) const {
  std::optional<Timestamp> until;
  for (const auto& limit : {banned_until_, held_until_}) {
    if (limit && now < *limit) until = until ? std::max(*until, *limit) : *limit;
  }
  return until;
}

Milliseconds RequestBudget::wait_for(RequestCost cost, Timestamp now) const {
  Milliseconds wait{0};
  if (const auto until = blocked_until(now)) wait = *until - now;
  wait = std::max(wait, weight_.wait(cost.weight, now));
  if (cost.orders > 0) {
    wait = std::max(wait, orders_10s_.wait(cost.orders, now));
    wait = std::max(wait, orders_1m_.wait(cost.orders, now));
  }
  return wait;
}

void RequestBudget::on_sent(RequestCost cost, Timestamp now) {
  weight_.add(cost.weight, now);
  if (cost.orders > 0) {
    orders_10s_.add(cost.orders, now);
    orders_1m_.add(cost.orders, now);
  }
}

void RequestBudget::on_response(const LimitHeaders& headers, Timestamp sent, Timestamp now) {
  if (headers.used_weight_1m) weight_.at_least(*headers.used_weight_1m, sent, now);
  if (headers.order_count_10s) orders_10s_.at_least(*headers.order_count_10s, sent, now);
  if (headers.order_count_1m) orders_1m_.at_least(*headers.order_count_1m, sent, now);
  if (headers.http_status == 418) {
    const Timestamp until = now + headers.retry_after.value_or(kDefaultBan);
    banned_until_ = banned_until_ ? std::max(*banned_until_, until) : until;
  } else if (headers.http_status == 429) {
    // Without Retry-After: the next minute window, when the weight count starts again.
    const Milliseconds to_next_minute{(window_index(now, kMinute) + 1) * kMinute.count() - to_ms(now)};
    const Timestamp until = now + headers.retry_after.value_or(to_next_minute);
    held_until_ = held_until_ ? std::max(*held_until_, until) : until;
  }
}

int RequestBudget::used_weight(Timestamp now) const { return weight_.used_at(now); }

}  // namespace winiswin::binance
