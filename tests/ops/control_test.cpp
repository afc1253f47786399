// Control over HTTP (POST /api/control/…): refused without a configured token (403), without
// the bearer (401) or as GET (405); with it, the request reaches the mailbox — the test plays
// the decision thread — and the answer is the outcome it gives, or 202 when it is slow. The
// mailbox is bounded; an added route is served ahead of the built-in ones without the token.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <simdjson.h>

#include "net/http_client.h"
#include "ops/control.h"
#include "ops/ops_server.h"
#include "support/local_http.h"

namespace winiswin::ops {
namespace {

using namespace std::chrono_literals;
constexpr const char* kToken = "control-token-0123";

class ControlTest : public ::testing::Test {
 protected:
  void TearDown() override {
    stop_engine();
    server_.reset();
  }
  void start(std::optional<std::string> token, Milliseconds wait = Milliseconds{10'000}) {
    OpsServerOptions options;
    options.token = std::move(token);
    options.control_wait = wait;
    server_ = std::make_unique<OpsServer>(options, board_, &mailbox_);
    ASSERT_TRUE(server_->start().ok());
  }
  // The decision thread's part: takes what waits and answers each with `outcome`.
  void run_engine(ControlOutcome outcome) {
    engine_ = std::thread([this, outcome] {
      while (!stop_.load()) {
        for (ControlMailbox::Pending& pending : mailbox_.take()) {
          {
            const std::lock_guard lock(seen_mutex_);
            seen_.push_back(pending.request);
          }
          pending.reply.set_value(outcome);
        }
        std::this_thread::sleep_for(5ms);
      }
    });
  }
  void stop_engine() {
    stop_.store(true);
    if (engine_.joinable()) engine_.join();
  }
  net::HttpResponse send(std::string method, const std::string& target, std::optional<std::string> bearer) {
    net::HttpResponse response = testing::call_local(http_, server_->port(), std::move(method), target, bearer);
    EXPECT_NE(response.status, testing::kNoAnswer) << response.body;
    return response;
  }

  StatusBoard board_;
  ControlMailbox mailbox_;
  std::unique_ptr<OpsServer> server_;
  net::HttpClient http_;
  simdjson::dom::parser parser_;
  std::thread engine_;
  std::atomic<bool> stop_{false};
  std::mutex seen_mutex_;
  std::vector<ControlRequest> seen_;
};

TEST_F(ControlTest, WithoutAConfiguredTokenControlIsForbidden) {
  start(std::nullopt);
  const net::HttpResponse refused = send("POST", "/api/control/pause", std::nullopt);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("WINISWIN_HTTP_TOKEN"), std::string::npos) << refused.body;
  EXPECT_EQ(send("POST", "/api/control/pause", "anything").status, 403) << "no token configured: no bearer is right";
  EXPECT_TRUE(mailbox_.take().empty()) << "nothing reached the engine";
}

TEST_F(ControlTest, TheBearerAndPostAreNeeded) {
  start(kToken);
  EXPECT_EQ(send("POST", "/api/control/pause", std::nullopt).status, 401);
  EXPECT_EQ(send("POST", "/api/control/pause", "control-token-012").status, 401);
  EXPECT_EQ(send("GET", "/api/control/pause", kToken).status, 405);
  EXPECT_EQ(send("POST", "/api/control/explode", kToken).status, 404);
  const net::HttpResponse no_symbol = send("POST", "/api/control/close", kToken);
  EXPECT_EQ(no_symbol.status, 400);
  EXPECT_NE(no_symbol.body.find("symbol"), std::string::npos) << no_symbol.body;
  EXPECT_EQ(send("POST", "/api/control/close?symbol=btc%20usdt", kToken).status, 400);
  EXPECT_TRUE(mailbox_.take().empty()) << "nothing reached the engine";
}

TEST_F(ControlTest, ARequestIsAnsweredWithTheEnginesOutcome) {
  start(kToken);
  run_engine(ControlOutcome{404, "ETHUSDT: no open trade"});
  const net::HttpResponse answer = send("POST", "/api/control/close?symbol=ETHUSDT", kToken);
  EXPECT_EQ(answer.status, 404) << answer.body;
  const simdjson::dom::element body = parser_.parse(answer.body).value();
  EXPECT_EQ(std::string_view(body["action"].get_string().value()), "close");
  EXPECT_EQ(std::string_view(body["symbol"].get_string().value()), "ETHUSDT");
  EXPECT_FALSE(body["ok"].get_bool().value());
  EXPECT_EQ(std::string_view(body["result"].get_string().value()), "ETHUSDT: no open trade");
  stop_engine();
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].action, ControlAction::kClose);
  EXPECT_EQ(seen_[0].who, token_identity(kToken));
  EXPECT_EQ(seen_[0].who.find(kToken), std::string::npos) << "the token itself is never the identity";
  EXPECT_TRUE(seen_[0].remote.starts_with("127.0.0.1:")) << seen_[0].remote;
}

TEST_F(ControlTest, AnEngineSlowerThanTheWaitGetsA202AndStillTheRequest) {
  start(kToken, Milliseconds{50});
  const net::HttpResponse queued = send("POST", "/api/control/pause", kToken);
  EXPECT_EQ(queued.status, 202) << queued.body;
  EXPECT_NE(queued.body.find("queued"), std::string::npos) << queued.body;
  const auto pending = mailbox_.take();
  ASSERT_EQ(pending.size(), 1u) << "it waits for the engine";
  EXPECT_EQ(pending[0].request.action, ControlAction::kPause);
}

// Paused is shown everywhere — and is no failure of /health.
TEST_F(ControlTest, PausedShowsInHealthMetricsStateAndControl) {
  start(kToken);
  StatusSnapshot status;
  status.reconciliation_done = true;
  status.paused = true;
  status.paused_since = timestamp_from_ms(1'767'225'600'000);
  status.controls.push_back(journal::ControlRecord{*status.paused_since, *status.paused_since, "pause", "", "token:00112233", "127.0.0.1:1",
                                                   true, "paused: no new entries"});
  board_.publish(status);
  const Timestamp now = std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now());
  board_.beat(now);
  board_.market_data_received(now);
  const net::HttpResponse health = send("GET", "/health", std::nullopt);
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_TRUE(parser_.parse(health.body)["paused"].get_bool().value()) << health.body;
  EXPECT_NE(send("GET", "/metrics", kToken).body.find("\nwiniswin_paused 1\n"), std::string::npos);
  const simdjson::dom::element state = parser_.parse(send("GET", "/api/state", kToken).body).value();
  EXPECT_TRUE(state["paused"].get_bool().value());
  EXPECT_EQ(state["paused_since"].get_int64().value(), 1'767'225'600'000);
  const simdjson::dom::element control = parser_.parse(send("GET", "/api/control", kToken).body).value();
  EXPECT_EQ(std::string_view(control["actions"].at(0)["who"].get_string().value()), "token:00112233");
  status.paused = false;
  board_.publish(status);
  EXPECT_FALSE(parser_.parse(send("GET", "/health", std::nullopt).body)["paused"].get_bool().value());
}

TEST(ControlMailboxTest, IsBoundedAndTakesInOrder) {
  ControlMailbox mailbox;
  std::vector<std::future<ControlOutcome>> answers;
  for (std::size_t idx = 0; idx < ControlMailbox::kCapacity; ++idx) {
    auto posted = mailbox.post(ControlRequest{ControlAction::kClose, "S" + std::to_string(idx), "who", "here", {}});
    ASSERT_TRUE(posted.has_value());
    answers.push_back(std::move(*posted));
  }
  EXPECT_FALSE(mailbox.post(ControlRequest{}).has_value()) << "full";
  auto taken = mailbox.take();
  ASSERT_EQ(taken.size(), ControlMailbox::kCapacity);
  EXPECT_EQ(taken.front().request.symbol, "S0");
  EXPECT_EQ(taken.back().request.symbol, "S" + std::to_string(ControlMailbox::kCapacity - 1));
  taken[3].reply.set_value(ControlOutcome{200, "done"});
  EXPECT_EQ(answers[3].get().message, "done");
  EXPECT_TRUE(mailbox.take().empty());
  EXPECT_TRUE(mailbox.post(ControlRequest{}).has_value()) << "room again";
}

TEST(ControlActionTest, NamesRoundTripAndIdentitiesDifferByToken) {
  for (const ControlAction action : {ControlAction::kPause, ControlAction::kResume, ControlAction::kClose}) {
    EXPECT_EQ(control_action_named(name_of(action)), action);
  }
  EXPECT_FALSE(control_action_named("Pause").has_value());
  EXPECT_EQ(token_identity("a"), token_identity("a"));
  EXPECT_NE(token_identity("a"), token_identity("b"));
  EXPECT_EQ(token_identity("a").size(), std::string("token:").size() + 8);
}

TEST_F(ControlTest, AnAddedRouteIsServedWithoutTheToken) {
  OpsServerOptions options;
  options.token = kToken;
  server_ = std::make_unique<OpsServer>(options, board_, &mailbox_);
  server_->add_route("POST", "/discord/interactions", [](const net::HttpServerRequest& request) {
    return net::HttpResponse(200, {}, "echo:" + request.body);
  });
  ASSERT_TRUE(server_->start().ok());
  net::HttpRequest request;
  request.method = "POST";
  request.target = "/discord/interactions";
  request.body = "ping";
  const auto answer = http_.send(net::Endpoint{net::Scheme::kHttp, "127.0.0.1", server_->port()}, request);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "echo:ping");
  EXPECT_EQ(send("GET", "/api/state", std::nullopt).status, 401) << "the built-in routes still want the token";
  EXPECT_EQ(send("GET", "/discord/interactions", std::nullopt).status, 405) << "its path, not its method";
  EXPECT_THROW(server_->add_route("GET", "/late", {}), std::logic_error);
}

}  // namespace
}  // namespace winiswin::ops
