#include "venue/sim/sim_venue.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "venue/sim/margin.h"

namespace winiswin::sim {
namespace {

using venue::OrderRequest;
using venue::OrderStatus;
using venue::OrderType;
using venue::VenueEvent;

bool valid_client_id(const std::string& id) {
  if (id.empty() || id.size() > 36) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == ':' ||
           c == '/' || c == '_' || c == '-';
  });
}

bool is_conditional(OrderType type) { return type == OrderType::kStopMarket || type == OrderType::kTakeProfitMarket; }

std::optional<int> price_filter_code(const Instrument& instrument, Price price, bool trigger) {
  const FilterCheck check = instrument.check_price(price);
  if (check.accepted()) return std::nullopt;
  switch (*check.violation) {
    case FilterViolation::kPriceBelowMin: return trigger ? (price.is_positive() ? -4013 : -4006) : -4013;
    case FilterViolation::kPriceAboveMax: return trigger ? -4007 : -4002;
    default: return -4014;
  }
}

int quantity_code(FilterViolation violation) {
  switch (violation) {
    case FilterViolation::kQuantityBelowMin: return -4004;
    case FilterViolation::kQuantityAboveMax: return -4005;
    default: return -4023;
  }
}

// Would the last price already satisfy this trigger? (STOP: BUY ≥, SELL ≤; TP: BUY ≤, SELL ≥.)
bool triggers_at(const OrderRequest& request, Price price) {
  const bool buy = request.side == Side::kBuy;
  if (request.type == OrderType::kStopMarket) return buy ? price >= request.stop_price : price <= request.stop_price;
  return buy ? price <= request.stop_price : price >= request.stop_price;
}

Notional from_double_nearest(double value) { return Notional::from_double(value).value(); }

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

// Margin held by positions, and the initial margin of open orders that would add exposure
// (as Binance holds it): notional at the order's own price (last price for MARKET) / leverage.
// The part of an order that would open exposure: an order against the position first
// closes it, and only what goes beyond needs margin (one-way mode).
Quantity SimVenue::opening_quantity(const Book& entry, const OrderRequest& request) {
  const bool against = request.side == Side::kBuy ? entry.position.is_negative() : entry.position.is_positive();
  if (!against) return request.quantity;
  const Quantity held = entry.position.is_negative() ? -entry.position : entry.position;
  return request.quantity > held ? request.quantity - held : Quantity{};
}

Notional SimVenue::used_margin() const {
  Notional used;
  for (const Book& entry : books_) {
    used += entry.margin;
    // A crossed position's unrealised loss is the cross wallet's: not available either.
    if (entry.margin_type == venue::MarginType::kCrossed && !entry.position.is_zero()) {
      const double loss = std::min(0.0, (mark_of(entry) - entry.entry_price) * entry.position.to_double());
      used -= Notional::from_double(loss).value();
    }
    for (const venue::OpenOrder& order : entry.orders) {
      const OrderRequest& request = order.request;
      if (request.reduce_only || request.close_position) continue;
      const Price reference = request.type == OrderType::kLimit      ? request.price
                              : is_conditional(request.type)         ? request.stop_price
                              : entry.last_bar ? entry.last_bar->close : Price{};
      used += Notional::from_raw(notional_of(reference, opening_quantity(entry, request), Rounding::kUp).raw() / entry.leverage);
    }
  }
  return used;
}

Result<venue::OrderAck> SimVenue::reject(const OrderRequest& request, int code, const std::string& message) {
  return make_rejection(code, fmt::format("{} {} {}: {}", request.symbol, name_of(request.side), name_of(request.type), message));
}

Result<venue::OrderAck> SimVenue::submit(const OrderRequest& request) {
  if (!valid_client_id(request.client_order_id)) return reject(request, -4015, "Client order id is not valid.");
  Book* entry = book(request.symbol);
  if (!entry || entry->instrument.status != InstrumentStatus::kTrading) return reject(request, -1121, "Invalid symbol.");
  for (const venue::OpenOrder& order : entry->orders) {
    if (order.request.client_order_id == request.client_order_id) return reject(request, -4116, "clientOrderId is duplicated");
  }
  const Instrument& instrument = entry->instrument;
  if (request.close_position) {
    if (!is_conditional(request.type)) return reject(request, -1106, "Parameter 'closePosition' sent when not required.");
    if (request.quantity.is_positive()) return reject(request, -1106, "Parameter 'quantity' sent with closePosition.");
    if (request.reduce_only) return reject(request, -1128, "Combination of optional parameters invalid.");
  }
  if (request.type == OrderType::kLimit) {
    if (const auto code = price_filter_code(instrument, request.price, false)) {
      return reject(request, *code, instrument.check_price(request.price).reason);
    }
  }
  if (is_conditional(request.type)) {
    if (const auto code = price_filter_code(instrument, request.stop_price, true)) {
      return reject(request, *code, "stopPrice: " + instrument.check_price(request.stop_price).reason);
    }
  }
  if (!request.close_position) {
    if (!request.quantity.is_positive()) return reject(request, -4003, "Quantity less than zero.");
    const OrderKind kind = request.type == OrderType::kLimit ? OrderKind::kLimit : OrderKind::kMarket;
    if (const FilterCheck check = instrument.check_quantity(request.quantity, kind); !check.accepted()) {
      return reject(request, quantity_code(*check.violation), check.reason);
    }
  }
  if (!entry->last_bar) return reject(request, -1121, "no market data for the symbol yet");
  const Price last = entry->last_bar->close;
  const Price reference = request.type == OrderType::kLimit ? request.price : is_conditional(request.type) ? request.stop_price : last;
  const bool reducing = request.reduce_only || request.close_position;
  if (!reducing && !request.close_position) {
    if (const FilterCheck check = instrument.check_min_notional(reference, request.quantity); !check.accepted()) {
      return reject(request, -4164, fmt::format("Order's notional must be no smaller than {} (unless you choose reduce only)",
                                                instrument.min_notional.to_string()));
    }
  }
  if (request.reduce_only) {  // closePosition orders may wait for a position; reduce-only ones may not
    const bool opposes = request.side == Side::kBuy ? entry->position.is_negative() : entry->position.is_positive();
    if (!opposes) return reject(request, -2022, "ReduceOnly Order is rejected.");
  }
  if (is_conditional(request.type)) {
    const bool on_mark = request.working_type == venue::WorkingType::kMarkPrice;
    const Price watched = on_mark && entry->last_mark ? *entry->last_mark : last;
    if (triggers_at(request, watched)) {
      return reject(request, -2021, fmt::format("Order would immediately trigger. ({} {})", on_mark ? "mark price" : "last price",
                                                watched.to_string()));
    }
  }
  if (!reducing) {
    const Notional required =
        Notional::from_raw(notional_of(reference, opening_quantity(*entry, request), Rounding::kUp).raw() / entry->leverage);
    const Notional available = wallet_ - used_margin();
    if (required > available) {
      return reject(request, -2019, fmt::format("Margin is insufficient. (needs {}, available {})", required.to_string(),
                                                available.to_string()));
    }
  }
  const venue::OpenOrder order{next_order_id_++, request, entry->last_bar->close_time + Milliseconds{1}};
  entry->orders.push_back(order);
  emit_order_update(order, OrderStatus::kNew, order.created, "");
  return venue::OrderAck{order.order_id, request.client_order_id, OrderStatus::kNew};
}

void SimVenue::fill(Book& entry, const venue::OpenOrder& order, Price price, bool maker, Timestamp time,
                    const std::string& reason) {
  const OrderRequest& request = order.request;
  Quantity quantity = request.close_position ? (entry.position.is_negative() ? -entry.position : entry.position) : request.quantity;
  if (request.reduce_only) {  // never more than the position
    const Quantity held = entry.position.is_negative() ? -entry.position : entry.position;
    quantity = std::min(quantity, held);
  }
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
    entry.margin = Notional::from_double(entry.margin.to_double() * remaining_share).value();
    entry.position += request.side == Side::kBuy ? quantity : -quantity;
    if (entry.position.is_zero()) {
      entry.entry_price = 0.0;
      entry.margin = Notional{};
    } else if ((entry.position.to_double() > 0) == (signed_quantity > 0)) {  // flipped: the rest opens anew
      entry.entry_price = price.to_double();
      const Quantity opened = entry.position.is_negative() ? -entry.position : entry.position;
      entry.margin = Notional::from_raw(notional_of(price, opened, Rounding::kUp).raw() / entry.leverage);
    }
  }
  wallet_ = wallet_ + from_double_nearest(realized) - fee;

  VenueEvent event;
  event.time = time;
  event.symbol = request.symbol;
  event.order_id = order.order_id;
  event.client_order_id = request.client_order_id;
  event.side = request.side;
  event.kind = VenueEvent::Kind::kFill;
  event.status = OrderStatus::kFilled;
  event.price = price;
  event.quantity = quantity;
  event.fee = fee;
  event.realized_pnl = realized;
  event.reason = reason;
  events_.push_back(event);
  event.kind = VenueEvent::Kind::kPositionChange;
  event.quantity = entry.position;
  events_.push_back(event);
  event.kind = VenueEvent::Kind::kBalanceChange;
  event.fee = wallet_;
  events_.push_back(event);
}

void SimVenue::emit_order_update(const venue::OpenOrder& order, OrderStatus status, Timestamp time, std::string reason) {
  VenueEvent event;
  event.kind = VenueEvent::Kind::kOrderUpdate;
  event.time = time;
  event.symbol = order.request.symbol;
  event.order_id = order.order_id;
  event.client_order_id = order.request.client_order_id;
  event.status = status;
  event.side = order.request.side;
  event.reason = std::move(reason);
  events_.push_back(std::move(event));
}

void SimVenue::expire_protective_orders(Book& entry, Timestamp time) {
  std::erase_if(entry.orders, [&](const venue::OpenOrder& order) {
    if (!order.request.reduce_only && !order.request.close_position) return false;
    emit_order_update(order, OrderStatus::kExpired, time, "position closed");
    return true;
  });
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
  if (entry->orders.empty() && entry->position.is_zero()) {  // the common case: nothing to execute
    while (entry->next_funding < entry->funding.size() && entry->funding[entry->next_funding].time <= bar.close_time) {
      ++entry->next_funding;
    }
    entry->last_bar = Book::LastBar{bar.open_time, bar.close_time, bar.close};
    if (mark_bar) entry->last_mark = mark_bar->close;
    return Ok{};
  }
  const Instrument& instrument = entry->instrument;
  const auto take = [&](std::size_t index) {
    const venue::OpenOrder order = entry->orders[index];
    entry->orders.erase(entry->orders.begin() + static_cast<std::ptrdiff_t>(index));
    return order;
  };
  // 1. Market orders decided at the last close fill at this open.
  for (std::size_t idx = 0; idx < entry->orders.size();) {
    if (entry->orders[idx].request.type != OrderType::kMarket) {
      ++idx;
      continue;
    }
    const venue::OpenOrder order = take(idx);
    fill(*entry, order, market_fill(bar.open, order.request.side, bar, instrument, config_.fills), false, bar.open_time,
         "MARKET");
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
    const venue::OpenOrder order = take(idx);
    fill(*entry, order, crosses_at_open ? bar.open : order.request.price, !crosses_at_open, bar.open_time, "LIMIT");
  }
  // 3. A liquidation price nearer than every protective stop is reached before any of them.
  if (liquidation_comes_first(*entry, mark)) check_liquidation(*entry, mark);
  // 4. Stops and take-profits: the first to trigger along the bar's path fills; one that
  //    reduces a position may leave its sibling nothing to do (it then expires).
  while (true) {
    std::optional<std::size_t> chosen;
    std::optional<ExitFill> chosen_fill;
    for (std::size_t idx = 0; idx < entry->orders.size(); ++idx) {
      const OrderRequest& request = entry->orders[idx].request;
      if (!is_conditional(request.type)) continue;
      // A SELL stop behaves like a long's stop, a SELL take-profit like a long's target.
      const Side as_position = opposite(request.side);
      const bool is_stop = request.type == OrderType::kStopMarket;
      const bool on_mark = request.working_type == venue::WorkingType::kMarkPrice && mark_bar;
      auto exit = first_exit(on_mark ? mark : bar, as_position, is_stop ? std::optional<Price>(request.stop_price) : std::nullopt,
                             is_stop ? std::nullopt : std::optional<Price>(request.stop_price), instrument, config_.fills);
      if (!exit) continue;
      if (on_mark) {
        // Triggered on the mark path, filled on the contract's: at the open when the mark
        // gapped through, else at the trigger level as far as the contract bar traded it.
        const Price reference = exit->gapped ? bar.open : std::clamp(request.stop_price, bar.low, bar.high);
        exit->price = market_fill(reference, request.side, bar, instrument, config_.fills);
      }
      // Among several, the stop wins (the pessimistic default), else the earlier in the list.
      if (!chosen || (exit->kind == ExitKind::kStop && chosen_fill->kind != ExitKind::kStop)) {
        chosen = idx;
        chosen_fill = exit;
      }
    }
    if (!chosen) break;
    const venue::OpenOrder order = take(*chosen);
    const bool closes_nothing = order.request.side == Side::kBuy ? !entry->position.is_negative() : !entry->position.is_positive();
    if (order.request.close_position && closes_nothing) {
      emit_order_update(order, OrderStatus::kExpired, bar.open_time, "triggered with no position to close");
      continue;
    }
    fill(*entry, order, chosen_fill->price, false, bar.open_time,
         fmt::format("{} triggered at {}{}", name_of(order.request.type), order.request.stop_price.to_string(),
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
    event.reason = fmt::format("funding rate {}", funding.rate.to_string());
    events_.push_back(event);
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
  for (const venue::OpenOrder& order : entry.orders) {
    const OrderRequest& request = order.request;
    if (request.type != OrderType::kStopMarket || request.side == (is_long ? Side::kBuy : Side::kSell)) continue;
    const double level = request.stop_price.to_double();
    if (is_long ? level >= *price : level <= *price) return false;
  }
  return true;
}

// `bar` is the mark bar when mark bars are fed (Binance liquidates on the mark price).
void SimVenue::check_liquidation(Book& entry, const Kline& bar) {
  const auto price = liquidation_reached(entry, bar);
  if (!price) return;
  const bool is_long = entry.position.is_positive();
  const Quantity size = is_long ? entry.position : -entry.position;
  const Price at = entry.instrument.round_price(Price::from_double(*price).value(), is_long ? Rounding::kDown : Rounding::kUp);
  const double realized = (at.to_double() - entry.entry_price) * entry.position.to_double();
  // The fee takes at most what is left of what backed the position.
  const Notional backing = Notional::from_double(backing_of(entry)).value();
  // The symbol's own liquidationFee (exchangeInfo) when known, else the configured one.
  const Ratio fee_rate =
      entry.instrument.liquidation_fee.is_positive() ? entry.instrument.liquidation_fee : config_.liquidation_fee;
  const Notional fee = std::min(trading_fee(notional_of(at, size, Rounding::kUp), fee_rate),
                                std::max(Notional{}, backing + Notional::from_double(realized).value()));
  wallet_ = wallet_ + Notional::from_double(realized).value() - fee;
  entry.position = Quantity{};
  entry.entry_price = 0.0;
  entry.margin = Notional{};
  VenueEvent event;
  event.kind = VenueEvent::Kind::kFill;
  event.time = bar.open_time;
  event.symbol = entry.instrument.symbol;
  event.status = OrderStatus::kFilled;
  event.side = is_long ? Side::kSell : Side::kBuy;
  event.price = at;
  event.quantity = size;
  event.fee = fee;
  event.realized_pnl = realized;
  event.reason = "LIQUIDATION";
  events_.push_back(event);
  event.kind = VenueEvent::Kind::kPositionChange;
  event.quantity = Quantity{};
  events_.push_back(event);
  expire_protective_orders(entry, bar.open_time);
}

Status SimVenue::cancel(const std::string& symbol, const std::string& client_order_id) {
  Book* entry = book(symbol);
  if (!entry) return make_rejection(-1121, symbol + ": Invalid symbol.");
  const auto found = std::find_if(entry->orders.begin(), entry->orders.end(),
                                  [&](const venue::OpenOrder& order) { return order.request.client_order_id == client_order_id; });
  if (found == entry->orders.end()) return make_rejection(-2011, symbol + " " + client_order_id + ": Unknown order sent.");
  emit_order_update(*found, OrderStatus::kCanceled,
                    entry->last_bar ? entry->last_bar->close_time + Milliseconds{1} : Timestamp{}, "");
  entry->orders.erase(found);
  return Ok{};
}

Status SimVenue::set_margin_type(const std::string& symbol, venue::MarginType type) {
  Book* entry = book(symbol);
  if (!entry) return make_rejection(-1121, symbol + ": Invalid symbol.");
  if (entry->margin_type == type) return make_rejection(-4046, "No need to change margin type.");
  if (!entry->orders.empty()) return make_rejection(-4047, "Margin type cannot be changed if there exists open orders.");
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

std::vector<venue::OpenOrder> SimVenue::open_orders(const std::string& symbol) const {
  const auto found = index_.find(symbol);
  return found == index_.end() ? std::vector<venue::OpenOrder>{} : books_[found->second].orders;
}

std::vector<venue::PositionReport> SimVenue::positions() const {
  std::vector<venue::PositionReport> reports;
  for (const Book& entry : books_) {
    if (entry.position.is_zero()) continue;
    reports.push_back(venue::PositionReport{entry.instrument.symbol, entry.position, entry.entry_price, entry.leverage,
                                            entry.margin, (mark_of(entry) - entry.entry_price) * entry.position.to_double(),
                                            entry.margin_type});
  }
  return reports;
}

venue::BalanceReport SimVenue::balance() const { return venue::BalanceReport{wallet_, wallet_ - used_margin()}; }

std::vector<venue::VenueEvent> SimVenue::drain_events() {
  std::vector<VenueEvent> out;
  out.swap(events_);
  return out;
}

Status SimVenue::close_out(std::size_t symbol_index, const std::string& client_order_id, const std::string& reason) {
  if (symbol_index >= books_.size()) return make_error(ErrorCode::kNotFound, fmt::format("close-out: no symbol #{}", symbol_index));
  Book& entry = books_[symbol_index];
  if (!entry.last_bar) return Ok{};  // never traded: nothing to close
  const Timestamp time = entry.last_bar->close_time + Milliseconds{1};
  for (const venue::OpenOrder& order : entry.orders) emit_order_update(order, OrderStatus::kCanceled, time, reason);
  entry.orders.clear();
  if (entry.position.is_zero()) return Ok{};
  venue::OpenOrder exit{next_order_id_++, {}, time};
  exit.request.symbol = entry.instrument.symbol;
  exit.request.side = entry.position.is_negative() ? Side::kBuy : Side::kSell;
  exit.request.type = OrderType::kMarket;
  exit.request.quantity = entry.position.is_negative() ? -entry.position : entry.position;
  exit.request.reduce_only = true;
  exit.request.client_order_id = client_order_id;
  fill(entry, exit, entry.last_bar->close, false, time, reason);
  return Ok{};
}

}  // namespace winiswin::sim
