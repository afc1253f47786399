// The REST half of the Binance client: one call is one round trip through the keep-alive
// HTTP client, planned against the request budget, signed when the endpoint needs it, and
// answered with the body or an Error the Venue contract understands:
//
//   HTTP 2xx                   the body
//   4xx with Binance's body    kRejected with its code (-2019 …); -1006/-1007 kUnknownOutcome;
//                              -1021 (timestamp outside recvWindow): the server time is read
//                              again and the request re-signed and sent once more — it was
//                              refused, so it did nothing
//   429                        kRejected -1003, and every request waits out Retry-After
//   418                        kRejected -1003: the IP is banned, nothing is sent until it lifts
//   451                        kRejected: Binance serves no client from this location (not retried)
//   5xx, timeout, lost answer  kUnknownOutcome: for an order, query by client id before anything else
//   nothing sent (no connect)  kIo
// A request the budget would hold back longer than `max_wait` is refused (kRejected -1003)
// rather than blocking the decision thread for minutes.
// Signed requests carry every parameter in the query string, as Binance's official
// connector sends them; the secret and the signature never appear in an error message.
// Not thread-safe: the decision thread makes the calls (venue.h's threading contract).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/time.h"
#include "net/http_client.h"
#include "net/url.h"
#include "venue/binance/query_string.h"
#include "venue/binance/request_budget.h"
#include "venue/binance/signing.h"

namespace winiswin::binance {

// Where a Binance-compatible venue lives.
struct BinanceUrls {
  std::string rest;           // "https://fapi.binance.com"
  std::string market_stream;  // "wss://fstream.binance.com/market"
  std::string user_stream;    // "wss://fstream.binance.com/private"
};
BinanceUrls mainnet_urls();
BinanceUrls testnet_urls();  // testnet.binancefuture.com
BinanceUrls demo_urls();     // demo-fapi.binance.com (demo trading)
// A venue at `base` ("http://127.0.0.1:8123", the loopback venue, or any compatible one).
BinanceUrls urls_at(std::string_view base);

// The clock the client plans with; tests give it a manual one.
class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual Timestamp now() const = 0;
  virtual void sleep_for(Milliseconds duration) = 0;
};
Clock& system_clock();

enum class Security {
  kPublic,   // market data: no key
  kApiKey,   // USER_STREAM: the X-MBX-APIKEY header only
  kSigned,   // TRADE, USER_DATA: key, timestamp, recvWindow and signature
};

struct RestClientConfig {
  Milliseconds recv_window{5'000};
  Milliseconds timeout{10'000};
  // Longest the budget may hold a request back: a minute window and a little, so that a cold
  // start that spends one minute's weight goes on in the next rather than failing.
  Milliseconds max_wait{61'000};
  RequestLimits limits;
};

class RestClient {
 public:
  // `signer`: none for a client that only reads market data.
  RestClient(net::HttpClient& http, net::Endpoint endpoint, std::optional<RequestSigner> signer, Clock& clock,
             RestClientConfig config = {});

  Result<std::string> call(std::string_view method, std::string_view path, const QueryParams& params, Security security,
                           RequestCost cost);
  // Reads the server's time and keeps the offset to the local clock (signed timestamps use it).
  Status sync_time();
  [[nodiscard]] Milliseconds time_offset() const { return offset_; }
  // The server's time as this client knows it (the local clock plus the offset).
  [[nodiscard]] Timestamp server_now() const { return clock_.now() + offset_; }
  [[nodiscard]] RequestBudget& budget() { return budget_; }
  [[nodiscard]] bool can_sign() const { return signer_.has_value(); }

 private:
  Result<net::HttpRequest> build(std::string_view method, std::string_view path, const QueryParams& params, Security security) const;
  Result<std::string> answer(const net::HttpResponse& response, std::string_view what) const;
  Status wait_for_budget(RequestCost cost, std::string_view what);

  net::HttpClient& http_;
  net::Endpoint endpoint_;
  std::optional<RequestSigner> signer_;
  Clock& clock_;
  RestClientConfig config_;
  RequestBudget budget_;
  Milliseconds offset_{0};  // server time − local time
};

}  // namespace winiswin::binance
