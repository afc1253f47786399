// A protected entry as the execution tests build them: symbol, side, the planned entry, stop
// and target, quantity and leverage.
#pragma once

#include "execution/executor.h"
#include "support/instruments.h"

namespace winiswin::testing {

inline execution::ProtectedEntry protected_entry(const char* symbol, Side side, const char* entry, const char* stop, const char* target,
                                                 const char* quantity = "1", int leverage = 5) {
  execution::ProtectedEntry order;
  order.record.symbol = symbol;
  order.record.side = side;
  order.record.planned_entry = P(entry);
  order.record.stop = P(stop);
  order.record.target = P(target);
  order.quantity = Q(quantity);
  order.leverage = leverage;
  return order;
}

}  // namespace winiswin::testing
