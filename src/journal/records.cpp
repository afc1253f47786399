#include "journal/records.h"

namespace winiswin::journal {

double r_multiple(const TradeRecord& trade) {
  const double direction = trade.side == Side::kBuy ? 1.0 : -1.0;
  const double risk = (trade.planned_entry.to_double() - trade.stop.to_double()) * direction;
  return risk > 0 ? (trade.exit_price - trade.entry_price) * direction / risk : 0.0;
}

}  // namespace winiswin::journal
