#include "venue/sim/sim_venue.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "venue/sim/margin.h"
#include "venue/sim/sim_detail.h"

namespace winiswin::sim {
namespace {

using venue::AlgoOrderRequest;
using venue::AlgoOrderType;
using venue::AlgoStatus;
using venue::EventCause;
using venue::OrderRequest;
using venue::OrderStatus;
using venue::OrderType;
using venue::VenueEvent;

using detail::magnitude;
using detail::nearest_notional;
using detail::nearest_price;
using detail::opposes;

}  // namespace

SimVenue::SimVenue(const std::vector<Instrument>& instruments, const std::map<std::string, std::vector<LeverageBracket>>& brackets,
                   SimVenueConfig config)
    : config_(config), wallet_(config.starting_balance) {
  std::vector<const Instrument*> sorted;
  for (const Instrument& instrument : instruments) sorted.push_back(&instrument);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Instrument* a, const Instrument* b) { return a->symbol < b->symbol; });
  for (const Instrument* listed : sorted) {
    const Instrument& instrument = *listed;
    if (index_.contains(instrument.symbol)) continue;  // the first listing wins
    Book entry;
    entry.instrument = instrument;
    entry.leverage = config.default_leverage;
    entry.margin_type = config.margin_type;
    if (const auto found = brackets.find(instrument.symbol); found != brackets.end()) entry.brackets = found->second;
    index_.emplace(instrument.symbol, books_.size());
    books_.push_back(std::move(entry));
  }
}

std::optional<std::size_t> SimVenue::index_of(const std::string& symbol) const {
  const auto found = index_.find(symbol);
  return found == index_.end() ? std::nullopt : std::optional<std::size_t>(found->second);
}

SimVenue::Book* SimVenue::book(const std::string& symbol) {
  const auto found = index_.find(symbol);
  return found == index_.end() ? nullptr : &books_[found->second];
}

// The part of an order that would open exposure: an order against the position first
// closes it, and only what goes beyond needs margin (one-way mode).
Quantity SimVenue::opening_quantity(const Book& entry, Side side, Quantity quantity) {
  if (!opposes(side, entry.position)) return quantity;
  const Quantity held = magnitude(entry.position);
  return quantity > held ? quantity - held : Quantity{};
}

// Margin held by positions, and the initial margin of open regular orders that would add
// exposure (as Binance holds it): notional at the order's own price (last price for MARKET)
// / leverage. Algo orders hold nothing until they trigger.
Notional SimVenue::used_margin() const {
  Notional used;
  for (const Book& entry : books_) {
    used += entry.margin;
    // A crossed position's unrealised loss is the cross wallet's: not available either.
    if (entry.margin_type == venue::MarginType::kCrossed && !entry.position.is_zero()) {
      const double loss = std::min(0.0, (mark_of(entry) - entry.entry_price) * entry.position.to_double());
      used -= nearest_notional(loss);
    }
    for (const RestingOrder& order : entry.orders) {
      const OrderRequest& request = order.request;
      if (request.reduce_only) continue;
      const Price reference = request.type == OrderType::kLimit ? request.price : entry.last_bar ? entry.last_bar->close : Price{};
      used += Notional::from_raw(
          notional_of(reference, opening_quantity(entry, request.side, request.quantity), Rounding::kUp).raw() / entry.leverage);
    }
  }
  return used;
}

Quantity SimVenue::fill(Book& entry, const RestingOrder& order, Price price, bool maker, Timestamp time, const std::string& reason) {
  const OrderRequest& request = order.request;
  Quantity quantity = request.quantity;
  if (request.reduce_only) quantity = std::min(quantity, magnitude(entry.position));  // never more than the position
  const Notional notional = notional_of(price, quantity, Rounding::kUp);
  const Notional fee = trading_fee(notional, maker ? config_.maker_fee : config_.taker_fee);
  const double signed_quantity = (request.side == Side::kBuy ? 1.0 : -1.0) * quantity.to_double();
  const double held = entry.position.to_double();
  double realized = 0.0;
  if (held == 0.0 || (held > 0) == (signed_quantity > 0)) {  // opening or adding
    const double total = std::fabs(held) + quantity.to_double();
    entry.entry_price = (std::fabs(held) * entry.entry_price + quantity.to_double() * price.to_double()) / total;
    entry.margin += Notional::from_raw(notional.raw() / entry.leverage);
    entry.position += request.side == Side::kBuy ? quantity : -quantity;
  } else {  // reducing, possibly flipping
    const double closed = std::min(std::fabs(held), quantity.to_double());
    realized = (price.to_double() - entry.entry_price) * closed * (held > 0 ? 1.0 : -1.0);
    const double remaining_share = 1.0 - closed / std::fabs(held);
    entry.margin = nearest_notional(entry.margin.to_double() * remaining_share);
    entry.position += request.side == Side::kBuy ? quantity : -quantity;
    if (entry.position.is_zero()) {
      entry.entry_price = 0.0;
      entry.margin = Notional{};
    } else if ((entry.position.to_double() > 0) == (signed_quantity > 0)) {  // flipped: the rest opens anew
      entry.entry_price = price.to_double();
      entry.margin = Notional::from_raw(notional_of(price, magnitude(entry.position), Rounding::kUp).raw() / entry.leverage);
    }
  }
  const Notional realized_pnl = nearest_notional(realized);
  wallet_ = wallet_ + realized_pnl - fee;

  VenueEvent event;
  event.kind = VenueEvent::Kind::kFill;
  event.time = time;
  event.symbol = request.symbol;
  event.cause = order.algo_id != 0 ? EventCause::kAlgoTriggered : EventCause::kOrder;
  event.order_id = order.order_id;
  event.client_order_id = request.client_order_id;
  if (order.algo_id != 0) {
    event.algo_id = order.algo_id;
    event.client_algo_id = request.client_order_id;  // the child carries its algo order's client id
  }
  event.status = OrderStatus::kFilled;
  event.side = request.side;
  event.price = price;
  event.quantity = quantity;
  event.cumulative_quantity = quantity;
  event.fee = fee;
  event.realized_pnl = realized_pnl;
  event.reason = reason;
  emit(event);
  emit_position_and_balance(event, nearest_price(entry.entry_price), entry.position);

  venue::OrderStatusReport report = report_of(order);
  report.status = OrderStatus::kFilled;
  report.original_quantity = quantity;  // a reduce-only order's quantity, capped to the position
  report.executed_quantity = quantity;
  report.average_price = price;
  report.update_time = time;
  remember(entry, std::move(report));
  return quantity;
}

// A triggered algo order becomes a MARKET order (the next order id, client id = the client
// algo id) filled at `price`, unless it is refused at trigger time.
void SimVenue::trigger(Book& entry, const AlgoOrder& algo, Price price, Timestamp time, const std::string& reason) {
  const AlgoOrderRequest& request = algo.request;
  const auto finish = [&](AlgoStatus status, EventCause cause, const std::string& why, std::int64_t order_id, Quantity executed,
                          Price average) {
    emit_algo_update(algo, status, time, cause, why, order_id, executed, average);
    venue::AlgoOrderReport report = report_of(algo);
    report.status = status;
    report.update_time = time;
    report.trigger_time = time;
    report.reason = why;
    if (order_id != 0) report.actual_order_id = order_id;
    report.executed_quantity = executed;
    report.average_price = average;
    remember(entry, std::move(report));
  };
  const bool reduces = opposes(request.side, entry.position);
  if (request.close_position && !reduces) {
    finish(AlgoStatus::kExpired, EventCause::kPositionClosed, "triggered with no position to close", 0, {}, {});
    return;
  }
  if (request.reduce_only && !reduces) {
    finish(AlgoStatus::kRejected, EventCause::kTriggerRejected, "Reduce Only reject", 0, {}, {});
    return;
  }
  const bool reducing = request.close_position || request.reduce_only;
  const Quantity quantity = request.close_position ? magnitude(entry.position)
                            : request.reduce_only  ? std::min(request.quantity, magnitude(entry.position))
                                                   : request.quantity;
  if (!reducing) {
    const Notional required =
        Notional::from_raw(notional_of(price, opening_quantity(entry, request.side, quantity), Rounding::kUp).raw() / entry.leverage);
    if (required > wallet_ - used_margin()) {
      finish(AlgoStatus::kRejected, EventCause::kTriggerRejected, "Margin is insufficient.", 0, {}, {});
      return;
    }
  }
  RestingOrder child;
  child.order_id = next_order_id_++;
  child.request = OrderRequest{request.symbol, request.side, OrderType::kMarket, quantity, Price{}, reducing, request.client_algo_id};
  child.created = time;
  child.algo_id = algo.algo_id;
  child.close_position = request.close_position;
  emit_algo_update(algo, AlgoStatus::kTriggered, time, EventCause::kAlgoTriggered, reason, child.order_id);
  emit_order_update(child, OrderStatus::kNew, time, EventCause::kAlgoTriggered, reason);
  const Quantity executed = fill(entry, child, price, false, time, reason);
  finish(AlgoStatus::kFinished, EventCause::kAlgoTriggered, reason, child.order_id, executed, price);
}

Status SimVenue::on_bar(const std::string& symbol, const Kline& bar, const Kline* mark) {
  const auto index = index_of(symbol);
  if (!index) return make_error(ErrorCode::kNotFound, fmt::format("{}: unknown symbol", symbol));
  return on_bar(*index, bar, mark);
}

Status SimVenue::on_bar(std::size_t symbol_index, const Kline& bar, const Kline* mark_bar) {
  if (symbol_index >= books_.size()) return make_error(ErrorCode::kNotFound, fmt::format("symbol index {} out of range", symbol_index));
  Book* entry = &books_[symbol_index];
  if (mark_bar && mark_bar->open_time != bar.open_time) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: mark bar at {} for the bar at {}", entry->instrument.symbol,
                                                               format_utc(mark_bar->open_time), format_utc(bar.open_time)));
  }
  // Without mark-price bars the contract bar stands in for the mark.
  const Kline& mark = mark_bar ? *mark_bar : bar;
  if (entry->last_bar && bar.open_time <= entry->last_bar->open_time) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: bar at {} is not after the last one", entry->instrument.symbol, format_utc(bar.open_time)));
  }
  if (entry->orders.empty() && entry->algo_orders.empty() && entry->position.is_zero()) {  // the common case: nothing to do
    while (entry->next_funding < entry->funding.size() && entry->funding[entry->next_funding].time <= bar.close_time) {
      ++entry->next_funding;
    }
    entry->last_bar = Book::LastBar{bar.open_time, bar.close_time, bar.close};
    if (mark_bar) entry->last_mark = mark_bar->close;
    return Ok{};
  }
  const Instrument& instrument = entry->instrument;
  const auto take = [&](std::size_t index) {
    const RestingOrder order = entry->orders[index];
    entry->orders.erase(entry->orders.begin() + static_cast<std::ptrdiff_t>(index));
    return order;
  };
  // A regular order's fill, unless it is reduce-only and the position flipped or closed
  // under it (then it expires: it would add); a fill that closes the position expires the
  // orders that protected it.
  const auto execute = [&](const RestingOrder& order, Price price, bool maker, const char* reason) {
    if (order.request.reduce_only && !opposes(order.request.side, entry->position)) {
      expire_order(*entry, order, bar.open_time, "reduce-only order would not reduce the position");
      return;
    }
    (void)fill(*entry, order, price, maker, bar.open_time, reason);
    if (entry->position.is_zero()) expire_protective_orders(*entry, bar.open_time);
  };
  // 1. Market orders decided at the last close fill at this open.
  for (std::size_t idx = 0; idx < entry->orders.size();) {
    if (entry->orders[idx].request.type != OrderType::kMarket) {
      ++idx;
      continue;
    }
    const RestingOrder order = take(idx);
    execute(order, venue::market_fill(bar.open, order.request.side, bar, instrument, config_.fills), false, "MARKET");
  }
  apply_funding(*entry, bar.open_time, bar.close_time, mark.open);
  // 2. Limit orders the bar trades through.
  for (std::size_t idx = 0; idx < entry->orders.size();) {
    const OrderRequest& request = entry->orders[idx].request;
    const bool buy = request.side == Side::kBuy;
    if (request.type != OrderType::kLimit || (buy ? bar.low > request.price : bar.high < request.price)) {
      ++idx;
      continue;
    }
    const bool crosses_at_open = buy ? bar.open <= request.price : bar.open >= request.price;
    const RestingOrder order = take(idx);
    execute(order, crosses_at_open ? bar.open : order.request.price, !crosses_at_open, "LIMIT");
  }
  // 3. A liquidation price nearer than every protective stop is reached before any of them.
  if (liquidation_comes_first(*entry, mark)) check_liquidation(*entry, mark);
  // 4. Algo stops and take-profits: the first to trigger along the bar's path fills; one
  //    that closes the position leaves its sibling nothing to do (it then expires).
  while (true) {
    std::optional<std::size_t> chosen;
    std::optional<venue::ExitFill> chosen_fill;
    for (std::size_t idx = 0; idx < entry->algo_orders.size(); ++idx) {
      const AlgoOrderRequest& request = entry->algo_orders[idx].request;
      // A SELL stop behaves like a long's stop, a SELL take-profit like a long's target.
      const Side as_position = opposite(request.side);
      const bool is_stop = request.type == AlgoOrderType::kStopMarket;
      const bool on_mark = request.working_type == venue::WorkingType::kMarkPrice && mark_bar;
      const std::optional<Price> level = request.trigger_price;
      auto exit = venue::first_exit(on_mark ? mark : bar, as_position, is_stop ? level : std::nullopt, is_stop ? std::nullopt : level,
                             instrument, config_.fills);
      if (!exit) continue;
      if (on_mark) {
        // Triggered on the mark path, filled on the contract's: at the open when the mark
        // gapped through, else at the trigger level as far as the contract bar traded it.
        const Price reference = exit->gapped ? bar.open : std::clamp(request.trigger_price, bar.low, bar.high);
        exit->price = venue::market_fill(reference, request.side, bar, instrument, config_.fills);
      }
      // Among several, the stop wins (the pessimistic default), else the earlier in the list.
      if (!chosen || (exit->kind == venue::ExitKind::kStop && chosen_fill->kind != venue::ExitKind::kStop)) {
        chosen = idx;
        chosen_fill = exit;
      }
    }
    if (!chosen) break;
    const AlgoOrder algo = entry->algo_orders[*chosen];
    entry->algo_orders.erase(entry->algo_orders.begin() + static_cast<std::ptrdiff_t>(*chosen));
    trigger(*entry, algo, chosen_fill->price, bar.open_time,
            fmt::format("{} triggered at {}{}", name_of(algo.request.type), algo.request.trigger_price.to_string(),
                        chosen_fill->gapped ? " (gap: filled at the open)" : ""));
    if (entry->position.is_zero()) expire_protective_orders(*entry, bar.open_time);
  }
  check_liquidation(*entry, mark);  // Binance liquidates on the mark price
  entry->last_bar = Book::LastBar{bar.open_time, bar.close_time, bar.close};
  if (mark_bar) entry->last_mark = mark_bar->close;
  return Ok{};
}

Status SimVenue::set_funding(const std::string& symbol, std::vector<FundingRate> rates) {
  Book* entry = book(symbol);
  if (!entry) return make_error(ErrorCode::kNotFound, symbol + ": unknown symbol");
  entry->funding = std::move(rates);
  entry->next_funding = 0;
  return Ok{};
}

void SimVenue::apply_funding(Book& entry, Timestamp open_time, Timestamp close_time, Price mark) {
  constexpr std::int64_t kEightHours = 8 * 3'600'000;
  std::vector<FundingRate> due;
  if (!entry.funding.empty()) {
    while (entry.next_funding < entry.funding.size() && entry.funding[entry.next_funding].time <= close_time) {
      if (entry.funding[entry.next_funding].time >= open_time) due.push_back(entry.funding[entry.next_funding]);
      ++entry.next_funding;
    }
  } else {
    // The default schedule: an 8 h boundary inside this bar.
    const std::int64_t boundary = (to_ms(close_time) / kEightHours) * kEightHours;
    if (boundary >= to_ms(open_time)) due.push_back(FundingRate{timestamp_from_ms(boundary), config_.default_funding_rate});
  }
  for (const FundingRate& funding : due) {
    if (entry.position.is_zero()) continue;
    const Side side = entry.position.is_positive() ? Side::kBuy : Side::kSell;
    const Quantity size = entry.position.is_negative() ? -entry.position : entry.position;
    const Notional cost = funding_cost(side, size, mark, funding.rate);
    wallet_ -= cost;
    VenueEvent event;
    event.kind = VenueEvent::Kind::kFunding;
    event.time = funding.time;
    event.symbol = entry.instrument.symbol;
    event.side = side;
    event.price = mark;
    event.quantity = entry.position;
    event.fee = cost;
    event.cause = EventCause::kFunding;
    event.reason = fmt::format("funding rate {}", funding.rate.to_string());
    emit(std::move(event));
  }
}

double SimVenue::mark_of(const Book& entry) {
  return entry.last_mark ? entry.last_mark->to_double() : entry.last_bar ? entry.last_bar->close.to_double() : entry.entry_price;
}

double SimVenue::backing_of(const Book& entry) const {
  if (entry.margin_type == venue::MarginType::kIsolated) return entry.margin.to_double();
  // Binance's liquidation price with WB = the cross wallet, TMM1 and UPNL1 = the other
  // crossed positions' maintenance margin and unrealised PnL (spec/filters-and-margin.md §3).
  double backing = wallet_.to_double();
  for (const Book& other : books_) {
    if (other.position.is_zero() || &other == &entry) continue;
    if (other.margin_type == venue::MarginType::kIsolated) {
      backing -= other.margin.to_double();  // isolated wallets are not the cross wallet's
      continue;
    }
    const double mark = mark_of(other), quantity = other.position.to_double();
    backing += (mark - other.entry_price) * quantity - maintenance_margin(other.brackets, std::fabs(quantity) * mark);
  }
  return backing;
}

// The position's liquidation price when `mark` trades through it.
std::optional<double> SimVenue::liquidation_reached(const Book& entry, const Kline& mark) const {
  if (entry.position.is_zero()) return std::nullopt;
  const bool is_long = entry.position.is_positive();
  const Quantity size = is_long ? entry.position : -entry.position;
  const auto price = liquidation_price(entry.brackets, is_long ? Side::kBuy : Side::kSell, size.to_double(), entry.entry_price,
                                       backing_of(entry));
  if (!price || (is_long ? mark.low.to_double() > *price : mark.high.to_double() < *price)) return std::nullopt;
  return price;
}

bool SimVenue::liquidation_comes_first(const Book& entry, const Kline& mark) const {
  const auto price = liquidation_reached(entry, mark);
  if (!price) return false;
  const bool is_long = entry.position.is_positive();
  // A stop on the adverse side at or before the liquidation price gets there first.
  for (const AlgoOrder& algo : entry.algo_orders) {
    const AlgoOrderRequest& request = algo.request;
    if (request.type != AlgoOrderType::kStopMarket || request.side == (is_long ? Side::kBuy : Side::kSell)) continue;
    const double level = request.trigger_price.to_double();
    if (is_long ? level >= *price : level <= *price) return false;
  }
  return true;
}

std::optional<Price> SimVenue::liquidation_price_of(const Book& entry) const {
  if (entry.position.is_zero()) return std::nullopt;
  const bool is_long = entry.position.is_positive();
  const auto price = liquidation_price(entry.brackets, is_long ? Side::kBuy : Side::kSell, magnitude(entry.position).to_double(),
                                       entry.entry_price, backing_of(entry));
  if (!price) return std::nullopt;
  return entry.instrument.round_price(nearest_price(*price), is_long ? Rounding::kDown : Rounding::kUp);
}

// `bar` is the mark bar when mark bars are fed (Binance liquidates on the mark price).
// After a fill: the symbol's position (its entry price and signed quantity) and the wallet,
// as the user-data stream reports them.
void SimVenue::emit_position_and_balance(const VenueEvent& fill, Price entry_price, Quantity position) {
  VenueEvent changed = fill;
  changed.kind = VenueEvent::Kind::kPositionChange;
  changed.price = entry_price;
  changed.quantity = position;
  emit(changed);
  changed = fill;
  changed.kind = VenueEvent::Kind::kBalanceChange;
  changed.wallet_balance = wallet_;
  emit(changed);
}

void SimVenue::check_liquidation(Book& entry, const Kline& bar) {
  if (!liquidation_reached(entry, bar)) return;
  const Price at = *liquidation_price_of(entry);
  const bool is_long = entry.position.is_positive();
  const Quantity size = magnitude(entry.position);
  const Notional realized = nearest_notional((at.to_double() - entry.entry_price) * entry.position.to_double());
  // The fee takes at most what is left of what backed the position.
  const Notional backing = nearest_notional(backing_of(entry));
  // The symbol's own liquidationFee (exchangeInfo) when known, else the configured one.
  const Ratio fee_rate =
      entry.instrument.liquidation_fee.is_positive() ? entry.instrument.liquidation_fee : config_.liquidation_fee;
  const Notional fee = std::min(trading_fee(notional_of(at, size, Rounding::kUp), fee_rate), std::max(Notional{}, backing + realized));
  wallet_ = wallet_ + realized - fee;
  entry.position = Quantity{};
  entry.entry_price = 0.0;
  entry.margin = Notional{};
  // Binance closes the position with an order of its own ("autoclose-…", execution type CALCULATED).
  RestingOrder order;
  order.order_id = next_order_id_++;
  order.request = OrderRequest{entry.instrument.symbol, is_long ? Side::kSell : Side::kBuy, OrderType::kMarket, size, Price{}, true,
                               fmt::format("autoclose-{}", to_ms(bar.open_time))};
  order.created = bar.open_time;
  VenueEvent event;
  event.kind = VenueEvent::Kind::kFill;
  event.time = bar.open_time;
  event.symbol = entry.instrument.symbol;
  event.cause = EventCause::kLiquidation;
  event.order_id = order.order_id;
  event.client_order_id = order.request.client_order_id;
  event.status = OrderStatus::kFilled;
  event.side = order.request.side;
  event.price = at;
  event.quantity = size;
  event.cumulative_quantity = size;
  event.fee = fee;
  event.realized_pnl = realized;
  event.reason = "LIQUIDATION";
  emit(event);
  emit_position_and_balance(event, Price{}, Quantity{});
  venue::OrderStatusReport report = report_of(order);
  report.status = OrderStatus::kFilled;
  report.executed_quantity = size;
  report.average_price = at;
  remember(entry, std::move(report));
  expire_protective_orders(entry, bar.open_time);
}

Status SimVenue::set_margin_type(const std::string& symbol, venue::MarginType type) {
  Book* entry = book(symbol);
  if (!entry) return make_rejection(-1121, symbol + ": Invalid symbol.");
  if (entry->margin_type == type) return make_rejection(-4046, "No need to change margin type.");
  if (!entry->orders.empty() || !entry->algo_orders.empty()) {
    return make_rejection(-4047, "Margin type cannot be changed if there exists open orders.");
  }
  if (!entry->position.is_zero()) return make_rejection(-4048, "Margin type cannot be changed if there exists position.");
  entry->margin_type = type;
  return Ok{};
}

Status SimVenue::set_leverage(const std::string& symbol, int leverage) {
  Book* entry = book(symbol);
  if (!entry) return make_rejection(-1121, symbol + ": Invalid symbol.");
  int allowed = 125;
  if (!entry->brackets.empty()) allowed = entry->brackets.front().initial_leverage;
  if (leverage < 1 || leverage > allowed) {
    return make_rejection(-4028, fmt::format("{}: Leverage {} is not valid (1..{})", symbol, leverage, allowed));
  }
  entry->leverage = leverage;
  return Ok{};
}

Result<std::vector<venue::PositionReport>> SimVenue::positions() {
  std::vector<venue::PositionReport> reports;
  for (const Book& entry : books_) {
    if (entry.position.is_zero()) continue;
    venue::PositionReport report;
    report.symbol = entry.instrument.symbol;
    report.quantity = entry.position;
    report.entry_price = nearest_price(entry.entry_price);
    report.mark_price = nearest_price(mark_of(entry));
    report.liquidation_price = liquidation_price_of(entry).value_or(Price{});
    report.leverage = entry.leverage;
    report.margin = entry.margin;
    report.unrealized_pnl = nearest_notional((mark_of(entry) - entry.entry_price) * entry.position.to_double());
    report.margin_type = entry.margin_type;
    reports.push_back(std::move(report));
  }
  return reports;
}

Result<venue::BalanceReport> SimVenue::balance() { return venue::BalanceReport{wallet_, wallet_ - used_margin()}; }

std::vector<venue::VenueEvent> SimVenue::drain_events() {
  std::vector<VenueEvent> out;
  out.swap(events_);
  return out;
}

Status SimVenue::close_out(std::size_t symbol_index, const std::string& client_order_id, const std::string& reason) {
  if (symbol_index >= books_.size()) return make_error(ErrorCode::kNotFound, fmt::format("close-out: no symbol #{}", symbol_index));
  Book& entry = books_[symbol_index];
  if (!entry.last_bar) return Ok{};  // never traded: nothing to close
  const std::string symbol = entry.instrument.symbol;
  std::vector<std::string> orders, algo_orders;
  for (const RestingOrder& order : entry.orders) orders.push_back(order.request.client_order_id);
  for (const AlgoOrder& algo : entry.algo_orders) algo_orders.push_back(algo.request.client_algo_id);
  for (const std::string& id : orders) {
    if (auto status = cancel(symbol, id); !status) return status;
  }
  for (const std::string& id : algo_orders) {
    if (auto status = cancel_algo(symbol, id); !status) return status;
  }
  if (entry.position.is_zero()) return Ok{};
  RestingOrder exit;
  exit.order_id = next_order_id_++;
  exit.created = entry.last_bar->close_time + Milliseconds{1};
  exit.request = venue::OrderRequest{symbol, entry.position.is_negative() ? Side::kBuy : Side::kSell, OrderType::kMarket,
                                     magnitude(entry.position), Price{}, true, client_order_id};
  fill(entry, exit, entry.last_bar->close, false, exit.created, reason);
  return Ok{};
}

}  // namespace winiswin::sim
