// `winiswin run --mode paper` with Discord configured, against the loopback venue and a fake
// Discord (child processes, as an operator runs them): the run's messages reach the webhook;
// with the fake killed the engine keeps deciding and what it posted meanwhile arrives once the
// fake is back; slash commands signed with the test's own key are answered over --http with
// the run's state; a stranger is refused.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <simdjson.h>

#include "journal/sqlite_journal.h"
#include "net/http_client.h"
#include "notify/discord_signer.h"
#include "notify/fake_discord.h"
#include "support/child_process.h"
#include "support/loopback_venue_process.h"
#include "support/run_winiswin.h"
#include "support/local_http.h"

namespace winiswin::notify {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kOperator = "80351110224678912";
constexpr std::string_view kWebhookToken = "e2eHOOK-s3cr3t";

std::vector<std::string> venue_keys() { return {"BINANCE_API_KEY=DiscordKey0123456789abcd", "BINANCE_API_SECRET=discord-secret-0123456789"}; }

std::string content_of(const std::string& body) {
  simdjson::dom::parser parser;
  std::string_view content;
  if (parser.parse(body)["content"].get_string().get(content) != simdjson::SUCCESS) return {};
  return std::string(content);
}

std::vector<std::string> delivered_texts(const testing::FakeDiscord& fake) {
  std::vector<std::string> texts;
  for (const auto& request : fake.delivered()) texts.push_back(content_of(request.body));
  return texts;
}

std::size_t count_starting(const std::vector<std::string>& texts, std::string_view prefix) {
  return static_cast<std::size_t>(std::count_if(texts.begin(), texts.end(), [&](const std::string& text) { return text.starts_with(prefix); }));
}

class DiscordRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              fmt::format("winiswin_discord_run_{}_{}", ::testing::UnitTest::GetInstance()->current_test_info()->name(), ::getpid());
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  net::HttpResponse call(net::HttpRequest request) {
    net::HttpResponse response = winiswin::testing::answer_or_none(http_.send(net::Endpoint{net::Scheme::kHttp, "127.0.0.1", port_}, request));
    EXPECT_NE(response.status, winiswin::testing::kNoAnswer) << request.target << ": " << response.body;
    return response;
  }
  std::int64_t decisions() {
    net::HttpRequest request;
    request.target = "/api/state";
    const net::HttpResponse state = call(request);
    if (state.status != 200) return -1;
    simdjson::dom::parser parser;
    std::int64_t count = -1;
    if (parser.parse(state.body)["counters"]["decisions"].get_int64().get(count) != simdjson::SUCCESS) return -1;
    return count;
  }
  bool wait_for_decisions(std::int64_t at_least) {
    for (int wait = 0; wait < 240; ++wait) {
      if (decisions() >= at_least) return true;
      std::this_thread::sleep_for(500ms);
    }
    return false;
  }
  // An unlabelled sample's value in /metrics (-1 when absent).
  double metric(std::string_view name) {
    net::HttpRequest request;
    request.target = "/metrics";
    const std::string text = call(request).body;
    const std::string line_start = "\n" + std::string(name) + " ";
    const std::size_t at = text.find(line_start);
    return at == std::string::npos ? -1.0 : std::stod(text.substr(at + line_start.size()));
  }
  std::string slash(std::string_view name, std::string_view user) {
    net::HttpRequest request;
    request.method = "POST";
    request.target = "/discord/interactions";
    request.body = testing::slash_command(name, user);
    request.headers = signer_.headers_for(request.body);
    const net::HttpResponse response = call(request);
    EXPECT_EQ(response.status, 200) << response.body;
    simdjson::dom::parser parser;
    std::string_view content;
    if (parser.parse(response.body)["data"]["content"].get_string().get(content) != simdjson::SUCCESS) return {};
    return std::string(content);
  }

  std::filesystem::path folder_;
  testing::DiscordSigner signer_;
  net::HttpClient http_;
  std::uint16_t port_ = 0;
};

TEST_F(DiscordRunTest, APaperRunNotifiesRidesOutAnOutageAndAnswersSlashCommands) {
  testing::FakeDiscord fake;
  // Children inherit the test's open sockets (ChildProcess closes none before exec): the fake is
  // down while they start, or the engine would keep its listening socket alive through the outage.
  fake.stop();
  winiswin::testing::LoopbackVenueProcess venue({"--synthetic-count", "6", "--days", "8", "--history-days", "4", "--speed", "3000"}, venue_keys());
  ASSERT_FALSE(venue.url().empty()) << "the venue did not start";
  const std::filesystem::path journal = folder_ / "paper.sqlite";
  std::vector<std::string> environment = venue_keys();
  environment.push_back("DISCORD_WEBHOOK_URL=" + fake.url("/api/webhooks/77/" + std::string(kWebhookToken)));
  environment.push_back("DISCORD_PUBLIC_KEY=" + signer_.public_key_hex());
  environment.push_back("DISCORD_ALLOWED_USERS=" + std::string(kOperator));
  // A low bar to rank, so that the run trades within the test's minute.
  std::ofstream(folder_ / "config.toml") << "[strategy]\nmin_confidence = 0.05\n";
  winiswin::testing::ChildProcess engine({WINISWIN_BINARY, "--log-level", "warn", "--config", (folder_ / "config.toml").string(), "run", "--mode", "paper", "--venue-url", venue.url(), "--symbols",
                                          "6", "--journal", journal.string(), "--http", "127.0.0.1:0"},
                                         environment);
  fake.start();  // its port again
  const auto first = engine.first_line(60s);
  ASSERT_TRUE(first && first->starts_with("http: listening on http://127.0.0.1:")) << first.value_or("(nothing)");
  port_ = static_cast<std::uint16_t>(std::stoi(first->substr(first->rfind(':') + 1)));

  ASSERT_TRUE(fake.wait_for_delivered(1, 60s)) << "no message reached the fake Discord";
  EXPECT_EQ(delivered_texts(fake).front(), "▶️ **winiswin paper started**: 6 symbols watched");
  ASSERT_TRUE(wait_for_decisions(2));

  // Discord goes away: the engine goes on deciding.
  fake.stop();
  const std::int64_t before_outage = decisions();
  ASSERT_TRUE(wait_for_decisions(before_outage + 60)) << "the engine stopped deciding while Discord was down";

  // Slash commands, answered from the run's snapshot (Discord's outage is no matter here).
  const std::string status = slash("status", kOperator);
  EXPECT_NE(status.find("winiswin paper"), std::string::npos) << status;
  EXPECT_NE(status.find("symbols watched 6"), std::string::npos) << status;
  EXPECT_NE(status.find("MiB resident"), std::string::npos) << status;
  const std::string balance = slash("balance", kOperator);
  EXPECT_NE(balance.find("USDT** (paper)"), std::string::npos) << balance;
  const std::string refused = slash("balance", "999");
  EXPECT_NE(refused.find("not allowed"), std::string::npos) << refused;
  // The notifier's counters in /metrics: the start message went out before the outage.
  EXPECT_GE(metric("winiswin_notifications_delivered_total"), 1.0);
  EXPECT_GE(metric("winiswin_notifications_queued_total"), metric("winiswin_notifications_delivered_total"));
  EXPECT_GE(metric("winiswin_notification_queue_depth"), 0.0);
  EXPECT_GT(metric("winiswin_notification_last_delivered_timestamp_seconds"), 1.7e9);

  fake.start();
  ASSERT_EQ(engine.stop(SIGTERM), 0);

  // What the run posted, during the outage too, arrived; one message per trade it closed.
  const std::vector<std::string> texts = delivered_texts(fake);
  ASSERT_FALSE(texts.empty());
  EXPECT_TRUE(texts.back().starts_with("⏹️ **winiswin paper stopped** after ")) << texts.back();
  const auto rows = journal::SqliteJournal::open_read_only(journal).value();
  EXPECT_EQ(count_starting(texts, "✅ **Closed") + count_starting(texts, "❌ **Closed"), rows->trades().value().size());
  for (const auto& request : fake.received()) EXPECT_EQ(request.body.find(kWebhookToken), std::string::npos);
}

// The daily report at UTC midnight, end to end: a paper run on a replay in the bars' own times
// (2026-01-02 12:00 on) whose 5m closes cross 00:00 UTC once. The fake Discord receives exactly
// one daily report, for 2026-01-02, with that day's figures as the journal holds them: the
// trades that closed that day, their PnL, and the equity at the day's last mark.
TEST_F(DiscordRunTest, ThePaperRunReportsTheDayOnceItsClosesCrossUtcMidnight) {
  testing::FakeDiscord fake;
  fake.stop();  // down while the children start (they would inherit its listening socket)
  winiswin::testing::LoopbackVenueProcess venue(
      {"--synthetic-count", "4", "--days", "3", "--history-days", "1.5", "--speed", "3000", "--as-recorded"}, venue_keys());
  ASSERT_FALSE(venue.url().empty()) << "the venue did not start";
  const std::filesystem::path journal = folder_ / "paper.sqlite";
  std::vector<std::string> environment = venue_keys();
  environment.push_back("DISCORD_WEBHOOK_URL=" + fake.url("/api/webhooks/77/" + std::string(kWebhookToken)));
  std::ofstream(folder_ / "config.toml") << "[strategy]\nmin_confidence = 0.05\n";
  // 170 closes from about 12:00: past midnight, short of the next one.
  winiswin::testing::ChildProcess engine({WINISWIN_BINARY, "--log-level", "warn", "--config", (folder_ / "config.toml").string(), "run", "--mode",
                                          "paper", "--venue-url", venue.url(), "--symbols", "4", "--journal", journal.string(),
                                          "--max-decisions", "170"},
                                         environment);
  fake.start();
  ASSERT_EQ(engine.wait(), 0);

  const auto rows = journal::SqliteJournal::open_read_only(journal).value();
  const std::vector<journal::EquityPoint> marks = rows->equity_points().value();
  ASSERT_FALSE(marks.empty());
  const Timestamp midnight = timestamp_from_ms(1'767'398'400'000);  // 2026-01-03 00:00 UTC
  ASSERT_LT(marks.front().time, midnight);
  ASSERT_GT(marks.back().time, midnight);
  ASSERT_LT(marks.back().time, midnight + Milliseconds{86'400'000});
  int trades = 0;
  double pnl = 0.0;
  const std::vector<journal::TradeRecord> closed = rows->trades().value();
  for (const journal::TradeRecord& trade : closed) {
    if (trade.exit_time >= midnight) continue;
    ++trades;
    pnl += trade.pnl;
  }
  ASSERT_GT(trades, 0) << "the test needs a trade closed on the reported day";
  const auto last_of_day = std::find_if(marks.rbegin(), marks.rend(), [&](const journal::EquityPoint& mark) { return mark.time < midnight; });

  const std::vector<std::string> texts = delivered_texts(fake);
  ASSERT_EQ(count_starting(texts, "📊 **Daily report"), 1u) << fmt::format("{}", fmt::join(texts, "\n"));
  const std::string report = *std::find_if(texts.begin(), texts.end(), [](const std::string& text) { return text.starts_with("📊"); });
  EXPECT_TRUE(report.starts_with(fmt::format("📊 **Daily report 2026-01-02**\ntrades {} · ", trades))) << report;
  EXPECT_NE(report.find(fmt::format("PnL {:+.2f} USDT", pnl)), std::string::npos) << report;
  EXPECT_NE(report.find(fmt::format("equity {:.2f} USDT", last_of_day->equity)), std::string::npos) << report;
}

// `winiswin discord register` as an operator types it, against the fake: the token and the
// application id from the environment, never echoed.
TEST(DiscordRegisterCommand, RegistersTheCommandsInTheGuild) {
  testing::FakeDiscord fake;
  fake.set_success(testing::FakeDiscord::reply(200, R"([{"id":"1","name":"balance"},{"id":"2","name":"positions"},{"id":"3","name":"status"}])"));
  const std::string token = "cli-register-s3cr3t";
  const std::string arguments = "discord register --guild 4242 --api-base " + fake.url("/api/v10");
  const auto done = winiswin::testing::run_winiswin(arguments, "DISCORD_TOKEN=" + token + " DISCORD_APPLICATION_ID=777");
  EXPECT_EQ(done.exit_code, 0) << done.output;
  EXPECT_NE(done.output.find("discord: 3 commands registered in guild 4242"), std::string::npos) << done.output;
  ASSERT_EQ(fake.received().size(), 1u);
  EXPECT_EQ(fake.received()[0].target, "/api/v10/applications/777/guilds/4242/commands");

  fake.script(testing::FakeDiscord::reply(403, R"({"message":"Missing Access","code":50001})"));
  const auto refused = winiswin::testing::run_winiswin(arguments, "DISCORD_TOKEN=" + token + " DISCORD_APPLICATION_ID=777");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("HTTP 403"), std::string::npos) << refused.output;
  EXPECT_EQ(refused.output.find(token), std::string::npos) << refused.output;

  const auto unset = winiswin::testing::run_winiswin(arguments, "env -u DISCORD_TOKEN DISCORD_APPLICATION_ID=777");
  EXPECT_EQ(unset.exit_code, 1);
  EXPECT_NE(unset.output.find("DISCORD_TOKEN"), std::string::npos) << unset.output;
  EXPECT_EQ(fake.received().size(), 2u);  // nothing sent without a token
}

// A misspelt Discord setting stops `run` before it trades, and the message keeps the secret.
TEST(DiscordRunSettings, AMalformedWebhookStopsTheRunAtStartWithoutShowingIt) {
  const std::string secret = "start-s3cr3t-webhook-token";
  const auto done = winiswin::testing::run_winiswin("run --mode paper --venue-url http://127.0.0.1:1 --max-decisions 1 --journal /dev/null",
                                                     "DISCORD_WEBHOOK_URL=http://discord.com/api/webhooks/1/" + secret);
  EXPECT_EQ(done.exit_code, 1);
  EXPECT_NE(done.output.find("DISCORD_WEBHOOK_URL must be https"), std::string::npos) << done.output;
  EXPECT_EQ(done.output.find(secret), std::string::npos) << done.output;
}

}  // namespace
}  // namespace winiswin::notify
