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
#include "risk/circuit_breaker.h"
#include "risk/trading_state.h"
#include "strategy/signal.h"

namespace winiswin::journal {

// Appended only: the journal stores the names, but tables and reports may iterate in this order.
enum class ExitReason : std::uint8_t {
  kTarget, kStop, kTimeout, kLiquidation, kDataGap, kEndOfData, kProtectionFailed,
  kAutoDeleverage,  // the venue reduced the position against a liquidated counterparty (ADL)
  kSettlement,      // the venue closed it at a delisting's settlement
  kManual,          // closed by an order that is not ours (by hand, another program)
  kOperator,        // closed at market by the operator's control action (ops: POST /api/control/close)
  kModelExit,       // closed at market because the model's re-scored win probability fell below exit_below (engine/decision_cycle.h)
};
constexpr std::string_view name_of(ExitReason reason) {
  switch (reason) {
    case ExitReason::kTarget: return "target";
    case ExitReason::kStop: return "stop";
    case ExitReason::kTimeout: return "timeout";
    case ExitReason::kLiquidation: return "liquidation";
    case ExitReason::kDataGap: return "data gap";
    case ExitReason::kEndOfData: return "end of data";
    case ExitReason::kProtectionFailed: return "protection failed";
    case ExitReason::kAutoDeleverage: return "auto-deleverage";
    case ExitReason::kSettlement: return "settlement";
    case ExitReason::kManual: return "manual";
    case ExitReason::kOperator: return "operator";
    case ExitReason::kModelExit: return "model exit";
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
  double funding = 0.0;  // paid (+) or received (−) while it was open; in pnl (the journal keeps it, the CSV files do not)
  double r_multiple = 0.0;   // see r_multiple()
  ExitReason exit_reason = ExitReason::kTimeout;
  int rank = 0;
  double confidence = 0.0;
  strategy::FeatureVector features{};
  // The schema the features were computed with (strategy::kFeatureVersion of the build that
  // wrote them): a journal outlives upgrades, and models train on one version only.
  int feature_version = strategy::kFeatureVersion;
  // With a model (backtest --model): its win probability for the signal and the score the
  // signal was ranked by (ml/blend.h); none without a model.
  std::optional<double> ml_probability;
  std::optional<double> ml_score;
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

// One 5m close's decision in numbers (its entries, refusals and virtual positions are rows of
// their own): how many symbols were candidates, what became of the ranks, and the account then.
struct DecisionRecord {
  Timestamp decided;
  int candidates = 0;  // symbols scored at or above min_confidence at this close
  int entries = 0;     // real entries the venue took
  int refused = 0;     // ranks in the real walk that did not trade
  int virtuals = 0;    // virtual positions opened
  risk::TradingState state = risk::TradingState::kNormal;
  double equity = 0.0;  // the mark the decision was sized on
};

// The venue circuit breaker moving from one level to another.
struct BreakerEvent {
  Timestamp time;
  risk::BreakerLevel from = risk::BreakerLevel::kNormal;
  risk::BreakerLevel to = risk::BreakerLevel::kNormal;
  std::string reason;
};

// A ranked signal that did not trade for real, and why.
struct RefusalRecord {
  Timestamp decided;
  std::string symbol;
  int rank = 0;
  std::string limit;   // the rule that refused: risk::name_of(Refusal), or "venue"
  std::string reason;  // its words and numbers
};

// One step in the life of an order the executor sends, in the order they happen. The intent
// (`kSent`) is recorded before the call, so a journal that survives a crash between the two
// still names every order that may exist at the venue.
enum class OrderStep : std::uint8_t {
  kSent,           // about to be sent
  kAccepted,       // the venue took it
  kRejected,       // the venue refused it (venue_code)
  kUnknown,        // no answer (timeout, 5xx, -1007): it is queried by client id next
  kFound,          // the query after an unknown outcome found it: it stands
  kNotFound,       // … did not find it
  kCancelSent,     // a cancel about to be sent
  kCanceled,       // the venue canceled it
  kCancelRefused,  // the venue refused the cancel (venue_code; -20124 / -2011: already done)
};
std::string_view name_of(OrderStep step);

struct OrderRecord {
  Timestamp time;
  std::string symbol;
  std::string client_id;  // the client order id, or the client algo id of an algo order
  std::string type;       // Binance's: MARKET, LIMIT, STOP_MARKET, TAKE_PROFIT_MARKET
  Side side = Side::kBuy;
  Quantity quantity;      // 0 for close-position algo orders
  Price trigger_price;    // algo orders
  bool reduce_only = false;
  bool close_position = false;
  OrderStep step = OrderStep::kSent;
  int venue_code = 0;     // kRejected, kCancelRefused: the venue's code
  std::string message;    // the venue's words, or what was seen (kUnknown)
};

// A fill of one of our orders (or a liquidation of our position), as the venue reported it.
struct FillRecord {
  Timestamp time;         // the venue's time of the trade
  std::string symbol;
  std::string client_id;  // the order's client id (a triggered algo order's: its client algo id)
  Side side = Side::kBuy;
  Price price;
  Quantity quantity;
  Notional fee;           // commission, quote currency
  Notional realized_pnl;  // before the fee
  bool liquidation = false;
};

// An operator's control action (ops: POST /api/control/…) as the decision thread applied it:
// who asked, from where, when it was asked and when applied, and what came of it.
struct ControlRecord {
  Timestamp received;   // wall time the HTTP side took the request
  Timestamp applied;    // wall time the decision thread acted on it
  std::string action;   // "pause", "resume", "close"
  std::string symbol;   // close: the symbol; else empty
  std::string who;      // the credential's identity ("token:" + a fingerprint of the bearer token)
  std::string remote;   // the peer address the request came from
  bool ok = false;      // done (a pause while paused is done: nothing to change)
  std::string result;   // what was done, or why not
};

// A decision of `winiswin ml promote` (ml/promotion.h): the two models compared on one
// out-of-sample window, their measures there, and whether the candidate replaced the current.
struct ModelPromotionRecord {
  Timestamp time;              // wall time of the decision
  std::string current;         // the current model's file
  std::string candidate;       // the candidate's file
  Timestamp window_from;       // the window's first and last decision
  Timestamp window_to;
  std::int64_t window_rows = 0;  // labelled rows measured
  std::optional<double> current_auc, candidate_auc;
  std::optional<double> current_log_loss, candidate_log_loss;
  std::optional<double> current_top_k, candidate_top_k;  // win rate of the top k per decision
  int top_k = 0;
  // The paired day-block bootstrap of the differences (ml/paired_bootstrap.h; schema v5): one-sided
  // bounds of candidate − current, the resamples measured and the decision days drawn from.
  // None and 0 in rows journalled before v5.
  std::optional<double> auc_gain_lower, log_loss_increase_upper;
  std::int64_t resamples = 0;
  std::int64_t resampled_days = 0;
  bool promoted = false;
  std::string reason;          // the criterion's verdict with the figures
};

}  // namespace winiswin::journal
