// The recorder seam: a run hands every row to a Recorder as it happens — the backtest writes
// files as it goes (memory does not grow with the length of the run), the live engine will
// write its SQLite journal through the same calls. A failed write is a Status the caller
// must look at: a run whose records are lost stops.
#pragma once

#include <vector>

#include "core/error.h"
#include "journal/records.h"

namespace winiswin::journal {

class Recorder {
 public:
  virtual ~Recorder() = default;
  virtual Status trade(const TradeRecord& trade) = 0;             // a real trade, closed
  virtual Status virtual_position(const TradeRecord& position) = 0;  // a virtual position, closed
  virtual Status equity(const EquityPoint& point) = 0;            // at each 5m close with data
  virtual Status refusal(const RefusalRecord& refusal) = 0;        // a ranked signal not traded for real
  virtual Status transition(const risk::StateTransition& transition) = 0;
  virtual Status order(const OrderRecord& order) = 0;  // each step of each order sent (intent first)
  virtual Status fill(const FillRecord& fill) = 0;     // each fill of our orders
  // The journal's own rows (files and reports leave them out: they add nothing a backtest's
  // outputs do not show).
  virtual Status decision(const DecisionRecord&) { return Ok{}; }  // each 5m close decided
  virtual Status breaker(const BreakerEvent&) { return Ok{}; }     // each circuit-breaker level change
  virtual Status control(const ControlRecord&) { return Ok{}; }    // each operator control action (ops)
};

// Keeps the rows of the kinds asked for (tests and small runs keep all; the report keeps
// trades and equity — virtual positions and refusals are the bulk of a long run).
class MemoryRecorder final : public Recorder {
 public:
  struct Kinds {
    bool trades = true, virtuals = true, equity = true, refusals = true, transitions = true, orders = true, fills = true,
         decisions = true, breaker_events = true, controls = true;
  };
  MemoryRecorder() = default;
  explicit MemoryRecorder(Kinds kept) : kept_(kept) {}

  Status trade(const TradeRecord& row) override { return keep(kept_.trades, trades, row); }
  Status virtual_position(const TradeRecord& row) override { return keep(kept_.virtuals, virtuals, row); }
  Status equity(const EquityPoint& row) override { return keep(kept_.equity, equity_points, row); }
  Status refusal(const RefusalRecord& row) override { return keep(kept_.refusals, refusals, row); }
  Status transition(const risk::StateTransition& row) override { return keep(kept_.transitions, transitions, row); }
  Status order(const OrderRecord& row) override { return keep(kept_.orders, orders, row); }
  Status fill(const FillRecord& row) override { return keep(kept_.fills, fills, row); }
  Status decision(const DecisionRecord& row) override { return keep(kept_.decisions, decisions, row); }
  Status breaker(const BreakerEvent& row) override { return keep(kept_.breaker_events, breaker_events, row); }
  Status control(const ControlRecord& row) override { return keep(kept_.controls, controls, row); }

  std::vector<TradeRecord> trades;
  std::vector<TradeRecord> virtuals;
  std::vector<EquityPoint> equity_points;
  std::vector<RefusalRecord> refusals;
  std::vector<risk::StateTransition> transitions;
  std::vector<OrderRecord> orders;
  std::vector<FillRecord> fills;
  std::vector<DecisionRecord> decisions;
  std::vector<BreakerEvent> breaker_events;
  std::vector<ControlRecord> controls;

 private:
  template <typename Row>
  static Status keep(bool wanted, std::vector<Row>& rows, const Row& row) {
    if (wanted) rows.push_back(row);
    return Ok{};
  }
  Kinds kept_;
};

// Every row to each of several recorders, in order; the first failure stops the row.
class FanOut final : public Recorder {
 public:
  explicit FanOut(std::vector<Recorder*> recorders) : recorders_(std::move(recorders)) {}
  Status trade(const TradeRecord& row) override { return each([&](Recorder& r) { return r.trade(row); }); }
  Status virtual_position(const TradeRecord& row) override { return each([&](Recorder& r) { return r.virtual_position(row); }); }
  Status equity(const EquityPoint& row) override { return each([&](Recorder& r) { return r.equity(row); }); }
  Status refusal(const RefusalRecord& row) override { return each([&](Recorder& r) { return r.refusal(row); }); }
  Status transition(const risk::StateTransition& row) override { return each([&](Recorder& r) { return r.transition(row); }); }
  Status order(const OrderRecord& row) override { return each([&](Recorder& r) { return r.order(row); }); }
  Status fill(const FillRecord& row) override { return each([&](Recorder& r) { return r.fill(row); }); }
  Status decision(const DecisionRecord& row) override { return each([&](Recorder& r) { return r.decision(row); }); }
  Status breaker(const BreakerEvent& row) override { return each([&](Recorder& r) { return r.breaker(row); }); }

 private:
  template <typename Call>
  Status each(const Call& call) {
    for (Recorder* recorder : recorders_) {
      if (auto status = call(*recorder); !status) return status;
    }
    return Ok{};
  }
  std::vector<Recorder*> recorders_;
};

}  // namespace winiswin::journal
