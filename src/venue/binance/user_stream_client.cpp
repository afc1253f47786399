#include "venue/binance/user_stream_client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "venue/binance/rest_account.h"
#include "venue/binance/user_stream.h"

namespace winiswin::binance {
namespace {

constexpr std::string_view kListenKeyPath = "/fapi/v1/listenKey";
constexpr int kListenKeyDoesNotExist = -1125;
constexpr RequestCost kListenKeyCost{1, 0};

}  // namespace

UserStream::UserStream(RestClient& rest, std::string private_url, BinanceVenue& venue, UserStreamConfig config)
    : rest_(rest), private_url_(std::move(private_url)), venue_(venue), config_(config) {}

UserStream::~UserStream() { stop(); }

Status UserStream::create_key() {
  WINISWIN_TRY(const std::string body, rest_.call("POST", kListenKeyPath, QueryParams{}, Security::kApiKey, kListenKeyCost));
  WINISWIN_TRY(listen_key_, parse_listen_key(body));
  return Ok{};
}

Status UserStream::start(Timestamp now) {
  if (auto created = create_key(); !created) return created.error().with_context("user-data stream");
  last_keepalive_ = now;
  return connect(now);
}

Status UserStream::connect(Timestamp now) {
  // Fresh flags for each connection: a late callback of the old one changes nothing.
  auto ended = std::make_shared<std::atomic<bool>>(false);
  auto expired = std::make_shared<std::atomic<bool>>(false);
  net::WebSocketClientCallbacks callbacks;
  callbacks.on_message = [this, expired](std::string_view text, Timestamp received) {
    auto message = parse_user_data_message(text, received);
    if (!message) {
      spdlog::warn("user-data stream: {}", message.error().message);  // the reconciliation after a reconnect catches up
      return;
    }
    if (auto* events = std::get_if<std::vector<venue::VenueEvent>>(&*message)) venue_.push_events(std::move(*events));
    if (std::holds_alternative<ListenKeyExpired>(*message)) expired->store(true);
  };
  callbacks.on_close = [ended](const Status&) { ended->store(true); };
  net::WebSocketClientOptions options;
  options.ping_interval = config_.ping_interval;
  options.close_timeout = std::chrono::milliseconds(250);  // a silent server does not answer the close either
  WINISWIN_TRY(socket_, net::WebSocketClient::connect(fmt::format("{}/ws?listenKey={}", private_url_, listen_key_), std::move(callbacks),
                                                     options));
  ended_ = std::move(ended);
  expired_ = std::move(expired);
  connected_ = now;
  last_pong_seen_ = now;
  pongs_seen_ = 0;
  return Ok{};
}

Status UserStream::reconnect(Timestamp now) {
  if (socket_) socket_->close();
  socket_.reset();
  ++reconnects_;
  return connect(now);
}

bool UserStream::needs_reconnect(Timestamp now) const {
  if (!socket_ || ended_->load()) return true;
  return now - last_pong_seen_ >= config_.pong_timeout;  // pinging, and nothing answers
}

Result<bool> UserStream::poll(Timestamp now) {
  bool missed = false;
  if (socket_ && socket_->pongs_received() > pongs_seen_) {
    pongs_seen_ = socket_->pongs_received();
    last_pong_seen_ = now;
  }
  bool new_key = expired_->load();
  if (!new_key && now - last_keepalive_ >= config_.keepalive) {
    const auto kept = rest_.call("PUT", kListenKeyPath, QueryParams{}, Security::kApiKey, kListenKeyCost);
    if (kept) {
      last_keepalive_ = now;
    } else if (kept.error().venue_code == kListenKeyDoesNotExist) {
      new_key = true;
    } else {
      return kept.error().with_context("user-data stream keep-alive");
    }
  }
  if (new_key) {
    if (auto created = create_key(); !created) return created.error().with_context("user-data stream");
    last_keepalive_ = now;
    if (socket_) socket_->close();
    socket_.reset();  // connected again below, on the new key
  }
  if (needs_reconnect(now) && now >= retry_at_) {
    if (auto connected = reconnect(now); !connected) {
      retry_at_ = now + backoff_.next();
      spdlog::warn("user-data stream: {}; next attempt at {}", connected.error().message, format_utc(retry_at_));
      return true;  // not connected: whatever happens now is missed too
    }
    backoff_.reset();
    missed = true;
  }
  return missed || new_key;
}

void UserStream::stop() {
  if (socket_) socket_->close();
  socket_.reset();
}

}  // namespace winiswin::binance
