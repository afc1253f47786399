// `winiswin run --mode paper --http 127.0.0.1:0` against the loopback venue (child
// processes, as a user runs them): the ops server's port is printed first, /health answers
// 200 once the run is warm, /metrics parses as Prometheus' text format with the run's
// numbers, and /api/state shows the run as its journal has it.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <simdjson.h>

#include "journal/sqlite_journal.h"
#include "net/http_client.h"
#include "support/child_process.h"
#include "support/loopback_venue_process.h"
#include "support/prometheus_parser.h"
#include "support/local_http.h"

namespace winiswin {
namespace {

using namespace std::chrono_literals;

class RunHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              fmt::format("winiswin_run_http_{}_{}", ::testing::UnitTest::GetInstance()->current_test_info()->name(), ::getpid());
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  static std::vector<std::string> keys() { return {"BINANCE_API_KEY=HttpKey0123456789abcdef", "BINANCE_API_SECRET=http-secret-0123456789"}; }
  void start_venue() {
    venue_ = std::make_unique<testing::LoopbackVenueProcess>(
        std::vector<std::string>{"--synthetic-count", "6", "--days", "8", "--history-days", "4", "--speed", "300"}, keys());
    ASSERT_FALSE(venue_->url().empty()) << "the venue did not start";
    venue_url_ = venue_->url();
  }
  net::HttpResponse get(const std::string& target, const std::string& method = "GET", const std::string& bearer = "") {
    net::HttpResponse response =
        testing::call_local(http_, port_, method, target, bearer.empty() ? std::nullopt : std::optional<std::string_view>(bearer));
    EXPECT_NE(response.status, testing::kNoAnswer) << target << ": " << response.body;
    return response;
  }

  std::filesystem::path folder_;
  std::unique_ptr<testing::LoopbackVenueProcess> venue_;
  std::string venue_url_;
  std::uint16_t port_ = 0;
  net::HttpClient http_;
};

TEST_F(RunHttpTest, APaperRunServesHealthMetricsAndItsState) {
  start_venue();
  const std::filesystem::path journal = folder_ / "paper.sqlite";
  testing::ChildProcess engine({WINISWIN_BINARY, "--log-level", "warn", "run", "--mode", "paper", "--venue-url", venue_url_, "--symbols", "6",
                                "--warmup-bars", "300", "--journal", journal.string(), "--http", "127.0.0.1:0"},
                               keys());
  const auto first = engine.first_line(60s);
  ASSERT_TRUE(first.has_value()) << "the engine printed nothing";
  const std::string prefix = "http: listening on http://127.0.0.1:";
  ASSERT_TRUE(first->starts_with(prefix)) << *first;
  port_ = static_cast<std::uint16_t>(std::stoi(first->substr(prefix.size())));

  // Warm: every check passes and some closes have been decided.
  simdjson::dom::parser parser;
  std::int64_t decisions = 0;
  int health = 0;
  for (int wait = 0; wait < 240 && (health != 200 || decisions < 3); ++wait) {
    std::this_thread::sleep_for(500ms);
    health = get("/health").status;
    const net::HttpResponse state = get("/api/state");
    if (state.status == 200) decisions = parser.parse(state.body)["counters"]["decisions"].get_int64().value();
  }
  ASSERT_EQ(health, 200) << get("/health").body;
  ASSERT_GE(decisions, 3);

  const net::HttpResponse metrics = get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  bool parsed_metrics = false;
  std::string why_not;
  if (testing::prometheus_parser_available(why_not)) {
    const auto parsed = testing::parse_exposition(metrics.body);
    EXPECT_EQ(parsed.exit_code, 0) << parsed.errors;
    parsed_metrics = true;
  } else if (testing::shared_is_required()) {
    ADD_FAILURE() << why_not << " (WINISWIN_REQUIRE_SHARED is set)";
  }
  EXPECT_NE(metrics.body.find("\nwiniswin_symbols 6\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("\nwiniswin_healthy 1\n"), std::string::npos);
  EXPECT_NE(metrics.body.find("\nwiniswin_request_weight_used "), std::string::npos) << "the REST client's weight count";
  EXPECT_NE(metrics.body.find("\nwiniswin_journal_write_latency_seconds_count "), std::string::npos);

  // The state as the engine published it, against its journal (read after the run stops).
  const simdjson::dom::element state = parser.parse(get("/api/state").body).value();
  EXPECT_EQ(std::string_view(state["mode"].get_string().value()), "paper");
  EXPECT_EQ(state["symbols"].get_int64().value(), 6);
  EXPECT_TRUE(state["reconciliation_done"].get_bool().value());
  const std::int64_t shown_decisions = state["counters"]["decisions"].get_int64().value();
  const std::int64_t shown_orders = state["counters"]["orders_sent"].get_int64().value();
  const std::int64_t shown_last = state["last_decision"].get_int64().value();
  const net::HttpResponse trades = get("/api/trades");
  EXPECT_EQ(trades.status, 200) << trades.body;
  EXPECT_EQ(engine.stop(SIGTERM), 0);
  const auto rows = journal::SqliteJournal::open_read_only(journal).value();
  const auto orders = rows->orders().value();
  const auto sent = std::count_if(orders.begin(), orders.end(), [](const journal::OrderRecord& o) { return o.step == journal::OrderStep::kSent; });
  EXPECT_LE(shown_orders, sent) << "every order shown was journalled";
  // Every decision marks the equity at its close (the journal has more: the run went on).
  const auto equity = rows->equity_points().value();
  EXPECT_GE(static_cast<std::int64_t>(equity.size()), shown_decisions);
  const bool last_is_marked = std::any_of(equity.begin(), equity.end(), [&](const journal::EquityPoint& e) { return to_ms(e.time) == shown_last; });
  EXPECT_TRUE(last_is_marked) << "the last decision shown is a close the journal marked";
  if (!parsed_metrics) GTEST_SKIP() << "metrics not parsed: " << why_not;
}

// Live: healthy only once the start-up reconciliation is done; the state says live.
TEST_F(RunHttpTest, ALiveRunIsHealthyAfterItsReconciliation) {
  start_venue();
  testing::ChildProcess engine({WINISWIN_BINARY, "--log-level", "warn", "run", "--mode", "live", "--venue-url", venue_url_, "--symbols", "6",
                                "--warmup-bars", "300", "--journal", (folder_ / "live.sqlite").string(), "--http", "127.0.0.1:0"},
                               keys());
  const auto first = engine.first_line(60s);
  ASSERT_TRUE(first.has_value() && first->starts_with("http: listening on http://127.0.0.1:")) << first.value_or("(nothing)");
  port_ = static_cast<std::uint16_t>(std::stoi(first->substr(first->rfind(':') + 1)));
  int health = 0;
  for (int wait = 0; wait < 240 && health != 200; ++wait) {
    std::this_thread::sleep_for(500ms);
    health = get("/health").status;
  }
  ASSERT_EQ(health, 200) << get("/health").body;
  simdjson::dom::parser parser;
  const simdjson::dom::element state = parser.parse(get("/api/state").body).value();
  EXPECT_EQ(std::string_view(state["mode"].get_string().value()), "live");
  EXPECT_TRUE(state["reconciliation_done"].get_bool().value());
  EXPECT_TRUE(state["venue_reachable"].get_bool().value());
  EXPECT_EQ(engine.stop(SIGTERM), 0);
}

// Control on a paper run: pause and a close of a symbol with no trade, applied by the
// decision thread, shown in the state and metrics, journalled with who; a restart on the same
// journal (control still on) starts paused.
TEST_F(RunHttpTest, APausedPaperRunIsJournalledAndStartsPausedAgain) {
  start_venue();
  const std::filesystem::path journal = folder_ / "paper.sqlite";
  const std::string token = "run-http-control-token";
  std::vector<std::string> environment = keys();
  environment.push_back("WINISWIN_HTTP_TOKEN=" + token);
  const std::vector<std::string> arguments{WINISWIN_BINARY, "--log-level", "warn", "run", "--mode", "paper", "--venue-url", venue_url_,
                                           "--symbols", "6", "--warmup-bars", "300", "--journal", journal.string(), "--http", "127.0.0.1:0"};
  simdjson::dom::parser parser;
  {
    testing::ChildProcess engine(arguments, environment);
    const auto first = engine.first_line(60s);
    ASSERT_TRUE(first.has_value() && first->starts_with("http: listening on http://127.0.0.1:")) << first.value_or("(nothing)");
    port_ = static_cast<std::uint16_t>(std::stoi(first->substr(first->rfind(':') + 1)));
    for (int wait = 0; wait < 240 && get("/api/state", "GET", token).status != 200; ++wait) std::this_thread::sleep_for(500ms);
    const net::HttpResponse paused = get("/api/control/pause", "POST", token);
    ASSERT_EQ(paused.status, 200) << paused.body;
    EXPECT_TRUE(parser.parse(paused.body)["ok"].get_bool().value()) << paused.body;
    EXPECT_TRUE(parser.parse(get("/api/state", "GET", token).body)["paused"].get_bool().value());
    EXPECT_NE(get("/metrics", "GET", token).body.find("\nwiniswin_paused 1\n"), std::string::npos);
    EXPECT_EQ(get("/api/control/close?symbol=NOSUCHUSDT", "POST", token).status, 404);
    EXPECT_EQ(get("/api/control/pause", "POST").status, 401) << "no bearer";
    EXPECT_EQ(engine.stop(SIGTERM), 0);
  }
  {
    const auto rows = journal::SqliteJournal::open_read_only(journal).value();
    const auto actions = rows->control_actions().value();
    ASSERT_EQ(actions.size(), 2u);
    EXPECT_EQ(actions[0].action, "pause");
    EXPECT_TRUE(actions[0].ok);
    EXPECT_TRUE(actions[0].who.starts_with("token:"));
    EXPECT_TRUE(actions[0].remote.starts_with("127.0.0.1:"));
    EXPECT_EQ(actions[1].action, "close");
    EXPECT_EQ(actions[1].symbol, "NOSUCHUSDT");
    EXPECT_FALSE(actions[1].ok);
  }
  testing::ChildProcess again(arguments, environment);
  const auto first = again.first_line(60s);
  ASSERT_TRUE(first.has_value()) << "the engine printed nothing";
  port_ = static_cast<std::uint16_t>(std::stoi(first->substr(first->rfind(':') + 1)));
  net::HttpResponse state(testing::kNoAnswer);
  for (int wait = 0; wait < 240 && state.status != 200; ++wait) {
    std::this_thread::sleep_for(500ms);
    state = get("/api/state", "GET", token);
  }
  ASSERT_EQ(state.status, 200) << *first;
  EXPECT_TRUE(parser.parse(state.body)["paused"].get_bool().value()) << "the journal's pause is kept across the restart";
  const net::HttpResponse resumed = get("/api/control/resume", "POST", token);
  EXPECT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_FALSE(parser.parse(get("/api/state", "GET", token).body)["paused"].get_bool().value());
  EXPECT_EQ(again.stop(SIGTERM), 0);
}

TEST_F(RunHttpTest, ANonLoopbackAddressWithoutATokenIsRefusedBeforeAnythingElse) {
  testing::ChildProcess engine({WINISWIN_BINARY, "run", "--mode", "paper", "--venue-url", "http://127.0.0.1:1", "--journal",
                                (folder_ / "j.sqlite").string(), "--http", "0.0.0.0:0"},
                               {"WINISWIN_HTTP_TOKEN="});
  EXPECT_FALSE(engine.first_line(30s).has_value()) << "nothing on stdout";
  EXPECT_NE(engine.wait(), 0);
  EXPECT_FALSE(std::filesystem::exists(folder_ / "j.sqlite")) << "refused before the journal is opened";
}

}  // namespace
}  // namespace winiswin
