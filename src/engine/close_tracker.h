// Which 5m closes the live loop may decide: a close is ready once every symbol has delivered
// its bar for it, or once a later close has arrived (the market has moved past it: a symbol
// late or silent is not waited for).
//
// A close counts from the first one the streams deliver: the history before it only warms the
// state, while bars fetched over REST after it (a gap in a stream, back-filled) are decided
// like streamed ones — no close is lost to an outage. A close is decided once: a late
// symbol's bar for a close already decided is not a reason to decide it again.
#pragma once

#include <cstddef>
#include <map>
#include <vector>

#include "core/time.h"

namespace winiswin::engine {

class CloseTracker {
 public:
  explicit CloseTracker(std::size_t symbols) : symbols_(symbols) {}
  // A symbol's bar closing at `close`; `from_rest`: history or a back-filled gap.
  void on_bar(Timestamp close, bool from_rest);
  // The closes ready for a decision, oldest first (and forgotten).
  std::vector<Timestamp> take_ready();

 private:
  std::size_t symbols_;
  std::map<Timestamp, std::size_t> arrived_;
  Timestamp latest_ = Timestamp::min();
  Timestamp first_streamed_ = Timestamp::max();
  Timestamp decided_through_ = Timestamp::min();
};

}  // namespace winiswin::engine
