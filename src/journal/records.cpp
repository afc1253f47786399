#include "journal/records.h"

namespace winiswin::journal {

double r_multiple(const TradeRecord& trade) {
  const double direction = trade.side == Side::kBuy ? 1.0 : -1.0;
  const double risk = (trade.planned_entry.to_double() - trade.stop.to_double()) * direction;
  return risk > 0 ? (trade.exit_price - trade.entry_price) * direction / risk : 0.0;
}

std::string_view name_of(OrderStep step) {
  switch (step) {
    case OrderStep::kSent: return "sent";
    case OrderStep::kAccepted: return "accepted";
    case OrderStep::kRejected: return "rejected";
    case OrderStep::kUnknown: return "unknown";
    case OrderStep::kFound: return "found";
    case OrderStep::kNotFound: return "not found";
    case OrderStep::kCancelSent: return "cancel sent";
    case OrderStep::kCanceled: return "canceled";
    case OrderStep::kCancelRefused: return "cancel refused";
  }
  return "?";
}

}  // namespace winiswin::journal
