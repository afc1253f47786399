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

inline Timestamp wall_now() { return std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now()); }

}  // namespace winiswin::testing
