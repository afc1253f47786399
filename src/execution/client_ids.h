// Client order ids that survive a restart and route events back without a lookup table:
//   <prefix>-<trade>-<leg>      e.g. "bt-42-S"
// `prefix` names the run (the backtest's "bt"; live: a run id kept in the journal, so a
// restarted process recognises its own orders at the venue), `trade` is the trade's sequence
// number (continued from the journal after a restart), `leg` says which order of the trade it
// is. Binance allows ^[.A-Z:/a-z0-9_-]{1,36}$: the prefix is 1–16 letters or digits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace winiswin::execution {

// E, S, T: the protected entry; X: an exit at market; G: the venue's close-out where data
// stops; R, Q: a stop and a target put back at start-up (reconciler.h); C: a close at market
// by start-up reconciliation.
enum class Leg : char {
  kEntry = 'E', kStop = 'S', kTarget = 'T', kExit = 'X', kCloseOut = 'G',
  kRestoredStop = 'R', kRestoredTarget = 'Q', kReconcileClose = 'C'
};

struct OrderRef {
  std::int64_t trade = 0;
  Leg leg = Leg::kEntry;
};

class ClientIds {
 public:
  static Result<ClientIds> make(std::string prefix);
  [[nodiscard]] std::string id(std::int64_t trade, Leg leg) const;
  // The trade and leg of one of this run's ids; none for anyone else's.
  [[nodiscard]] std::optional<OrderRef> parse(std::string_view client_id) const;
  [[nodiscard]] const std::string& prefix() const { return prefix_; }

 private:
  explicit ClientIds(std::string prefix) : prefix_(std::move(prefix)) {}
  std::string prefix_;
};

}  // namespace winiswin::execution
