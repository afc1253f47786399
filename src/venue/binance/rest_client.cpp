#include "venue/binance/rest_client.h"

#include <charconv>
#include <thread>

#include <fmt/format.h>

#include "venue/binance/rest_market.h"
#include "venue/binance/rest_orders.h"

namespace winiswin::binance {
namespace {

constexpr int kTooManyRequests = -1003;
constexpr int kInvalidTimestamp = -1021;

class SystemClock final : public Clock {
 public:
  [[nodiscard]] Timestamp now() const override {
    return std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now());
  }
  void sleep_for(Milliseconds duration) override { std::this_thread::sleep_for(duration); }
};

std::optional<int> header_int(const net::HttpHeaders& headers, std::string_view name) {
  const auto text = headers.find(name);
  if (!text) return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc{} || end != text->data() + text->size()) return std::nullopt;
  return value;
}

LimitHeaders limits_of(const net::HttpResponse& response) {
  LimitHeaders limits;
  limits.http_status = response.status;
  limits.used_weight_1m = header_int(response.headers, "X-MBX-USED-WEIGHT-1M");
  limits.order_count_10s = header_int(response.headers, "X-MBX-ORDER-COUNT-10S");
  limits.order_count_1m = header_int(response.headers, "X-MBX-ORDER-COUNT-1M");
  if (const auto seconds = header_int(response.headers, "Retry-After")) limits.retry_after = Milliseconds{std::int64_t{*seconds} * 1'000};
  return limits;
}

// A ws:// or wss:// address beside an http:// or https:// one.
std::string stream_base(std::string_view rest_base) {
  if (rest_base.starts_with("https://")) return "wss://" + std::string(rest_base.substr(8));
  if (rest_base.starts_with("http://")) return "ws://" + std::string(rest_base.substr(7));
  return std::string(rest_base);
}

// A transport error names the target it was sending; the query (timestamp, signature) stays
// out of messages and logs: the path says enough.
Error without_query(Error error, const std::string& target, std::string_view path) {
  for (std::size_t at = error.message.find(target); at != std::string::npos; at = error.message.find(target, at + path.size())) {
    error.message.replace(at, target.size(), path);
  }
  return error;
}

}  // namespace

BinanceUrls mainnet_urls() {
  return {"https://fapi.binance.com", "wss://fstream.binance.com/market", "wss://fstream.binance.com/private"};
}
BinanceUrls testnet_urls() {
  return {"https://testnet.binancefuture.com", "wss://fstream.binancefuture.com/market", "wss://fstream.binancefuture.com/private"};
}
BinanceUrls demo_urls() {
  return {"https://demo-fapi.binance.com", "wss://demo-fstream.binance.com/market", "wss://demo-fstream.binance.com/private"};
}
BinanceUrls urls_at(std::string_view base) {
  while (base.ends_with('/')) base.remove_suffix(1);
  const std::string streams = stream_base(base);
  return {std::string(base), streams + "/market", streams + "/private"};
}

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

RestClient::RestClient(net::HttpClient& http, net::Endpoint endpoint, std::optional<RequestSigner> signer, Clock& clock,
                       RestClientConfig config)
    : http_(http), endpoint_(std::move(endpoint)), signer_(std::move(signer)), clock_(clock), config_(config), budget_(config.limits) {}

Result<net::HttpRequest> RestClient::build(std::string_view method, std::string_view path, const QueryParams& params,
                                           Security security) const {
  net::HttpRequest request;
  request.method = std::string(method);
  request.timeout = config_.timeout;
  std::string query = params.encode();
  if (security != Security::kPublic) {
    if (!signer_) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{} {}: needs an API key (BINANCE_API_KEY / BINANCE_API_SECRET)", method, path));
    }
    request.headers.add("X-MBX-APIKEY", signer_->api_key().header_value());
  }
  if (security == Security::kSigned) {
    const RequestTime time{clock_.now() + offset_, config_.recv_window};
    WINISWIN_TRY(query, signed_query(params, time, *signer_));
  }
  request.target = query.empty() ? std::string(path) : fmt::format("{}?{}", path, query);
  return request;
}

Status RestClient::wait_for_budget(RequestCost cost, std::string_view what) {
  const Timestamp now = clock_.now();
  const Milliseconds wait = budget_.wait_for(cost, now);
  if (wait <= Milliseconds{0}) return Ok{};
  if (wait > config_.max_wait) {
    const auto until = budget_.blocked_until(now);
    return Error{ErrorCode::kRejected,
                 fmt::format("{}: not sent: {} until {}", what, budget_.banned(now) ? "the IP is banned (HTTP 418)" : "the request budget is spent",
                             format_utc(until.value_or(now + wait))),
                 kTooManyRequests};
  }
  clock_.sleep_for(wait);
  return Ok{};
}

Result<std::string> RestClient::answer(const net::HttpResponse& response, std::string_view what) const {
  if (response.status >= 200 && response.status < 300) return response.body;
  const auto api_error = parse_api_error(response.body);
  const std::string said = api_error ? fmt::format("{} ({})", api_error->message, api_error->code) : fmt::format("HTTP {}", response.status);
  if (response.status == 429 || response.status == 418) {
    return Error{ErrorCode::kRejected,
                 fmt::format("{}: HTTP {}: {}", what, response.status, response.status == 418 ? "the IP is banned" : "too many requests"),
                 kTooManyRequests};
  }
  if (response.status == 451) {
    return Error{ErrorCode::kRejected, fmt::format("{}: HTTP 451: Binance serves no client from this location", what), 0};
  }
  if (response.status >= 500) {
    // The request may have been carried out: for an order, query by client id first.
    return Error{ErrorCode::kUnknownOutcome, fmt::format("{}: {}: outcome unknown", what, said), api_error ? api_error->code : 0};
  }
  if (api_error) return api_error->to_error().with_context(std::string(what));
  return Error{ErrorCode::kRejected, fmt::format("{}: {}", what, said), 0};
}

Result<std::string> RestClient::call(std::string_view method, std::string_view path, const QueryParams& params, Security security,
                                     RequestCost cost) {
  const std::string what = fmt::format("{} {}", method, path);
  for (int attempt = 0;; ++attempt) {
    if (auto status = wait_for_budget(cost, what); !status) return status.error();
    WINISWIN_TRY(const net::HttpRequest request, build(method, path, params, security));
    const Timestamp sent = clock_.now();
    budget_.on_sent(cost, sent);
    auto response = http_.send(endpoint_, request);
    if (!response) return without_query(response.error(), request.target, path).with_context(what);
    budget_.on_response(limits_of(*response), sent, clock_.now());
    Result<std::string> body = answer(*response, what);
    // Refused for its timestamp: nothing was done; the clocks are compared again and the
    // request re-signed, once.
    if (!body && body.error().venue_code == kInvalidTimestamp && security == Security::kSigned && attempt == 0) {
      if (auto synced = sync_time(); !synced) return synced.error();
      continue;
    }
    return body;
  }
}

Status RestClient::sync_time() {
  const Timestamp before = clock_.now();
  WINISWIN_TRY(const std::string body, call("GET", "/fapi/v1/time", QueryParams{}, Security::kPublic, RequestCost{1, 0}));
  const Timestamp after = clock_.now();
  WINISWIN_TRY(const Timestamp server, parse_server_time(body));
  // The server read its clock about halfway through the round trip.
  offset_ = server - (before + (after - before) / 2);
  return Ok{};
}

}  // namespace winiswin::binance
