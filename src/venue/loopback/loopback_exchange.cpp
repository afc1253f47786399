// LoopbackExchange: creation, the clock, routing, authentication, faults and the answer's
// headers. The endpoints live in endpoints_*.cpp, the user-data events in user_events.cpp.
#include "venue/loopback/loopback_exchange.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

#include "venue/loopback/api_error.h"
#include "venue/loopback/signature.h"

namespace winiswin::loopback {
namespace {

constexpr std::int64_t kFundingIntervalMs = 8 * 3'600'000;  // the simulator's default schedule: 00, 08, 16 UTC
constexpr std::int64_t kMaxRecvWindowMs = 60'000;
constexpr std::int64_t kDefaultRecvWindowMs = 5'000;
constexpr std::int64_t kAheadToleranceMs = 1'000;  // a timestamp may be this far ahead of the server

int one(const RequestParams&) { return 1; }
int five(const RequestParams&) { return 5; }
int zero(const RequestParams&) { return 0; }
int one_or_40(const RequestParams& params) { return params.has("symbol") ? 1 : 40; }
int one_or_10(const RequestParams& params) { return params.has("symbol") ? 1 : 10; }
int one_or_2(const RequestParams& params) { return params.has("symbol") ? 1 : 2; }
int twenty(const RequestParams&) { return 20; }
int thirty(const RequestParams&) { return 30; }
// GET /fapi/v1/klines by limit: [1,100) 1, [100,500) 2, [500,1000] 5, above 10 (default 500).
int klines_weight(const RequestParams& params) {
  const auto limit = params.optional_integer("limit");
  const std::int64_t bars = limit.ok() && *limit ? **limit : 500;
  return bars < 100 ? 1 : bars < 500 ? 2 : bars <= 1000 ? 5 : 10;
}

bool body_is_form(const HttpRequest& request) {
  const auto type = request.header("Content-Type");
  return !type || type->find("x-www-form-urlencoded") != std::string_view::npos;
}

// Binance's keys are 64 letters and digits; anything else that could be one is let through
// to the lookup (-2015), what could never be one is a format error (-2014).
bool plausible_api_key(std::string_view key) {
  return !key.empty() && key.size() <= 256 &&
         std::all_of(key.begin(), key.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

Result<std::unique_ptr<LoopbackExchange>> LoopbackExchange::create(std::vector<Instrument> instruments, BracketMap brackets,
                                                                    std::vector<KlineSeries> minutes, LoopbackConfig config) {
  for (const KlineSeries& series : minutes) {
    if (!find_instrument(instruments, series.symbol)) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("loopback venue: bars of {}, which no instrument lists", series.symbol));
    }
  }
  WINISWIN_TRY(MarketData market, MarketData::create(std::move(minutes)));
  const Timestamp start = config.start;
  std::unique_ptr<LoopbackExchange> exchange(
      new LoopbackExchange(std::move(instruments), std::move(brackets), std::move(market), std::move(config)));
  if (auto status = exchange->advance_to(start); !status) return status.error();
  return exchange;
}

LoopbackExchange::LoopbackExchange(std::vector<Instrument> instruments, BracketMap brackets, MarketData market, LoopbackConfig config)
    : config_(std::move(config)),
      instruments_(std::move(instruments)),
      brackets_(std::move(brackets)),
      sim_(instruments_, brackets_, config_.venue),
      market_(std::move(market)),
      answers_to_lose_(config_.faults.lose_answer_for),
      dice_(config_.faults.seed),
      user_streams_(config_.faults.seed) {
  for (const Instrument& instrument : instruments_) {
    settings_.emplace(instrument.symbol, SymbolSettings{config_.venue.default_leverage, config_.venue.margin_type});
  }
}

const std::vector<LoopbackExchange::Route>& LoopbackExchange::routes() {
  using L = LoopbackExchange;
  static const std::vector<Route> table = {
      {"GET", "/fapi/v1/ping", Security::kNone, one, false, &L::ping},
      {"GET", "/fapi/v1/time", Security::kNone, one, false, &L::time},
      {"GET", "/fapi/v1/exchangeInfo", Security::kNone, one, false, &L::exchange_info},
      {"GET", "/fapi/v1/klines", Security::kNone, klines_weight, false, &L::klines},
      {"GET", "/fapi/v1/ticker/24hr", Security::kNone, one_or_40, false, &L::ticker_24hr},
      {"GET", "/fapi/v1/ticker/price", Security::kNone, one_or_2, false, &L::ticker_price},
      {"GET", "/fapi/v2/ticker/price", Security::kNone, one_or_2, false, &L::ticker_price},
      {"GET", "/fapi/v1/premiumIndex", Security::kNone, one_or_10, false, &L::premium_index},
      {"GET", "/fapi/v1/leverageBracket", Security::kSigned, one, false, &L::leverage_bracket},
      {"POST", "/fapi/v1/leverage", Security::kSigned, one, false, &L::change_leverage},
      {"POST", "/fapi/v1/marginType", Security::kSigned, one, false, &L::change_margin_type},
      {"GET", "/fapi/v1/positionSide/dual", Security::kSigned, thirty, false, &L::position_mode},
      {"POST", "/fapi/v1/positionSide/dual", Security::kSigned, one, false, &L::change_position_mode},
      {"GET", "/fapi/v2/positionRisk", Security::kSigned, five, false, &L::position_risk_v2},
      {"GET", "/fapi/v3/positionRisk", Security::kSigned, five, false, &L::position_risk_v3},
      {"GET", "/fapi/v2/balance", Security::kSigned, five, false, &L::balance},
      {"GET", "/fapi/v3/balance", Security::kSigned, five, false, &L::balance},
      {"GET", "/fapi/v2/account", Security::kSigned, five, false, &L::account_v2},
      {"GET", "/fapi/v3/account", Security::kSigned, five, false, &L::account_v3},
      {"GET", "/fapi/v1/commissionRate", Security::kSigned, twenty, false, &L::commission_rate},
      {"GET", "/fapi/v1/symbolConfig", Security::kSigned, five, false, &L::symbol_config},
      {"POST", "/fapi/v1/order", Security::kSigned, zero, true, &L::new_order},
      {"GET", "/fapi/v1/order", Security::kSigned, one, false, &L::query_order},
      {"DELETE", "/fapi/v1/order", Security::kSigned, one, false, &L::cancel_order},
      {"GET", "/fapi/v1/openOrders", Security::kSigned, one_or_40, false, &L::open_orders},
      {"GET", "/fapi/v1/openOrder", Security::kSigned, one, false, &L::open_order},
      {"DELETE", "/fapi/v1/allOpenOrders", Security::kSigned, one, false, &L::cancel_all_orders},
      {"POST", "/fapi/v1/algoOrder", Security::kSigned, zero, true, &L::new_algo_order},
      {"GET", "/fapi/v1/algoOrder", Security::kSigned, one, false, &L::query_algo_order},
      {"DELETE", "/fapi/v1/algoOrder", Security::kSigned, one, false, &L::cancel_algo_order},
      {"GET", "/fapi/v1/openAlgoOrders", Security::kSigned, one_or_40, false, &L::open_algo_orders},
      {"DELETE", "/fapi/v1/algoOpenOrders", Security::kSigned, one, false, &L::cancel_all_algo_orders},
      {"POST", "/fapi/v1/listenKey", Security::kApiKey, one, false, &L::open_listen_key},
      {"PUT", "/fapi/v1/listenKey", Security::kApiKey, one, false, &L::keepalive_listen_key},
      {"DELETE", "/fapi/v1/listenKey", Security::kApiKey, one, false, &L::close_listen_key},
  };
  return table;
}

HttpResponse LoopbackExchange::handle(const HttpRequest& request) {
  const std::lock_guard lock(mutex_);
  return dispatch(request);
}

HttpResponse LoopbackExchange::dispatch(const HttpRequest& request) {
  const std::string_view path = request.path();
  const Route* route = nullptr;
  bool path_known = false;
  for (const Route& candidate : routes()) {
    if (candidate.path != path) continue;
    path_known = true;
    if (candidate.method == request.method) route = &candidate;
  }
  if (!path_known) return error_response(404, -1099, fmt::format("Not found: {} {}", request.method, path));
  if (!route) {
    HttpResponse response = error_response(405, -1000, fmt::format("Method {} is not allowed on {}", request.method, path));
    std::string allowed;
    for (const Route& candidate : routes()) {
      if (candidate.path == path) allowed += (allowed.empty() ? "" : ", ") + std::string(candidate.method);
    }
    response.set_header("Allow", allowed);
    return response;
  }
  // Every request draws its latency and failures, so the sequence depends on requests only.
  const FaultConfig& faults = config_.faults;
  const double jitter = dice_.uniform();
  const Milliseconds delay =
      faults.latency + Milliseconds{static_cast<std::int64_t>(jitter * static_cast<double>(faults.latency_jitter.count()))};
  std::optional<HttpResponse> failure = injected_failure();
  if (failure) {
    failure->delay = delay;
    return *failure;
  }
  Result<RequestParams> params = RequestParams::from(request.query(), request.body, body_is_form(request));
  const int weight = route->weight(params.ok() ? *params : RequestParams{});
  if (std::optional<HttpResponse> refused = over_limit(weight)) {
    refused->delay = delay;
    return *refused;
  }
  usage_.add_weight(weight, server_clock());
  if (route->places_order) usage_.add_order(server_clock());
  Result<std::string> body = [&]() -> Result<std::string> {
    if (!params) return params.error();
    if (auto allowed = authenticate(request, *params, route->security); !allowed) return allowed.error();
    return (this->*(route->handler))(Call{request, *params});
  }();
  publish_venue_events();  // whatever the call did, the stream reports it
  HttpResponse response = answer(std::move(body), *route);
  response.delay = delay;
  return response;
}

// Binance's IP weight limit, when enforced: past the minute's limit a 429 with Retry-After
// (to the next minute); a request during that hold is what gets IPs banned — a 418 for
// kBanAfterIgnoring429.
std::optional<HttpResponse> LoopbackExchange::over_limit(int weight) {
  if (!config_.enforce_weight_limit) return std::nullopt;
  const Timestamp server = server_clock();
  const auto seconds_until = [&](Timestamp until) { return std::to_string(((until - server).count() + 999) / 1000); };
  if (banned_until_ && server < *banned_until_) {
    HttpResponse response = error_response(418, -1003, fmt::format("Way too many requests; IP banned until {}. Please use the websocket "
                                                                   "for live updates to avoid bans.", to_ms(*banned_until_)));
    response.set_header("Retry-After", seconds_until(*banned_until_));
    return response;
  }
  if (usage_.weight_1m(server) + weight <= config_.weight_limit_1m) return std::nullopt;
  if (held_until_ && server < *held_until_) {
    banned_until_ = server + kBanAfterIgnoring429;
    return over_limit(weight);
  }
  held_until_ = timestamp_from_ms((to_ms(server) / 60'000 + 1) * 60'000);
  HttpResponse response = error_response(429, -1003, fmt::format("Too many requests; current limit is {} requests per minute. Please use "
                                                                 "the websocket for live updates to avoid polling the API.",
                                                                 config_.weight_limit_1m));
  response.set_header("Retry-After", seconds_until(*held_until_));
  return response;
}

// 429, 418 and 5xx as the faults ask (one draw each, always).
std::optional<HttpResponse> LoopbackExchange::injected_failure() {
  const FaultConfig& faults = config_.faults;
  const bool too_many = dice_.roll(faults.too_many_requests_rate);
  const bool banned = dice_.roll(faults.ip_ban_rate);
  const bool broken = dice_.roll(faults.server_error_rate);
  const std::string retry_after = std::to_string((faults.retry_after.count() + 999) / 1000);
  if (too_many) {
    HttpResponse response = error_response(
        429, -1003,
        fmt::format("Too many requests; current limit is {} requests per minute. Please use the websocket for live updates to "
                    "avoid polling the API.",
                    config_.weight_limit_1m));
    response.set_header("Retry-After", retry_after);
    return response;
  }
  if (banned) {
    HttpResponse response = error_response(
        418, -1003,
        fmt::format("Way too many requests; IP banned until {}. Please use the websocket for live updates to avoid bans.",
                    to_ms(server_clock() + faults.retry_after)));
    response.set_header("Retry-After", retry_after);
    return response;
  }
  if (broken) return error_response(503, -1001, "Internal error; unable to process your request. Please try again.");
  return std::nullopt;
}

Status LoopbackExchange::authenticate(const HttpRequest& request, const RequestParams& params, Security security) const {
  if (security == Security::kNone) return Ok{};
  const auto key = request.header("X-MBX-APIKEY");
  if (!key || !plausible_api_key(*key)) return make_rejection(-2014, "API-key format invalid.");
  const auto credentials = std::find_if(config_.credentials.begin(), config_.credentials.end(),
                                        [&](const ApiCredentials& known) { return known.api_key == *key; });
  if (credentials == config_.credentials.end()) return make_rejection(-2015, "Invalid API-key, IP, or permissions for action.");
  if (security == Security::kApiKey) return Ok{};
  WINISWIN_TRY(const std::int64_t timestamp, params.required_integer("timestamp"));
  WINISWIN_TRY(const auto recv_window, params.optional_integer("recvWindow"));
  const std::int64_t window = recv_window.value_or(kDefaultRecvWindowMs);
  if (window <= 0 || window > kMaxRecvWindowMs) return invalid_parameter("recvWindow");
  WINISWIN_TRY(const std::string_view signature, params.required("signature"));
  const std::string expected = hmac_sha256_hex(credentials->secret, signed_payload(request.query(), request.body));
  if (!signature_matches(expected, signature)) return make_rejection(-1022, "Signature for this request is not valid.");
  if (config_.timestamp_check == TimestampCheck::kOff) return Ok{};
  const std::int64_t server = to_ms(server_clock());
  if (timestamp >= server + kAheadToleranceMs) {
    return make_rejection(-1021, "Timestamp for this request was 1000ms ahead of the server's time.");
  }
  if (server - timestamp > window) return make_rejection(-1021, "Timestamp for this request is outside of the recvWindow.");
  return Ok{};
}

HttpResponse LoopbackExchange::answer(Result<std::string> body, const Route& route) {
  HttpResponse response;
  if (body) {
    response.set_header("Content-Type", "application/json");
    response.body = std::move(body).value();
  } else if (body.error().code == ErrorCode::kUnknownOutcome) {
    // Placed, but the answer is lost: Binance's "sent, execution status unknown".
    response = error_response(503, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");
    response.withhold = config_.faults.lost_answer == LostAnswer::kNoAnswer;
  } else {
    response = error_response(body.error());
  }
  response.set_header("X-MBX-USED-WEIGHT-1M", std::to_string(usage_.weight_1m(server_clock())));
  if (route.places_order) {
    response.set_header("X-MBX-ORDER-COUNT-10S", std::to_string(usage_.orders_10s(server_clock())));
    response.set_header("X-MBX-ORDER-COUNT-1M", std::to_string(usage_.orders_1m(server_clock())));
  }
  return response;
}

Status LoopbackExchange::advance_to(Timestamp time) {
  const std::lock_guard lock(mutex_);
  if (time < now_) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("loopback clock: cannot go back from {} to {}", format_utc(now_), format_utc(time)));
  }
  now_ = time;
  market_.release_until(time, [&](std::size_t market_idx, const Kline& bar) { feed_bar(market_idx, bar); });
  publish_venue_events();
  user_streams_.expire(server_clock());  // after the events: a key expiring now still gets what happened before
  return Ok{};
}

void LoopbackExchange::feed_bar(std::size_t market_idx, const Kline& bar) {
  const std::string& symbol = market_.symbol(market_idx);
  // A bar the simulator refuses (out of order) is a bug in the market data's merge, not input.
  if (auto status = sim_.on_bar(symbol, bar); !status) throw std::logic_error(status.error().message);
  market_streams_.on_bar(symbol, bar, market_.closed(market_idx), funding_view());
}

FundingView LoopbackExchange::funding_view() const {
  const std::int64_t next = (to_ms(now_) / kFundingIntervalMs + 1) * kFundingIntervalMs;
  return FundingView{config_.venue.default_funding_rate, timestamp_from_ms(next)};
}

Timestamp LoopbackExchange::now() const {
  const std::lock_guard lock(mutex_);
  return now_;
}

Timestamp LoopbackExchange::server_time() const {
  const std::lock_guard lock(mutex_);
  return server_clock();
}

Timestamp LoopbackExchange::server_clock() const {
  const Timestamp base = config_.server_clock == ServerClock::kWall
                             ? std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now())
                             : now_;
  return base + config_.faults.clock_skew;
}

void LoopbackExchange::set_faults(FaultConfig faults) {
  const std::lock_guard lock(mutex_);
  answers_to_lose_ = faults.lose_answer_for;
  if (faults.seed != config_.faults.seed) dice_ = FaultDice(faults.seed);
  config_.faults = std::move(faults);
}

FaultConfig LoopbackExchange::faults() const {
  const std::lock_guard lock(mutex_);
  return config_.faults;
}

void LoopbackExchange::expire_listen_keys() {
  const std::lock_guard lock(mutex_);
  user_streams_.expire(server_clock(), true);
}

void LoopbackExchange::subscribe(std::string_view stream) {
  const std::lock_guard lock(mutex_);
  market_streams_.subscribe(stream);
}

void LoopbackExchange::unsubscribe(std::string_view stream) {
  const std::lock_guard lock(mutex_);
  market_streams_.unsubscribe(stream);
}

std::vector<MarketStreamMessage> LoopbackExchange::take_market_messages() {
  const std::lock_guard lock(mutex_);
  return market_streams_.take();
}

Result<std::vector<UserStreamMessage>> LoopbackExchange::take_user_messages(std::string_view listen_key) {
  const std::lock_guard lock(mutex_);
  return user_streams_.take(listen_key);
}

bool LoopbackExchange::listen_key_active(std::string_view listen_key) const {
  const std::lock_guard lock(mutex_);
  return user_streams_.is_active(listen_key);
}

// --- shared lookups ------------------------------------------------------------------------

const Instrument* LoopbackExchange::find_listed(std::string_view symbol) const { return find_instrument(instruments_, symbol); }

Result<const Instrument*> LoopbackExchange::instrument_param(const RequestParams& params) const {
  WINISWIN_TRY(const std::string_view symbol, params.required("symbol"));
  const Instrument* instrument = find_listed(symbol);
  if (!instrument) return invalid_symbol();
  return instrument;
}

Price LoopbackExchange::mark_of(const std::string& symbol) const {
  const auto idx = market_.index_of(symbol);
  if (!idx) return Price{};
  return market_.last_close(*idx).value_or(Price{});
}

// The cap of the last bracket whose leverage still allows `leverage` (spec/filters-and-margin.md §2).
Notional LoopbackExchange::max_notional(const std::string& symbol, int leverage) const {
  const auto found = brackets_.find(symbol);
  Notional cap = Notional::from_units(1'000'000'000);  // no brackets: no cap worth naming
  if (found == brackets_.end()) return cap;
  for (const LeverageBracket& bracket : found->second) {
    if (bracket.initial_leverage >= leverage) cap = bracket.notional_cap;
  }
  return cap;
}

std::string LoopbackExchange::next_client_id(std::string_view prefix) { return fmt::format("{}{:010}", prefix, next_client_id_++); }

bool LoopbackExchange::lose_answer_for(const std::string& client_id) {
  const bool rolled = dice_.roll(config_.faults.lost_answer_rate);  // one draw per placement, always
  const auto listed = std::find(answers_to_lose_.begin(), answers_to_lose_.end(), client_id);
  if (listed != answers_to_lose_.end()) {
    answers_to_lose_.erase(listed);
    return true;
  }
  return rolled;
}

}  // namespace winiswin::loopback
