// The operations side never changes what the engine decides: two paper runs on one loopback
// venue — one with Discord set and then killed, its ops API flooded (/metrics, /api/*, /health
// and dashboard WebSocket clients) from several threads; one quiet — journal the same
// decisions, refusals and trades.
//
// Why both start paused and are resumed at the same close: paper decisions are a function of
// the bars and the account, but each run's first decision is the first close its streams
// deliver, and two processes started together can straddle a close (the venue's clock runs
// at 150× wall time). The journals hold a pause (as an operator's pause that a restart keeps),
// so until the test resumes both, nothing is entered and both accounts stay as they started;
// both read the venue's whole history (the warm-up covers it), so their indicators agree.
// The test resumes both right after both decided the same close C (a close every 2 s of wall
// time; the resume answers once the decision thread applied it) and compares what they
// journalled for the closes after C up to one both passed.
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <simdjson.h>

#include "journal/sqlite_journal.h"
#include "net/http_client.h"
#include "net/websocket_client.h"
#include "notify/fake_discord.h"
#include "support/child_process.h"
#include "support/loopback_venue_process.h"
#include "support/local_http.h"

namespace winiswin::notify {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kToken = "undisturbed-token";
constexpr Milliseconds kFiveMinutes{300'000};
constexpr int kComparedCloses = 30;

std::vector<std::string> venue_keys() { return {"BINANCE_API_KEY=QuietKey0123456789abcd", "BINANCE_API_SECRET=quiet-secret-0123456789"}; }

// A paper run with --http and a bearer token (so that it can be resumed), on a journal that
// holds a pause.
class PaperRun {
 public:
  PaperRun(const std::filesystem::path& folder, std::string_view name, const std::string& venue_url, std::vector<std::string> environment)
      : journal_(folder / fmt::format("{}.sqlite", name)) {
    {
      auto journal = journal::SqliteJournal::open(journal_);
      EXPECT_TRUE(journal.ok());
      const Timestamp now = std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now());
      if (journal) {
        EXPECT_TRUE((*journal)->control(journal::ControlRecord{now, now, "pause", "", "test", "", true, "paused by the test"}).ok());
      }
    }
    for (std::string& key : venue_keys()) environment.push_back(std::move(key));
    environment.push_back("WINISWIN_HTTP_TOKEN=" + std::string(kToken));
    process_ = std::make_unique<winiswin::testing::ChildProcess>(
        std::vector<std::string>{WINISWIN_BINARY, "--log-level", "warn", "--config", (folder / "config.toml").string(), "run", "--mode", "paper",
                                 "--venue-url", venue_url, "--symbols", "6", "--warmup-bars", "1000", "--journal", journal_.string(), "--http",
                                 "127.0.0.1:0"},
        environment);
  }
  // The ops server's port, from the first line the run prints (0: it did not start).
  std::uint16_t wait_for_port() {
    const auto first = process_->first_line(60s);
    constexpr std::string_view kPrefix = "http: listening on http://127.0.0.1:";
    if (!first || !first->starts_with(kPrefix)) return 0;
    port_ = static_cast<std::uint16_t>(std::stoi(first->substr(kPrefix.size())));
    return port_;
  }
  net::HttpResponse call(std::string target, std::string method = "GET") {
    return winiswin::testing::call_local(http_, port_, std::move(method), std::move(target), kToken);
  }
  // The close last decided, as /api/state says (nullopt before the first).
  std::optional<Timestamp> last_decision() {
    const net::HttpResponse state = call("/api/state");
    simdjson::dom::parser parser;
    std::int64_t ms = 0;
    if (state.status != 200 || parser.parse(state.body)["last_decision"].get_int64().get(ms) != simdjson::SUCCESS) return std::nullopt;
    return timestamp_from_ms(ms);
  }
  int stop() { return process_->stop(SIGTERM); }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] const std::filesystem::path& journal() const { return journal_; }

 private:
  std::filesystem::path journal_;
  std::unique_ptr<winiswin::testing::ChildProcess> process_;
  std::uint16_t port_ = 0;
  net::HttpClient http_;
};

// Clients hammering one run's ops server until destroyed: HTTP loops over every read endpoint
// and dashboard WebSocket clients that connect, authenticate, take a few pushes and go again.
class Flood {
 public:
  explicit Flood(std::uint16_t port) {
    for (int loop = 0; loop < kHttpLoops; ++loop) threads_.emplace_back([this, port, loop] { http_loop(port, loop); });
    for (int loop = 0; loop < kSocketLoops; ++loop) threads_.emplace_back([this, port] { socket_loop(port); });
  }
  ~Flood() {
    stop_ = true;
    for (std::thread& thread : threads_) thread.join();
  }
  [[nodiscard]] std::uint64_t requests() const { return requests_; }
  [[nodiscard]] std::uint64_t pushes() const { return pushes_; }

 private:
  static constexpr int kHttpLoops = 4, kSocketLoops = 4;
  void http_loop(std::uint16_t port, int loop) {
    static constexpr std::array<std::string_view, 10> kTargets{"/metrics",     "/api/state",  "/api/positions", "/api/signals", "/api/virtual",
                                                               "/api/trades?from=2000-01-01", "/api/equity?from=2000-01-01", "/api/events",
                                                               "/api/control", "/health"};
    net::HttpClient http;
    for (std::size_t idx = static_cast<std::size_t>(loop); !stop_; ++idx) {
      net::HttpRequest request;
      request.target = std::string(kTargets[idx % kTargets.size()]);
      request.headers.set("Authorization", "Bearer " + std::string(kToken));
      if (http.send(net::Endpoint{net::Scheme::kHttp, "127.0.0.1", port}, request)) ++requests_;
    }
  }
  void socket_loop(std::uint16_t port) {
    while (!stop_) {
      std::atomic<int> received{0};
      net::WebSocketClientCallbacks callbacks;
      callbacks.on_message = [&](std::string_view, Timestamp) { ++received; };
      auto client = net::WebSocketClient::connect(fmt::format("ws://127.0.0.1:{}/api/stream", port), callbacks);
      if (!client) continue;
      (void)(*client)->send(std::string(kToken));
      for (int wait = 0; wait < 50 && received < 3 && !stop_; ++wait) std::this_thread::sleep_for(20ms);
      pushes_ += static_cast<std::uint64_t>(received.load());
      (*client)->close();
    }
  }

  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> requests_{0}, pushes_{0};
  std::vector<std::thread> threads_;
};

// What a run journalled for the closes in (after, through]: decisions, refusals, and the real
// and virtual trades decided then and closed by `through` (the runs stop at different times).
std::vector<std::string> journalled(const std::filesystem::path& file, Timestamp after, Timestamp through) {
  const auto journal = journal::SqliteJournal::open_read_only(file).value();
  const auto within = [&](Timestamp time) { return time > after && time <= through; };
  std::vector<std::string> rows;
  const std::vector<journal::DecisionRecord> decisions = journal->decisions().value();
  const std::vector<journal::RefusalRecord> refusals = journal->refusals().value();
  for (const journal::DecisionRecord& d : decisions) {
    if (!within(d.decided)) continue;
    rows.push_back(fmt::format("decision {} candidates {} entries {} refused {} virtuals {} state {} equity {:.8f}", format_utc(d.decided),
                               d.candidates, d.entries, d.refused, d.virtuals, risk::name_of(d.state), d.equity));
  }
  for (const journal::RefusalRecord& r : refusals) {
    if (within(r.decided)) rows.push_back(fmt::format("refusal {} {} rank {} {} {}", format_utc(r.decided), r.symbol, r.rank, r.limit, r.reason));
  }
  for (const bool virtuals : {false, true}) {
    const std::vector<journal::TradeRecord> trades = journal->trades(virtuals).value();
    for (const journal::TradeRecord& t : trades) {
      if (!within(t.decided) || t.exit_time > through) continue;
      rows.push_back(fmt::format("{} {} {} rank {} entry {} {} exit {} {} {} pnl {:.8f} qty {}", virtuals ? "virtual" : "trade", t.symbol,
                                 format_utc(t.decided), t.rank, format_utc(t.entry_time), t.entry_price, format_utc(t.exit_time), t.exit_price,
                                 journal::name_of(t.exit_reason), t.pnl, t.quantity));
    }
  }
  return rows;
}

std::size_t count_starting(const std::vector<std::string>& rows, std::string_view prefix) {
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [&](const std::string& row) { return row.starts_with(prefix); }));
}

TEST(UndisturbedDecisions, KillingDiscordAndFloodingTheApiChangeNoDecision) {
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / fmt::format("winiswin_undisturbed_{}", ::getpid());
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "config.toml") << "[strategy]\nmin_confidence = 0.05\n";  // a low bar: trades within the test's minute
  testing::FakeDiscord fake;
  // 2 days of history (576 bars, within the 1000-bar warm-up), a 5m close every 2 s.
  winiswin::testing::LoopbackVenueProcess venue({"--synthetic-count", "6", "--days", "8", "--history-days", "2", "--speed", "150"}, venue_keys());
  ASSERT_FALSE(venue.url().empty()) << "the venue did not start";
  PaperRun disturbed(folder, "disturbed", venue.url(), {"DISCORD_WEBHOOK_URL=" + fake.url("/api/webhooks/78/undisturbed-hook")});
  PaperRun quiet(folder, "quiet", venue.url(), {});
  ASSERT_NE(disturbed.wait_for_port(), 0) << "the disturbed run did not start";
  ASSERT_NE(quiet.wait_for_port(), 0) << "the quiet run did not start";
  auto flood = std::make_unique<Flood>(disturbed.port());

  // Both at the same close, then both resumed before the next one.
  std::optional<Timestamp> common, a, b;
  for (int wait = 0; wait < 1'200 && !common; ++wait) {
    a = disturbed.last_decision();
    b = quiet.last_decision();
    if (a && b && *a == *b) common = a;
    else std::this_thread::sleep_for(25ms);
  }
  ASSERT_TRUE(common.has_value()) << "the two runs never showed the same last close: " << (a ? format_utc(*a) : "none") << " and "
                                  << (b ? format_utc(*b) : "none") << "; " << quiet.call("/api/state").body;
  ASSERT_EQ(disturbed.call("/api/control/resume", "POST").status, 200);
  ASSERT_EQ(quiet.call("/api/control/resume", "POST").status, 200);
  ASSERT_EQ(disturbed.last_decision(), common) << "a close was decided before the resume (the test's race, not the engine's)";
  ASSERT_EQ(quiet.last_decision(), common) << "a close was decided before the resume (the test's race, not the engine's)";

  // Discord dies a third of the way in and stays dead; the flood goes on to the end.
  const Timestamp through = *common + kComparedCloses * kFiveMinutes;
  const auto wait_until = [&](PaperRun& run, Timestamp close) {
    for (int wait = 0; wait < 600; ++wait) {
      if (const auto last = run.last_decision(); last && *last >= close) return true;
      std::this_thread::sleep_for(200ms);
    }
    return false;
  };
  ASSERT_TRUE(wait_until(disturbed, *common + (kComparedCloses / 3) * kFiveMinutes));
  ASSERT_FALSE(fake.delivered().empty()) << "Discord was reached before it was killed";
  fake.stop();
  ASSERT_TRUE(wait_until(disturbed, through));
  ASSERT_TRUE(wait_until(quiet, through));
  const std::uint64_t requests = flood->requests(), pushes = flood->pushes();
  flood.reset();
  EXPECT_EQ(quiet.stop(), 0);
  EXPECT_EQ(disturbed.stop(), 0);
  EXPECT_GT(requests, 1'000u) << "the flood did not flood";
  EXPECT_GT(pushes, 10u) << "no dashboard client was served";

  const std::vector<std::string> expected = journalled(quiet.journal(), *common, through);
  const std::vector<std::string> got = journalled(disturbed.journal(), *common, through);
  EXPECT_EQ(got, expected);
  EXPECT_GE(count_starting(expected, "decision "), 5u) << "too few closes with candidates to compare";
  EXPECT_GE(count_starting(expected, "trade "), 1u) << "no real trade closed within the compared closes";
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace winiswin::notify
