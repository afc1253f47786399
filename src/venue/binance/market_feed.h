// The live market feed: closed klines of N symbols × a few intervals, from history to now and
// then as they close, with no bar missing and none twice.
//
//   start    the combined kline streams, split over connections and subscribed with paced
//            SUBSCRIBE frames (stream_plan.h) — answered before it goes on — then the history
//            over REST (kline_catch_up.h: the warm-up in 1000-bar requests within the budget);
//            a bar closing in between comes on the stream, its REST copy is dropped
//   poll     on the decision thread: the bars the sockets' threads queued, each checked
//            against its series — a skipped bar is fetched over REST before the one after it
//            is given out, a repeated one dropped
//   health   a connection that ended, went silent for `silence` (Binance's legacy URLs accept
//            and then send nothing), or nears Binance's 24 h cut is made again (back-off on
//            failure), and the bars closed meanwhile are fetched over REST
// The sockets' threads only parse and queue; every REST call is made in start() and poll().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/interval.h"
#include "core/kline.h"
#include "venue/binance/kline_catch_up.h"
#include "venue/binance/rest_client.h"
#include "venue/binance/stream_plan.h"

namespace winiswin::binance {

struct MarketFeedConfig {
  StreamPlanConfig streams;
  CatchUpConfig catch_up;
  Milliseconds subscribe_timeout{5'000};  // waiting for SUBSCRIBE to be answered
};

struct FeedBar {
  std::string symbol;
  Interval interval = Interval::k1m;
  Kline bar;
  bool from_rest = false;  // history or a back-filled gap, not the stream
};

class MarketFeed {
 public:
  // `market_url`: BinanceUrls::market_stream ("wss://fstream.binance.com/market").
  MarketFeed(RestClient& rest, std::string market_url, std::vector<std::string> symbols, std::vector<Interval> intervals,
             MarketFeedConfig config = {});
  ~MarketFeed();
  MarketFeed(const MarketFeed&) = delete;
  MarketFeed& operator=(const MarketFeed&) = delete;

  // History, then the streams. `local_now`: this machine's time (the watchdog's clock).
  Status start(Timestamp local_now);
  // The closed bars since the last call (history first), in time order within each series.
  Result<std::vector<FeedBar>> poll(Timestamp local_now);
  void stop();

  [[nodiscard]] int reconnects() const { return reconnects_; }
  [[nodiscard]] std::size_t connections() const;

 private:
  struct Connection;
  Status catch_up(std::vector<FeedBar>& out);
  Status fetch_missing(const std::string& symbol, Interval interval, Timestamp first, Timestamp last, std::vector<FeedBar>& out);
  Status fill_gap(const std::string& symbol, Interval interval, Timestamp first, Timestamp last, std::vector<FeedBar>& out);
  Status connect(Connection& connection, Timestamp local_now);
  Status take(Connection& connection, std::vector<FeedBar>& out);

  RestClient& rest_;
  std::string market_url_;
  std::vector<std::string> symbols_;
  std::vector<Interval> intervals_;
  MarketFeedConfig config_;
  BarContinuity continuity_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<FeedBar> pending_;  // history gathered by start(), given out by the first poll()
  std::int64_t next_frame_id_ = 1;
  int reconnects_ = 0;
};

}  // namespace winiswin::binance
