// The loopback exchange's clock as a client's Clock (venue/binance/rest_client.h): tests move
// the exchange's time themselves, so waiting passes no time here.
#pragma once

#include "venue/binance/rest_client.h"
#include "venue/loopback/loopback_exchange.h"

namespace winiswin::testing {

class ExchangeClock final : public binance::Clock {
 public:
  explicit ExchangeClock(const loopback::LoopbackExchange& exchange) : exchange_(exchange) {}
  [[nodiscard]] Timestamp now() const override { return exchange_.now(); }
  void sleep_for(Milliseconds) override {}

 private:
  const loopback::LoopbackExchange& exchange_;
};

// This machine's clock as a client's Clock (waiting really waits).
class WallClock final : public binance::Clock {
 public:
  [[nodiscard]] Timestamp now() const override { return binance::system_clock().now(); }
  void sleep_for(Milliseconds duration) override { binance::system_clock().sleep_for(duration); }
};

inline Timestamp wall_now() { return std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now()); }

}  // namespace winiswin::testing
