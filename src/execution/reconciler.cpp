#include "execution/reconciler.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace winiswin::execution {

bool protects(const venue::AlgoOrderReport& algo, Side position_side, venue::AlgoOrderType type) {
  return algo.type == type && algo.side == opposite(position_side) && (algo.close_position || algo.reduce_only);
}

namespace {

using Kind = ReconcileAction::Kind;

Quantity magnitude(Quantity quantity) { return quantity.is_negative() ? -quantity : quantity; }

Side side_of(const venue::PositionReport& position) { return position.quantity.is_positive() ? Side::kBuy : Side::kSell; }

// Whether the mark has reached `level` on the position's adverse (stop) or favourable
// (target) side: a trigger there would fire at once.
bool mark_at_or_beyond_stop(const venue::PositionReport& position, Price stop) {
  return side_of(position) == Side::kBuy ? position.mark_price <= stop : position.mark_price >= stop;
}
bool mark_at_or_beyond_target(const venue::PositionReport& position, Price target) {
  return side_of(position) == Side::kBuy ? position.mark_price >= target : position.mark_price <= target;
}

// `fraction` of the entry away from it, on the tick toward the entry.
Result<Price> fallback_stop(const venue::PositionReport& position, const Instrument& instrument, double fraction) {
  const bool is_long = side_of(position) == Side::kBuy;
  const double level = position.entry_price.to_double() * (is_long ? 1.0 - fraction : 1.0 + fraction);
  WINISWIN_TRY(const Price raw, Price::from_double(level));
  return instrument.round_price(raw, is_long ? Rounding::kUp : Rounding::kDown);
}

venue::AlgoOrderRequest protective(const std::string& symbol, Side position_side, venue::AlgoOrderType type, Price trigger,
                                   std::string client_id, venue::WorkingType working_type) {
  venue::AlgoOrderRequest request;
  request.symbol = symbol;
  request.side = opposite(position_side);
  request.type = type;
  request.trigger_price = trigger;
  request.close_position = true;
  request.working_type = working_type;
  request.client_algo_id = std::move(client_id);
  return request;
}

// The state of one symbol with a position, and the plan being made.
struct PositionCheck {
  const venue::PositionReport& position;
  const JournaledTrade* known;  // null: the journal does not know it
  std::vector<const venue::AlgoOrderReport*> stops, targets;
};

// Keeps one stop (ours for this trade, else the tightest) and cancels the others.
void cancel_extra_stops(const PositionCheck& check, const ClientIds& ids, ReconcilePlan& plan) {
  const bool is_long = side_of(check.position) == Side::kBuy;
  const auto score = [&](const venue::AlgoOrderReport* stop) {
    const auto ref = ids.parse(stop->client_algo_id);
    const bool ours = check.known && ref && ref->trade == check.known->trade;
    return std::make_pair(ours, is_long ? stop->trigger_price : Price::from_raw(-stop->trigger_price.raw()));
  };
  const auto kept = *std::max_element(check.stops.begin(), check.stops.end(),
                                      [&](const auto* a, const auto* b) { return score(a) < score(b); });
  for (const venue::AlgoOrderReport* stop : check.stops) {
    if (stop == kept) continue;
    plan.actions.push_back(ReconcileAction{Kind::kCancelAlgo, stop->symbol, {}, {}, stop->client_algo_id,
                                           fmt::format("a second stop on the position (keeping {})", kept->client_algo_id)});
  }
}

void plan_position(const PositionCheck& check, const std::map<std::string, Instrument, std::less<>>& instruments, const ClientIds& ids,
                   std::int64_t& next_trade, const ReconcileConfig& config, ReconcilePlan& plan) {
  const venue::PositionReport& position = check.position;
  const Side side = side_of(position);
  if (check.stops.size() > 1) cancel_extra_stops(check, ids, plan);
  JournaledTrade trade = check.known ? *check.known : JournaledTrade{next_trade, position.symbol, side, Price{}, Price{}};
  if (check.stops.empty()) {
    if (!check.known) {
      const auto instrument = instruments.find(position.symbol);
      if (instrument == instruments.end()) {
        plan.notes.push_back(fmt::format("{}: a position the journal does not know, and no instrument to price its stop", position.symbol));
        return;
      }
      auto stop = fallback_stop(position, instrument->second, config.fallback_stop);
      if (!stop) {
        plan.notes.push_back(fmt::format("{}: no fallback stop: {}", position.symbol, stop.error().message));
        return;
      }
      trade.stop = *stop;
      ++next_trade;
      plan.adopted.push_back(trade);
    }
    if (mark_at_or_beyond_stop(position, trade.stop)) {
      venue::OrderRequest close{position.symbol, opposite(side), venue::OrderType::kMarket, magnitude(position.quantity), Price{}, true,
                                ids.id(trade.trade, Leg::kReconcileClose)};
      plan.actions.push_back(ReconcileAction{Kind::kCloseAtMarket, position.symbol, {}, close, {},
                                             fmt::format("no stop, and the mark {} is already beyond {}", position.mark_price.to_string(),
                                                         trade.stop.to_string())});
      return;
    }
    plan.actions.push_back(ReconcileAction{
        Kind::kPlaceStop, position.symbol,
        protective(position.symbol, side, venue::AlgoOrderType::kStopMarket, trade.stop, ids.id(trade.trade, Leg::kRestoredStop),
                   config.working_type),
        {}, {}, check.known ? "its stop is missing at the venue" : "a position the journal does not know: adopted"});
  }
  const bool target_known = check.known && check.known->target.is_positive();
  if (target_known && check.targets.empty() && !mark_at_or_beyond_target(position, check.known->target)) {
    plan.actions.push_back(ReconcileAction{
        Kind::kPlaceTarget, position.symbol,
        protective(position.symbol, side, venue::AlgoOrderType::kTakeProfitMarket, check.known->target,
                   ids.id(check.known->trade, Leg::kRestoredTarget), config.working_type),
        {}, {}, "its target is missing at the venue"});
  }
}

// Orders on a symbol without a position: ours go (protective legs would close the next
// position; an entry left open is stale), others' are named and left alone.
void plan_flat_symbol_orders(const VenueHoldings& holdings, const std::set<std::string, std::less<>>& with_position,
                             const ClientIds& ids, ReconcilePlan& plan) {
  // Entries first: an entry that fills before its cancel arrives keeps its protection
  // (apply_reconciliation skips the protective cancels of a symbol whose entry cancel failed).
  for (const venue::OrderStatusReport& order : holdings.open_orders) {
    if (with_position.contains(order.symbol)) continue;
    if (ids.parse(order.client_order_id)) {
      plan.actions.push_back(ReconcileAction{Kind::kCancelOrder, order.symbol, {}, {}, order.client_order_id, "a stale entry"});
    } else {
      plan.notes.push_back(fmt::format("{}: order {} is not ours: left alone", order.symbol, order.client_order_id));
    }
  }
  for (const venue::AlgoOrderReport& algo : holdings.open_algo_orders) {
    if (with_position.contains(algo.symbol)) continue;
    if (ids.parse(algo.client_algo_id)) {
      plan.actions.push_back(ReconcileAction{Kind::kCancelAlgo, algo.symbol, {}, {}, algo.client_algo_id, "no position left to protect"});
    } else {
      plan.notes.push_back(fmt::format("{}: algo order {} is not ours: left alone", algo.symbol, algo.client_algo_id));
    }
  }
}

}  // namespace

std::vector<JournaledTrade> open_trades(std::span<const journal::OrderRecord> orders, std::span<const journal::FillRecord> fills,
                                        const ClientIds& ids) {
  std::map<std::int64_t, JournaledTrade> trades;
  std::map<std::int64_t, std::pair<Quantity, Quantity>> filled;  // entered, exited
  std::set<std::int64_t> accepted;  // trades whose entry the venue took
  for (const journal::OrderRecord& order : orders) {
    const auto ref = ids.parse(order.client_id);
    if (ref && ref->leg == Leg::kEntry && (order.step == journal::OrderStep::kAccepted || order.step == journal::OrderStep::kFound)) {
      accepted.insert(ref->trade);
    }
    if (!ref || order.step != journal::OrderStep::kSent) continue;
    JournaledTrade& trade = trades[ref->trade];
    trade.trade = ref->trade;
    trade.symbol = order.symbol;
    if (ref->leg == Leg::kEntry) trade.side = order.side;
    if (ref->leg == Leg::kStop || ref->leg == Leg::kRestoredStop) trade.stop = order.trigger_price;
    if (ref->leg == Leg::kTarget || ref->leg == Leg::kRestoredTarget) trade.target = order.trigger_price;
  }
  for (const journal::FillRecord& fill : fills) {
    const auto ref = ids.parse(fill.client_id);
    if (!ref) continue;
    auto& [entered, exited] = filled[ref->trade];
    (ref->leg == Leg::kEntry ? entered : exited) += fill.quantity;
    if (ref->leg == Leg::kEntry && trades.contains(ref->trade) && trades[ref->trade].entered == Timestamp{}) {
      trades[ref->trade].entered = fill.time;
    }
  }
  std::vector<JournaledTrade> open;
  for (const auto& [number, trade] : trades) {
    const auto found = filled.find(number);
    const Quantity entered = found != filled.end() ? found->second.first : Quantity{};
    const Quantity exited = found != filled.end() ? found->second.second : Quantity{};
    // An entry whose fill the journal never saw (it filled while the process was down) counts
    // as open: the venue's positions say whether it still is.
    if (accepted.contains(number) && (entered.is_zero() ? exited.is_zero() : exited < entered)) open.push_back(trade);
  }
  return open;
}

std::int64_t next_trade_number(std::span<const journal::OrderRecord> orders, const ClientIds& ids) {
  std::int64_t last = 0;
  for (const journal::OrderRecord& order : orders) {
    if (const auto ref = ids.parse(order.client_id)) last = std::max(last, ref->trade);
  }
  return last + 1;
}

Result<VenueHoldings> read_holdings(venue::Venue& venue, std::span<const std::string> symbols) {
  VenueHoldings holdings;
  WINISWIN_TRY(const std::vector<venue::PositionReport> positions, venue.positions());
  std::set<std::string, std::less<>> asked(symbols.begin(), symbols.end());
  for (const venue::PositionReport& position : positions) {
    if (position.quantity.raw() == 0) continue;
    holdings.positions.push_back(position);
    asked.insert(position.symbol);
  }
  for (const std::string& symbol : asked) {
    WINISWIN_TRY(std::vector<venue::OrderStatusReport> orders, venue.open_orders(symbol));
    WINISWIN_TRY(std::vector<venue::AlgoOrderReport> algos, venue.open_algo_orders(symbol));
    holdings.open_orders.insert(holdings.open_orders.end(), orders.begin(), orders.end());
    holdings.open_algo_orders.insert(holdings.open_algo_orders.end(), algos.begin(), algos.end());
  }
  return holdings;
}

ReconcilePlan plan_reconciliation(const VenueHoldings& holdings, std::span<const JournaledTrade> journaled,
                                  const std::map<std::string, Instrument, std::less<>>& instruments, const ClientIds& ids,
                                  std::int64_t next_trade, const ReconcileConfig& config) {
  ReconcilePlan plan;
  std::set<std::string, std::less<>> with_position;
  for (const venue::PositionReport& position : holdings.positions) {
    with_position.insert(position.symbol);
    const Side side = side_of(position);
    const auto known = std::find_if(journaled.begin(), journaled.end(),
                                    [&](const JournaledTrade& t) { return t.symbol == position.symbol && t.side == side; });
    PositionCheck check{position, known == journaled.end() ? nullptr : &*known, {}, {}};
    for (const venue::AlgoOrderReport& algo : holdings.open_algo_orders) {
      if (algo.symbol != position.symbol) continue;
      if (protects(algo, side, venue::AlgoOrderType::kStopMarket)) check.stops.push_back(&algo);
      if (protects(algo, side, venue::AlgoOrderType::kTakeProfitMarket)) check.targets.push_back(&algo);
    }
    plan_position(check, instruments, ids, next_trade, config, plan);
  }
  plan_flat_symbol_orders(holdings, with_position, ids, plan);
  return plan;
}

namespace {

// An action as the journal's order row (what is sent or canceled, and why).
journal::OrderRecord order_row(const ReconcileAction& action, Timestamp now) {
  journal::OrderRecord row;
  row.time = now;
  row.symbol = action.symbol;
  row.message = "reconciliation: " + action.reason;
  switch (action.kind) {
    case Kind::kPlaceStop:
    case Kind::kPlaceTarget:
      row.client_id = action.algo.client_algo_id;
      row.type = venue::name_of(action.algo.type);
      row.side = action.algo.side;
      row.trigger_price = action.algo.trigger_price;
      row.close_position = action.algo.close_position;
      break;
    case Kind::kCloseAtMarket:
      row.client_id = action.order.client_order_id;
      row.type = venue::name_of(action.order.type);
      row.side = action.order.side;
      row.quantity = action.order.quantity;
      row.reduce_only = true;
      break;
    case Kind::kCancelAlgo:
    case Kind::kCancelOrder:
      row.client_id = action.client_id;
      break;
  }
  return row;
}

}  // namespace

Status apply_reconciliation(venue::Venue& venue, const ReconcilePlan& plan, std::span<const std::string> symbols,
                            journal::Recorder* journal, Timestamp now) {
  // Each action journaled as the executor journals its orders: the intent first, then the answer.
  Status journal_status = Ok{};
  const auto record = [&](const ReconcileAction& action, journal::OrderStep step, const Error* said) {
    if (!journal || !journal_status) return;
    journal::OrderRecord row = order_row(action, now);
    row.step = step;
    if (said) {
      row.venue_code = said->venue_code;
      row.message += ": " + said->message;
    }
    journal_status = journal->order(row);
  };
  std::vector<std::string> refused;
  std::set<std::string, std::less<>> closing;
  std::set<std::string, std::less<>> entry_filled;  // an entry whose cancel failed (it filled meanwhile)
  for (const ReconcileAction& action : plan.actions) {
    if (action.kind == Kind::kCancelAlgo && entry_filled.contains(action.symbol)) continue;  // its position now needs this protection
    const bool cancel = action.kind == Kind::kCancelAlgo || action.kind == Kind::kCancelOrder;
    record(action, cancel ? journal::OrderStep::kCancelSent : journal::OrderStep::kSent, nullptr);
    std::optional<Error> error;
    switch (action.kind) {
      case Kind::kPlaceStop:
      case Kind::kPlaceTarget:
        if (const venue::SubmitOutcome outcome = venue.submit_algo(action.algo); !outcome.accepted()) error = outcome.error();
        break;
      case Kind::kCloseAtMarket:
        if (const venue::SubmitOutcome outcome = venue.submit(action.order); !outcome.accepted()) {
          error = outcome.error();
        } else {
          closing.insert(action.symbol);
        }
        break;
      case Kind::kCancelAlgo:
        if (const Status status = venue.cancel_algo(action.symbol, action.client_id); !status) error = status.error();
        break;
      case Kind::kCancelOrder:
        if (const Status status = venue.cancel(action.symbol, action.client_id); !status) {
          error = status.error();
          entry_filled.insert(action.symbol);  // gone already: most likely it just filled
        }
        break;
    }
    const journal::OrderStep answered = cancel ? (error ? journal::OrderStep::kCancelRefused : journal::OrderStep::kCanceled)
                                               : (error ? journal::OrderStep::kRejected : journal::OrderStep::kAccepted);
    record(action, answered, error ? &*error : nullptr);
    if (error) refused.push_back(fmt::format("{}: {}: {}", action.symbol, action.reason, error->message));
  }
  if (!journal_status) return journal_status.error().with_context("journaling the reconciliation");
  // Checked against what the venue says now, not against the plan.
  WINISWIN_TRY(const VenueHoldings after, read_holdings(venue, symbols));
  std::vector<std::string> unprotected;
  for (const venue::PositionReport& position : after.positions) {
    if (closing.contains(position.symbol)) continue;  // its close at market was accepted (it fills with the next trade)
    const auto stops = std::count_if(after.open_algo_orders.begin(), after.open_algo_orders.end(), [&](const venue::AlgoOrderReport& algo) {
      return algo.symbol == position.symbol && protects(algo, side_of(position), venue::AlgoOrderType::kStopMarket);
    });
    if (stops != 1) unprotected.push_back(fmt::format("{} ({} stops)", position.symbol, stops));
  }
  if (unprotected.empty()) return Ok{};
  std::string why;
  for (const std::string& line : refused) why += "; " + line;
  return make_error(ErrorCode::kRejected, fmt::format("reconciliation failed: not exactly one stop on {}{}", fmt::join(unprotected, ", "), why));
}

}  // namespace winiswin::execution
