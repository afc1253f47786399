// What the stream parsers (market_stream.h, user_stream.h) return besides data: replies to
// SUBSCRIBE requests and messages they deliberately skip.
#pragma once

#include <string>

namespace winiswin::binance {

// {"result": null, "id": 1} — or {"code": 0, "msg": "Unknown property", "id": 2}.
struct SubscriptionReply {
  std::string id;  // as sent: a string's text, or a number's JSON text
  bool ok = true;
  std::string error;  // the msg when not ok
};

// A well-formed message this parser does not turn into data; not an error.
struct SkippedMessage {
  std::string event_type;  // `e` ("kline", "aggTrade" …), empty when there was none
  std::string reason;      // "bar not closed", "not handled", "COIN-M symbol" …
};

}  // namespace winiswin::binance
