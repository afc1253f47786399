#include "notify/open_trade_watch.h"

#include "notify/messages.h"

namespace winiswin::notify {

std::vector<std::string> OpenTradeWatch::observe(const std::vector<OpenTradeSeen>& open) {
  std::vector<std::string> texts;
  std::set<Key> filled_now;
  for (const OpenTradeSeen& trade : open) {
    if (!trade.filled) continue;
    Key key{trade.record.symbol, to_ms(trade.record.decided)};
    if (looked_ && !announced_.contains(key)) texts.push_back(trade_opened_text(trade.record, trade.quantity));
    filled_now.insert(std::move(key));
  }
  announced_ = std::move(filled_now);  // closed trades leave the set: it stays as small as the open book
  looked_ = true;
  return texts;
}

}  // namespace winiswin::notify
