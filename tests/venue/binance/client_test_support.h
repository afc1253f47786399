// What the Binance client's tests against the loopback venue share: the key pair, a market
// that falls through a stop, a protected long, and the venue serving it.
#pragma once

#include <memory>
#include <vector>

#include "../sim/sim_venue_support.h"
#include "execution/executor.h"
#include "support/entries.h"
#include "venue/loopback/loopback_server.h"

namespace winiswin::binance::test {

// Binance's documented HMAC key pair (spec/signing.md).
inline constexpr const char* kKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
inline constexpr const char* kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";

// TESTUSDT at 100 for an hour, then (minute 62 on) a fall through 95.
inline std::vector<KlineSeries> falling_market() {
  using sim::test::minute;
  KlineSeries series;
  series.symbol = "TESTUSDT";
  for (std::int64_t index = 0; index < 62; ++index) series.bars.push_back(minute(index, "100", "100.2", "99.8", "100"));
  series.bars.push_back(minute(62, "99", "99", "94", "94.5"));
  for (std::int64_t index = 63; index < 70; ++index) series.bars.push_back(minute(index, "94.5", "94.8", "94.2", "94.5"));
  return {series};
}

// The loopback venue over falling_market, its clock at 01:00, fills without slippage; its
// clock moves only when the test moves it.
inline std::unique_ptr<loopback::LoopbackServer> falling_market_venue() {
  loopback::LoopbackConfig config;
  config.credentials = {loopback::ApiCredentials{kKey, kSecret}};
  config.start = sim::test::minute(60, "0", "0", "0", "0").open_time;
  config.venue.fills = venue::FillModelConfig{true, 0.0, 0.0};
  loopback::LoopbackServerConfig server_config;
  server_config.speed = 1e-9;
  server_config.tick = Milliseconds{5};
  return std::make_unique<loopback::LoopbackServer>(
      loopback::LoopbackExchange::create({sim::test::test_instrument()}, {}, falling_market(), config).value(), server_config);
}

// A long of 1 TESTUSDT at 100, stop 95, target 110, 5x.
inline execution::ProtectedEntry protected_long() { return testing::protected_entry("TESTUSDT", Side::kBuy, "100", "95", "110"); }

}  // namespace winiswin::binance::test
