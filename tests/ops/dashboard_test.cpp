// The dashboard as the server gives it: the page and its files (offline: the charting library
// is served from the binary, nothing from elsewhere), and the live stream — a bundle of the
// published status to a client that sent the token, on every new snapshot; nothing but an
// error and the close for a wrong token.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include <simdjson.h>

#include "net/http_client.h"
#include "net/websocket_client.h"
#include "ops/dashboard.h"
#include "ops/ops_server.h"
#include "support/local_http.h"

namespace winiswin::ops {
namespace {

using namespace std::chrono_literals;

// Text messages a WebSocket client received, waited for with a deadline.
class Inbox {
 public:
  net::WebSocketClientCallbacks callbacks() {
    net::WebSocketClientCallbacks callbacks;
    callbacks.on_message = [this](std::string_view text, Timestamp) {
      const std::lock_guard lock(mutex_);
      messages_.emplace_back(text);
      arrived_.notify_all();
    };
    return callbacks;
  }
  std::optional<std::string> wait_for(std::size_t count, std::chrono::milliseconds deadline = 10s) {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, deadline, [&] { return messages_.size() >= count; })) return std::nullopt;
    return messages_[count - 1];
  }
  std::size_t size() {
    const std::lock_guard lock(mutex_);
    return messages_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> messages_;
};

class DashboardTest : public ::testing::Test {
 protected:
  void start(std::optional<std::string> token) {
    OpsServerOptions options;
    options.token = std::move(token);
    options.log_tail = [] { return std::vector<std::string>{"a log line"}; };
    server_ = std::make_unique<OpsServer>(options, board_);
    ASSERT_TRUE(server_->start().ok());
  }
  net::HttpResponse get(const std::string& target) {
    net::HttpResponse response = testing::call_local(http_, server_->port(), "GET", target);
    EXPECT_NE(response.status, testing::kNoAnswer) << response.body;
    return response;
  }
  std::unique_ptr<net::WebSocketClient> connect(Inbox& inbox) {
    auto client = net::WebSocketClient::connect(fmt::format("ws://127.0.0.1:{}/api/stream", server_->port()), inbox.callbacks());
    EXPECT_TRUE(client.ok()) << (client ? "" : client.error().message);
    return client ? std::move(*client) : nullptr;
  }
  void publish(double equity) {
    StatusSnapshot status;
    status.mode = "paper";
    status.equity = equity;
    OpenPositionView position;
    position.symbol = "BTCUSDT";
    position.stop = 90'000.5;
    position.target = 120'000.25;
    status.positions.push_back(position);
    board_.publish(status);
  }

  StatusBoard board_;
  std::unique_ptr<OpsServer> server_;
  net::HttpClient http_;
  simdjson::dom::parser parser_;
};

TEST_F(DashboardTest, ThePageAndItsFilesAreServedFromTheBinary) {
  start("dash-token");
  const net::HttpResponse page = get("/");
  ASSERT_EQ(page.status, 200) << "the page holds no data: no token needed";
  EXPECT_TRUE(page.headers.find("Content-Type").value_or("").starts_with("text/html"));
  EXPECT_NE(page.body.find("/dashboard/dashboard.js"), std::string::npos);
  EXPECT_NE(page.headers.find("Content-Security-Policy").value_or("").find("default-src 'self'"), std::string::npos)
      << "scripts and data from this server only";
  EXPECT_EQ(page.body.find("http://"), std::string::npos) << "nothing from elsewhere";
  EXPECT_EQ(page.body.find("https://"), std::string::npos) << "nothing from elsewhere";
  const net::HttpResponse charts = get("/dashboard/lightweight-charts.js");
  ASSERT_EQ(charts.status, 200);
  EXPECT_NE(charts.body.find("LightweightCharts"), std::string::npos);
  EXPECT_GT(charts.body.size(), 100'000u) << "the whole library, as web/report pins it";
  EXPECT_EQ(get("/dashboard/dashboard.js").status, 200);
  EXPECT_EQ(get("/dashboard/nothing.js").status, 401) << "under the API's rules: unknown paths want the token first";
  EXPECT_FALSE(dashboard_asset("/etc/passwd").has_value());
}

TEST_F(DashboardTest, TheStreamSendsEachNewSnapshotOnceTheTokenIsGiven) {
  start("dash-token");
  publish(10'000.0);
  Inbox inbox;
  const auto client = connect(inbox);
  ASSERT_NE(client, nullptr);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(inbox.size(), 0u) << "nothing before the token";
  client->send("dash-token");
  const auto first = inbox.wait_for(1);
  ASSERT_TRUE(first.has_value()) << "the current status, at once";
  const simdjson::dom::element bundle = parser_.parse(*first).value();
  EXPECT_DOUBLE_EQ(bundle["state"]["equity"].get_double().value(), 10'000.0);
  EXPECT_DOUBLE_EQ(bundle["positions"].at(0)["stop"].get_double().value(), 90'000.5);
  EXPECT_EQ(std::string_view(bundle["log"].at(0).get_string().value()), "a log line");
  EXPECT_TRUE(bundle["health"]["checks"].is_object());
  publish(10'250.5);
  const auto second = inbox.wait_for(2);
  ASSERT_TRUE(second.has_value()) << "a new snapshot is pushed";
  EXPECT_DOUBLE_EQ(parser_.parse(*second)["state"]["equity"].get_double().value(), 10'250.5);
}

TEST_F(DashboardTest, AWrongTokenGetsAnErrorAndNoStatus) {
  start("dash-token");
  publish(10'000.0);
  Inbox inbox;
  const auto client = connect(inbox);
  ASSERT_NE(client, nullptr);
  client->send("not-the-token");
  const auto answer = inbox.wait_for(1);
  ASSERT_TRUE(answer.has_value());
  EXPECT_NE(answer->find("\"error\""), std::string::npos) << *answer;
  EXPECT_EQ(answer->find("equity"), std::string::npos);
}

TEST_F(DashboardTest, WithoutATokenTheStreamStartsAtOnce) {
  start(std::nullopt);
  publish(7.5);
  Inbox inbox;
  const auto client = connect(inbox);
  ASSERT_NE(client, nullptr);
  const auto first = inbox.wait_for(1);
  ASSERT_TRUE(first.has_value());
  EXPECT_DOUBLE_EQ(parser_.parse(*first)["state"]["equity"].get_double().value(), 7.5);
}

}  // namespace
}  // namespace winiswin::ops
