#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "net/http_server.h"
#include "net/net_test_support.h"
#include "net/websocket_client.h"

namespace winiswin::net {
namespace {

using testing::eventually;
using testing::MessageLog;
using testing::Signal;

// A loopback server whose "/ws" route echoes text back and keeps every session for the test.
class EchoServer {
 public:
  EchoServer() : server_({}, [](const HttpServerRequest&) { return std::optional<HttpResponse>(HttpResponse(200)); }) {
    server_.add_websocket_route("/ws", [this](const std::shared_ptr<WebSocketSession>& session,
                                              const HttpServerRequest& upgrade) {
      {
        const std::lock_guard lock(mutex_);
        sessions_.push_back(session);
        upgrade_targets_.push_back(upgrade.target);
      }
      session_opened_.add(upgrade.target);
      std::weak_ptr<WebSocketSession> weak = session;  // a strong capture would be a cycle until close
      return WebSocketCallbacks{
          [weak](std::string_view text) {
            if (auto echoing = weak.lock()) echoing->send("echo:" + std::string(text));
          },
          [this] { server_closed_.raise(); }};
    });
    const Status started = server_.start();
    EXPECT_TRUE(started.ok()) << (started.ok() ? "" : started.error().message);
  }

  std::string url(std::string_view target = "/ws") const {
    return "ws://127.0.0.1:" + std::to_string(server_.port()) + std::string(target);
  }
  // The index-th session, once it has opened.
  std::shared_ptr<WebSocketSession> session(std::size_t index = 0) {
    if (!session_opened_.wait_for_count(index + 1)) return nullptr;
    const std::lock_guard lock(mutex_);
    return sessions_[index];
  }
  HttpServer& server() { return server_; }
  Signal& server_closed() { return server_closed_; }

 private:
  std::mutex mutex_;
  std::vector<std::shared_ptr<WebSocketSession>> sessions_;
  std::vector<std::string> upgrade_targets_;
  MessageLog session_opened_;
  Signal server_closed_;
  HttpServer server_;  // last: stopped first
};

// What a client saw: messages in order, and how it ended.
struct ClientLog {
  WebSocketClientCallbacks callbacks() {
    return WebSocketClientCallbacks{
        [this](std::string_view text, Timestamp received_at) {
          last_receipt.store(to_ms(received_at));
          messages.add(std::string(text));
        },
        [this](const Status& reason) {
          {
            const std::lock_guard lock(mutex);
            close_reason = reason.ok() ? "ok" : reason.error().message;
          }
          closed.raise();
        }};
  }
  std::string reason() {
    const std::lock_guard lock(mutex);
    return close_reason;
  }

  MessageLog messages;
  Signal closed;
  std::atomic<std::int64_t> last_receipt{0};
  std::mutex mutex;
  std::string close_reason;
};

std::unique_ptr<WebSocketClient> connect_client(const std::string& url, ClientLog& log,
                                                WebSocketClientOptions options = {}) {
  auto client = WebSocketClient::connect(url, log.callbacks(), std::move(options));
  EXPECT_TRUE(client.ok()) << (client.ok() ? "" : client.error().message);
  return client.ok() ? std::move(client).value() : nullptr;
}

Timestamp now_ms() { return std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now()); }

TEST(WebSocket, EchoWithLocalReceiptTime) {
  EchoServer server;
  ClientLog log;
  const Timestamp before = now_ms();
  auto client = connect_client(server.url("/ws/btcusdt@kline_5m?listenKey=abc"), log);
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(client->is_open());
  EXPECT_FALSE(client->last_message_time().has_value());
  client->send(R"({"method":"SUBSCRIBE","params":["btcusdt@kline_5m"],"id":1})");
  ASSERT_TRUE(log.messages.wait_for_count(1));
  EXPECT_EQ(log.messages.messages()[0], R"(echo:{"method":"SUBSCRIBE","params":["btcusdt@kline_5m"],"id":1})");
  const Timestamp after = now_ms();
  ASSERT_TRUE(client->last_message_time().has_value());
  EXPECT_GE(*client->last_message_time(), before);
  EXPECT_LE(*client->last_message_time(), after);
  EXPECT_EQ(to_ms(*client->last_message_time()), log.last_receipt.load()) << "the callback gets the same time";
  EXPECT_EQ(server.session()->target(), "/ws/btcusdt@kline_5m?listenKey=abc") << "the raw target reaches the route";
  EXPECT_EQ(server.session()->peer().rfind("127.0.0.1:", 0), 0U);
}

TEST(WebSocket, ServerPushFromAnotherThreadArrivesInOrder) {
  EchoServer server;
  ClientLog log;
  auto client = connect_client(server.url(), log);
  ASSERT_NE(client, nullptr);
  auto session = server.session();
  ASSERT_NE(session, nullptr);
  constexpr int kMessages = 2000;
  std::thread pusher([&] {
    for (int message_idx = 0; message_idx < kMessages; ++message_idx) session->send(std::to_string(message_idx));
  });
  pusher.join();
  ASSERT_TRUE(log.messages.wait_for_count(kMessages));
  const auto messages = log.messages.messages();
  for (int message_idx = 0; message_idx < kMessages; ++message_idx) {
    ASSERT_EQ(messages[static_cast<std::size_t>(message_idx)], std::to_string(message_idx));
  }
  EXPECT_EQ(client->messages_received(), static_cast<std::uint64_t>(kMessages));
}

TEST(WebSocket, ClientAnswersTheServersPing) {
  EchoServer server;
  ClientLog log;
  auto client = connect_client(server.url(), log);
  ASSERT_NE(client, nullptr);
  auto session = server.session();
  session->ping();
  EXPECT_TRUE(eventually([&] { return session->pongs_received() == 1; }));
  EXPECT_TRUE(eventually([&] { return client->pings_received() == 1; }));
  EXPECT_FALSE(client->last_message_time().has_value()) << "control frames are not messages";
}

TEST(WebSocket, ClientPingsGetPongs) {
  EchoServer server;
  ClientLog log;
  auto client = connect_client(server.url(), log);
  ASSERT_NE(client, nullptr);
  client->ping();
  EXPECT_TRUE(eventually([&] { return client->pongs_received() == 1; }));

  WebSocketClientOptions pinging;
  pinging.ping_interval = std::chrono::milliseconds(5);
  ClientLog pinging_log;
  auto pinging_client = connect_client(server.url(), pinging_log, pinging);
  ASSERT_NE(pinging_client, nullptr);
  EXPECT_TRUE(eventually([&] { return pinging_client->pongs_received() >= 3; }));
}

TEST(WebSocket, StalledSessionStaysConnectedAndSilent) {
  EchoServer server;
  ClientLog stalled_log;
  WebSocketClientOptions quick_close;
  quick_close.close_timeout = std::chrono::milliseconds(50);  // the stalled server never answers a close
  auto stalled_client = connect_client(server.url(), stalled_log, quick_close);
  ASSERT_NE(stalled_client, nullptr);
  auto stalled = server.session(0);
  ClientLog control_log;
  auto control_client = connect_client(server.url(), control_log);
  ASSERT_NE(control_client, nullptr);
  auto control = server.session(1);

  stalled->send("before");
  ASSERT_TRUE(stalled_log.messages.wait_for_count(1));
  const auto last_before_stall = stalled_client->last_message_time();
  stalled->stall();
  for (int message_idx = 0; message_idx < 5; ++message_idx) stalled->send("after");
  stalled_client->send("an echo would be a message too");
  // Both sessions share the server's one I/O thread: once the control message has gone out,
  // whatever the stalled session would have sent has gone out as well.
  control->send("control");
  ASSERT_TRUE(control_log.messages.wait_for_count(1));
  EXPECT_TRUE(control_client->last_message_time().has_value());

  EXPECT_EQ(stalled_client->messages_received(), 1U);
  EXPECT_EQ(stalled_client->last_message_time(), last_before_stall);
  EXPECT_TRUE(stalled_client->is_open()) << "no close, no error: only silence";
  EXPECT_FALSE(stalled_log.closed.raised());
  stalled->ping();
  control->ping();
  EXPECT_TRUE(eventually([&] { return control->pongs_received() == 1; }));
  EXPECT_EQ(stalled_client->pings_received(), 0U);

  stalled_client->close();  // returns after the short close timeout
  EXPECT_TRUE(stalled_log.closed.raised());
}

TEST(WebSocket, DroppedSessionIsAnErrorForTheClient) {
  EchoServer server;
  ClientLog log;
  auto client = connect_client(server.url(), log);
  ASSERT_NE(client, nullptr);
  server.session()->drop();
  ASSERT_TRUE(log.closed.wait());
  EXPECT_NE(log.reason(), "ok");
  EXPECT_NE(log.reason().find("connection lost"), std::string::npos) << log.reason();
  EXPECT_FALSE(client->is_open());
  EXPECT_TRUE(server.server_closed().wait());
  client->send("into the void");  // does nothing, does not crash
}

TEST(WebSocket, ServerCloseIsACleanCloseForTheClient) {
  EchoServer server;
  ClientLog log;
  auto client = connect_client(server.url(), log);
  ASSERT_NE(client, nullptr);
  auto session = server.session();
  session->send("last words");
  session->close();
  ASSERT_TRUE(log.closed.wait());
  EXPECT_EQ(log.reason(), "ok");
  EXPECT_EQ(log.messages.messages(), std::vector<std::string>{"last words"}) << "sent before the close frame";
  EXPECT_TRUE(server.server_closed().wait());
  EXPECT_TRUE(eventually([&] { return !session->is_open(); }));
}

TEST(WebSocket, ClientCloseIsSeenByTheServer) {
  EchoServer server;
  ClientLog log;
  auto client = connect_client(server.url(), log);
  ASSERT_NE(client, nullptr);
  ASSERT_NE(server.session(), nullptr);
  client->send("bye");
  client->close();
  client->close();
  EXPECT_TRUE(log.closed.raised());
  EXPECT_EQ(log.reason(), "ok");
  EXPECT_FALSE(client->is_open());
  EXPECT_TRUE(server.server_closed().wait());
}

TEST(WebSocket, CloseFromTheMessageCallback) {
  EchoServer server;
  std::unique_ptr<WebSocketClient> client;
  Signal closed;
  std::mutex client_mutex;
  WebSocketClientCallbacks callbacks{[&](std::string_view, Timestamp) {
                                       const std::lock_guard lock(client_mutex);
                                       client->close();  // only begins the close: we are on the I/O thread
                                     },
                                     [&](const Status&) { closed.raise(); }};
  {
    const std::lock_guard lock(client_mutex);
    auto connected = WebSocketClient::connect(server.url(), callbacks);
    ASSERT_TRUE(connected.ok());
    client = std::move(connected).value();
    client->send("trigger");
  }
  EXPECT_TRUE(closed.wait());
  client.reset();
}

TEST(WebSocket, RoutesByLongestPathPrefixAndRefusesUnknownPaths) {
  HttpServer server({}, [](const HttpServerRequest&) { return std::optional<HttpResponse>(HttpResponse(200)); });
  const auto greeter = [](std::string greeting) {
    return [greeting](const std::shared_ptr<WebSocketSession>& session, const HttpServerRequest&) {
      session->send(greeting);  // sent from inside the handler: arrives first
      return WebSocketCallbacks{};
    };
  };
  server.add_websocket_route("/market", greeter("market"));
  server.add_websocket_route("/market/ws", greeter("market/ws"));
  server.add_websocket_route("/private/ws", greeter("private"));
  ASSERT_TRUE(server.start().ok());
  const std::string base = "ws://127.0.0.1:" + std::to_string(server.port());

  const auto first_message = [&](const std::string& target) {
    ClientLog log;
    auto client = connect_client(base + target, log);
    if (client == nullptr || !log.messages.wait_for_count(1)) return std::string("(none)");
    return log.messages.messages()[0];
  };
  EXPECT_EQ(first_message("/market/ws/btcusdt@kline_5m"), "market/ws");
  EXPECT_EQ(first_message("/market/stream?streams=btcusdt@markPrice"), "market");
  EXPECT_EQ(first_message("/private/ws?listenKey=k"), "private");

  ClientLog refused_log;
  const auto refused = WebSocketClient::connect(base + "/stream?streams=x", refused_log.callbacks());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kIo);
  EXPECT_NE(refused.error().message.find("404"), std::string::npos) << refused.error().message;
}

TEST(WebSocket, ConnectFailuresAreErrors) {
  ClientLog log;
  std::uint16_t closed_port = 0;
  {
    EchoServer gone;
    closed_port = gone.server().port();
  }
  const auto refused = WebSocketClient::connect("ws://127.0.0.1:" + std::to_string(closed_port) + "/ws", log.callbacks());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kIo);
  const auto not_websocket = WebSocketClient::connect("http://127.0.0.1:1/ws", log.callbacks());
  ASSERT_FALSE(not_websocket.ok());
  EXPECT_EQ(not_websocket.error().code, ErrorCode::kInvalidArgument);
}

TEST(WebSocket, ServerStopWithOpenSessionsIsClean) {
  auto server = std::make_unique<EchoServer>();
  ClientLog log;
  auto client = connect_client(server->url(), log);
  ASSERT_NE(client, nullptr);
  auto session = server->session();
  ClientLog stalled_log;
  auto stalled_client = connect_client(server->url(), stalled_log);
  ASSERT_NE(stalled_client, nullptr);
  server->session(1)->stall();
  EXPECT_EQ(server->server().open_connections(), 2U);

  server.reset();
  ASSERT_TRUE(log.closed.wait());
  EXPECT_NE(log.reason(), "ok");
  ASSERT_TRUE(stalled_log.closed.wait());
  EXPECT_FALSE(session->is_open());
  session->send("after the server is gone");  // safe: does nothing
  session->ping();
  session->drop();
}

}  // namespace
}  // namespace winiswin::net
