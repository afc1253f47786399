// Market stream messages for the streams somebody subscribed to (spec/websocket.md §4–5):
//   <symbol>@kline_<interval>   one message per closed 1m bar: the 1m bar itself (x true), or
//                               the coarser bar it belongs to as it stands (x true on the
//                               bucket's last minute). Binance also pushes the forming 1m bar
//                               every 250 ms; with 1m data there is nothing to push between closes.
//   <symbol>@markPrice[@1s]     one message per closed 1m bar: the mark (its close), funding
//                               rate and next funding time.
// Stream names carry the symbol in lowercase, as Binance spells them. Subscriptions are counted (two connections on one
// stream, one leaves: it stays). Messages come in the combined-stream envelope
// {"stream":…,"data":…}; `data` alone is what a raw /ws/<stream> connection sends.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/fixed_point.h"
#include "core/kline.h"

namespace winiswin::loopback {

struct MarketStreamMessage {
  std::string stream;  // "btcusdt@kline_1m"
  std::string data;    // the payload
  [[nodiscard]] std::string combined() const;  // {"stream":"…","data":…}
};

// What a mark-price message says besides the mark.
struct FundingView {
  Ratio rate;
  Timestamp next_funding_time;
};

class MarketStreams {
 public:
  void subscribe(std::string_view stream);
  void unsubscribe(std::string_view stream);
  [[nodiscard]] std::vector<std::string> subscriptions() const;

  // `bar` (of `symbol`, Binance's upper-case name) just closed; `closed` is the symbol's closed
  // 1m bars up to and including it.
  void on_bar(const std::string& symbol, const Kline& bar, std::span<const Kline> closed, const FundingView& funding);

  // The messages since the last call, oldest first.
  std::vector<MarketStreamMessage> take();

 private:
  void queue_kline(const std::string& symbol, const std::string& stream, Interval interval, const Kline& bar,
                   std::span<const Kline> closed);
  std::map<std::string, int, std::less<>> counts_;  // stream → subscribers
  std::map<std::string, std::vector<std::string>, std::less<>> by_symbol_;  // lowercase symbol → its streams
  std::vector<MarketStreamMessage> queue_;
};

std::string lowercase(std::string_view text);

}  // namespace winiswin::loopback
