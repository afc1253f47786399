// Binance's request limits as this process plans against them, so that a cold start of 200
// symbols × 3 intervals never draws a 429 and a 418 ban stops every request until it lifts.
//
//   IP weight     REQUEST_WEIGHT per minute (2400 on USDⓈ-M; read it from exchangeInfo's
//                 rateLimits). Each request costs its endpoint's weight (klines by `limit`:
//                 [1,100) 1, [100,500) 2, [500,1000] 5, above 10). The server's count comes
//                 back in X-MBX-USED-WEIGHT-1M on every response and includes other processes
//                 on the same IP: the local count never goes below it.
//   orders        ORDERS per 10 s (300) and per minute (1200), per account; new orders and
//                 algo orders cost 1 on each, 0 IP weight (X-MBX-ORDER-COUNT-10S / -1M).
//   429           too many requests: nothing more until Retry-After (or the next window).
//   418           the IP is banned (2 min up to 3 days): nothing at all until Retry-After.
// Windows are fixed and aligned to the clock (the minute, the 10 s) as Binance counts them.
// Only a share of each limit is planned for (`usable_share`, 0.8): the rest absorbs other
// users of the IP and the server counting a request into a window before we do.
// Pure: time comes in; not thread-safe (the client serialises its REST calls).
#pragma once

#include <cstdint>
#include <optional>

#include "core/time.h"

namespace winiswin::binance {

struct RequestLimits {
  int weight_per_minute = 2400;
  int orders_per_10s = 300;
  int orders_per_minute = 1200;
  double usable_share = 0.8;
};

// What one request costs.
struct RequestCost {
  int weight = 1;
  int orders = 0;  // 1 for a new order or algo order
};

// The IP weight of GET /fapi/v1/klines for `limit` bars (spec/rest.md #4).
int klines_weight(int limit);

// What a response said about the limits (absent headers: nullopt).
struct LimitHeaders {
  int http_status = 200;
  std::optional<int> used_weight_1m;   // X-MBX-USED-WEIGHT-1M
  std::optional<int> order_count_10s;  // X-MBX-ORDER-COUNT-10S
  std::optional<int> order_count_1m;   // X-MBX-ORDER-COUNT-1M
  std::optional<Milliseconds> retry_after;  // Retry-After (seconds on the wire)
};

class RequestBudget {
 public:
  explicit RequestBudget(RequestLimits limits = {});

  // How long a request of `cost` must wait at `now` (zero: it may go now).
  [[nodiscard]] Milliseconds wait_for(RequestCost cost, Timestamp now) const;
  // The request goes now: its cost is counted.
  void on_sent(RequestCost cost, Timestamp now);
  // Its response (sent at `sent`, answered at `now`): counts corrected to the server's,
  // 429 and 418 honoured.
  void on_response(const LimitHeaders& headers, Timestamp sent, Timestamp now);

  // Banned (418) or held back (429) until this time.
  [[nodiscard]] std::optional<Timestamp> blocked_until(Timestamp now) const;
  [[nodiscard]] bool banned(Timestamp now) const { return banned_until_ && now < *banned_until_; }
  [[nodiscard]] int used_weight(Timestamp now) const;  // in the current minute, as known here

 private:
  // One fixed window's count.
  struct Window {
    Milliseconds length;
    int limit = 0;  // usable
    std::int64_t index = -1;  // which window of `length` since the epoch
    int used = 0;
    [[nodiscard]] int used_at(Timestamp now) const;
    [[nodiscard]] Milliseconds wait(int cost, Timestamp now) const;
    void add(int cost, Timestamp now);
    void at_least(int server_used, Timestamp sent, Timestamp now);
  };

  Window weight_;
  Window orders_10s_;
  Window orders_1m_;
  std::optional<Timestamp> held_until_;    // 429
  std::optional<Timestamp> banned_until_;  // 418
};

}  // namespace winiswin::binance
