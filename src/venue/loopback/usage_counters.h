// What Binance reports in its limit headers (spec/limits-and-errors.md): the IP weight used
// in the current minute (X-MBX-USED-WEIGHT-1M) and the orders placed in the current 10 s and
// minute (X-MBX-ORDER-COUNT-10S / -1M). Windows are fixed and aligned to the server clock,
// as Binance's are to its own. Counted and reported; the weight is enforced when configured.
#pragma once

#include <cstdint>

#include "core/time.h"

namespace winiswin::loopback {

class UsageCounters {
 public:
  void add_weight(int weight, Timestamp now);
  void add_order(Timestamp now);
  [[nodiscard]] int weight_1m(Timestamp now) const { return weight_.used_at(now); }
  [[nodiscard]] int orders_10s(Timestamp now) const { return orders_10s_.used_at(now); }
  [[nodiscard]] int orders_1m(Timestamp now) const { return orders_1m_.used_at(now); }

 private:
  struct Window {
    std::int64_t length_ms;
    std::int64_t index = -1;  // which window since the epoch
    int used = 0;
    [[nodiscard]] int used_at(Timestamp now) const { return to_ms(now) / length_ms == index ? used : 0; }
    void add(int amount, Timestamp now);
  };
  Window weight_{60'000};
  Window orders_10s_{10'000};
  Window orders_1m_{60'000};
};

}  // namespace winiswin::loopback
