// The order path of real trades, the same against the simulator and Binance (it sees only
// venue/venue.h): protected entries, exits, and the routing of the venue's events back to
// the trades they belong to. One open trade per symbol.
//
// Entry: leverage, a MARKET entry, then the stop-loss and take-profit as closePosition algo
//   orders (Binance's Algo Service). A submit whose outcome is unknown (timeout, 5xx, -1007)
//   is queried by client id before anything else is sent; a protective leg is tried
//   `protection_attempts` times under the same client id (the venue refuses a duplicate,
//   and that refusal of a retry says the first one stands: algo queries can lag). If
//   protection cannot be placed, the entry is withdrawn — and where it has filled already
//   (live: a MARKET order fills at once), the position is closed reduce-only: an unprotected
//   position is never an accepted state.
// Exit (timeout): the MARKET reduce-only exit goes first; the protective legs are cancelled
//   once it has filled (until then the position keeps its stop).
// Events: routed by client id (ids.h: the trade and the leg) and symbol, never by position
//   in a loop; a liquidation (the venue's own order) by symbol. When one exit fills, the
//   other protective leg is cancelled (Binance does not always expire it: not OCO).
// Gate: while new exposure is not allowed (SHUTDOWN), only reduce-only orders are sent.
// Journal: each step of each order (the intent before the call, then the venue's answer)
//   and each fill of our orders go to the recorder given to journal_to. An entry whose intent
//   cannot be recorded is not sent; exits, protection and cancels go anyway (an unprotected
//   position is worse than a gap in the journal). A failed record is kept for
//   journal_status().
// Health: every call to the venue is reported to the call observer (if set) as served or
//   failed (venue::is_venue_failure: unknown outcome, transport, overload, rate limit) — the
//   circuit breaker's input. A refusal by a rule is a served call.
// Not thread-safe: the decision loop owns it (venue.h's threading contract).
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "execution/client_ids.h"
#include "journal/recorder.h"
#include "journal/records.h"
#include "venue/venue.h"

namespace winiswin::execution {

struct VenueHoldings;  // reconciler.h

struct ExecutorConfig {
  int protection_attempts = 2;  // per protective leg
  venue::WorkingType working_type = venue::WorkingType::kContractPrice;  // what the stop and take-profit watch
};

// A trade to open: its record so far (decision, levels, rank, sizing) and the order's size.
// Told of each venue call the executor makes: whether the venue failed to serve it.
using CallObserver = std::function<void(bool failed)>;

struct ProtectedEntry {
  journal::TradeRecord record;  // symbol, side, planned entry, stop, target, leverage …
  Quantity quantity;
  int leverage = 1;
};

// What happened to a trade, for the caller's books.
struct TradeEvent {
  enum class Kind { kEntryFilled, kClosed, kWithdrawn } kind = Kind::kEntryFilled;
  std::string symbol;
  Notional notional;            // kEntryFilled: |quantity| × fill price, rounded up
  journal::TradeRecord trade;   // kClosed: the closed trade (pnl net of fees and funding)
  double funding = 0.0;         // kClosed: the funding it paid (+) or received (−)
};

class Executor {
 public:
  Executor(venue::Venue& venue, ClientIds ids, ExecutorConfig config = {});

  // The venue's refusal (with Binance's code) when no trade was opened; errors only for
  // what the caller got wrong (a second trade on a symbol).
  Result<std::optional<Error>> enter(const ProtectedEntry& entry);
  // Closes a filled trade at market, for `reason` (a timeout). An exit the venue took already is
  // not sent again (it fills as the venue fills it; a live venue may take longer than a close).
  Status exit(const std::string& symbol, journal::ExitReason reason);
  // The client id under which a close-out the venue performs itself (the simulator where a
  // symbol's data stops) is reported, and why it happens; journaled as a reduce-only order.
  std::optional<std::string> close_out_id(const std::string& symbol, journal::ExitReason reason);
  // The venue's events, oldest first: what they did to trades is appended to `out`.
  void on_events(const std::vector<venue::VenueEvent>& events, std::vector<TradeEvent>& out);
  // While running, every minute or so: each filled trade against what the venue holds
  // (reconciler.h's read_holdings, read after the events were routed). Lists and queries
  // lag (Binance's algo orders can read "not found" for minutes after placing), so nothing is
  // concluded from one look: a trade is acted on when two checks at least `grace` apart
  // both see the same gap.
  //   no stop of ours  asked by client id first (its stop, or one put back before); when
  //                    none is working, a closePosition stop is put back at the trade's
  //                    stop (leg R) — never a second one; where the price has passed the
  //                    stop (Binance's -2021), the position is closed at market instead
  //   no position      its exit's events were missed (a stream gap): the trade is closed
  //                    (at the first look when the venue refused its exit as reducing nothing)
  //                    from its orders' reports (the leg that executed, at its average
  //                    price; none: closed by hand, at the stop as the worst case), and
  //                    the rest of its protection canceled
  void supervise(const VenueHoldings& holdings, Timestamp now, Milliseconds grace, std::vector<TradeEvent>& out);
  // A trade whose entry never filled and whose orders are gone (its data stopped): forgotten.
  std::optional<TradeEvent> drop_unfilled(const std::string& symbol);
  void allow_new_exposure(bool allowed) { new_exposure_allowed_ = allowed; }
  void observe_calls(CallObserver observer) { observer_ = std::move(observer); }
  // After a restart: trade numbers go on from `next` (client ids stay unique across runs of
  // the same prefix; reconciler.h's next_trade_number reads it from the journal).
  void continue_numbering(std::int64_t next) { next_trade_ = std::max(next_trade_, next); }
  // A trade already open at the venue when this process started (reconciler.h): its position
  // (filled, `quantity` at `entry_price`, `notional` its size) and its protective legs under its own number, so their
  // fills close it like any other trade's.
  void adopt(std::int64_t trade, journal::TradeRecord record, Quantity quantity, Notional notional);
  // Orders and fills are recorded to `recorder` at `clock()` (the decision loop's time).
  void journal_to(journal::Recorder& recorder, std::function<Timestamp()> clock);
  // The first record that failed, if one did (a run whose records are lost stops).
  [[nodiscard]] Status journal_status() const;

  [[nodiscard]] bool holds(const std::string& symbol) const { return trades_.contains(symbol); }
  [[nodiscard]] std::vector<std::string> filled_symbols() const;  // of the trades whose entry filled
  [[nodiscard]] bool is_filled(const std::string& symbol) const;
  [[nodiscard]] std::optional<Timestamp> entry_time(const std::string& symbol) const;  // once filled
  // The open trades as an operator sees them (ops' status): each trade's record so far (levels,
  // entry as filled), whether its entry filled, and the quantity filled.
  struct OpenTradeView {
    journal::TradeRecord record;
    bool filled = false;
    Quantity quantity;
  };
  [[nodiscard]] std::vector<OpenTradeView> open_trades() const;

 private:
  struct OpenTrade {
    journal::TradeRecord record;
    std::int64_t id = 0;  // the trade's number in its client ids
    bool filled = false;
    Quantity quantity;    // as filled
    double funding = 0.0;
    journal::ExitReason pending_exit = journal::ExitReason::kTimeout;  // why an exit or close-out was sent
    bool exit_sent = false;  // the venue took its exit: it is not sent again while it fills
    // A MARKET order can fill in parts (one event per part on Binance): the entry's parts are
    // summed into `quantity` and its average price, the exits' parts here until they cover it.
    Notional entry_notional;  // Σ |quantity| × price of the entry's parts, each rounded up
    Quantity exited;
    double exit_value = 0.0;  // Σ price × quantity of the exit parts
    double exit_pnl = 0.0;    // Σ realised PnL (before fees)
    double exit_fees = 0.0;
    std::optional<journal::ExitReason> exit_reason;  // the first exit part's
    // Protective legs that may be open at the venue (cancelled when the trade ends).
    std::vector<Leg> legs{Leg::kStop, Leg::kTarget};
    // supervise(): when a check first saw no stop of ours, or no position.
    std::optional<Timestamp> stop_missing_since;
    std::optional<Timestamp> position_missing_since;
    bool venue_said_flat = false;  // its reduce-only exit was refused as reducing nothing (-2022)
    bool entry_in_doubt = false;   // its entry's answer was lost and asking failed: it may fill (then it is protected)
    std::optional<Timestamp> entry_missing_since;  // supervise(): an entry in doubt the venue says it does not know
  };

  // Submits, and where the outcome is unknown, asks the venue whether the order exists.
  // `in_doubt` (if given) is set when the outcome stays unknown: the order may stand.
  std::optional<Error> submit(const venue::OrderRequest& request, bool* in_doubt = nullptr);
  // The stop-loss and take-profit of a trade whose entry the venue took; when they cannot be
  // placed, the entry is withdrawn (closed reduce-only where it filled) and the refusal returned.
  std::optional<Error> place_protection(OpenTrade& trade, const std::string& symbol);
  std::optional<Error> submit_protection(const venue::AlgoOrderRequest& request);
  void withdraw(const OpenTrade& trade, const std::string& symbol, Side side);
  Status cancel_order(const std::string& symbol, const std::string& client_order_id);
  void cancel_algo(const std::string& symbol, const std::string& client_algo_id);
  void cancel_protection(const OpenTrade& trade, const std::string& symbol);
  void route(const venue::VenueEvent& event, std::vector<TradeEvent>& out);
  void on_entry_fill(OpenTrade& trade, const venue::VenueEvent& event, std::vector<TradeEvent>& out);
  // True when the exit parts cover the position: the trade is closed (and reported).
  bool on_exit_fill(OpenTrade& trade, const venue::VenueEvent& event, journal::ExitReason reason, std::vector<TradeEvent>& out);
  // Why a fill on a held symbol reduces the trade, or none when it does not (an entry part,
  // or an order of ours for another trade).
  // supervise()'s two repairs.
  void restore_stop(OpenTrade& trade, const std::string& symbol);
  journal::TradeRecord settle_vanished(OpenTrade& trade, const std::string& symbol, Timestamp now);
  [[nodiscard]] bool stop_is_working(const OpenTrade& trade, const std::string& symbol);
  bool settle_in_doubt(OpenTrade& trade, const std::string& symbol, Timestamp now, Milliseconds grace, std::vector<TradeEvent>& out);
  // Why a fill of `leg` ends a trade (none: an entry's); an exit or close-out's is `pending_exit`.
  static std::optional<journal::ExitReason> exit_reason_of_leg(Leg leg, journal::ExitReason pending_exit);
  std::optional<journal::ExitReason> exit_reason_of(const OpenTrade& trade, const venue::VenueEvent& event,
                                                    const std::optional<OrderRef>& ref) const;
  // Journal rows: `row` at `step` (with what the venue said); the first failure is kept.
  Status record(journal::OrderRecord row, journal::OrderStep step, const Error* said = nullptr);
  void record_fill(const venue::VenueEvent& event, bool liquidation);
  // Each venue call's answer passes through one of these on its way back (the observer
  // hears whether the venue served it).
  const venue::SubmitOutcome& observed(const venue::SubmitOutcome& outcome);
  template <typename T>
  const Result<T>& observed(const Result<T>& result) {
    if (observer_) observer_(!result.ok() && venue::is_venue_failure(result.error()));
    return result;
  }

  venue::Venue& venue_;
  ClientIds ids_;
  ExecutorConfig config_;
  std::map<std::string, OpenTrade, std::less<>> trades_;  // by symbol
  std::int64_t next_trade_ = 1;
  bool new_exposure_allowed_ = true;
  CallObserver observer_;
  journal::Recorder* recorder_ = nullptr;
  std::function<Timestamp()> clock_;
  std::optional<Error> journal_lost_;
};

}  // namespace winiswin::execution
