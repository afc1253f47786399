#include "risk/account_limits.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace winiswin::risk {
namespace {

SizingDecision refuse(Refusal refusal, std::string reason) { return SizingDecision{std::nullopt, std::move(reason), refusal}; }

Notional share_of(Notional amount, double share) {
  return Notional::from_raw(static_cast<std::int64_t>(std::floor(amount.to_double() * share * static_cast<double>(kFixedScale))));
}

}  // namespace

SizingDecision apply_account_limits(const OrderIntent& intent, const Instrument& instrument,
                                    const AccountExposure& account, const AccountLimitsConfig& config) {
  const Notional daily_floor = account.day_start_equity - share_of(account.day_start_equity, config.daily_loss_limit);
  if (account.equity <= daily_floor) {
    return refuse(Refusal::kDailyLossLimit,
                  fmt::format("daily loss limit: equity {} is {:.2f} % below the day's start {}", account.equity.to_string(),
                              100.0 * (1.0 - account.equity.to_double() / account.day_start_equity.to_double()),
                              account.day_start_equity.to_string()));
  }
  Notional total, on_symbol;
  bool adds_position = true;
  for (const OpenPosition& position : account.positions) {
    total += position.notional;
    if (position.symbol == intent.symbol) {
      on_symbol += position.notional;
      adds_position = false;
    }
  }
  if (adds_position && static_cast<int>(account.positions.size()) >= config.max_open_positions) {
    return refuse(Refusal::kMaxOpenPositions, fmt::format("max open positions: {} of {} already open",
                                                          account.positions.size(), config.max_open_positions));
  }
  const Notional total_room = share_of(account.equity, config.max_total_exposure) - total;
  const Notional symbol_room = share_of(account.equity, config.max_symbol_exposure) - on_symbol;
  const bool symbol_binds = symbol_room < total_room;
  const Notional room = std::min(total_room, symbol_room);
  OrderIntent limited = intent;
  const char* bound = nullptr;
  if (intent.notional > room) {
    bound = symbol_binds ? "max symbol exposure" : "max total exposure";
    const Refusal refusal = symbol_binds ? Refusal::kMaxSymbolExposure : Refusal::kMaxTotalExposure;
    if (!room.is_positive()) return refuse(refusal, fmt::format("{}: no room left", bound));
    const Int128 raw = static_cast<Int128>(room.raw()) * kFixedScale / intent.entry.raw();
    limited.quantity = instrument.round_quantity_down(Quantity::from_raw(static_cast<std::int64_t>(raw)), OrderKind::kMarket);
    if (const FilterCheck check = instrument.check_quantity(limited.quantity, OrderKind::kMarket); !check.accepted()) {
      return refuse(refusal, fmt::format("{} leaves too little: {}", bound, check.reason));
    }
    if (const FilterCheck check = instrument.check_min_notional(intent.entry, limited.quantity); !check.accepted()) {
      return refuse(refusal, fmt::format("{} leaves too little: {}", bound, check.reason));
    }
    limited.notional = notional_of(limited.entry, limited.quantity, Rounding::kUp);
    limited.margin = Notional::from_raw((limited.notional.raw() + limited.leverage - 1) / limited.leverage);
    const Price distance = limited.entry > limited.stop ? limited.entry - limited.stop : limited.stop - limited.entry;
    limited.risk_at_stop = notional_of(distance, limited.quantity, Rounding::kUp);
    limited.bound_by = bound;
  }
  return SizingDecision{limited, bound ? fmt::format("bound by {}", bound) : "within account limits"};
}

}  // namespace winiswin::risk
