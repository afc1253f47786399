// What the engine's rows tell Discord: a Recorder between the engine and its journal (like
// ops' JournalTap) that forwards every row unchanged — its Status is the journal's, so the
// engine behaves as with the journal alone — and posts, without waiting:
//   a real trade closed (result, confidence, reward:risk)         matters
//   a trading-state transition                                    matters
//   a circuit-breaker level change (a trip, or easing)            matters
//   the equity's fall from its peak past `drawdown_warning`       matters (again only after
//                                                                  it recovered to 80 % of it)
//   a daily report when the equity marks enter a new UTC day      routine
//     (the mark of the 00:00 close: at UTC midnight while bars come; when they stop coming,
//     on_clock() sends it once the exchange's clock is kLateReport past the day's end —
//     a stalled feed does not hold the report back, and a trade closed later with an exit
//     time in that day counts in the next one)
// Trades opened are not rows of their own (the journal records orders and fills): the run
// loop shows them to an OpenTradeWatch (open_trade_watch.h).
// Not thread-safe, like the journal: the decision thread writes.
#pragma once

#include <optional>

#include "journal/recorder.h"
#include "notify/message_queue.h"
#include "notify/messages.h"

namespace winiswin::notify {

struct NotifyingRecorderOptions {
  double drawdown_warning = 0.05;  // 0..1
  bool model_loaded = false;       // the daily report then says how the model did
};

class NotifyingRecorder final : public journal::Recorder {
 public:
  NotifyingRecorder(journal::Recorder& journal, MessageSink& sink, NotifyingRecorderOptions options = {});

  Status trade(const journal::TradeRecord& row) override;
  Status virtual_position(const journal::TradeRecord& row) override { return journal_.virtual_position(row); }
  Status equity(const journal::EquityPoint& row) override;
  Status refusal(const journal::RefusalRecord& row) override { return journal_.refusal(row); }
  Status transition(const risk::StateTransition& row) override;
  Status order(const journal::OrderRecord& row) override { return journal_.order(row); }
  Status fill(const journal::FillRecord& row) override { return journal_.fill(row); }
  Status decision(const journal::DecisionRecord& row) override { return journal_.decision(row); }
  Status breaker(const journal::BreakerEvent& row) override;

  // Every loop round, with the exchange's clock (not this machine's: a replay's bars carry
  // their own days): the report of a day whose end passed kLateReport ago without a row of a
  // later day.
  void on_clock(Timestamp exchange_now);
  static constexpr Milliseconds kLateReport{10 * 60'000};

 private:
  void watch_drawdown(const journal::EquityPoint& point);
  void roll_day(Timestamp time);

  journal::Recorder& journal_;
  MessageSink& sink_;
  NotifyingRecorderOptions options_;
  double peak_ = 0.0;
  bool drawdown_warned_ = false;
  std::optional<DailyReport> today_;
};

}  // namespace winiswin::notify
