#include "execution/executor.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace winiswin::execution {
Executor::Executor(venue::Venue& venue, ClientIds ids, ExecutorConfig config)
    : venue_(venue), ids_(std::move(ids)), config_(config) {}

bool Executor::is_filled(const std::string& symbol) const {
  const auto found = trades_.find(symbol);
  return found != trades_.end() && found->second.filled;
}

std::vector<std::string> Executor::filled_symbols() const {
  std::vector<std::string> symbols;
  for (const auto& [symbol, trade] : trades_) {
    if (trade.filled) symbols.push_back(symbol);
  }
  return symbols;
}

std::vector<Executor::OpenTradeView> Executor::open_trades() const {
  std::vector<OpenTradeView> views;
  for (const auto& [symbol, trade] : trades_) views.push_back(OpenTradeView{trade.record, trade.filled, trade.quantity});
  return views;
}

std::optional<Timestamp> Executor::entry_time(const std::string& symbol) const {
  const auto found = trades_.find(symbol);
  if (found == trades_.end() || !found->second.filled) return std::nullopt;
  return found->second.record.entry_time;
}

namespace {

constexpr int kDuplicateClientAlgoId = -20132;  // "The client algo id is duplicated"
constexpr int kReduceOnlyRejected = -2022;      // "ReduceOnly Order is rejected."
constexpr int kOutcomeQueries = 3;               // asks for an order whose answer was lost before it stays in doubt

journal::OrderRecord row_of(const venue::OrderRequest& request) {
  journal::OrderRecord row;
  row.symbol = request.symbol;
  row.client_id = request.client_order_id;
  row.type = venue::name_of(request.type);
  row.side = request.side;
  row.quantity = request.quantity;
  row.reduce_only = request.reduce_only;
  return row;
}

journal::OrderRecord row_of(const venue::AlgoOrderRequest& request) {
  journal::OrderRecord row;
  row.symbol = request.symbol;
  row.client_id = request.client_algo_id;
  row.type = venue::name_of(request.type);
  row.side = request.side;
  row.quantity = request.quantity;
  row.trigger_price = request.trigger_price;
  row.reduce_only = request.reduce_only;
  row.close_position = request.close_position;
  return row;
}

journal::OrderRecord cancel_row(const std::string& symbol, const std::string& client_id) {
  journal::OrderRecord row;
  row.symbol = symbol;
  row.client_id = client_id;
  return row;
}

}  // namespace

void Executor::journal_to(journal::Recorder& recorder, std::function<Timestamp()> clock) {
  recorder_ = &recorder;
  clock_ = std::move(clock);
}

Status Executor::journal_status() const {
  if (journal_lost_) return *journal_lost_;
  return Ok{};
}

Status Executor::record(journal::OrderRecord row, journal::OrderStep step, const Error* said) {
  if (!recorder_) return Ok{};
  row.time = clock_();
  row.step = step;
  if (said) {
    row.venue_code = said->venue_code;
    row.message = said->message;
  }
  Status status = recorder_->order(row);
  if (!status && !journal_lost_) journal_lost_ = status.error();
  return status;
}

void Executor::record_fill(const venue::VenueEvent& event, bool liquidation) {
  if (!recorder_) return;
  const journal::FillRecord row{event.time,  event.symbol, event.client_algo_id.empty() ? event.client_order_id : event.client_algo_id,
                                event.side,  event.price,  event.quantity,
                                event.fee,   event.realized_pnl, liquidation};
  if (auto status = recorder_->fill(row); !status && !journal_lost_) journal_lost_ = status.error();
}

const venue::SubmitOutcome& Executor::observed(const venue::SubmitOutcome& outcome) {
  if (observer_) observer_(!outcome.accepted() && venue::is_venue_failure(outcome.error()));
  return outcome;
}

std::optional<Error> Executor::submit(const venue::OrderRequest& request, bool* in_doubt) {
  const journal::OrderRecord row = row_of(request);
  // An entry whose intent cannot be journaled is not sent; what reduces exposure goes anyway
  // (safety first: the failure is kept, and the run stops on it).
  if (auto status = record(row, journal::OrderStep::kSent); !status && !request.reduce_only) return status.error();
  const venue::SubmitOutcome outcome = venue_.submit(request);
  observed(outcome);
  if (outcome.accepted()) {
    (void)record(row, journal::OrderStep::kAccepted);  // a lost record is kept for journal_status()
    return std::nullopt;
  }
  if (outcome.rejected()) {
    (void)record(row, journal::OrderStep::kRejected, &outcome.error());
    return outcome.error();
  }
  (void)record(row, journal::OrderStep::kUnknown, &outcome.error());
  // Unknown: the venue may hold the order. Ask before anything else; never send it twice. A
  // query that fails is asked again: its failure says nothing about the order.
  Result<std::optional<venue::OrderStatusReport>> found = make_error(ErrorCode::kUnknownOutcome, "not asked");
  for (int asked = 0; asked < kOutcomeQueries && !found; ++asked) {
    found = venue_.query_order(request.symbol, request.client_order_id);
    observed(found);
  }
  if (!found) {
    // Still unknown: the order may stand. The caller keeps it in doubt (an entry's fill, if it
    // comes, is protected then); nothing is sent again under its id.
    if (in_doubt) *in_doubt = true;
    return found.error().with_context(fmt::format("{} {}: outcome unknown, and asking for it failed {} times", request.symbol,
                                                  request.client_order_id, kOutcomeQueries));
  }
  const bool stands = found->has_value();
  (void)record(row, stands ? journal::OrderStep::kFound : journal::OrderStep::kNotFound);
  if (stands) return std::nullopt;
  return outcome.error().with_context(fmt::format("{} {}: outcome unknown and not found by client id", request.symbol,
                                                  request.client_order_id));
}

std::optional<Error> Executor::submit_protection(const venue::AlgoOrderRequest& request) {
  const journal::OrderRecord row = row_of(request);
  std::optional<Error> last;
  for (int attempt = 0; attempt < std::max(1, config_.protection_attempts); ++attempt) {
    (void)record(row, journal::OrderStep::kSent);  // protection goes even if the journal failed
    const venue::SubmitOutcome outcome = venue_.submit_algo(request);
    observed(outcome);
    if (outcome.accepted()) {
      (void)record(row, journal::OrderStep::kAccepted);
      return std::nullopt;
    }
    last = outcome.error();
    (void)record(row, outcome.rejected() ? journal::OrderStep::kRejected : journal::OrderStep::kUnknown, &*last);
    // A retry after an unknown outcome refused as a duplicate: the first one stands (its
    // query lagged, as Binance's algo endpoints can for minutes).
    if (attempt > 0 && outcome.rejected() && last->venue_code == kDuplicateClientAlgoId) return std::nullopt;
    if (outcome.rejected()) return last;  // the venue said no: the same request again gets the same answer
    // Unknown: placed after all? (Algo orders can read "not found" for a while on Binance;
    // a retry under the same client id is refused as a duplicate if the first one stands.)
    const auto found = venue_.query_algo(request.symbol, request.client_algo_id);
    observed(found);
    const bool stands = found && *found;
    (void)record(row, stands ? journal::OrderStep::kFound : journal::OrderStep::kNotFound);
    if (stands) return std::nullopt;
  }
  return last;
}

Status Executor::cancel_order(const std::string& symbol, const std::string& client_order_id) {
  const journal::OrderRecord row = cancel_row(symbol, client_order_id);
  (void)record(row, journal::OrderStep::kCancelSent);
  Status canceled = venue_.cancel(symbol, client_order_id);
  observed(canceled);
  (void)record(row, canceled ? journal::OrderStep::kCanceled : journal::OrderStep::kCancelRefused,
               canceled ? nullptr : &canceled.error());
  return canceled;
}

void Executor::cancel_algo(const std::string& symbol, const std::string& client_algo_id) {
  const journal::OrderRecord row = cancel_row(symbol, client_algo_id);
  (void)record(row, journal::OrderStep::kCancelSent);
  const Status canceled = venue_.cancel_algo(symbol, client_algo_id);
  observed(canceled);
  (void)record(row, canceled ? journal::OrderStep::kCanceled : journal::OrderStep::kCancelRefused,
               canceled ? nullptr : &canceled.error());
}

void Executor::cancel_protection(const OpenTrade& trade, const std::string& symbol) {
  for (const Leg leg : trade.legs) {
    // The answer changes nothing: -20124 means the leg already triggered, expired with the
    // position or was canceled; any other refusal leaves a closePosition leg at the venue,
    // which can only close a position, never open one.
    cancel_algo(symbol, ids_.id(trade.id, leg));
  }
}

void Executor::withdraw(const OpenTrade& trade, const std::string& symbol, Side side) {
  cancel_protection(trade, symbol);
  if (cancel_order(symbol, ids_.id(trade.id, Leg::kEntry))) return;  // not filled yet: nothing is open
  // The entry filled already (live: at once): close what it opened, reduce-only.
  const auto entry = venue_.query_order(symbol, ids_.id(trade.id, Leg::kEntry));
  observed(entry);
  if (!entry || !*entry || !(*entry)->executed_quantity.is_positive()) return;
  const venue::OrderRequest close{symbol, opposite(side), venue::OrderType::kMarket, (*entry)->executed_quantity, Price{}, true,
                                  ids_.id(trade.id, Leg::kExit)};
  (void)submit(close);  // its fill is routed like any exit (reason: protection failed)
}

Result<std::optional<Error>> Executor::enter(const ProtectedEntry& entry) {
  const journal::TradeRecord& record = entry.record;
  const std::string& symbol = record.symbol;
  if (trades_.contains(symbol)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: a trade is open already: one per symbol", symbol));
  }
  if (!new_exposure_allowed_) {
    return std::optional<Error>(make_error(ErrorCode::kRejected, "new exposure is not allowed (SHUTDOWN): reduce-only orders only"));
  }
  OpenTrade trade;
  trade.record = record;
  trade.id = next_trade_++;
  if (const Status status = observed(venue_.set_leverage(symbol, entry.leverage)); !status) return std::optional<Error>(status.error());
  const venue::OrderRequest order{symbol, record.side, venue::OrderType::kMarket, entry.quantity, Price{}, false,
                                  ids_.id(trade.id, Leg::kEntry)};
  bool in_doubt = false;
  if (auto refused = submit(order, &in_doubt)) {
    if (in_doubt) {  // it may fill: kept, its protection placed when its fill comes (supervise drops it if it never does)
      trade.entry_in_doubt = true;
      trades_.emplace(symbol, std::move(trade));
    }
    return refused;
  }
  // Kept from here on, protected or not: until the venue confirms what is left (a fill or nothing).
  OpenTrade& kept = trades_.emplace(symbol, std::move(trade)).first->second;
  return place_protection(kept, symbol);
}

std::optional<Error> Executor::place_protection(OpenTrade& trade, const std::string& symbol) {
  const journal::TradeRecord& record = trade.record;
  venue::AlgoOrderRequest stop;
  stop.symbol = symbol;
  stop.side = opposite(record.side);
  stop.close_position = true;
  stop.working_type = config_.working_type;
  venue::AlgoOrderRequest target = stop;
  stop.type = venue::AlgoOrderType::kStopMarket;
  stop.trigger_price = record.stop;
  stop.client_algo_id = ids_.id(trade.id, Leg::kStop);
  target.type = venue::AlgoOrderType::kTakeProfitMarket;
  target.trigger_price = record.target;
  target.client_algo_id = ids_.id(trade.id, Leg::kTarget);
  std::optional<Error> unprotected = submit_protection(stop);
  if (!unprotected) unprotected = submit_protection(target);
  if (unprotected) {
    trade.pending_exit = journal::ExitReason::kProtectionFailed;
    withdraw(trade, symbol, record.side);
  }
  return unprotected;
}

Status Executor::exit(const std::string& symbol, journal::ExitReason reason) {
  const auto found = trades_.find(symbol);
  if (found == trades_.end() || !found->second.filled) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: no filled trade to exit", symbol));
  }
  OpenTrade& trade = found->second;
  if (trade.exit_sent) return Ok{};
  trade.pending_exit = reason;
  const venue::OrderRequest order{symbol, opposite(trade.record.side), venue::OrderType::kMarket, trade.quantity, Price{}, true,
                                  ids_.id(trade.id, Leg::kExit)};
  if (auto refused = submit(order)) {
    // -2022: a reduce-only order with nothing to reduce — the position is gone already (its
    // stop filled while the stream missed it); supervise() settles it at its next look.
    if (refused->venue_code == kReduceOnlyRejected) trade.venue_said_flat = true;
    return *refused;
  }
  trade.exit_sent = true;
  return Ok{};
}

std::optional<std::string> Executor::close_out_id(const std::string& symbol, journal::ExitReason reason) {
  const auto found = trades_.find(symbol);
  if (found == trades_.end()) return std::nullopt;
  OpenTrade& trade = found->second;
  trade.pending_exit = reason;
  journal::OrderRecord row;
  row.symbol = symbol;
  row.client_id = ids_.id(trade.id, Leg::kCloseOut);
  row.type = venue::name_of(venue::OrderType::kMarket);
  row.side = opposite(trade.record.side);
  row.quantity = trade.quantity;
  row.reduce_only = true;
  row.message = fmt::format("closed out by the venue: {}", journal::name_of(reason));
  (void)record(row, journal::OrderStep::kSent);  // the venue closes it whatever the journal says
  return row.client_id;
}

void Executor::adopt(std::int64_t trade, journal::TradeRecord record, Quantity quantity, Notional notional) {
  record.quantity = quantity.to_double();
  const std::string symbol = record.symbol;
  OpenTrade adopted;
  adopted.record = std::move(record);
  adopted.id = trade;
  adopted.filled = true;
  adopted.quantity = quantity;
  adopted.entry_notional = notional;
  // Its first legs, or those the reconciler put back: any may be open.
  adopted.legs = {Leg::kStop, Leg::kTarget, Leg::kRestoredStop, Leg::kRestoredTarget};
  trades_.insert_or_assign(symbol, std::move(adopted));
  next_trade_ = std::max(next_trade_, trade + 1);
}

std::optional<TradeEvent> Executor::drop_unfilled(const std::string& symbol) {
  const auto found = trades_.find(symbol);
  if (found == trades_.end() || found->second.filled) return std::nullopt;
  TradeEvent event{TradeEvent::Kind::kWithdrawn, symbol, Notional{}, found->second.record, 0.0};
  trades_.erase(found);
  return event;
}

void Executor::on_events(const std::vector<venue::VenueEvent>& events, std::vector<TradeEvent>& out) {
  for (const venue::VenueEvent& event : events) route(event, out);
}

namespace {

// The venue's own closes, told by the event's cause.
std::optional<journal::ExitReason> forced_exit_of(venue::EventCause cause) {
  switch (cause) {
    case venue::EventCause::kLiquidation: return journal::ExitReason::kLiquidation;
    case venue::EventCause::kAutoDeleverage: return journal::ExitReason::kAutoDeleverage;
    case venue::EventCause::kSettlement: return journal::ExitReason::kSettlement;
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<journal::ExitReason> Executor::exit_reason_of(const OpenTrade& trade, const venue::VenueEvent& event,
                                                            const std::optional<OrderRef>& ref) const {
  if (const auto forced = forced_exit_of(event.cause)) return forced;
  if (!ref) {
    // Not ours and not the venue's: an order placed by hand (or by another program) on this
    // symbol. Against the position it closes it; with it, it grows the position.
    return event.side != trade.record.side ? std::optional(journal::ExitReason::kManual) : std::nullopt;
  }
  if (ref->trade != trade.id) return std::nullopt;  // another trade of this run's (one trade per symbol: stale)
  return exit_reason_of_leg(ref->leg, trade.pending_exit);
}

std::optional<journal::ExitReason> Executor::exit_reason_of_leg(Leg leg, journal::ExitReason pending_exit) {
  switch (leg) {
    case Leg::kEntry: return std::nullopt;
    case Leg::kStop:
    case Leg::kRestoredStop:
    case Leg::kReconcileClose: return journal::ExitReason::kStop;  // the reconciler closes where the stop was passed
    case Leg::kTarget:
    case Leg::kRestoredTarget: return journal::ExitReason::kTarget;
    case Leg::kExit:
    case Leg::kCloseOut: return pending_exit;
  }
  return pending_exit;
}

void Executor::route(const venue::VenueEvent& event, std::vector<TradeEvent>& out) {
  using Kind = venue::VenueEvent::Kind;
  if (event.kind != Kind::kFill && event.kind != Kind::kFunding) return;
  const auto found = trades_.find(event.symbol);
  if (found == trades_.end()) return;
  OpenTrade& trade = found->second;
  if (event.kind == Kind::kFunding) {
    if (trade.filled) trade.funding += event.fee.to_double();
    return;
  }
  const std::optional<OrderRef> ref = ids_.parse(event.client_algo_id.empty() ? event.client_order_id : event.client_algo_id);
  const std::optional<journal::ExitReason> reason = exit_reason_of(trade, event, ref);
  if (!reason) {
    const bool entry_part = ref && ref->trade == trade.id && ref->leg == Leg::kEntry;
    const bool grows_position = !ref && trade.filled;  // by hand, with the position
    if (entry_part || grows_position) on_entry_fill(trade, event, out);
    return;
  }
  if (!trade.filled) return;
  if (on_exit_fill(trade, event, *reason, out)) trades_.erase(found);
}

void Executor::on_entry_fill(OpenTrade& trade, const venue::VenueEvent& event, std::vector<TradeEvent>& out) {
  record_fill(event, false);
  if (trade.entry_in_doubt) {
    // The entry whose answer was lost stood after all: it gets its protection now (placing
    // it failing, supervise puts the stop back).
    trade.entry_in_doubt = false;
    spdlog::warn("{}: trade {}'s entry, whose answer was lost, filled: its stop and target go now", event.symbol, trade.id);
    (void)place_protection(trade, event.symbol);
  }
  journal::TradeRecord& record = trade.record;
  const double before = trade.filled ? trade.quantity.to_double() : 0.0;
  const double part = event.quantity.to_double();
  trade.quantity = trade.filled ? trade.quantity + event.quantity : event.quantity;
  record.entry_price = before == 0.0 ? event.price.to_double() : (record.entry_price * before + event.price.to_double() * part) / (before + part);
  if (!trade.filled) record.entry_time = event.time;  // the first part's
  trade.filled = true;
  record.quantity = trade.quantity.to_double();
  record.fees += event.fee.to_double();
  trade.entry_notional += notional_of(event.price, event.quantity, Rounding::kUp);
  // The exposure so far (the books set it, they do not add it).
  out.push_back(TradeEvent{TradeEvent::Kind::kEntryFilled, event.symbol, trade.entry_notional, {}, 0.0});
}

bool Executor::on_exit_fill(OpenTrade& trade, const venue::VenueEvent& event, journal::ExitReason reason, std::vector<TradeEvent>& out) {
  record_fill(event, reason == journal::ExitReason::kLiquidation);
  trade.exited += event.quantity;
  trade.exit_value += event.price.to_double() * event.quantity.to_double();
  trade.exit_pnl += event.realized_pnl.to_double();
  trade.exit_fees += event.fee.to_double();
  if (!trade.exit_reason) trade.exit_reason = reason;
  if (trade.exited < trade.quantity) return false;  // a part: the position is still open
  journal::TradeRecord closed = trade.record;
  closed.exit_time = event.time;
  closed.exit_price = event.quantity == trade.exited ? event.price.to_double() : trade.exit_value / trade.exited.to_double();
  closed.fees += trade.exit_fees;
  closed.pnl = trade.exit_pnl - closed.fees - trade.funding;
  closed.funding = trade.funding;
  closed.exit_reason = *trade.exit_reason;
  closed.r_multiple = journal::r_multiple(closed);
  // The exit filled: the other protective leg goes (Binance may leave it open).
  cancel_protection(trade, event.symbol);
  out.push_back(TradeEvent{TradeEvent::Kind::kClosed, event.symbol, Notional{}, std::move(closed), trade.funding});
  return true;
}

}  // namespace winiswin::execution
