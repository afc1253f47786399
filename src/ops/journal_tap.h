// A Recorder between the engine and its journal that counts what passes for the operator:
// orders sent and accepted, rejects by the venue's code, fills, refusals, and how long each
// journal write took and whether it succeeded (the health check's "journal writable").
// Every row is forwarded unchanged and its Status returned as the journal gave it: the
// engine's behaviour is that of the journal alone.
// Not thread-safe, like the journal: the decision thread writes and reads the counters
// (it copies them into its StatusSnapshot).
#pragma once

#include "journal/recorder.h"
#include "ops/status_snapshot.h"

namespace winiswin::ops {

class JournalTap final : public journal::Recorder {
 public:
  explicit JournalTap(journal::Recorder& journal) : journal_(journal) {}

  Status trade(const journal::TradeRecord& row) override;
  Status virtual_position(const journal::TradeRecord& row) override;
  Status equity(const journal::EquityPoint& row) override;
  Status refusal(const journal::RefusalRecord& row) override;
  Status transition(const risk::StateTransition& row) override;
  Status order(const journal::OrderRecord& row) override;
  Status fill(const journal::FillRecord& row) override;
  Status decision(const journal::DecisionRecord& row) override;
  Status breaker(const journal::BreakerEvent& row) override;
  Status control(const journal::ControlRecord& row) override;

  [[nodiscard]] const ActivityCounters& counters() const { return counters_; }
  [[nodiscard]] bool last_write_ok() const { return last_write_ok_; }

 private:
  template <typename Write>
  Status timed(const Write& write);

  journal::Recorder& journal_;
  ActivityCounters counters_;
  bool last_write_ok_ = true;
};

}  // namespace winiswin::ops
