// Trades opened, for Discord: the run loop shows the executor's open trades after each round
// and gets back the text for each trade whose entry filled since the last look. The first look
// only learns what is open (trades adopted at start-up are not news).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "journal/records.h"

namespace winiswin::notify {

struct OpenTradeSeen {
  journal::TradeRecord record;  // symbol, side, decided, fill, stop, target, confidence …
  double quantity = 0.0;
  bool filled = false;
};

class OpenTradeWatch {
 public:
  std::vector<std::string> observe(const std::vector<OpenTradeSeen>& open);

 private:
  using Key = std::pair<std::string, std::int64_t>;  // symbol, decided (ms): one trade
  std::set<Key> announced_;
  bool looked_ = false;
};

}  // namespace winiswin::notify
