// Our own client's scripted run against the loopback venue, the run the official connector
// and ccxt make in tests/thirdparty (over real HTTP and a real user-data WebSocket): exchange
// info and the universe, klines, the mark price, margin type and leverage, a protected
// MARKET entry and its fill on the stream, positions and open (algo) orders, a cancel, the
// errors Binance answers (-4120, -1022, -4164), and the close to flat.
#include <gtest/gtest.h>

#include <thread>

#include <fmt/format.h>

#include "../sim/sim_venue_support.h"
#include "client_test_support.h"
#include "support/exchange_clock.h"
#include "execution/executor.h"
#include "venue/binance/market_data_client.h"
#include "venue/binance/order_params.h"
#include "venue/binance/rest_market.h"
#include "venue/binance/universe.h"
#include "venue/binance/user_stream_client.h"
#include "venue/loopback/loopback_server.h"

namespace winiswin::binance {
namespace {

using testing::wall_now;

using sim::test::minute;
using testing::P;
using testing::Q;

using test::kKey;
using test::kSecret;

KlineSeries series_of(const std::string& symbol, const char* volume) {
  KlineSeries series;
  series.symbol = symbol;
  for (std::int64_t index = 0; index < 180; ++index) {
    Kline bar = minute(index, "100", "100.4", "99.6", "100");
    bar.volume = Q(volume);
    bar.quote_volume = Notional::parse(volume).value() * 100;
    series.bars.push_back(bar);
  }
  return series;
}

TEST(ScriptedRun, OurClientAgainstTheLoopbackVenue) {
  const Instrument other = testing::instrument_with("OTHERUSDT", {"0.1", "100000", "0.1", "0.001", "1000", "0.001", "100", "5"});
  loopback::LoopbackConfig config;
  config.credentials = {loopback::ApiCredentials{kKey, kSecret}};
  config.start = minute(60, "0", "0", "0", "0").open_time;
  config.venue.margin_type = venue::MarginType::kCrossed;  // as a Binance account starts
  loopback::LoopbackServerConfig server_config;
  server_config.speed = 1e-9;
  server_config.tick = Milliseconds{5};
  loopback::LoopbackServer server(loopback::LoopbackExchange::create({sim::test::test_instrument(), other}, {},
                                                                     {series_of("TESTUSDT", "50"), series_of("OTHERUSDT", "5")}, config)
                                      .value(),
                                  server_config);
  ASSERT_TRUE(server.start().ok());
  loopback::LoopbackExchange& exchange = server.exchange();
  const net::Endpoint endpoint{net::Scheme::kHttp, "127.0.0.1", server.port()};
  net::HttpClient http;
  testing::ExchangeClock clock(exchange);
  RestClient rest(http, endpoint, RequestSigner::create(Credentials{ApiKey(kKey), Secret(kSecret)}).value(), clock);

  // Market data and the universe.
  ASSERT_TRUE(rest.sync_time().ok());
  const FetchedExchangeInfo info = fetch_exchange_info(rest).value();
  ASSERT_EQ(info.info.tradable_usdt_perpetuals().size(), 2u);
  const auto universe = select_universe(info.info.tradable_usdt_perpetuals(), fetch_tickers(rest).value(), UniverseRule{.top = 1});
  ASSERT_EQ(universe.size(), 1u);
  EXPECT_EQ(universe[0].symbol, "TESTUSDT");  // the most traded
  const auto klines = fetch_klines(rest, "TESTUSDT", Interval::k5m, minute(0, "0", "0", "0", "0").open_time, exchange.now());
  ASSERT_TRUE(klines.ok());
  EXPECT_EQ(klines->size(), 12u);
  const auto premium = parse_premium_index(rest.call("GET", "/fapi/v1/premiumIndex", QueryParams{}.add("symbol", "TESTUSDT"),
                                                     Security::kPublic, RequestCost{1, 0})
                                               .value());
  ASSERT_TRUE(premium.ok());
  EXPECT_EQ(premium->at(0).mark_price, P("100"));

  // Account settings.
  BinanceVenue venue(rest);
  ASSERT_TRUE(venue.set_margin_type("TESTUSDT", venue::MarginType::kIsolated).ok());
  const Status again = venue.set_margin_type("TESTUSDT", venue::MarginType::kIsolated);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().venue_code, -4046);

  // A protected entry, filled on the user-data stream.
  UserStream stream(rest, fmt::format("ws://127.0.0.1:{}/private", server.port()), venue);
  ASSERT_TRUE(stream.start(wall_now()).ok());  // the stream's liveness runs on this machine's clock
  execution::Executor executor(venue, execution::ClientIds::make("run").value());
  const execution::ProtectedEntry entry = test::protected_long();
  ASSERT_FALSE(executor.enter(entry).value().has_value());
  ASSERT_TRUE(exchange.advance_to(exchange.now() + Milliseconds{60'000}).ok());
  std::vector<execution::TradeEvent> events;
  for (int wait = 0; wait < 2000 && events.empty(); ++wait) {
    executor.on_events(venue.drain_events(), events);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, execution::TradeEvent::Kind::kEntryFilled);
  const auto positions = venue.positions().value();
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_EQ(positions[0].leverage, 0);  // v3 positionRisk does not say (symbolConfig does)
  EXPECT_TRUE(positions[0].liquidation_price.is_zero() || positions[0].liquidation_price < P("95"));
  EXPECT_TRUE(venue.open_orders("TESTUSDT").value().empty());
  EXPECT_EQ(venue.open_algo_orders("TESTUSDT").value().size(), 2u);
  ASSERT_TRUE(venue.cancel_algo("TESTUSDT", "run-1-T").ok());  // the take-profit goes
  EXPECT_EQ(venue.open_algo_orders("TESTUSDT").value().size(), 1u);

  // The errors Binance answers.
  const QueryParams stop_on_regular_path = QueryParams{}
                                               .add("symbol", "TESTUSDT")
                                               .add("side", "SELL")
                                               .add("type", "STOP_MARKET")
                                               .add("stopPrice", "90")
                                               .add("closePosition", "true");
  const auto conditional = rest.call("POST", kOrderPath, stop_on_regular_path, Security::kSigned, RequestCost{0, 1});
  ASSERT_FALSE(conditional.ok());
  EXPECT_EQ(conditional.error().venue_code, -4120);
  RestClient forged(http, endpoint, RequestSigner::create(Credentials{ApiKey(kKey), Secret("not-the-secret")}).value(), clock);
  const auto unsigned_right = forged.call("GET", "/fapi/v3/balance", QueryParams{}, Security::kSigned, RequestCost{5, 0});
  ASSERT_FALSE(unsigned_right.ok());
  EXPECT_EQ(unsigned_right.error().venue_code, -1022);
  const venue::SubmitOutcome tiny = venue.submit(venue::OrderRequest{"TESTUSDT", Side::kBuy, venue::OrderType::kMarket, Q("0.001"), Price{}, false, "run-9-E"});
  ASSERT_TRUE(tiny.rejected());
  EXPECT_EQ(tiny.error().venue_code, -4164);

  // Out at market, flat, and the stop canceled after the exit fills.
  ASSERT_TRUE(executor.exit("TESTUSDT", journal::ExitReason::kTimeout).ok());
  ASSERT_TRUE(exchange.advance_to(exchange.now() + Milliseconds{60'000}).ok());
  events.clear();
  for (int wait = 0; wait < 2000 && events.empty(); ++wait) {
    executor.on_events(venue.drain_events(), events);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].trade.exit_reason, journal::ExitReason::kTimeout);
  EXPECT_TRUE(venue.positions().value().empty());
  EXPECT_TRUE(venue.open_algo_orders("TESTUSDT").value().empty());
  EXPECT_FALSE(stream.poll(wall_now()).value());  // the stream held up: nothing missed
}

}  // namespace
}  // namespace winiswin::binance
