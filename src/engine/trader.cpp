#include "engine/trader.h"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "execution/reconciler.h"

namespace winiswin::engine {

journal::TradeRecord record_of(const RankedSignal& ranked, bool is_virtual) {
  const strategy::Signal& signal = ranked.signal;
  journal::TradeRecord record;
  record.symbol = signal.symbol;
  record.side = signal.side;
  record.is_virtual = is_virtual;
  record.decided = signal.time;
  record.planned_entry = signal.entry;
  record.stop = signal.stop;
  record.target = signal.target;
  record.rank = ranked.rank;
  record.confidence = signal.confidence;
  record.features = signal.features;
  if (ranked.ml_probability) {
    record.ml_probability = ranked.ml_probability;
    record.ml_score = ranked.model_score;
  }
  return record;
}

Trader::Trader(const strategy::Strategy& strategy, const ml::Model& model, const CycleConfig& cycle, risk::PortfolioConfig portfolio,
               Milliseconds max_holding, venue::Venue& venue, journal::Recorder& recorder, execution::ClientIds ids, Notional starting,
               Timestamp start)
    : venue_(venue), recorder_(recorder), max_holding_(max_holding), portfolio_(starting, start, portfolio),
      executor_(venue, std::move(ids)), cycle_(strategy, model, cycle), debug_(spdlog::should_log(spdlog::level::debug)) {
  last_marked_equity_ = starting.to_double();
  executor_.observe_calls([this](bool failed) { on_venue_call(failed); });
  executor_.journal_to(recorder_, [this] { return clock_; });
}

void Trader::adopt(std::int64_t trade, journal::TradeRecord record, Quantity quantity, Notional notional) {
  const std::string symbol = record.symbol;
  executor_.adopt(trade, std::move(record), quantity, notional);
  portfolio_.set_exposure(symbol, notional, false);
}

void Trader::keep(Status status) {
  if (!status && !lost_) lost_ = status.error();
}

// Every position at the venue is one of the portfolio's, so while it holds none the wallet
// is the equity (no question to the venue about 200 empty books).
Result<Trader::AccountNow> Trader::account_now() {
  WINISWIN_TRY(const venue::BalanceReport balance, venue_.balance());
  AccountNow now{balance, balance.wallet_balance};
  if (portfolio_.exposure().empty()) return now;
  WINISWIN_TRY(const std::vector<venue::PositionReport> positions, venue_.positions());
  for (const venue::PositionReport& position : positions) now.equity += position.unrealized_pnl;
  return now;
}

// The equity after a trade closed, for the state machine's drawdown lines. A venue that does
// not answer now (a live venue's bad minute) must not lose the close: the last mark plus the
// trade's PnL stands in until the next mark reads the account.
double Trader::equity_after(const journal::TradeRecord& trade) {
  const Result<AccountNow> after = account_now();
  if (after) return after->equity.to_double();
  spdlog::warn("{}: the account could not be read after its close ({}): the last mark plus its PnL stands in", trade.symbol,
               after.error().message);
  return last_marked_equity_ + trade.pnl;
}

Result<Trader::AccountNow> Trader::mark(Timestamp decision) {
  clock_ = decision;
  WINISWIN_TRY(const AccountNow marked, account_now());  // the exits sent after it are reduce-only: they hold no margin
  const double equity = marked.equity.to_double();
  last_marked_equity_ = equity;
  record_transition(portfolio_.mark(equity, decision));
  keep(recorder_.equity(journal::EquityPoint{decision, equity, portfolio_.state()}));
  keep(executor_.journal_status());
  if (lost_) return *lost_;
  return marked;
}

void Trader::open_decision() { executor_.allow_new_exposure(portfolio_.state() != risk::TradingState::kShutdown); }

void Trader::exit_if_timed_out(const std::string& symbol, Timestamp decision) {
  const std::optional<Timestamp> entered = executor_.entry_time(symbol);
  if (!entered || decision - *entered < max_holding_) return;
  if (!sending_) {
    spdlog::info("{} {}: timed out; no exit sent (trading disabled)", format_utc(decision), symbol);
    return;
  }
  if (auto status = executor_.exit(symbol, journal::ExitReason::kTimeout); !status) {
    spdlog::warn("{} {}: timeout exit refused: {}", format_utc(decision), symbol, status.error().message);
  }
}

Status Trader::close_by_operator(const std::string& symbol, Timestamp now) {
  if (!executor_.holds(symbol)) return make_error(ErrorCode::kNotFound, fmt::format("{}: no open trade", symbol));
  if (!executor_.is_filled(symbol)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: its entry has not filled yet: nothing to close (try again once it has)", symbol));
  }
  if (!sending_) return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: not sent: TRADING_ENABLED=false", symbol));
  set_clock(now);
  return executor_.exit(symbol, journal::ExitReason::kOperator);
}

namespace {

constexpr std::size_t feature_index(std::string_view name) {
  for (std::size_t idx = 0; idx < strategy::kFeatureCount; ++idx) {
    if (strategy::kFeatureNames[idx] == name) return idx;
  }
  return strategy::kFeatureCount;
}
constexpr std::size_t kTrendFeature = feature_index("trend_strength");
static_assert(kTrendFeature < strategy::kFeatureCount);

}  // namespace

Status Trader::exit_by_model(Timestamp decision, std::span<const Candidate> candidates) {
  if (!cycle_.config().exit_below || portfolio_.exposure().empty()) return Ok{};
  const std::vector<execution::Executor::OpenTradeView> open = executor_.open_trades();  // by symbol
  std::vector<HeldTrade> held;
  for (std::size_t idx = 0; idx < candidates.size(); ++idx) {
    if (!candidates[idx].blocked || candidates[idx].snapshot == nullptr) continue;
    const std::string& symbol = candidates[idx].snapshot->symbol;
    const auto found = std::lower_bound(open.begin(), open.end(), symbol, [](const auto& view, const std::string& name) { return view.record.symbol < name; });
    if (found == open.end() || found->record.symbol != symbol || !found->filled) continue;
    if (decision - found->record.entry_time >= max_holding_) continue;  // its timeout exit is out
    const journal::TradeRecord& record = found->record;
    held.push_back(HeldTrade{idx, record.side, record.stop, record.target, record.confidence, record.features[kTrendFeature]});
  }
  WINISWIN_TRY(const std::vector<ModelExit> exits, cycle_.held_exits(decision, candidates, held));
  for (const ModelExit& exit : exits) {
    if (!sending_) {
      spdlog::info("{} {}: model exit (p {:.4f}); not sent (trading disabled)", format_utc(decision), exit.symbol, exit.probability);
      continue;
    }
    if (debug_) spdlog::debug("{} {}: model exit, p {:.4f} below {}", format_utc(decision), exit.symbol, exit.probability, *cycle_.config().exit_below);
    if (auto status = executor_.exit(exit.symbol, journal::ExitReason::kModelExit); !status) {
      spdlog::warn("{} {}: model exit refused: {}", format_utc(decision), exit.symbol, status.error().message);
    }
  }
  return Ok{};
}

Result<CycleOutcome> Trader::run_cycle(Timestamp decision, std::span<const Candidate> candidates, const AccountNow& marked) {
  if (auto status = exit_by_model(decision, candidates); !status) return status.error();
  AccountView account;
  account.equity = marked.equity;
  account.available = marked.balance.available_balance;
  account.day_start_equity = portfolio_.day_start_equity();
  account.state = portfolio_.state();
  account.venue_available = portfolio_.venue_allows(decision);
  account.win_rate = portfolio_.win_rate();
  account.positions.assign(portfolio_.exposure().begin(), portfolio_.exposure().end());  // open and pending
  return cycle_.run(decision, candidates, std::move(account));
}

void Trader::record_refusals(Timestamp decision, const CycleOutcome& outcome) {
  for (const Refusal& refusal : outcome.refusals) {
    if (debug_) spdlog::debug("{} refused #{} {}: {}: {}", format_utc(decision), refusal.rank, refusal.symbol, refusal.limit, refusal.reason);
    keep(recorder_.refusal(journal::RefusalRecord{decision, refusal.symbol, refusal.rank, refusal.limit, refusal.reason}));
  }
}

void Trader::record_decision(journal::DecisionRecord row) {
  row.state = portfolio_.state();
  keep(recorder_.decision(row));
}

void Trader::record_refusal(Timestamp decision, const std::string& symbol, int rank, const Refused& refused) {
  if (debug_) spdlog::debug("{} refused #{} {}: {}: {}", format_utc(decision), rank, symbol, refused.limit, refused.error.message);
  keep(recorder_.refusal(journal::RefusalRecord{decision, symbol, rank, refused.limit, refused.error.message}));
}

Result<std::optional<Trader::Refused>> Trader::place(const RealEntry& entry, journal::TradeRecord record) {
  if (!sending_) {
    return std::optional<Refused>(Refused{"trading_disabled", make_error(ErrorCode::kRejected, "not sent: TRADING_ENABLED=false (decided and recorded only)")});
  }
  if (paused_) {
    return std::optional<Refused>(Refused{"paused", make_error(ErrorCode::kRejected, "not sent: paused by the operator (POST /api/control/resume)")});
  }
  // A failed call this cycle starts a back-off: the next ranks wait.
  if (!portfolio_.venue_allows(clock_)) {
    return std::optional<Refused>(Refused{std::string(risk::name_of(risk::Refusal::kCircuitBreaker)),
                                          make_error(ErrorCode::kRejected, "not sent: the venue's circuit breaker backs off after a failed call")});
  }
  const strategy::Signal& signal = entry.ranked.signal;
  record.leverage = entry.intent.leverage;
  record.margin = entry.intent.margin;
  record.liquidation_price = entry.intent.liquidation_price;
  const execution::ProtectedEntry order{std::move(record), entry.intent.quantity, entry.intent.leverage};
  WINISWIN_TRY(const std::optional<Error> refused, executor_.enter(order));
  if (refused) return std::optional<Refused>(Refused{"venue", *refused});
  if (debug_) {
    spdlog::debug("{} placed #{} {} {} {} × {}x (margin {}), stop {}, target {}", format_utc(signal.time), entry.ranked.rank, signal.symbol,
                  name_of(signal.side), entry.intent.quantity.to_string(), entry.intent.leverage, entry.intent.margin.to_string(),
                  signal.stop.to_string(), signal.target.to_string());
  }
  portfolio_.set_exposure(signal.symbol, entry.intent.notional, true);
  return std::optional<Refused>{};
}

void Trader::record_transition(const std::optional<risk::StateTransition>& transition) {
  if (!transition) return;
  spdlog::info("{} trading state {} → {}: {}", format_utc(transition->time), risk::name_of(transition->from), risk::name_of(transition->to),
               transition->reason);
  keep(recorder_.transition(*transition));
}

// The circuit breaker hears every venue call of the executor; its level feeds the state.
void Trader::on_venue_call(bool failed) {
  const risk::VenueCallEffect effect = portfolio_.on_venue_call(failed, clock_);
  if (effect.breaker) {
    spdlog::warn("{} venue circuit breaker {} → {}: {}", format_utc(clock_), risk::name_of(effect.breaker->from),
                 risk::name_of(effect.breaker->to), effect.breaker->reason);
    keep(recorder_.breaker(journal::BreakerEvent{clock_, effect.breaker->from, effect.breaker->to, effect.breaker->reason}));
  }
  record_transition(effect.state);
}

// What the executor reports of real trades, into the portfolio's books and the records.
Status Trader::apply_trade_events(std::vector<std::string>& ended) {
  for (const execution::TradeEvent& event : trade_events_) {
    switch (event.kind) {
      case execution::TradeEvent::Kind::kEntryFilled:
        portfolio_.set_exposure(event.symbol, event.notional, false);
        break;
      case execution::TradeEvent::Kind::kClosed: {
        fees_paid_ += event.trade.fees;
        funding_paid_ += event.funding;
        keep(recorder_.trade(event.trade));
        record_transition(portfolio_.on_trade_closed(event.trade.pnl, equity_after(event.trade), event.trade.exit_time));
        portfolio_.clear_exposure(event.symbol);
        ended.push_back(event.symbol);
        break;
      }
      case execution::TradeEvent::Kind::kWithdrawn:
        portfolio_.clear_exposure(event.symbol);
        ended.push_back(event.symbol);
        break;
    }
  }
  trade_events_.clear();
  return Ok{};
}

Status Trader::route_events(std::vector<std::string>& ended) {
  executor_.on_events(venue_.drain_events(), trade_events_);
  return apply_trade_events(ended);
}

Status Trader::supervise(Timestamp now, Milliseconds grace, std::vector<std::string>& ended) {
  const std::vector<std::string> symbols = executor_.filled_symbols();
  if (symbols.empty()) return Ok{};
  set_clock(now);
  const Result<execution::VenueHoldings> holdings = execution::read_holdings(venue_, symbols);
  on_venue_call(!holdings.ok() && venue::is_venue_failure(holdings.error()));
  if (!holdings) {
    spdlog::warn("checking the open trades against the venue: {} (tried again at the next check)", holdings.error().message);
    return Ok{};
  }
  executor_.supervise(*holdings, now, grace, trade_events_);
  return apply_trade_events(ended);
}

Status Trader::drop_unfilled(const std::string& symbol, std::vector<std::string>& ended) {
  if (auto withdrawn = executor_.drop_unfilled(symbol)) trade_events_.push_back(std::move(*withdrawn));
  return apply_trade_events(ended);
}

}  // namespace winiswin::engine
