// Start-up reconciliation: what the venue holds, against what the journal says we opened, and
// the actions that leave every open position with exactly one protective stop before the
// engine trades again. Protection outlives the process: a stop canceled by hand, lost with a
// crash between an entry and its stop, or never placed, is put back here.
//
// The plan (pure: reports in, actions out), per symbol:
//   position, no stop       a closePosition STOP_MARKET at the journal's stop (the trade's
//                           own), or — for a position the journal does not know (opened by
//                           hand, journal lost) — `fallback_stop` away from its entry, on the
//                           tick toward the entry; the position is adopted as a trade
//   position, its stop gone beyond the mark   (placing it would trigger at once: Binance's
//                           -2021) a reduce-only MARKET close instead, as freqtrade does
//   position, several stops one is kept (ours for this trade, else the tightest) and the rest
//                           canceled: duplicates pile up after timeouts (freqtrade#12681)
//   position, no target     the journal's target put back, when the mark has not passed it
//   no position             our protective algo orders canceled (a closePosition stop left
//                           behind would close the next position on that symbol), our stale
//                           entries canceled; others' orders are left alone and named
// After the actions the holdings are read again and checked: a position without exactly one
// stop is a failed reconciliation, and the engine must not start (nautilus_trader's rule).
// A query that fails is an error, never "nothing there".
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/instrument.h"
#include "execution/client_ids.h"
#include "journal/recorder.h"
#include "journal/records.h"
#include "venue/venue.h"

namespace winiswin::execution {

// A real trade the journal shows open: its entry filled, no exit filled yet.
struct JournaledTrade {
  std::int64_t trade = 0;  // its number in the client ids
  std::string symbol;
  Side side = Side::kBuy;
  Price stop;
  Price target;  // 0: none known
  Timestamp entered{};  // its entry's first journaled fill (none: unknown — say, it filled while the process was down)
};

// The trades a journal's order and fill rows may show open: the venue took the entry, and the
// fills of its exits do not cover the fills of the entry (an entry whose fill was never
// journaled counts — the venue's positions decide). With the stop and target last sent.
std::vector<JournaledTrade> open_trades(std::span<const journal::OrderRecord> orders, std::span<const journal::FillRecord> fills,
                                        const ClientIds& ids);

// The first trade number no journaled order uses (1 for an empty journal).
std::int64_t next_trade_number(std::span<const journal::OrderRecord> orders, const ClientIds& ids);

// What the venue holds, from its queries.
struct VenueHoldings {
  std::vector<venue::PositionReport> positions;  // non-zero ones
  std::vector<venue::OrderStatusReport> open_orders;
  std::vector<venue::AlgoOrderReport> open_algo_orders;
};
// Asks the venue about `symbols` (and every symbol with a position); any failed query fails it.
Result<VenueHoldings> read_holdings(venue::Venue& venue, std::span<const std::string> symbols);

// Whether `algo` guards a position on `position_side` as a stop (kStopMarket) or a target
// (kTakeProfitMarket): the opposite side, closing or reduce-only — whoever placed it.
bool protects(const venue::AlgoOrderReport& algo, Side position_side, venue::AlgoOrderType type);

struct ReconcileConfig {
  double fallback_stop = 0.03;  // an adopted position's stop: this share of its entry price away
  venue::WorkingType working_type = venue::WorkingType::kContractPrice;
};

struct ReconcileAction {
  enum class Kind { kPlaceStop, kPlaceTarget, kCancelAlgo, kCancelOrder, kCloseAtMarket } kind = Kind::kPlaceStop;
  std::string symbol;
  venue::AlgoOrderRequest algo;  // kPlaceStop, kPlaceTarget
  venue::OrderRequest order;     // kCloseAtMarket
  std::string client_id;         // kCancelAlgo, kCancelOrder
  std::string reason;
};

struct ReconcilePlan {
  std::vector<ReconcileAction> actions;
  std::vector<JournaledTrade> adopted;  // positions the journal did not know, with the stop given them
  std::vector<std::string> notes;       // what is left alone and why (others' orders)
};

// `instruments` by symbol (for the tick); `next_trade`: the first trade number free for adopted positions.
ReconcilePlan plan_reconciliation(const VenueHoldings& holdings, std::span<const JournaledTrade> journaled,
                                  const std::map<std::string, Instrument, std::less<>>& instruments, const ClientIds& ids,
                                  std::int64_t next_trade, const ReconcileConfig& config = {});

// Carries out the plan (each action's refusal is collected, not fatal), reads the holdings
// again and checks that every position has exactly one protective stop; the error says which
// do not.
// Each action is journaled to `journal` (when given) as the executor journals its orders: the
// intent before the call, then the venue's answer.
Status apply_reconciliation(venue::Venue& venue, const ReconcilePlan& plan, std::span<const std::string> symbols,
                            journal::Recorder* journal = nullptr, Timestamp now = {});

}  // namespace winiswin::execution
