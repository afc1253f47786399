#include "engine/close_tracker.h"

#include <algorithm>

namespace winiswin::engine {

void CloseTracker::on_bar(Timestamp close, bool from_rest) {
  if (!from_rest && first_streamed_ == Timestamp::max()) first_streamed_ = close;
  if (close < first_streamed_) return;     // history (or a stream not yet started)
  if (close <= decided_through_) return;   // decided already without this symbol
  ++arrived_[close];
  latest_ = std::max(latest_, close);
}

std::vector<Timestamp> CloseTracker::take_ready() {
  std::vector<Timestamp> ready;
  while (!arrived_.empty()) {
    const auto& [close, count] = *arrived_.begin();
    if (count < symbols_ && close >= latest_) break;  // still coming in
    ready.push_back(close);
    decided_through_ = close;
    arrived_.erase(arrived_.begin());
  }
  return ready;
}

}  // namespace winiswin::engine
