// The ops HTTP server over a real socket: /health, /metrics, the API, the journal read on a
// connection of its own while the engine's stays open, and the bind and token rules.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include <fmt/format.h>
#include <simdjson.h>

#include "journal/sqlite_journal.h"
#include "net/http_client.h"
#include "ops/ops_server.h"
#include "ops/prometheus.h"
#include "support/local_http.h"

namespace winiswin::ops {
namespace {

constexpr Timestamp kDay = timestamp_from_ms(1'767'225'600'000);  // 2026-01-01 00:00 UTC

journal::TradeRecord closed_trade(std::string symbol, Timestamp exit) {
  journal::TradeRecord trade;
  trade.symbol = std::move(symbol);
  trade.decided = exit - Milliseconds{3'600'000};
  trade.entry_time = trade.decided + Milliseconds{1};
  trade.exit_time = exit;
  trade.entry_price = 100.0;
  trade.exit_price = 102.0;
  trade.planned_entry = Price::parse("100").value();
  trade.stop = Price::parse("99").value();
  trade.target = Price::parse("102").value();
  trade.quantity = 1.0;
  trade.pnl = 1.9;
  trade.exit_reason = journal::ExitReason::kTarget;
  return trade;
}

class OpsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              fmt::format("winiswin_ops_{}_{}", ::testing::UnitTest::GetInstance()->current_test_info()->name(), ::getpid());
    std::filesystem::create_directories(folder_);
    engine_journal_ = journal::SqliteJournal::open(folder_ / "journal.sqlite").value();  // the engine's, left open
    ASSERT_TRUE(engine_journal_->trade(closed_trade("BTCUSDT", kDay + Milliseconds{3'600'000})).ok());
    ASSERT_TRUE(engine_journal_->trade(closed_trade("ETHUSDT", kDay + Milliseconds{86'400'000})).ok());
    ASSERT_TRUE(engine_journal_->equity(journal::EquityPoint{kDay, 10'000.0, risk::TradingState::kNormal}).ok());
    ASSERT_TRUE(engine_journal_->equity(journal::EquityPoint{kDay + Milliseconds{300'000}, 10'001.5, risk::TradingState::kNormal}).ok());
  }
  void TearDown() override {
    server_.reset();
    engine_journal_.reset();
    std::filesystem::remove_all(folder_);
  }
  void start(OpsServerOptions options = {}) {
    options.journal = folder_ / "journal.sqlite";
    server_ = std::make_unique<OpsServer>(options, board_);
    ASSERT_TRUE(server_->start().ok());
    ASSERT_NE(server_->port(), 0);
  }
  net::HttpResponse get(const std::string& target, std::optional<std::string> bearer = std::nullopt, std::string method = "GET") {
    net::HttpResponse response = testing::call_local(http_, server_->port(), std::move(method), target, bearer);
    EXPECT_NE(response.status, testing::kNoAnswer) << response.body;
    return response;
  }
  void publish_warm() {
    StatusSnapshot status;
    status.mode = "paper";
    status.equity = 10'001.5;
    status.decisions = 3;
    status.reconciliation_done = true;
    OpenPositionView position;
    position.symbol = "SOLUSDT";
    position.side = Side::kSell;
    position.filled = true;
    position.stop = 151.5;
    position.target = 140.25;
    status.positions.push_back(position);
    RankedSignalView signal;
    signal.symbol = "SOLUSDT";
    signal.rank = 1;
    signal.real = true;
    signal.components.trend = 0.75;
    status.signals.push_back(signal);
    status.virtuals.push_back(VirtualPositionView{"XRPUSDT", Side::kBuy, kDay, 0.5, 0.49, 0.53, 2});
    board_.publish(status);
    const Timestamp now = std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now());
    board_.beat(now);
    board_.market_data_received(now);
  }

  std::filesystem::path folder_;
  std::unique_ptr<journal::SqliteJournal> engine_journal_;
  StatusBoard board_;
  std::unique_ptr<OpsServer> server_;
  net::HttpClient http_;
  simdjson::dom::parser parser_;
};

TEST_F(OpsServerTest, HealthIs503WhileStartingAnd200OnceWarm) {
  start();
  const net::HttpResponse starting = get("/health");
  EXPECT_EQ(starting.status, 503);
  EXPECT_EQ(parser_.parse(starting.body)["failing"].get_array().size(), 6u) << starting.body;
  EXPECT_EQ(get("/api/state").status, 503) << "no status published yet";
  publish_warm();
  const net::HttpResponse warm = get("/health");
  EXPECT_EQ(warm.status, 200) << warm.body;
  EXPECT_EQ(std::string_view(parser_.parse(warm.body)["status"].get_string().value()), "ok");
}

TEST_F(OpsServerTest, MetricsAreTheTextFormat) {
  start();
  publish_warm();
  const net::HttpResponse metrics = get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.headers.find("Content-Type").value_or(""), kPrometheusContentType);
  EXPECT_NE(metrics.body.find("\nwiniswin_equity_usdt 10001.5\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("\nprocess_resident_memory_bytes "), std::string::npos) << "read from /proc/self";
}

// Scrapes within metrics_max_age get the text rendered first (no timing: an hour, then zero).
TEST_F(OpsServerTest, MetricsAreRenderedAtMostOncePerInterval) {
  OpsServerOptions options;
  options.metrics_max_age = std::chrono::hours(1);
  start(options);
  publish_warm();
  const std::string first = get("/metrics").body;
  StatusSnapshot changed;
  changed.equity = 12'345.0;
  board_.publish(changed);
  EXPECT_EQ(get("/metrics").body, first) << "served from the rendered text";
  server_.reset();
  options.metrics_max_age = Milliseconds{0};
  start(options);
  EXPECT_NE(get("/metrics").body.find("\nwiniswin_equity_usdt 12345\n"), std::string::npos) << "rendered anew";
}

TEST_F(OpsServerTest, TheApiShowsThePublishedStatus) {
  start();
  publish_warm();
  const simdjson::dom::element state = parser_.parse(get("/api/state").body).value();
  EXPECT_EQ(std::string_view(state["mode"].get_string().value()), "paper");
  EXPECT_EQ(state["counters"]["decisions"].get_int64().value(), 3);
  EXPECT_EQ(state["open_positions"].get_int64().value(), 1);
  const simdjson::dom::element positions = parser_.parse(get("/api/positions").body).value();
  EXPECT_EQ(std::string_view(positions.at(0)["symbol"].get_string().value()), "SOLUSDT");
  EXPECT_DOUBLE_EQ(positions.at(0)["stop"].get_double().value(), 151.5);
  EXPECT_DOUBLE_EQ(positions.at(0)["target"].get_double().value(), 140.25);
  const simdjson::dom::element signals = parser_.parse(get("/api/signals").body).value();
  EXPECT_DOUBLE_EQ(signals["signals"].at(0)["components"]["trend"].get_double().value(), 0.75);
  EXPECT_TRUE(signals["signals"].at(0)["ml_probability"].is_null());
  const simdjson::dom::element virtuals = parser_.parse(get("/api/virtual").body).value();
  EXPECT_EQ(std::string_view(virtuals.at(0)["symbol"].get_string().value()), "XRPUSDT");
}

TEST_F(OpsServerTest, TradesAndEquityComeFromTheJournalWhileTheEngineHoldsIt) {
  start();
  const simdjson::dom::element all = parser_.parse(get("/api/trades").body).value();
  EXPECT_EQ(all.get_array().size(), 2u);
  const simdjson::dom::element later = parser_.parse(get("/api/trades?from=2026-01-01%2012:00").body).value();
  ASSERT_EQ(later.get_array().size(), 1u);
  EXPECT_EQ(std::string_view(later.at(0)["symbol"].get_string().value()), "ETHUSDT");
  // A row the engine writes now is read by the next request.
  ASSERT_TRUE(engine_journal_->trade(closed_trade("XRPUSDT", kDay + Milliseconds{90'000'000})).ok());
  EXPECT_EQ(parser_.parse(get("/api/trades?from=2026-01-01+12:00").body).get_array().size(), 2u);
  const simdjson::dom::element equity = parser_.parse(get("/api/equity?from=2026-01-01%2000:01").body).value();
  ASSERT_EQ(equity.get_array().size(), 1u);
  EXPECT_DOUBLE_EQ(equity.at(0)["equity"].get_double().value(), 10'001.5);
  ASSERT_TRUE(engine_journal_->refusal(journal::RefusalRecord{kDay, "DOGEUSDT", 2, "max_open_positions", "3 of 3 open"}).ok());
  const simdjson::dom::element events = parser_.parse(get("/api/events").body).value();
  EXPECT_EQ(std::string_view(events["refusals"].at(0)["symbol"].get_string().value()), "DOGEUSDT");
  EXPECT_EQ(events["transitions"].get_array().size(), 0u);
  const net::HttpResponse bad = get("/api/trades?from=yesterday");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("from=yesterday"), std::string::npos) << bad.body;
}

TEST_F(OpsServerTest, UnknownPathsAndMethodsAreRefused) {
  start();
  EXPECT_EQ(get("/nope").status, 404);
  EXPECT_EQ(get("/api/nope").status, 503);  // no status yet: the API is not up
  publish_warm();
  EXPECT_EQ(get("/api/nope").status, 404);
  EXPECT_EQ(get("/health", std::nullopt, "POST").status, 405);
}

TEST_F(OpsServerTest, ATokenGuardsTheApiAndMetricsButNotHealth) {
  OpsServerOptions options;
  options.token = "s3cret-token";
  start(options);
  publish_warm();
  EXPECT_EQ(get("/health").status, 200);
  EXPECT_EQ(get("/metrics").status, 401);
  EXPECT_EQ(get("/api/state").status, 401);
  EXPECT_EQ(get("/api/state", "wrong-token!").status, 401);
  EXPECT_EQ(get("/api/state", "s3cret-tok").status, 401) << "a prefix of the token is not the token";
  EXPECT_EQ(get("/api/state", "s3cret-token").status, 200);
  EXPECT_EQ(get("/metrics", "s3cret-token").status, 200);
}

TEST(OpsBindPolicy, LoopbackIsFreeAnyOtherAddressNeedsAToken) {
  OpsServerOptions options;
  ASSERT_TRUE(parse_listen_address("127.0.0.1:9100", options).ok());
  EXPECT_EQ(options.host, "127.0.0.1");
  EXPECT_EQ(options.port, 9100);
  EXPECT_TRUE(check_bind_policy(options).ok());
  ASSERT_TRUE(parse_listen_address("0.0.0.0:0", options).ok());
  const Status refused = check_bind_policy(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("WINISWIN_HTTP_TOKEN"), std::string::npos) << refused.error().message;
  options.token = "";
  EXPECT_FALSE(check_bind_policy(options).ok()) << "an empty token is no token";
  options.token = "t";
  EXPECT_TRUE(check_bind_policy(options).ok());
  StatusBoard board;
  OpsServerOptions open_options;
  open_options.host = "0.0.0.0";
  OpsServer server(open_options, board);
  EXPECT_FALSE(server.start().ok()) << "start() applies the policy itself";
  ASSERT_TRUE(parse_listen_address("[::1]:8080", options).ok());
  EXPECT_EQ(options.host, "::1");
  ASSERT_TRUE(parse_listen_address("localhost:8080", options).ok());
  EXPECT_EQ(options.host, "127.0.0.1");
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", ":80", "127.0.0.1:99999", "127.0.0.1:8o"}) {
    EXPECT_FALSE(parse_listen_address(bad, options).ok()) << bad;
  }
}

}  // namespace
}  // namespace winiswin::ops
