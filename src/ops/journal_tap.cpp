#include "ops/journal_tap.h"

#include <chrono>

namespace winiswin::ops {

template <typename Write>
Status JournalTap::timed(const Write& write) {
  const auto start = std::chrono::steady_clock::now();
  Status status = write();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  counters_.journal_write_seconds += seconds;
  counters_.journal_latency.observe(seconds);
  ++counters_.journal_writes;
  last_write_ok_ = status.ok();
  if (!status) ++counters_.journal_failures;
  return status;
}

Status JournalTap::trade(const journal::TradeRecord& row) {
  return timed([&] { return journal_.trade(row); });
}
Status JournalTap::virtual_position(const journal::TradeRecord& row) {
  return timed([&] { return journal_.virtual_position(row); });
}
Status JournalTap::equity(const journal::EquityPoint& row) {
  return timed([&] { return journal_.equity(row); });
}
Status JournalTap::refusal(const journal::RefusalRecord& row) {
  ++counters_.refusals;
  return timed([&] { return journal_.refusal(row); });
}
Status JournalTap::transition(const risk::StateTransition& row) {
  return timed([&] { return journal_.transition(row); });
}
Status JournalTap::order(const journal::OrderRecord& row) {
  switch (row.step) {
    case journal::OrderStep::kSent: ++counters_.orders_sent; break;
    case journal::OrderStep::kAccepted: ++counters_.orders_accepted; break;
    case journal::OrderStep::kRejected: ++counters_.rejects_by_code[row.venue_code]; break;
    default: break;
  }
  return timed([&] { return journal_.order(row); });
}
Status JournalTap::fill(const journal::FillRecord& row) {
  ++counters_.fills;
  if (row.liquidation) ++counters_.liquidations;
  return timed([&] { return journal_.fill(row); });
}
Status JournalTap::decision(const journal::DecisionRecord& row) {
  return timed([&] { return journal_.decision(row); });
}
Status JournalTap::breaker(const journal::BreakerEvent& row) {
  return timed([&] { return journal_.breaker(row); });
}

Status JournalTap::control(const journal::ControlRecord& row) {
  return timed([&] { return journal_.control(row); });
}

}  // namespace winiswin::ops
