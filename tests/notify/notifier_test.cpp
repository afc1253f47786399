// The notifier against a local fake of Discord: delivery by webhook and by bot, 429s waited
// out, 5xx retried, refusals dropped, an outage queued and delivered when Discord returns,
// overflow dropping routine messages first — and no secret in any log line or error.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include <simdjson.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "notify/notifier.h"
#include "notify/retry_policy.h"
#include "notify/fake_discord.h"

namespace winiswin::notify {
namespace {

using testing::FakeDiscord;
using testing::ReceivedRequest;

constexpr std::string_view kWebhookToken = "hookTOKEN-s3cr3t_abcdefghijklmnop";
constexpr std::string_view kBotToken = "MTIzNDU2.bot-s3cr3t.token";

Environment environment_of(std::map<std::string, std::string> values) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(values));
  return [shared](const char* name) -> const char* {
    const auto found = shared->find(name);
    return found == shared->end() ? nullptr : found->second.c_str();
  };
}

DiscordDelivery webhook_to(const FakeDiscord& fake) {
  auto delivery = delivery_from_environment(environment_of({{"DISCORD_WEBHOOK_URL", fake.url("/api/webhooks/123/" + std::string(kWebhookToken))}}));
  EXPECT_TRUE(delivery.ok() && delivery->has_value());
  return **delivery;
}

NotifierOptions quick_options() {
  NotifierOptions options;
  options.first_backoff = Milliseconds{20};
  options.max_backoff = Milliseconds{100};
  options.drain_on_stop = Milliseconds{2'000};
  return options;
}

std::string content_of(const std::string& body) {
  simdjson::dom::parser parser;
  std::string_view content;
  if (parser.parse(body)["content"].get_string().get(content) != simdjson::SUCCESS) return "<no content>";
  return std::string(content);
}

// Waits (bounded) until the notifier has failed at least once against a Discord that is down.
bool wait_for_a_failed_attempt(const Notifier& notifier) {
  for (int wait = 0; wait < 3'000 && notifier.stats().retries == 0; ++wait) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return notifier.stats().retries > 0;
}

// Every log line of the test's scope, captured from the default logger.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    auto logger = std::make_shared<spdlog::logger>("captured", sink);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  [[nodiscard]] std::string text() const { return stream_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream stream_;
};

TEST(Notifier, DeliversThroughTheWebhookInOrder) {
  FakeDiscord fake;
  Notifier notifier(webhook_to(fake), quick_options());
  notifier.start();
  for (const char* text : {"first", "second", "third"}) ASSERT_TRUE(notifier.post(Importance::kMatters, text));
  ASSERT_TRUE(fake.wait_for_delivered(3));
  const auto delivered = fake.delivered();
  EXPECT_EQ(delivered[0].method, "POST");
  EXPECT_EQ(delivered[0].target, "/api/webhooks/123/" + std::string(kWebhookToken) + "?wait=true");
  EXPECT_EQ(content_of(delivered[0].body), "first");
  EXPECT_EQ(content_of(delivered[1].body), "second");
  EXPECT_EQ(content_of(delivered[2].body), "third");
  EXPECT_NE(delivered[0].body.find(R"("allowed_mentions":{"parse":[]})"), std::string::npos) << delivered[0].body;
  EXPECT_FALSE(delivered[0].headers.contains("Authorization"));
  notifier.stop();
  EXPECT_EQ(notifier.stats().delivered, 3u);
}

TEST(Notifier, BotPostsToTheChannelWithItsTokenAndANonce) {
  FakeDiscord fake;
  auto delivery = delivery_from_environment(environment_of(
      {{"DISCORD_TOKEN", std::string(kBotToken)}, {"DISCORD_CHANNEL_ID", "424242"}, {"DISCORD_API_BASE", fake.url("/api/v10")}}));
  ASSERT_TRUE(delivery.ok() && delivery->has_value()) << (delivery ? "" : delivery.error().message);
  Notifier notifier(**delivery, quick_options());
  notifier.start();
  ASSERT_TRUE(notifier.post(Importance::kMatters, "hello channel"));
  ASSERT_TRUE(fake.wait_for_delivered(1));
  const ReceivedRequest request = fake.delivered()[0];
  EXPECT_EQ(request.target, "/api/v10/channels/424242/messages");
  EXPECT_EQ(request.headers.find("Authorization").value_or(""), "Bot " + std::string(kBotToken));
  EXPECT_EQ(content_of(request.body), "hello channel");
  EXPECT_NE(request.body.find(R"("enforce_nonce":true)"), std::string::npos) << request.body;
  // Another notifier (a restart) never reuses a nonce: Discord would drop the message.
  const auto nonce_of = [](const std::string& body) {
    simdjson::dom::parser parser;
    std::string_view nonce;
    return parser.parse(body)["nonce"].get_string().get(nonce) == simdjson::SUCCESS ? std::string(nonce) : std::string();
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the nonce counts from the start's millisecond
  Notifier restarted(**delivery, quick_options());
  restarted.start();
  ASSERT_TRUE(restarted.post(Importance::kMatters, "after a restart"));
  ASSERT_TRUE(fake.wait_for_delivered(2));
  const std::string first_nonce = nonce_of(fake.delivered()[0].body), second_nonce = nonce_of(fake.delivered()[1].body);
  EXPECT_FALSE(first_nonce.empty());
  EXPECT_LE(first_nonce.size(), 25u);  // Discord's limit
  EXPECT_NE(first_nonce, second_nonce);
}

TEST(Notifier, WaitsOutA429ThenDelivers) {
  FakeDiscord fake;
  net::HttpResponse limited = FakeDiscord::reply(429, R"({"message":"You are being rate limited.","retry_after":0.05,"global":false})");
  limited.headers.set("Retry-After", "0.05");
  fake.script(limited);
  Notifier notifier(webhook_to(fake), quick_options());
  notifier.start();
  ASSERT_TRUE(notifier.post(Importance::kMatters, "after the limit"));
  ASSERT_TRUE(fake.wait_for_delivered(1));
  EXPECT_EQ(fake.received().size(), 2u);  // the refused attempt, then the same message again
  EXPECT_EQ(content_of(fake.delivered()[0].body), "after the limit");
  notifier.stop();
  EXPECT_EQ(notifier.stats().rate_limited, 1u);
  EXPECT_EQ(notifier.stats().delivered, 1u);
}

TEST(Notifier, RetriesServerErrorsWithTheSameMessage) {
  FakeDiscord fake;
  for (int status : {500, 502, 503}) fake.script(FakeDiscord::reply(status));
  Notifier notifier(webhook_to(fake), quick_options());
  notifier.start();
  ASSERT_TRUE(notifier.post(Importance::kMatters, "persistent"));
  ASSERT_TRUE(fake.wait_for_delivered(1));
  const auto received = fake.received();
  ASSERT_EQ(received.size(), 4u);
  for (const auto& request : received) EXPECT_EQ(content_of(request.body), "persistent");
  notifier.stop();
  EXPECT_EQ(notifier.stats().retries, 3u);
}

// What /metrics shows: the counters the notifier keeps, with the time of the last delivery.
TEST(Notifier, CountersForMetricsSayWhatWentOutAndWhen) {
  FakeDiscord fake;
  fake.script(FakeDiscord::reply(503));
  fake.script(FakeDiscord::reply(404, R"({"message":"Unknown Webhook","code":10015})"));
  Notifier notifier(webhook_to(fake), quick_options());
  EXPECT_FALSE(notifier.counters().last_delivered.has_value());
  const Timestamp before = std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now());
  notifier.start();
  ASSERT_TRUE(notifier.post(Importance::kMatters, "retried, then refused"));
  ASSERT_TRUE(notifier.post(Importance::kRoutine, "delivered"));
  ASSERT_TRUE(fake.wait_for_delivered(1));
  notifier.stop();
  const ops::NotificationCounters counters = notifier.counters();
  EXPECT_EQ(counters.queued, 2u);
  EXPECT_EQ(counters.delivered, 1u);
  EXPECT_EQ(counters.retries, 1u);
  EXPECT_EQ(counters.refused, 1u);
  EXPECT_EQ(counters.queue_depth, 0u);
  EXPECT_EQ(counters.dropped_routine + counters.dropped_matters, 0u);
  ASSERT_TRUE(counters.last_delivered.has_value());
  EXPECT_GE(*counters.last_delivered, before);
}

TEST(Notifier, DropsAMessageDiscordRefusesAndGoesOn) {
  FakeDiscord fake;
  fake.script(FakeDiscord::reply(404, R"({"message":"Unknown Webhook","code":10015})"));
  Notifier notifier(webhook_to(fake), quick_options());
  notifier.start();
  ASSERT_TRUE(notifier.post(Importance::kMatters, "refused"));
  ASSERT_TRUE(notifier.post(Importance::kMatters, "next"));
  ASSERT_TRUE(fake.wait_for_delivered(1));
  EXPECT_EQ(content_of(fake.delivered()[0].body), "next");
  notifier.stop();
  EXPECT_EQ(notifier.stats().refused, 1u);
  EXPECT_EQ(fake.received().size(), 2u);
}

TEST(Notifier, AnOutageQueuesMessagesAndDeliversThemWhenDiscordReturns) {
  FakeDiscord fake;
  Notifier notifier(webhook_to(fake), quick_options());
  notifier.start();
  fake.stop();  // connections are refused from here on
  std::vector<std::string> texts;
  for (int idx = 0; idx < 5; ++idx) {
    texts.push_back(fmt::format("during the outage {}", idx));
    EXPECT_TRUE(notifier.post(Importance::kMatters, texts.back()));  // the poster is never held up
  }
  EXPECT_TRUE(wait_for_a_failed_attempt(notifier));
  fake.start();
  ASSERT_TRUE(fake.wait_for_delivered(5));
  const auto delivered = fake.delivered();
  for (std::size_t idx = 0; idx < texts.size(); ++idx) EXPECT_EQ(content_of(delivered[idx].body), texts[idx]);
}

TEST(Notifier, OverflowDuringAnOutageDropsRoutineMessagesFirst) {
  CapturedLog log;
  FakeDiscord fake;
  NotifierOptions options = quick_options();
  options.capacity = 4;
  Notifier notifier(webhook_to(fake), options);
  notifier.start();
  fake.stop();
  std::vector<std::string> matters;
  const auto post_matters = [&] {
    matters.push_back(fmt::format("trade {}", matters.size()));
    notifier.post(Importance::kMatters, matters.back());
  };
  post_matters();
  post_matters();
  for (int idx = 0; idx < 6; ++idx) notifier.post(Importance::kRoutine, fmt::format("routine {}", idx));
  post_matters();
  post_matters();
  const NotifierStats during = notifier.stats();
  EXPECT_GE(during.queue.dropped_routine, 4u);
  EXPECT_NE(log.text().find("discord: the queue is full"), std::string::npos) << log.text();
  EXPECT_EQ(during.queue.dropped_matters, 0u);
  fake.start();
  ASSERT_TRUE(fake.wait_for_delivered(matters.size()));
  notifier.stop();
  std::vector<std::string> delivered_matters;
  for (const auto& request : fake.delivered()) {
    const std::string text = content_of(request.body);
    if (text.starts_with("trade")) delivered_matters.push_back(text);
  }
  EXPECT_EQ(delivered_matters, matters);
}

TEST(Notifier, StopGivesUpOnAnUnreachableDiscordAndCountsWhatWasLeft) {
  FakeDiscord fake;
  fake.stop();
  NotifierOptions options = quick_options();
  options.drain_on_stop = Milliseconds{100};
  Notifier notifier(webhook_to(fake), options);
  notifier.start();
  for (int idx = 0; idx < 3; ++idx) notifier.post(Importance::kMatters, "never delivered");
  notifier.stop();  // returns: the drain deadline bounds it
  const NotifierStats stats = notifier.stats();
  EXPECT_EQ(stats.delivered, 0u);
  EXPECT_EQ(stats.abandoned_at_stop + stats.queue.queued, 3u);
}

TEST(Notifier, SecretsNeverReachTheLog) {
  CapturedLog log;
  {
    FakeDiscord fake;
    fake.script(FakeDiscord::reply(401, R"({"message":"401: Unauthorized","code":0})"));
    Notifier notifier(webhook_to(fake), quick_options());
    notifier.start();
    notifier.post(Importance::kMatters, "refused with 401");
    ASSERT_TRUE(fake.wait_for_received(1));
    fake.stop();  // the HTTP client's connection error names the request's target — the token
    notifier.post(Importance::kMatters, "during an outage");
    ASSERT_TRUE(wait_for_a_failed_attempt(notifier));
    fake.start();
    ASSERT_TRUE(fake.wait_for_delivered(1));
  }
  {
    FakeDiscord fake;
    fake.script(FakeDiscord::reply(401, R"({"message":"401: Unauthorized","code":0})"));
    auto bot = delivery_from_environment(
        environment_of({{"DISCORD_TOKEN", std::string(kBotToken)}, {"DISCORD_CHANNEL_ID", "1"}, {"DISCORD_API_BASE", fake.url("")}}));
    ASSERT_TRUE(bot.ok() && bot->has_value());
    EXPECT_EQ((*bot)->describe().find(kBotToken), std::string::npos);
    Notifier notifier(**bot, quick_options());
    notifier.start();
    notifier.post(Importance::kMatters, "bot refused");
    fake.stop();
    notifier.post(Importance::kMatters, "bot during an outage");
    ASSERT_TRUE(wait_for_a_failed_attempt(notifier));
  }
  const std::string text = log.text();
  EXPECT_NE(text.find("refused a message"), std::string::npos) << text;  // the log did say something
  EXPECT_NE(text.find("failed"), std::string::npos) << text;
  EXPECT_EQ(text.find(kWebhookToken), std::string::npos) << text;
  EXPECT_EQ(text.find(kBotToken), std::string::npos) << text;
}

TEST(DiscordDelivery, ConfigurationErrorsNeverRepeatASecret) {
  const std::string token(kWebhookToken);
  for (const std::string& url : {"ftp://discord.com/api/webhooks/1/" + token, "http://discord.com/api/webhooks/1/" + token,
                                 "https://discord.com/api/webhooks/1/" + token + "#frag"}) {
    auto delivery = delivery_from_environment(environment_of({{"DISCORD_WEBHOOK_URL", url}}));
    ASSERT_FALSE(delivery.ok()) << url;
    EXPECT_NE(delivery.error().message.find("DISCORD_WEBHOOK_URL"), std::string::npos) << delivery.error().message;
    EXPECT_EQ(delivery.error().message.find(token), std::string::npos) << delivery.error().message;
  }
  auto half_bot = delivery_from_environment(environment_of({{"DISCORD_TOKEN", std::string(kBotToken)}}));
  ASSERT_FALSE(half_bot.ok());
  EXPECT_NE(half_bot.error().message.find("DISCORD_CHANNEL_ID"), std::string::npos);
  EXPECT_EQ(half_bot.error().message.find(kBotToken), std::string::npos);
  auto nothing = delivery_from_environment(environment_of({}));
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->has_value());
}

TEST(DiscordDelivery, RedactsTheWebhookTokenFromAnyText) {
  auto delivery = delivery_from_environment(
      environment_of({{"DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/99/" + std::string(kWebhookToken)}}));
  ASSERT_TRUE(delivery.ok() && delivery->has_value());
  const std::string redacted = (*delivery)->redact("POST https://discord.com:443/api/webhooks/99/" + std::string(kWebhookToken) + "?wait=true: refused");
  EXPECT_EQ(redacted, "POST https://discord.com:443/api/webhooks/99/[secret]?wait=true: refused");
  EXPECT_EQ((*delivery)->describe(), "the Discord webhook");
}

TEST(RetryPolicy, ReadsTheWaitFromEachPlaceDiscordPutsIt) {
  net::HttpResponse response = FakeDiscord::reply(429, R"({"retry_after": 1.5})");
  EXPECT_EQ(rate_limit_wait(response), Milliseconds{1'500});  // the JSON body's
  response.headers.set("X-RateLimit-Reset-After", "0.347");
  EXPECT_EQ(rate_limit_wait(response), Milliseconds{347});  // the bucket's header over the body
  response.headers.set("Retry-After", "3");
  EXPECT_EQ(rate_limit_wait(response), Milliseconds{3'000});  // Retry-After over both
  EXPECT_EQ(rate_limit_wait(FakeDiscord::reply(429, "not json")), std::nullopt);
  net::HttpResponse garbage = FakeDiscord::reply(429);
  garbage.headers.set("Retry-After", "soon");
  EXPECT_EQ(rate_limit_wait(garbage), std::nullopt);
}

TEST(RetryPolicy, JudgesEachAnswer) {
  EXPECT_EQ(judge_attempt(FakeDiscord::reply(200)).outcome, AttemptOutcome::kDelivered);
  EXPECT_EQ(judge_attempt(FakeDiscord::reply(204)).outcome, AttemptOutcome::kDelivered);
  EXPECT_EQ(judge_attempt(FakeDiscord::reply(429)).outcome, AttemptOutcome::kRateLimited);
  EXPECT_EQ(judge_attempt(FakeDiscord::reply(502)).outcome, AttemptOutcome::kFailedRetry);
  EXPECT_EQ(judge_attempt(FakeDiscord::reply(400)).outcome, AttemptOutcome::kRefused);
  EXPECT_EQ(judge_attempt(Result<net::HttpResponse>(make_error(ErrorCode::kIo, "refused"))).outcome, AttemptOutcome::kFailedRetry);
  EXPECT_EQ(judge_attempt(Result<net::HttpResponse>(make_error(ErrorCode::kUnknownOutcome, "reset"))).outcome, AttemptOutcome::kFailedRetry);
  net::HttpResponse last_in_bucket = FakeDiscord::reply(200);
  last_in_bucket.headers.set("X-RateLimit-Remaining", "0");
  last_in_bucket.headers.set("X-RateLimit-Reset-After", "0.25");
  EXPECT_EQ(judge_attempt(last_in_bucket).wait, Milliseconds{250});
  EXPECT_EQ(backoff_delay(1, Milliseconds{100}, Milliseconds{1'000}), Milliseconds{100});
  EXPECT_EQ(backoff_delay(3, Milliseconds{100}, Milliseconds{1'000}), Milliseconds{400});
  EXPECT_EQ(backoff_delay(30, Milliseconds{100}, Milliseconds{1'000}), Milliseconds{1'000});
}

TEST(MessageQueue, AFullQueueDropsTheOldestRoutineMessageFirst) {
  MessageQueue queue(3);
  EXPECT_TRUE(queue.push({Importance::kRoutine, "r1"}));
  EXPECT_TRUE(queue.push({Importance::kMatters, "m1"}));
  EXPECT_TRUE(queue.push({Importance::kRoutine, "r2"}));
  EXPECT_TRUE(queue.push({Importance::kMatters, "m2"}));   // r1 goes
  EXPECT_TRUE(queue.push({Importance::kMatters, "m3"}));   // r2 goes
  EXPECT_FALSE(queue.push({Importance::kRoutine, "r3"}));  // nothing less important to drop
  EXPECT_FALSE(queue.push({Importance::kMatters, "m4"}));  // the earliest that matter are kept
  const QueueCounts counts = queue.counts();
  EXPECT_EQ(counts.dropped_routine, 3u);
  EXPECT_EQ(counts.dropped_matters, 1u);
  EXPECT_EQ(counts.queued, 3u);
  for (const char* expected : {"m1", "m2", "m3"}) EXPECT_EQ(queue.pop(Milliseconds{0}).value().text, expected);
  EXPECT_FALSE(queue.pop(Milliseconds{0}).has_value());
}

}  // namespace
}  // namespace winiswin::notify
