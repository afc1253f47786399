// The interactions endpoint: Ed25519 signatures from a client with its own key (OpenSSL),
// bad ones refused with 401, PING answered with PONG, slash commands answered from the
// StatusSnapshot for allowed users only — the handler alone, then through the ops server.
#include <gtest/gtest.h>

#include <map>

#include <simdjson.h>

#include "net/http_client.h"
#include "notify/discord_signer.h"
#include "notify/interactions.h"
#include "ops/ops_server.h"
#include "support/local_http.h"

namespace winiswin::notify {
namespace {

using testing::DiscordSigner;
using testing::slash_command;

constexpr std::string_view kOperator = "80351110224678912";
constexpr std::string_view kStranger = "11111111111111111";

ops::StatusSnapshot snapshot() {
  ops::StatusSnapshot status;
  status.mode = "paper";
  status.started = timestamp_from_ms(1'767'225'600'000);
  status.published = status.started + Milliseconds{3'720'000};  // up 1 h 2 min
  status.equity = 10'234.56;
  status.drawdown = 0.0312;
  status.win_rate = 0.55;
  status.symbols = 37;
  status.state = risk::TradingState::kCautious;
  status.last_cycle_seconds = 0.0123;
  status.cycle_latency.observe(0.0123);
  status.cycle_latency.observe(0.0077);
  ops::OpenPositionView position;
  position.symbol = "SOLUSDT";
  position.side = Side::kSell;
  position.filled = true;
  position.quantity = 12.5;
  position.entry_price = 187.25;
  position.stop = 191.5;
  position.target = 179.0;
  position.confidence = 0.71;
  status.positions.push_back(position);
  return status;
}

struct Answer {
  int status = 0;
  std::int64_t type = 0;
  std::string content;
  std::int64_t flags = 0;
};

Answer read_answer(const net::HttpResponse& response) {
  Answer answer;
  answer.status = response.status;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(response.body).get(root) != simdjson::SUCCESS) return answer;
  if (root["type"].get_int64().get(answer.type) != simdjson::SUCCESS) answer.type = -1;
  std::string_view content;
  if (root["data"]["content"].get_string().get(content) == simdjson::SUCCESS) answer.content = std::string(content);
  if (root["data"]["flags"].get_int64().get(answer.flags) != simdjson::SUCCESS) answer.flags = 0;
  return answer;
}

class InteractionsTest : public ::testing::Test {
 protected:
  InteractionsTest() : handler_(InteractionSettings{signer_.public_key(), {std::string(kOperator)}}) {}
  Answer ask(std::string_view body, const ops::StatusSnapshot* status = nullptr, std::optional<double> memory = std::nullopt) {
    return read_answer(handler_.handle(signer_.headers_for(body), body, InteractionContext{status, memory, std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now())}));
  }
  DiscordSigner signer_;
  InteractionHandler handler_;
};

TEST_F(InteractionsTest, PingIsAnsweredWithPong) {
  const Answer answer = ask(R"({"type":1,"id":"1","application_id":"2","token":"t","version":1})");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.type, 1);
}

TEST_F(InteractionsTest, RequestsWithoutAValidSignatureAreRefused) {
  const std::string body = R"({"type":1})";
  net::HttpHeaders tampered = signer_.headers_for(body);
  EXPECT_EQ(handler_.handle(tampered, R"({"type":1} )", {}).status, 401);  // one byte more than was signed
  net::HttpHeaders other_time = signer_.headers_for(body, "1767225600");
  other_time.set("X-Signature-Timestamp", "1767225601");
  EXPECT_EQ(handler_.handle(other_time, body, {}).status, 401);  // the timestamp is signed too
  const DiscordSigner impostor;
  EXPECT_EQ(handler_.handle(impostor.headers_for(body), body, {}).status, 401);  // another key
  net::HttpHeaders unsigned_headers;
  unsigned_headers.set("X-Signature-Timestamp", "1767225600");
  EXPECT_EQ(handler_.handle(unsigned_headers, body, {}).status, 401);
  net::HttpHeaders garbage = signer_.headers_for(body);
  garbage.set("X-Signature-Ed25519", "zz" + std::string(126, '0'));
  EXPECT_EQ(handler_.handle(garbage, body, {}).status, 401);
  garbage.set("X-Signature-Ed25519", "00");
  EXPECT_EQ(handler_.handle(garbage, body, {}).status, 401);
}

TEST_F(InteractionsTest, AValidSignatureOverAStaleTimestampIsRefused) {
  const std::string body = R"({"type":1})";
  const Timestamp now = timestamp_from_ms(1'767'225'600'000);
  const auto answer_at = [&](std::int64_t seconds) {
    return handler_.handle(signer_.headers_for(body, std::to_string(seconds)), body, InteractionContext{nullptr, std::nullopt, now}).status;
  };
  EXPECT_EQ(answer_at(1'767'225'600), 200);
  EXPECT_EQ(answer_at(1'767'225'600 - 299), 200);
  EXPECT_EQ(answer_at(1'767'225'600 - 301), 401);  // recorded over 5 minutes ago: a replay
  EXPECT_EQ(answer_at(1'767'225'600 + 301), 401);
}

TEST_F(InteractionsTest, UnknownUsersGetAnEphemeralRefusalAndNoData) {
  const ops::StatusSnapshot status = snapshot();
  const Answer answer = ask(slash_command("balance", kStranger), &status);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.type, 4);
  EXPECT_EQ(answer.flags, 64);
  EXPECT_NE(answer.content.find("not allowed"), std::string::npos) << answer.content;
  EXPECT_EQ(answer.content.find("10234"), std::string::npos) << answer.content;
}

TEST_F(InteractionsTest, BalanceAnswersFromTheSnapshot) {
  const ops::StatusSnapshot status = snapshot();
  const Answer answer = ask(slash_command("balance", kOperator), &status);
  EXPECT_EQ(answer.type, 4);
  EXPECT_NE(answer.content.find("10234.56 USDT"), std::string::npos) << answer.content;
  EXPECT_NE(answer.content.find("drawdown 3.12 %"), std::string::npos) << answer.content;
  EXPECT_NE(answer.content.find("win rate 55.0 %"), std::string::npos) << answer.content;
  EXPECT_NE(answer.content.find("state CAUTIOUS"), std::string::npos) << answer.content;
}

TEST_F(InteractionsTest, PositionsListsEachOpenPosition) {
  ops::StatusSnapshot status = snapshot();
  Answer answer = ask(slash_command("positions", kOperator), &status);
  EXPECT_NE(answer.content.find("SHORT SOLUSDT"), std::string::npos) << answer.content;
  EXPECT_NE(answer.content.find("entry 187.25"), std::string::npos) << answer.content;
  EXPECT_NE(answer.content.find("stop 191.5"), std::string::npos) << answer.content;
  EXPECT_NE(answer.content.find("target 179"), std::string::npos) << answer.content;
  status.positions.clear();
  answer = ask(slash_command("positions", kOperator), &status);
  EXPECT_NE(answer.content.find("No open position"), std::string::npos) << answer.content;
}

TEST_F(InteractionsTest, ManyPositionsStayWithinDiscordsLimit) {
  ops::StatusSnapshot status = snapshot();
  status.positions.assign(200, status.positions.front());
  const Answer answer = ask(slash_command("positions", kOperator), &status);
  EXPECT_LE(answer.content.size(), kMaxContentChars);
  EXPECT_NE(answer.content.find("more"), std::string::npos);
}

TEST_F(InteractionsTest, StatusShowsSymbolsCycleTimeAndMemory) {
  const ops::StatusSnapshot status = snapshot();
  const Answer answer = ask(slash_command("status", kOperator), &status, 64.0 * 1024 * 1024);
  EXPECT_NE(answer.content.find("symbols watched 37"), std::string::npos) << answer.content;
  EXPECT_NE(answer.content.find("last cycle 12.3 ms, mean 10.0 ms over 2 decisions"), std::string::npos) << answer.content;
  EXPECT_NE(answer.content.find("memory 64.0 MiB"), std::string::npos) << answer.content;
  EXPECT_NE(answer.content.find("up 1 h 2 min"), std::string::npos) << answer.content;
}

TEST_F(InteractionsTest, BeforeTheFirstSnapshotItSaysSo) {
  const Answer answer = ask(slash_command("status", kOperator), nullptr);
  EXPECT_EQ(answer.type, 4);
  EXPECT_NE(answer.content.find("no status yet"), std::string::npos) << answer.content;
}

TEST_F(InteractionsTest, SignedButMalformedBodiesAre400) {
  EXPECT_EQ(ask("not json").status, 400);
  EXPECT_EQ(ask(R"({"type":3})").status, 400);
}

TEST(InteractionSettings, ReadFromTheEnvironment) {
  const DiscordSigner signer;
  const std::string key = signer.public_key_hex();
  std::map<std::string, std::string> values{{"DISCORD_PUBLIC_KEY", key}, {"DISCORD_ALLOWED_USERS", "123, 456,789"}};
  const Environment environment = [&](const char* name) -> const char* {
    const auto found = values.find(name);
    return found == values.end() ? nullptr : found->second.c_str();
  };
  auto settings = interaction_settings_from_environment(environment);
  ASSERT_TRUE(settings.ok() && settings->has_value());
  EXPECT_EQ((*settings)->public_key, signer.public_key());
  EXPECT_EQ((*settings)->allowed_users, (std::set<std::string, std::less<>>{"123", "456", "789"}));
  values["DISCORD_ALLOWED_USERS"] = "123,@me";
  EXPECT_FALSE(interaction_settings_from_environment(environment).ok());
  values["DISCORD_PUBLIC_KEY"] = key.substr(2);
  auto short_key = interaction_settings_from_environment(environment);
  ASSERT_FALSE(short_key.ok());
  EXPECT_NE(short_key.error().message.find("DISCORD_PUBLIC_KEY"), std::string::npos);
  values.erase("DISCORD_PUBLIC_KEY");
  auto none = interaction_settings_from_environment(environment);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

// Through the ops server, with its bearer token set: Discord's endpoint bypasses the token
// (its requests carry a signature instead); the API still needs it.
TEST(InteractionsEndpoint, ServedByTheOpsServerBesideItsApi) {
  const DiscordSigner signer;
  ops::StatusBoard board;
  board.publish(snapshot());
  ops::OpsServerOptions options;
  options.token = "ops-token";
  ops::OpsServer server(options, board);
  ops::OpsRoute route = interactions_route(std::make_shared<InteractionHandler>(InteractionSettings{signer.public_key(), {std::string(kOperator)}}), board);
  server.add_route(route.method, route.path, route.handler);
  ASSERT_TRUE(server.start().ok());
  net::HttpClient http;
  const net::Endpoint endpoint{net::Scheme::kHttp, "127.0.0.1", server.port()};
  const auto post = [&](const std::string& body, net::HttpHeaders headers) {
    net::HttpRequest request;
    request.method = "POST";
    request.target = std::string(kInteractionsPath);
    request.headers = std::move(headers);
    request.body = body;
    net::HttpResponse response = winiswin::testing::answer_or_none(http.send(endpoint, request));
    EXPECT_NE(response.status, winiswin::testing::kNoAnswer) << response.body;
    return response;
  };
  const std::string ping = R"({"type":1})";
  EXPECT_EQ(read_answer(post(ping, signer.headers_for(ping))).type, 1);
  net::HttpHeaders forged = signer.headers_for(ping);
  forged.set("X-Signature-Timestamp", "0");
  EXPECT_EQ(post(ping, forged).status, 401);
  const std::string balance = slash_command("balance", kOperator);
  const Answer answer = read_answer(post(balance, signer.headers_for(balance)));
  EXPECT_NE(answer.content.find("10234.56 USDT"), std::string::npos) << answer.content;
  const std::string status_command = slash_command("status", kOperator);
  const Answer status = read_answer(post(status_command, signer.headers_for(status_command)));
  EXPECT_NE(status.content.find("MiB resident"), std::string::npos) << status.content;  // read from /proc/self
  auto api = http.get(fmt::format("http://127.0.0.1:{}/api/state", server.port()));
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(api->status, 401);
  net::HttpRequest get_request;
  get_request.target = std::string(kInteractionsPath);
  auto wrong_method = http.send(endpoint, get_request);
  ASSERT_TRUE(wrong_method.ok());
  EXPECT_EQ(wrong_method->status, 405);
}

}  // namespace
}  // namespace winiswin::notify
