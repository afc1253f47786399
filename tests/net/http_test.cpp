#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>

#include <fmt/format.h>

#include "net/http_client.h"
#include "net/http_server.h"
#include "net/net_test_support.h"
#include "net/raw_socket.h"
#include "support/local_http.h"

namespace winiswin::net {
namespace {

using testing::Signal;

// A loopback server that records every request it is handed.
class RecordingServer {
 public:
  explicit RecordingServer(HttpServerOptions options = {}, HttpHandler handler = nullptr)
      : server_(std::move(options), [this, handler](const HttpServerRequest& request) {
          {
            const std::lock_guard lock(mutex_);
            requests_.push_back(request);
          }
          if (handler) return handler(request);
          HttpResponse response(200, {}, "echo:" + request.body);
          response.headers.set("X-MBX-USED-WEIGHT-1m", "7");
          return std::optional<HttpResponse>(response);
        }) {
    const Status started = server_.start();
    EXPECT_TRUE(started.ok()) << (started.ok() ? "" : started.error().message);
  }

  HttpServer& server() { return server_; }
  Endpoint endpoint() const { return Endpoint{Scheme::kHttp, "127.0.0.1", server_.port()}; }
  HttpServerRequest last_request() const {
    const std::lock_guard lock(mutex_);
    return requests_.empty() ? HttpServerRequest{} : requests_.back();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<HttpServerRequest> requests_;
  HttpServer server_;  // last: stopped before the log it writes to is destroyed
};

HttpRequest request(std::string method, std::string target, std::string body = {}) {
  HttpRequest built;
  built.method = std::move(method);
  built.target = std::move(target);
  built.body = std::move(body);
  return built;
}

HttpResponse expect_response(const Result<HttpResponse>& result) {
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return winiswin::testing::answer_or_none(result);
}

// A port a server listened on and closed: nothing answers there (0 when the server did not start).
std::uint16_t a_closed_port() {
  HttpServer server({}, [](const HttpServerRequest&) { return std::optional<HttpResponse>(HttpResponse(200)); });
  if (!server.start().ok()) return 0;
  return server.port();
}

TEST(Http, GetWithQueryReachesTheHandlerAsSent) {
  RecordingServer server;
  HttpClient client;
  const auto result = client.send(server.endpoint(), request("GET", "/fapi/v1/klines?symbol=BTCUSDT&interval=5m"));
  const HttpResponse response = expect_response(result);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "echo:");
  EXPECT_EQ(response.headers.find("x-mbx-used-weight-1M"), "7") << "header lookup ignores case";

  const HttpServerRequest seen = server.last_request();
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.target, "/fapi/v1/klines?symbol=BTCUSDT&interval=5m");
  EXPECT_EQ(seen.path(), "/fapi/v1/klines");
  EXPECT_EQ(seen.query(), "symbol=BTCUSDT&interval=5m");
  EXPECT_EQ(seen.headers.find("host"), "127.0.0.1:" + std::to_string(server.server().port()));
  EXPECT_EQ(seen.peer.rfind("127.0.0.1:", 0), 0U) << seen.peer;
}

TEST(Http, PostedFormBodyAndOddTargetArriveByteForByte) {
  RecordingServer server;
  HttpClient client;
  // Percent-encodings, '+', dot segments and a signature: nothing may be decoded or normalized.
  const std::string target = "/fapi/v1/order/../order?a=%2F%2b+b&signature=3f%3D";
  const std::string body = "symbol=BTCUSDT&side=BUY&type=LIMIT&price=65000.10&signature=ab%2Bcd";
  HttpRequest post = request("POST", target, body);
  post.headers.set("Content-Type", "application/x-www-form-urlencoded");
  post.headers.set("X-MBX-APIKEY", "key123");
  const HttpResponse response = expect_response(client.send(server.endpoint(), post));
  EXPECT_EQ(response.body, "echo:" + body);

  const HttpServerRequest seen = server.last_request();
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, target);
  EXPECT_EQ(seen.body, body);
  EXPECT_EQ(seen.headers.find("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(seen.headers.find("X-MBX-APIKEY"), "key123");
}

TEST(Http, DeleteAndPutWithEmptyBodies) {
  RecordingServer server;
  HttpClient client;
  EXPECT_EQ(expect_response(client.send(server.endpoint(), request("PUT", "/fapi/v1/listenKey"))).status, 200);
  EXPECT_EQ(server.last_request().method, "PUT");
  EXPECT_EQ(expect_response(client.send(server.endpoint(), request("DELETE", "/fapi/v1/order?x=1"))).status, 200);
  EXPECT_EQ(server.last_request().method, "DELETE");
  EXPECT_EQ(server.last_request().body, "");
}

TEST(Http, ErrorStatusesAreResponsesForTheCallerToRead) {
  RecordingServer server({}, [](const HttpServerRequest&) {
    HttpResponse response(429, {}, R"({"code":-1003,"msg":"Too many requests"})");
    response.headers.set("Retry-After", "3");
    return std::optional<HttpResponse>(response);
  });
  HttpClient client;
  const HttpResponse response = expect_response(client.send(server.endpoint(), request("GET", "/x")));
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.headers.find("retry-after"), "3");
  EXPECT_EQ(response.body, R"({"code":-1003,"msg":"Too many requests"})");
}

TEST(Http, KeepAliveReusesOneConnection) {
  RecordingServer server;
  HttpClient client;
  constexpr int kRequests = 20;
  for (int request_idx = 0; request_idx < kRequests; ++request_idx) {
    const auto result = client.send(server.endpoint(), request("GET", "/ping?n=" + std::to_string(request_idx)));
    ASSERT_TRUE(result.ok()) << result.error().message;
  }
  EXPECT_EQ(client.connections_opened(), 1U);
  EXPECT_EQ(server.server().connections_accepted(), 1U);
}

TEST(Http, ServerClosingAnIdleConnectionIsRepairedBeforeSending) {
  HttpServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(50);
  RecordingServer server(options);
  HttpClient client;
  ASSERT_TRUE(client.send(server.endpoint(), request("GET", "/first")).ok());
  // Wait for the server to have closed the pooled connection: its FIN is then in our socket.
  ASSERT_TRUE(testing::eventually([&] { return server.server().open_connections() == 0; }));

  const HttpResponse response = expect_response(client.send(server.endpoint(), request("POST", "/second", "x=1")));
  EXPECT_EQ(response.body, "echo:x=1");
  EXPECT_EQ(client.connections_opened(), 2U);
  EXPECT_EQ(server.server().connections_accepted(), 2U);
}

TEST(Http, ClosedPortIsAnIoErrorWithNothingSent) {
  const std::uint16_t closed_port = a_closed_port();
  ASSERT_NE(closed_port, 0);
  HttpClient client;
  const auto result = client.send(Endpoint{Scheme::kHttp, "127.0.0.1", closed_port}, request("POST", "/order"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kIo);
  EXPECT_NE(result.error().message.find("nothing was sent"), std::string::npos) << result.error().message;
}

// A response is built with its status or not at all: with a default of 200 a handler that
// forgot to set one answered success, and so did a test's "no answer" stand-in.
static_assert(!std::is_default_constructible_v<HttpResponse>, "an HttpResponse says its status");

TEST(Http, ARequestWithoutAnswerIsNoSuccessForATest) {
  const std::uint16_t closed_port = a_closed_port();
  ASSERT_NE(closed_port, 0);
  HttpClient client;
  const HttpResponse none = winiswin::testing::call_local(client, closed_port, "GET", "/health");
  EXPECT_EQ(none.status, winiswin::testing::kNoAnswer);
  EXPECT_NE(none.body.find("nothing was sent"), std::string::npos) << none.body;
}

// A secret in a URL (Discord's webhook token in the path, a signature in the query) never
// reaches an error message; the call is still named.
TEST(Http, ErrorsNameTheRequestWithoutTheTargetsTailOrQuery) {
  EXPECT_EQ(target_for_errors("/fapi/v1/order?symbol=BTCUSDT&signature=abc"), "/fapi/v1/order");
  EXPECT_EQ(target_for_errors("/api/webhooks/123/s3cr3t-token?wait=true"), "/api/webhooks/123/…");
  EXPECT_EQ(target_for_errors("/api/v10/channels/42/messages"), "/api/v10/channels/…");
  EXPECT_EQ(target_for_errors("/health"), "/health");
  EXPECT_EQ(target_for_errors("/"), "/");
  EXPECT_EQ(target_for_errors("//a///b/c/d"), "/a/b/c/…");
  const std::uint16_t closed_port = a_closed_port();
  ASSERT_NE(closed_port, 0);
  HttpClient client;
  const auto result = client.send(Endpoint{Scheme::kHttp, "127.0.0.1", closed_port}, request("POST", "/api/webhooks/77/hook-s3cr3t?wait=true"));
  ASSERT_FALSE(result.ok());
  const std::string& message = result.error().message;
  EXPECT_NE(message.find(fmt::format("POST http://127.0.0.1:{}/api/webhooks/77/…", closed_port)), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
  EXPECT_EQ(message.find("wait=true"), std::string::npos) << message;
}

TEST(Http, NoAnswerWithinTheTimeoutIsAnUnknownOutcome) {
  RecordingServer server({}, [](const HttpServerRequest&) { return std::optional<HttpResponse>(); });
  HttpClient client;
  HttpRequest order = request("POST", "/fapi/v1/order", "symbol=BTCUSDT");
  order.timeout = std::chrono::milliseconds(100);
  const auto started = std::chrono::steady_clock::now();
  const auto result = client.send(server.endpoint(), order);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnknownOutcome);
  EXPECT_NE(result.error().message.find("timed out"), std::string::npos) << result.error().message;
  EXPECT_GE(elapsed, std::chrono::milliseconds(100));
  EXPECT_LT(elapsed, testing::kPatience);
  EXPECT_EQ(server.last_request().body, "symbol=BTCUSDT") << "the server did receive it";
}

TEST(Http, ConnectionLostAfterSendingIsAnUnknownOutcomeAndNotResent) {
  std::atomic<int> handled{0};
  Signal request_arrived;
  RecordingServer server({}, [&](const HttpServerRequest&) {
    handled.fetch_add(1);
    request_arrived.raise();
    return std::optional<HttpResponse>();  // withheld; the server is then stopped
  });
  HttpClient client;
  auto pending = std::async(std::launch::async, [&] { return client.send(server.endpoint(), request("POST", "/o")); });
  ASSERT_TRUE(request_arrived.wait());
  server.server().stop();
  const auto result = pending.get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnknownOutcome) << result.error().message;
  EXPECT_EQ(handled.load(), 1) << "never resent";
  EXPECT_EQ(client.connections_opened(), 1U);
}

TEST(Http, MalformedRequestGets400AndTheServerCarriesOn) {
  RecordingServer server;
  const std::string answer = testing::raw_exchange(server.server().port(), "NOT AN HTTP REQUEST\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0U) << answer;
  const std::string bad_header = testing::raw_exchange(server.server().port(), "GET / HTTP/1.1\r\nNo colon\r\n\r\n");
  EXPECT_EQ(bad_header.rfind("HTTP/1.1 400", 0), 0U) << bad_header;
  HttpClient client;
  EXPECT_EQ(expect_response(client.send(server.endpoint(), request("GET", "/still-up"))).status, 200);
}

TEST(Http, OversizeBodyGets413AndOversizeHeaderGets431) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  options.max_header_bytes = 1024;
  RecordingServer server(options);
  const std::string too_big =
      testing::raw_exchange(server.server().port(), "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\n\r\n");
  EXPECT_EQ(too_big.rfind("HTTP/1.1 413", 0), 0U) << too_big;
  const std::string long_header = testing::raw_exchange(
      server.server().port(), "GET /x HTTP/1.1\r\nHost: h\r\nX-Long: " + std::string(4000, 'a') + "\r\n\r\n");
  EXPECT_EQ(long_header.rfind("HTTP/1.1 431", 0), 0U) << long_header;
  EXPECT_EQ(server.last_request().method, "") << "neither reached the handler";

  HttpClient client;
  const auto result = client.send(server.endpoint(), request("POST", "/x", std::string(5000, 'b')));
  EXPECT_EQ(expect_response(result).status, 413);
}

TEST(Http, ThrowingHandlerGets500) {
  RecordingServer server({}, [](const HttpServerRequest&) -> std::optional<HttpResponse> {
    throw std::runtime_error("boom");
  });
  HttpClient client;
  const HttpResponse response = expect_response(client.send(server.endpoint(), request("GET", "/")));
  EXPECT_EQ(response.status, 500);
  EXPECT_NE(response.body.find("boom"), std::string::npos);
}

TEST(Http, LargeBodiesBothWays) {
  RecordingServer server(HttpServerOptions{.max_body_bytes = 4 * 1024 * 1024});
  HttpClient client;
  std::string body(3 * 1024 * 1024, 'x');
  body[12345] = 'y';
  const HttpResponse response = expect_response(client.send(server.endpoint(), request("POST", "/big", body)));
  EXPECT_EQ(response.body, "echo:" + body);
}

TEST(Http, ConcurrentCallersEachGetTheirOwnAnswer) {
  RecordingServer server(HttpServerOptions{.io_threads = 2}, [](const HttpServerRequest& received) {
    return std::optional<HttpResponse>(HttpResponse(200, {}, std::string(received.query())));
  });
  HttpClient client;
  constexpr int kThreads = 4;
  constexpr int kRequestsPerThread = 25;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> callers;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    callers.emplace_back([&, thread_idx] {
      for (int request_idx = 0; request_idx < kRequestsPerThread; ++request_idx) {
        const std::string query = "t=" + std::to_string(thread_idx) + "&r=" + std::to_string(request_idx);
        const auto result = client.send(server.endpoint(), request("GET", "/q?" + query));
        if (!result.ok() || result->body != query) mismatches.fetch_add(1);
      }
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_LE(client.connections_opened(), static_cast<std::uint64_t>(kThreads + 4));
}

TEST(Http, RequestsThatCannotBeWrittenAreRefusedBeforeConnecting) {
  HttpClient client;
  const Endpoint nowhere{Scheme::kHttp, "127.0.0.1", 1};
  const auto bad_target = client.send(nowhere, request("GET", "/a b"));
  ASSERT_FALSE(bad_target.ok());
  EXPECT_EQ(bad_target.error().code, ErrorCode::kInvalidArgument);
  HttpRequest injected = request("GET", "/");
  injected.headers.set("X-Evil", "a\r\nX-Injected: 1");
  const auto bad_header = client.send(nowhere, injected);
  ASSERT_FALSE(bad_header.ok());
  EXPECT_EQ(bad_header.error().code, ErrorCode::kInvalidArgument);
  const auto websocket_endpoint = client.send(Endpoint{Scheme::kWs, "127.0.0.1", 1}, request("GET", "/"));
  ASSERT_FALSE(websocket_endpoint.ok());
  EXPECT_EQ(websocket_endpoint.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(client.connections_opened(), 0U);
}

TEST(Http, GetByUrl) {
  RecordingServer server;
  HttpClient client;
  const auto result = client.get("http://127.0.0.1:" + std::to_string(server.server().port()) + "/fapi/v1/time");
  EXPECT_EQ(expect_response(result).status, 200);
  EXPECT_EQ(server.last_request().target, "/fapi/v1/time");
  const auto bad = client.get("gopher://x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST(Http, StopWithConnectionsOpenIsCleanAndIdempotent) {
  RecordingServer server;
  HttpClient client;
  ASSERT_TRUE(client.send(server.endpoint(), request("GET", "/")).ok());  // one idle keep-alive connection
  EXPECT_EQ(server.server().open_connections(), 1U);
  server.server().stop();
  server.server().stop();
  EXPECT_EQ(server.server().open_connections(), 0U);
  const auto after = client.send(server.endpoint(), request("GET", "/"));
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, ErrorCode::kIo) << after.error().message;
}

TEST(Http, PortInUseIsAnIoError) {
  RecordingServer first;
  HttpServerOptions options;
  options.port = first.server().port();
  HttpServer second(options, [](const HttpServerRequest&) { return std::optional<HttpResponse>(); });
  const Status started = second.start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace winiswin::net
