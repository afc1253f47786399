// The loopback venue on the network: the LoopbackExchange behind an HTTP server (REST) and
// its WebSocket streams, on a clock that replays the market faster than real time. What
// `winiswin venue` runs, and what tests and paper trading point a Binance client at.
//
//   REST        every request goes to LoopbackExchange::handle; its `delay` is waited on the
//               I/O thread, `withhold` leaves the request unanswered (the client times out)
//   clock       every `tick` the exchange clock moves to start + elapsed wall time × `speed`
//               (60: one market minute per second); the bars closed by then execute orders
//   market      /stream?streams=a/b, /market/stream?…, /public/stream?… (combined envelope),
//   streams     /ws/<s1>/<s2>, /market/ws/<…>, /public/ws/<…> (raw payloads); SUBSCRIBE,
//               UNSUBSCRIBE and LIST_SUBSCRIPTIONS frames as Binance answers them
//   user data   /private/ws?listenKey=K[&events=A/B], /private/ws/K, /ws/K, and a listen key
//               SUBSCRIBEd on /private/stream (the official connector): the account's events;
//               after listenKeyExpired the connection is closed. One connection per listen key
//               receives them (a second one on the same key shares the queue).
// Binds 127.0.0.1 unless told otherwise. stop() (and the destructor) stops the clock, then the
// server.
#pragma once

#include <cstdint>
#include <memory>

#include "core/error.h"
#include "core/time.h"
#include "net/http_server.h"
#include "venue/loopback/loopback_exchange.h"

namespace winiswin::loopback {

struct LoopbackServerConfig {
  net::HttpServerOptions http;
  double speed = 60.0;        // exchange time per wall time
  Milliseconds tick{50};      // how often the clock moves and streams are pushed
};

class LoopbackServer {
 public:
  LoopbackServer(std::unique_ptr<LoopbackExchange> exchange, LoopbackServerConfig config);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  Status start();
  void stop();
  [[nodiscard]] std::uint16_t port() const;
  // Fault injection on the market-stream connections open now: stalled (connected, silent —
  // Binance's legacy URLs since 2026-04) or dropped (closed without a close frame).
  void stall_market_streams();
  void drop_market_streams();
  // The exchange (thread-safe: it serialises its calls).
  [[nodiscard]] LoopbackExchange& exchange();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace winiswin::loopback
