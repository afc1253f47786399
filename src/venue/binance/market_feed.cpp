#include "venue/binance/market_feed.h"

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "net/websocket_client.h"
#include "venue/binance/market_data_client.h"
#include "venue/binance/market_stream.h"

namespace winiswin::binance {

struct MarketFeed::Connection {
  // What the socket's thread fills and poll() empties.
  struct Inbox {
    std::mutex mutex;
    std::vector<ClosedKline> bars;
    std::atomic<bool> ended{false};
    std::atomic<int> acknowledged{0};  // SUBSCRIBE frames answered
  };
  std::vector<std::string> streams;
  std::vector<std::pair<std::string, Interval>> series;  // what the streams carry
  std::unique_ptr<net::WebSocketClient> socket;
  std::shared_ptr<Inbox> inbox;
  std::optional<StreamWatchdog> watchdog;
  ReconnectBackoff backoff;
  Timestamp retry_at{};

  explicit Connection(std::uint64_t seed) : backoff(seed) {}
};

MarketFeed::MarketFeed(RestClient& rest, std::string market_url, std::vector<std::string> symbols, std::vector<Interval> intervals,
                       MarketFeedConfig config)
    : rest_(rest), market_url_(std::move(market_url)), symbols_(std::move(symbols)), intervals_(std::move(intervals)), config_(config) {
  std::vector<std::string> streams;
  std::map<std::string, std::pair<std::string, Interval>, std::less<>> series_of;
  for (const std::string& symbol : symbols_) {
    for (const Interval interval : intervals_) {
      streams.push_back(kline_stream(symbol, interval));
      series_of.emplace(streams.back(), std::make_pair(symbol, interval));
    }
  }
  std::uint64_t seed = 1;
  for (std::vector<std::string>& names : split_streams(streams, config_.streams)) {
    auto connection = std::make_unique<Connection>(seed++);
    for (const std::string& name : names) connection->series.push_back(series_of.at(name));
    connection->streams = std::move(names);
    connections_.push_back(std::move(connection));
  }
}

MarketFeed::~MarketFeed() { stop(); }

std::size_t MarketFeed::connections() const { return connections_.size(); }

// Bars [first, last] (open times) of one series over REST, through the continuity check.
Status MarketFeed::fetch_missing(const std::string& symbol, Interval interval, Timestamp first, Timestamp last, std::vector<FeedBar>& out) {
  WINISWIN_TRY(const std::vector<Kline> bars, fetch_klines(rest_, symbol, interval, first, last + duration_of(interval)));
  for (const Kline& bar : bars) {
    if (continuity_.on_closed(symbol, interval, bar.open_time) == BarArrival::kDuplicate) continue;
    out.push_back(FeedBar{symbol, interval, bar, true});
  }
  return Ok{};
}

// The bars a series skipped, [first, last] by open time, fetched before the bar after them is
// given out. The series has moved on to that bar already (BarContinuity::on_closed), so these
// are not checked against it: they lie strictly between what it held and that bar.
Status MarketFeed::fill_gap(const std::string& symbol, Interval interval, Timestamp first, Timestamp last, std::vector<FeedBar>& out) {
  WINISWIN_TRY(const std::vector<Kline> bars, fetch_klines(rest_, symbol, interval, first, last + duration_of(interval)));
  for (const Kline& bar : bars) {
    if (bar.open_time >= first && bar.open_time <= last) out.push_back(FeedBar{symbol, interval, bar, true});
  }
  return Ok{};
}

// Every series brought up to the last bar closed by the server's clock.
Status MarketFeed::catch_up(std::vector<FeedBar>& out) {
  const Timestamp server_now = rest_.server_now();
  for (const std::string& symbol : symbols_) {
    for (const Interval interval : intervals_) {
      for (const KlineRequest& request : plan_catch_up(symbol, interval, continuity_.last_held(symbol, interval), server_now, config_.catch_up)) {
        if (auto status = fetch_missing(symbol, interval, request.start, request.end, out); !status) {
          return status.error().with_context(fmt::format("{} {} history", symbol, name_of(interval)));
        }
      }
    }
  }
  return Ok{};
}

Status MarketFeed::connect(Connection& connection, Timestamp local_now) {
  auto inbox = std::make_shared<Connection::Inbox>();
  net::WebSocketClientCallbacks callbacks;
  callbacks.on_message = [inbox](std::string_view text, Timestamp received) {
    auto message = parse_market_message(text, received);
    if (!message) {
      spdlog::warn("market stream: {}", message.error().message);  // a gap it leaves is fetched over REST
      return;
    }
    if (auto* closed = std::get_if<ClosedKline>(&*message)) {
      const std::lock_guard lock(inbox->mutex);
      inbox->bars.push_back(std::move(*closed));
    } else if (std::holds_alternative<SubscriptionReply>(*message)) {
      inbox->acknowledged.fetch_add(1);
    }
  };
  callbacks.on_close = [inbox](const Status&) { inbox->ended.store(true); };
  net::WebSocketClientOptions options;
  options.close_timeout = std::chrono::milliseconds(250);  // a silent server does not answer the close either
  WINISWIN_TRY(connection.socket, net::WebSocketClient::connect(market_url_ + "/stream", std::move(callbacks), options));
  const std::vector<std::string> frames = subscribe_frames(connection.streams, next_frame_id_, config_.streams);
  next_frame_id_ += static_cast<std::int64_t>(frames.size());
  for (std::size_t idx = 0; idx < frames.size(); ++idx) {
    if (idx > 0) std::this_thread::sleep_for(config_.streams.frame_spacing);  // Binance drops > 10 messages/s
    connection.socket->send(frames[idx]);
  }
  // Subscribed before the catch-up reads history over REST: a bar that closes in between then
  // comes on the stream (and the continuity check drops the copy REST also gave).
  const auto deadline = std::chrono::steady_clock::now() + config_.subscribe_timeout;
  while (inbox->acknowledged.load() < static_cast<int>(frames.size()) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (inbox->acknowledged.load() < static_cast<int>(frames.size())) {
    spdlog::warn("market stream: {} of {} subscriptions acknowledged", inbox->acknowledged.load(), frames.size());
  }
  connection.inbox = std::move(inbox);
  connection.watchdog.emplace(local_now, config_.streams);
  return Ok{};
}

Status MarketFeed::start(Timestamp local_now) {
  for (const auto& connection : connections_) {
    if (auto connected = connect(*connection, local_now); !connected) return connected.error().with_context("market stream");
  }
  return catch_up(pending_);  // the streams' bars wait in their inboxes until the first poll
}

// The queued stream bars of one connection, with any gap before one fetched first.
Status MarketFeed::take(Connection& connection, std::vector<FeedBar>& out) {
  std::vector<ClosedKline> bars;
  {
    const std::lock_guard lock(connection.inbox->mutex);
    bars.swap(connection.inbox->bars);
  }
  for (ClosedKline& closed : bars) {
    std::optional<std::pair<Timestamp, Timestamp>> missing;
    const BarArrival arrival = continuity_.on_closed(closed.symbol, closed.interval, closed.kline.open_time, &missing);
    if (arrival == BarArrival::kDuplicate) continue;
    if (arrival == BarArrival::kAfterGap) {
      if (auto fetched = fill_gap(closed.symbol, closed.interval, missing->first, missing->second, out); !fetched) return fetched;
    }
    out.push_back(FeedBar{std::move(closed.symbol), closed.interval, closed.kline, false});
  }
  return Ok{};
}

Result<std::vector<FeedBar>> MarketFeed::poll(Timestamp local_now) {
  std::vector<FeedBar> out = std::exchange(pending_, {});
  for (const auto& owned : connections_) {
    Connection& connection = *owned;
    if (connection.inbox) {
      if (auto status = take(connection, out); !status) return status.error();
      if (const auto last = connection.socket ? connection.socket->last_message_time() : std::nullopt) connection.watchdog->on_message(*last);
    }
    const bool unhealthy = !connection.socket || connection.inbox->ended.load() || connection.watchdog->silent(local_now) ||
                           connection.watchdog->due_for_planned_reconnect(local_now);
    if (!unhealthy || local_now < connection.retry_at) continue;
    if (connection.socket) connection.socket->close();
    connection.socket.reset();
    ++reconnects_;
    if (auto connected = connect(connection, local_now); !connected) {
      connection.retry_at = local_now + connection.backoff.next();
      spdlog::warn("market stream: {}; next attempt at {}", connected.error().message, format_utc(connection.retry_at));
      continue;
    }
    connection.backoff.reset();
    // Whatever closed while it was down comes over REST.
    const Timestamp server_now = rest_.server_now();
    for (const auto& [symbol, interval] : connection.series) {
      for (const KlineRequest& request : plan_catch_up(symbol, interval, continuity_.last_held(symbol, interval), server_now, config_.catch_up)) {
        if (auto fetched = fetch_missing(symbol, interval, request.start, request.end, out); !fetched) return fetched.error();
      }
    }
  }
  return out;
}

void MarketFeed::stop() {
  for (const auto& connection : connections_) {
    if (connection->socket) connection->socket->close();
    connection->socket.reset();
  }
}

}  // namespace winiswin::binance
