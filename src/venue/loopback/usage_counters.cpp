#include "venue/loopback/usage_counters.h"

namespace winiswin::loopback {

void UsageCounters::Window::add(int amount, Timestamp now) {
  const std::int64_t current = to_ms(now) / length_ms;
  if (current != index) {
    index = current;
    used = 0;
  }
  used += amount;
}

void UsageCounters::add_weight(int weight, Timestamp now) { weight_.add(weight, now); }

void UsageCounters::add_order(Timestamp now) {
  orders_10s_.add(1, now);
  orders_1m_.add(1, now);
}

}  // namespace winiswin::loopback
