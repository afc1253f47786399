// The REST client against a scripted server on loopback: signing over the bytes sent, the
// server-time resync after -1021, the request budget honouring 429 and 418, and how every
// kind of answer becomes the Venue contract's error.
#include "venue/binance/rest_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <mutex>

#include <fmt/format.h>

#include "net/http_server.h"
#include "venue/venue.h"

namespace winiswin::binance {
namespace {

const Timestamp kStart = timestamp_from_ms(1'767'225'630'000);  // 2026-01-01 00:00:30 UTC
constexpr const char* kKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
constexpr const char* kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";

class ManualClock final : public Clock {
 public:
  [[nodiscard]] Timestamp now() const override { return now_; }
  void sleep_for(Milliseconds duration) override {
    slept_ += duration;
    now_ += duration;
  }
  Timestamp now_ = kStart;
  Milliseconds slept_{0};
};

// Answers each request with the next scripted response (then 200 "{}"), keeping what it saw.
class ScriptedServer {
 public:
  ScriptedServer() : server_(net::HttpServerOptions{}, [this](const net::HttpServerRequest& request) { return serve(request); }) {
    EXPECT_TRUE(server_.start().ok());
  }
  void then(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    net::HttpResponse response(status, {}, std::move(body));
    for (auto& [name, value] : headers) response.headers.add(name, value);
    const std::lock_guard lock(mutex_);
    script_.push_back(std::move(response));
  }
  void never_answer_next() {
    const std::lock_guard lock(mutex_);
    silent_next_ = true;
  }
  std::vector<net::HttpServerRequest> seen() const {
    const std::lock_guard lock(mutex_);
    return seen_;
  }
  net::Endpoint endpoint() const { return net::Endpoint{net::Scheme::kHttp, "127.0.0.1", server_.port()}; }

 private:
  std::optional<net::HttpResponse> serve(const net::HttpServerRequest& request) {
    const std::lock_guard lock(mutex_);
    seen_.push_back(request);
    if (std::exchange(silent_next_, false)) return std::nullopt;
    if (request.path() == "/fapi/v1/time" && (script_.empty() || !time_scripted_)) {
      return net::HttpResponse(200, {}, fmt::format(R"({{"serverTime":{}}})", server_time_ms));
    }
    if (script_.empty()) return net::HttpResponse{200, {}, "{}"};
    net::HttpResponse response = std::move(script_.front());
    script_.pop_front();
    return response;
  }

 public:
  std::int64_t server_time_ms = to_ms(kStart);
  bool time_scripted_ = false;

 private:
  mutable std::mutex mutex_;
  std::deque<net::HttpResponse> script_;
  std::vector<net::HttpServerRequest> seen_;
  bool silent_next_ = false;
  net::HttpServer server_;
};

class RestClientTest : public ::testing::Test {
 protected:
  RestClientTest() : client_(http_, server_.endpoint(), signer(), clock_, config()) {}
  static std::optional<RequestSigner> signer() {
    return RequestSigner::create(Credentials{ApiKey(kKey), Secret(kSecret), KeyType::kHmacSha256}).value();
  }
  static RestClientConfig config() {
    RestClientConfig config;
    config.timeout = Milliseconds{500};
    return config;
  }
  Result<std::string> get_signed(RequestCost cost = {5, 0}) {
    return client_.call("GET", "/fapi/v3/balance", QueryParams{}, Security::kSigned, cost);
  }

  ScriptedServer server_;
  net::HttpClient http_;
  ManualClock clock_;
  RestClient client_;
};

TEST_F(RestClientTest, SignedRequestsCarryTheKeyTimestampAndASignatureOverTheBytesSent) {
  ASSERT_TRUE(client_.call("POST", "/fapi/v1/leverage", QueryParams{}.add("symbol", "BTCUSDT").add("leverage", std::int64_t{5}),
                           Security::kSigned, RequestCost{1, 0})
                  .ok());
  ASSERT_TRUE(client_.call("GET", "/fapi/v1/klines", QueryParams{}.add("symbol", "BTCUSDT"), Security::kPublic, RequestCost{1, 0}).ok());
  const auto seen = server_.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].headers.find("X-MBX-APIKEY"), std::optional<std::string_view>(kKey));
  const std::string_view query = seen[0].query();
  EXPECT_EQ(query.rfind("symbol=BTCUSDT&leverage=5&recvWindow=5000&timestamp=1767225630000&signature=", 0), 0u) << query;
  const std::size_t signature_at = query.find("&signature=");
  const std::string expected = hmac_sha256_hex(Secret(kSecret), query.substr(0, signature_at), "").value();
  EXPECT_EQ(query.substr(signature_at + 11), expected);
  EXPECT_FALSE(seen[1].headers.contains("X-MBX-APIKEY"));  // market data goes without the key
  EXPECT_EQ(seen[1].query(), "symbol=BTCUSDT");
}

TEST_F(RestClientTest, ATimestampOutsideTheWindowResyncsTheClockAndRetriesOnce) {
  server_.server_time_ms = to_ms(kStart) + 7'000;  // the server's clock is 7 s ahead
  server_.then(400, R"({"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})");
  ASSERT_TRUE(get_signed().ok());
  const auto seen = server_.seen();
  ASSERT_EQ(seen.size(), 3u);  // refused, the time, the same request again
  EXPECT_EQ(seen[1].path(), "/fapi/v1/time");
  EXPECT_NE(std::string(seen[2].query()).find("timestamp=1767225637000"), std::string::npos) << seen[2].query();
  EXPECT_EQ(client_.time_offset(), Milliseconds{7'000});
  // A second -1021 in a row is not retried again.
  server_.then(400, R"({"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})");
  server_.then(400, R"({"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})");
  const auto refused = get_signed();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().venue_code, -1021);
}

TEST_F(RestClientTest, A429HoldsTheNextRequestUntilRetryAfter) {
  server_.then(429, R"({"code":-1003,"msg":"Too many requests"})", {{"Retry-After", "3"}});
  const auto refused = get_signed();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().venue_code, -1003);
  EXPECT_TRUE(venue::is_venue_failure(refused.error()));  // the breaker counts it
  ASSERT_TRUE(get_signed().ok());
  EXPECT_EQ(clock_.slept_, Milliseconds{3'000});
}

TEST_F(RestClientTest, A418BanStopsEveryRequestWithoutSendingIt) {
  server_.then(418, R"({"code":-1003,"msg":"Way too many requests; IP banned until 1767226230000."})", {{"Retry-After", "600"}});
  ASSERT_FALSE(get_signed().ok());
  const auto held = client_.call("GET", "/fapi/v1/klines", QueryParams{}.add("symbol", "BTCUSDT"), Security::kPublic, RequestCost{1, 0});
  ASSERT_FALSE(held.ok());
  EXPECT_NE(held.error().message.find("banned"), std::string::npos) << held.error().message;
  EXPECT_EQ(server_.seen().size(), 1u);  // nothing more reached the server
  clock_.now_ += Milliseconds{600'000};
  EXPECT_TRUE(get_signed().ok());
}

TEST_F(RestClientTest, AnswersBecomeTheVenueContractsErrors) {
  server_.then(400, R"({"code":-2019,"msg":"Margin is insufficient."})");
  const auto margin = get_signed();
  ASSERT_FALSE(margin.ok());
  EXPECT_EQ(margin.error().code, ErrorCode::kRejected);
  EXPECT_EQ(margin.error().venue_code, -2019);
  EXPECT_FALSE(venue::is_venue_failure(margin.error()));  // an answer, not a failure

  server_.then(503, R"({"code":-1000,"msg":"Unknown error, please check your request or try again later."})");
  EXPECT_EQ(get_signed().error().code, ErrorCode::kUnknownOutcome);
  server_.then(400, R"({"code":-1007,"msg":"Timeout waiting for response from backend server."})");
  EXPECT_EQ(get_signed().error().code, ErrorCode::kUnknownOutcome);
  server_.then(451, "");
  const auto region = get_signed();
  EXPECT_NE(region.error().message.find("HTTP 451"), std::string::npos);
  server_.never_answer_next();
  EXPECT_EQ(get_signed().error().code, ErrorCode::kUnknownOutcome);  // sent, no answer in time

  for (const auto& result : {margin, region}) {
    EXPECT_EQ(result.error().message.find(kSecret), std::string::npos);
    EXPECT_EQ(result.error().message.find("signature"), std::string::npos);
  }
}

TEST_F(RestClientTest, TheServersWeightCountIsHonoured) {
  server_.then(200, "[]", {{"X-MBX-USED-WEIGHT-1M", "1917"}});
  ASSERT_TRUE(get_signed().ok());
  EXPECT_EQ(client_.budget().used_weight(clock_.now()), 1917);
  ASSERT_TRUE(get_signed().ok());  // 1922 of 1920 usable: waits for the next minute
  EXPECT_EQ(clock_.slept_, Milliseconds{30'000});
}

TEST(RestClient, NothingSentWhenNothingListensAndNoKeyMeansNoSignedCall) {
  net::HttpClient http;
  ManualClock clock;
  RestClient client(http, net::Endpoint{net::Scheme::kHttp, "127.0.0.1", 1}, std::nullopt, clock);
  const auto refused = client.call("GET", "/fapi/v1/time", QueryParams{}, Security::kPublic, RequestCost{1, 0});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kIo);
  RestClient keyed(http, net::Endpoint{net::Scheme::kHttp, "127.0.0.1", 1},
                   RequestSigner::create(Credentials{ApiKey(kKey), Secret(kSecret)}).value(), clock);
  const auto unsent = keyed.call("GET", "/fapi/v3/balance", QueryParams{}, Security::kSigned, RequestCost{5, 0});
  ASSERT_FALSE(unsent.ok());
  EXPECT_EQ(unsent.error().message.find("signature"), std::string::npos) << unsent.error().message;  // the query stays out
  EXPECT_NE(unsent.error().message.find("/fapi/v3/balance"), std::string::npos) << unsent.error().message;
  const auto keyless = client.call("GET", "/fapi/v3/balance", QueryParams{}, Security::kSigned, RequestCost{5, 0});
  ASSERT_FALSE(keyless.ok());
  EXPECT_NE(keyless.error().message.find("BINANCE_API_KEY"), std::string::npos);
}

TEST(BinanceUrls, TheLoopbackVenueHasItsStreamsBesideIt) {
  const BinanceUrls loopback = urls_at("http://127.0.0.1:8123/");
  EXPECT_EQ(loopback.rest, "http://127.0.0.1:8123");
  EXPECT_EQ(loopback.market_stream, "ws://127.0.0.1:8123/market");
  EXPECT_EQ(loopback.user_stream, "ws://127.0.0.1:8123/private");
  EXPECT_EQ(mainnet_urls().market_stream, "wss://fstream.binance.com/market");
}

}  // namespace
}  // namespace winiswin::binance
