// The account-dependent half of a 5m close, shared by the backtest and the live runner: the
// equity mark and the trading state, timeouts, the decision cycle, the protected entries it
// decides, and what the venue reports back — into the portfolio's books and the recorder.
// Who calls it brings the candidates (each symbol's score at the close) and, in the backtest,
// the venue's bars; everything here sees only venue/venue.h.
//
// One close, in order: mark() → allow the new exposure the state permits → the timeouts
// (exit_if_timed_out) → route_events() (their acknowledgements) → run_cycle() → record the
// refusals → place() each real entry (route_events() after each) — the caller opens the
// virtual positions. Every venue call is heard by the circuit breaker (portfolio.h); a failed
// write to the recorder is kept and returned at the next mark.
// Not thread-safe: the decision loop owns it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/decision_cycle.h"
#include "execution/executor.h"
#include "journal/recorder.h"
#include "ml/model.h"
#include "risk/portfolio.h"
#include "venue/venue.h"

namespace winiswin::engine {

// A ranked signal as a trade's record so far: the decision, its levels, rank and features.
journal::TradeRecord record_of(const RankedSignal& ranked, bool is_virtual);

class Trader {
 public:
  // The balance, and the equity: wallet + unrealised PnL, exact.
  struct AccountNow {
    venue::BalanceReport balance;
    Notional equity;
  };
  // A real entry that did not go out: which rule or answer stopped it.
  struct Refused {
    std::string limit;  // "venue", or "circuit_breaker"
    Error error;
  };

  Trader(const strategy::Strategy& strategy, const ml::Model& model, const CycleConfig& cycle, risk::PortfolioConfig portfolio,
         Milliseconds max_holding, venue::Venue& venue, journal::Recorder& recorder, execution::ClientIds ids, Notional starting,
         Timestamp start);
  Trader(const Trader&) = delete;
  Trader& operator=(const Trader&) = delete;

  // When the venue calls now being made happen (the breaker's clock, the journal's times).
  void set_clock(Timestamp now) { clock_ = now; }
  // The equity mark at a 5m close (recorded, fed to the state machine); a lost record stops here.
  Result<AccountNow> mark(Timestamp decision);
  // New exposure allowed or not, as the trading state says (SHUTDOWN: reduce-only orders only).
  void open_decision();
  // A filled trade held `max_holding` or longer: its exit at market (a refused exit is said
  // and tried again at the next close; the stop stays until the exit fills).
  void exit_if_timed_out(const std::string& symbol, Timestamp decision);
  // The cycle at this close. With CycleConfig::exit_below (decision_cycle.h's model exit), the
  // open filled trades are re-scored first and those below it exited at market (reason
  // ExitReason::kModelExit, sent as a timeout exit is, not with sending off); a trade whose
  // timeout exit went out is not re-scored.
  Result<CycleOutcome> run_cycle(Timestamp decision, std::span<const Candidate> candidates, const AccountNow& account);
  void record_refusals(Timestamp decision, const CycleOutcome& outcome);
  // The decision's numbers, once its entries are placed (journal::DecisionRecord).
  void record_decision(journal::DecisionRecord row);
  // One real entry through the executor (the breaker's back-off first); its refusal, if any.
  Result<std::optional<Refused>> place(const RealEntry& entry, journal::TradeRecord record);
  // A refusal of a real entry, recorded.
  void record_refusal(Timestamp decision, const std::string& symbol, int rank, const Refused& refused);
  // The venue's events: routed to the trades and applied to the books. Symbols whose trade
  // ended (closed or withdrawn) are appended to `ended`.
  Status route_events(std::vector<std::string>& ended);
  // Every filled trade against the venue's holdings at `now` (execution/executor.h's
  // supervise: a vanished stop put back, a trade whose position is gone closed and booked);
  // symbols whose trade ended are appended to `ended`. Protection is put back even with
  // sending off: it only reduces risk. A failed read is said and tried at the next check.
  Status supervise(Timestamp now, Milliseconds grace, std::vector<std::string>& ended);
  // A trade whose entry never filled and whose orders are gone: forgotten (its symbol's data stopped).
  Status drop_unfilled(const std::string& symbol, std::vector<std::string>& ended);

  // After a restart: trade numbers go on from `next`, and a trade still open at the venue is
  // taken back (its protective legs already placed), counted in the books as open.
  void continue_numbering(std::int64_t next) { executor_.continue_numbering(next); }
  // TRADING_ENABLED=false: every decision is made and recorded, and no order goes out — an
  // entry is refused as `trading_disabled`, a timeout exit is not sent (protection placed
  // before stays at the venue).
  void set_sending(bool sending) { sending_ = sending; }
  // Paused by the operator (ops' POST /api/control/pause): no new entry is sent — each real
  // rank is refused as `paused` and recorded (and opens its virtual position as any refused
  // rank does) — while exits, timeouts, stops and supervision go on as before.
  void set_paused(bool paused) { paused_ = paused; }
  [[nodiscard]] bool paused() const { return paused_; }
  // The operator's close (ops' POST /api/control/close): the filled trade on `symbol` exited at
  // market through the executor, as a timeout is, its reason ExitReason::kOperator; the trade
  // closes when the exit fills (route_events). kNotFound: no trade on the symbol;
  // kInvalidArgument: nothing to send now (entry not filled, trading disabled); else the
  // venue's refusal.
  Status close_by_operator(const std::string& symbol, Timestamp now);
  void adopt(std::int64_t trade, journal::TradeRecord record, Quantity quantity, Notional notional);

  void keep(Status status);
  [[nodiscard]] const std::optional<Error>& lost() const { return lost_; }
  [[nodiscard]] bool holds(const std::string& symbol) const { return executor_.holds(symbol); }
  [[nodiscard]] execution::Executor& executor() { return executor_; }
  [[nodiscard]] const execution::Executor& executor() const { return executor_; }
  [[nodiscard]] const risk::Portfolio& portfolio() const { return portfolio_; }
  [[nodiscard]] double fees_paid() const { return fees_paid_; }
  [[nodiscard]] double funding_paid() const { return funding_paid_; }

 private:
  Result<AccountNow> account_now();
  Status exit_by_model(Timestamp decision, std::span<const Candidate> candidates);
  double equity_after(const journal::TradeRecord& trade);
  Status apply_trade_events(std::vector<std::string>& ended);
  void record_transition(const std::optional<risk::StateTransition>& transition);
  void on_venue_call(bool failed);

  venue::Venue& venue_;
  journal::Recorder& recorder_;
  Milliseconds max_holding_;
  risk::Portfolio portfolio_;
  execution::Executor executor_;
  DecisionCycle cycle_;
  const bool debug_;  // every placement and refusal
  Timestamp clock_{};
  std::optional<Error> lost_;
  std::vector<execution::TradeEvent> trade_events_;
  bool sending_ = true;
  bool paused_ = false;
  double fees_paid_ = 0.0;
  double last_marked_equity_ = 0.0;  // the equity at the last mark
  double funding_paid_ = 0.0;
};

}  // namespace winiswin::engine
