// The rows a run records — what was decided, refused, traded and marked — as plain values,
// the same for the backtest's files and (next) the live journal. Nothing here knows the
// engine; reports and metrics read these rows, not engine state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/fixed_point.h"
#include "core/side.h"
#include "core/time.h"
#include "risk/trading_state.h"
#include "strategy/signal.h"

namespace winiswin::journal {

enum class ExitReason : std::uint8_t { kTarget, kStop, kTimeout, kLiquidation, kDataGap, kEndOfData, kProtectionFailed };
constexpr std::string_view name_of(ExitReason reason) {
  switch (reason) {
    case ExitReason::kTarget: return "target";
    case ExitReason::kStop: return "stop";
    case ExitReason::kTimeout: return "timeout";
    case ExitReason::kLiquidation: return "liquidation";
    case ExitReason::kDataGap: return "data gap";
    case ExitReason::kEndOfData: return "end of data";
    case ExitReason::kProtectionFailed: return "protection failed";
  }
  return "?";
}

struct TradeRecord {
  std::string symbol;
  Side side = Side::kBuy;
  bool is_virtual = false;
  Timestamp decided;     // the 5m close of the decision
  Timestamp entry_time;
  Timestamp exit_time;
  double entry_price = 0.0;
  double exit_price = 0.0;
  Price planned_entry;  // the decision's entry (the 5m close): the risk it was sized on runs from here to the stop
  Price stop;
  Price target;
  double quantity = 0.0;     // 0 for virtual positions
  int leverage = 0;          // real trades: as sized
  Notional margin;           // real trades: the initial margin as sized (notional / leverage, rounded up)
  std::optional<Price> liquidation_price;  // real trades: the isolated liquidation price as sized (none: cannot be liquidated)
  double pnl = 0.0;          // net of fees and funding (real trades), in USDT
  double fees = 0.0;
  double r_multiple = 0.0;   // see r_multiple()
  ExitReason exit_reason = ExitReason::kTimeout;
  int rank = 0;
  double confidence = 0.0;
  strategy::FeatureVector features{};
};

// The result in units of the planned risk: (exit − entry fill)·direction / (planned entry −
// stop)·direction. The planned risk, not the filled one: an entry filled at or beyond its stop
// (a gap at the open) still has a result in R.
double r_multiple(const TradeRecord& trade);

struct EquityPoint {
  Timestamp time;
  double equity = 0.0;  // wallet + unrealised
  risk::TradingState state = risk::TradingState::kNormal;
};

// A ranked signal that did not trade for real, and why.
struct RefusalRecord {
  Timestamp decided;
  std::string symbol;
  int rank = 0;
  std::string limit;   // the rule that refused: risk::name_of(Refusal), or "venue"
  std::string reason;  // its words and numbers
};

}  // namespace winiswin::journal
