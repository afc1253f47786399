// Executor::supervise (executor.h): the running check of each filled trade against what the
// venue holds, between start-up reconciliations.
#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "execution/executor.h"
#include "execution/reconciler.h"

namespace winiswin::execution {
namespace {

const venue::PositionReport* position_of(const VenueHoldings& holdings, const std::string& symbol) {
  const auto found = std::find_if(holdings.positions.begin(), holdings.positions.end(),
                                  [&](const venue::PositionReport& position) { return position.symbol == symbol && !position.quantity.is_zero(); });
  return found == holdings.positions.end() ? nullptr : &*found;
}

bool lists_a_stop(const VenueHoldings& holdings, const std::string& symbol, Side side) {
  return std::any_of(holdings.open_algo_orders.begin(), holdings.open_algo_orders.end(), [&](const venue::AlgoOrderReport& algo) {
    return algo.symbol == symbol && protects(algo, side, venue::AlgoOrderType::kStopMarket);
  });
}

bool is_working(venue::AlgoStatus status) { return status == venue::AlgoStatus::kNew || status == venue::AlgoStatus::kTriggering; }

bool mark_passed(const venue::PositionReport& position, Side side, Price stop) {
  return side == Side::kBuy ? position.mark_price <= stop : position.mark_price >= stop;
}

}  // namespace

void Executor::supervise(const VenueHoldings& holdings, Timestamp now, Milliseconds grace, std::vector<TradeEvent>& out) {
  for (auto it = trades_.begin(); it != trades_.end();) {
    OpenTrade& trade = it->second;
    const std::string& symbol = it->first;
    if (!trade.filled) {  // an entry in flight: the executor's own queries settle it, except one in doubt
      if (trade.entry_in_doubt && settle_in_doubt(trade, symbol, now, grace, out)) {
        it = trades_.erase(it);
        continue;
      }
      ++it;
      continue;
    }
    const venue::PositionReport* position = position_of(holdings, symbol);
    if (!position) {
      trade.stop_missing_since.reset();
      if (!trade.position_missing_since) trade.position_missing_since = now;
      if (!trade.venue_said_flat && now - *trade.position_missing_since < grace) {
        ++it;
        continue;
      }
      journal::TradeRecord closed = settle_vanished(trade, symbol, now);
      cancel_protection(trade, symbol);
      out.push_back(TradeEvent{TradeEvent::Kind::kClosed, symbol, Notional{}, std::move(closed), trade.funding});
      it = trades_.erase(it);
      continue;
    }
    trade.position_missing_since.reset();
    trade.venue_said_flat = false;
    if (lists_a_stop(holdings, symbol, trade.record.side)) {
      trade.stop_missing_since.reset();
    } else if (!trade.stop_missing_since) {
      trade.stop_missing_since = now;
    } else if (now - *trade.stop_missing_since >= grace && !stop_is_working(trade, symbol)) {
      if (mark_passed(*position, trade.record.side, trade.record.stop)) {
        spdlog::warn("{}: its stop is gone and the mark {} has passed it ({}): closed at market", symbol,
                     position->mark_price.to_string(), trade.record.stop.to_string());
        (void)exit(symbol, journal::ExitReason::kStop);  // its refusal is logged by the journal; the next check tries again
      } else {
        restore_stop(trade, symbol);
      }
      trade.stop_missing_since.reset();
    }
    ++it;
  }
}

// An entry whose answer was lost and whose queries failed, asked again: filled (its fill's
// events missed) → the trade is filled from the report and protected now; not known to the
// venue on two looks a grace apart, or ended unfilled → withdrawn (true: the caller erases it).
bool Executor::settle_in_doubt(OpenTrade& trade, const std::string& symbol, Timestamp now, Milliseconds grace,
                               std::vector<TradeEvent>& out) {
  const auto entry = venue_.query_order(symbol, ids_.id(trade.id, Leg::kEntry));
  observed(entry);
  if (!entry) return false;  // still no answer: asked again at the next check
  if (*entry && (*entry)->executed_quantity.is_positive()) {
    const venue::OrderStatusReport& report = **entry;
    trade.entry_in_doubt = false;
    trade.filled = true;
    trade.quantity = report.executed_quantity;
    trade.record.entry_price = report.average_price.to_double();
    trade.record.entry_time = report.update_time;
    trade.record.quantity = report.executed_quantity.to_double();
    trade.entry_notional = notional_of(report.average_price, report.executed_quantity, Rounding::kUp);
    spdlog::warn("{}: trade {}'s entry, whose answer was lost, filled unseen: its stop and target go now", symbol, trade.id);
    out.push_back(TradeEvent{TradeEvent::Kind::kEntryFilled, symbol, trade.entry_notional, {}, 0.0});
    (void)place_protection(trade, symbol);
    return false;
  }
  const bool ended = *entry && ((*entry)->status == venue::OrderStatus::kCanceled || (*entry)->status == venue::OrderStatus::kExpired ||
                                (*entry)->status == venue::OrderStatus::kExpiredInMatch ||
                                (*entry)->status == venue::OrderStatus::kRejected);
  if (*entry && !ended) return false;  // standing, not filled yet
  if (!ended) {
    if (!trade.entry_missing_since) trade.entry_missing_since = now;
    if (now - *trade.entry_missing_since < grace) return false;
  }
  spdlog::warn("{}: trade {}'s entry, whose answer was lost, never stood: withdrawn", symbol, trade.id);
  out.push_back(TradeEvent{TradeEvent::Kind::kWithdrawn, symbol, Notional{}, trade.record, 0.0});
  return true;
}

// A stop missing from the list may only lag it: asked by client id, its own and any put back.
bool Executor::stop_is_working(const OpenTrade& trade, const std::string& symbol) {
  for (const Leg leg : {Leg::kStop, Leg::kRestoredStop}) {
    const auto found = venue_.query_algo(symbol, ids_.id(trade.id, leg));
    observed(found);
    if (!found) return true;  // the venue did not answer: nothing is concluded (the next check asks again)
    if (*found && is_working((*found)->status)) return true;
  }
  return false;
}

void Executor::restore_stop(OpenTrade& trade, const std::string& symbol) {
  spdlog::warn("{}: trade {} has no working stop at the venue (canceled by hand, or refused at its trigger): put back at {}", symbol,
               trade.id, trade.record.stop.to_string());
  venue::AlgoOrderRequest stop;
  stop.symbol = symbol;
  stop.side = opposite(trade.record.side);
  stop.type = venue::AlgoOrderType::kStopMarket;
  stop.trigger_price = trade.record.stop;
  stop.close_position = true;
  stop.working_type = config_.working_type;
  stop.client_algo_id = ids_.id(trade.id, Leg::kRestoredStop);
  if (std::find(trade.legs.begin(), trade.legs.end(), Leg::kRestoredStop) == trade.legs.end()) trade.legs.push_back(Leg::kRestoredStop);
  if (const auto refused = submit_protection(stop)) {
    spdlog::error("{}: its stop could not be put back: {}", symbol, refused->message);
    if (refused->venue_code == -2021) (void)exit(symbol, journal::ExitReason::kStop);  // it would trigger at once: close now
  }
}

// The trade's exit from its orders' reports: the protective leg or exit that executed, at its
// average price. None did: closed by something not ours, priced at the stop (the worst the
// plan allowed). The exit's fee is not in the reports (it stays out of the record's fees).
journal::TradeRecord Executor::settle_vanished(OpenTrade& trade, const std::string& symbol, Timestamp now) {
  journal::TradeRecord closed = trade.record;
  closed.exit_time = now;
  closed.exit_reason = journal::ExitReason::kManual;
  double exit_price = trade.record.stop.to_double();
  for (const Leg leg : trade.legs) {
    const auto report = venue_.query_algo(symbol, ids_.id(trade.id, leg));
    observed(report);
    if (!report || !*report || !(*report)->executed_quantity.is_positive()) continue;
    closed.exit_reason = exit_reason_of_leg(leg, trade.pending_exit).value_or(trade.pending_exit);
    exit_price = (*report)->average_price.to_double();
    break;
  }
  if (closed.exit_reason == journal::ExitReason::kManual) {
    const auto report = venue_.query_order(symbol, ids_.id(trade.id, Leg::kExit));
    observed(report);
    if (report && *report && (*report)->executed_quantity.is_positive()) {
      closed.exit_reason = trade.pending_exit;
      exit_price = (*report)->average_price.to_double();
    }
  }
  closed.exit_price = exit_price;
  const double direction = trade.record.side == Side::kBuy ? 1.0 : -1.0;
  closed.pnl = direction * (exit_price - closed.entry_price) * trade.quantity.to_double() - closed.fees - trade.funding;
  closed.funding = trade.funding;
  closed.r_multiple = journal::r_multiple(closed);
  spdlog::warn("{}: trade {} has no position at the venue any more (its exit's events were missed): closed as {} at {}", symbol,
               trade.id, journal::name_of(closed.exit_reason), exit_price);
  return closed;
}

}  // namespace winiswin::execution
