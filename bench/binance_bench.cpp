// The Binance client and the loopback venue (issue 12's performance section).
//
//   MarketStreamParse/*   parse_market_message + dispatch (a visit over the result) of the
//                         combined-stream messages the loopback venue pushes for 200 synthetic
//                         symbols subscribed to <s>@kline_5m and <s>@markPrice: per 1m close one
//                         kline_5m message (forming, x false, or on the bucket's last minute
//                         closed) and one markPriceUpdate. One iteration = one message, so the
//                         time column is ns per message.
//   UserStreamParse/*     parse_user_data_message of the ORDER_TRADE_UPDATE messages the venue
//                         pushes for 200 MARKET orders (NEW, then TRADE when they fill).
//   ColdStart*            1h, 15m and 5m × 300 closed bars (a warm-up) per symbol, fetched through
//                         RestClient over keep-alive HTTP on 127.0.0.1 from the loopback venue
//                         (net::HttpServer → LoopbackExchange::handle, as `winiswin venue` serves
//                         it), starting at the top of a minute (the worst case for the budget).
//                         The request budget's waits are planned on a clock that adds them up
//                         instead of sleeping (PlanningClock): the counters say how many there
//                         were and how long they would have taken (with_waits_s = wall + waits).
//                         FetchKlines: fetch_klines (limit=1000 each, weight 5); CatchUpPlan: the
//                         requests plan_catch_up makes (limit=300, weight 2). Arguments: symbols
//                         and added latency; 200 symbols at 50 ms take 30 s a run, so they run
//                         only with WINISWIN_BENCH_COLD_START_FULL=1 (10 symbols otherwise).
//   BinanceVenueLimitPlaceCancel   a LIMIT order placed and cancelled through BinanceVenue →
//                         RestClient (HMAC-signed) → keep-alive HTTP → LoopbackServer, per iteration.
//   LoopbackHandleLimitPlaceCancel the same two requests, pre-signed, straight into
//                         LoopbackExchange::handle: the venue without the network and the client.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "data/synthetic_market.h"
#include "net/http_client.h"
#include "net/http_server.h"
#include "venue/binance/binance_venue.h"
#include "venue/binance/kline_catch_up.h"
#include "venue/binance/market_data_client.h"
#include "venue/binance/market_stream.h"
#include "venue/binance/order_params.h"
#include "venue/binance/rest_account.h"
#include "venue/binance/rest_client.h"
#include "venue/binance/rest_market.h"
#include "venue/binance/user_stream.h"
#include "venue/loopback/loopback_exchange.h"
#include "venue/loopback/loopback_server.h"

namespace winiswin::binance {
namespace {

// The official HMAC test key pair (spec/signing.md), as the loopback tests use it.
constexpr const char* kApiKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
constexpr const char* kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMinutes = 1'440;
constexpr Milliseconds kRecvWindow{5'000};

using SteadyClock = std::chrono::steady_clock;

double seconds_since(SteadyClock::time_point start) { return std::chrono::duration<double>(SteadyClock::now() - start).count(); }

RequestSigner signer() { return RequestSigner::create(Credentials{ApiKey(kApiKey), Secret(kSecret)}).value(); }

// A synthetic market (data/synthetic_market.h): `days` of 1m bars from 2026-01-01 00:00 UTC.
struct Market {
  std::vector<Instrument> instruments;
  std::vector<KlineSeries> minutes;
  Timestamp first;
  Timestamp end;  // the open time after the last bar
};

Market synthetic_market(int symbols, int days) {
  SyntheticMarketConfig config;
  config.symbols = symbols;
  config.days = days;
  const SyntheticMarket synthetic(config);
  Market market;
  market.instruments = synthetic.instruments();
  for (std::size_t idx = 0; idx < market.instruments.size(); ++idx) market.minutes.push_back(synthetic.generate(idx));
  market.first = config.start;
  market.end = config.start + Milliseconds{days * kDayMinutes * kMinuteMs};
  return market;
}

// The loopback venue over `market`, its clock at `start` (the bars closed by then are history).
Result<std::unique_ptr<loopback::LoopbackExchange>> make_exchange(const Market& market, Timestamp start,
                                                                  loopback::ServerClock server_clock = loopback::ServerClock::kExchange) {
  loopback::LoopbackConfig config;
  config.credentials = {loopback::ApiCredentials{kApiKey, kSecret}};
  config.start = start;
  config.server_clock = server_clock;
  return loopback::LoopbackExchange::create(market.instruments, {}, market.minutes, std::move(config));
}

// The loopback venue's HTTP transport, as LoopbackServer runs it (latency waited on the I/O
// thread). `handled_ns`: the time spent in handle() is added to it.
std::optional<net::HttpResponse> serve(loopback::LoopbackExchange& exchange, const net::HttpServerRequest& in,
                                       std::atomic<std::int64_t>* handled_ns = nullptr) {
  loopback::HttpRequest request{in.method, in.target, {}, in.body};
  for (const auto& [name, value] : in.headers.fields()) request.headers.push_back(loopback::HttpHeader{name, value});
  const auto start = SteadyClock::now();
  const loopback::HttpResponse out = exchange.handle(request);
  if (handled_ns != nullptr) *handled_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - start).count();
  if (out.withhold) return std::nullopt;
  if (out.delay > Milliseconds{0}) std::this_thread::sleep_for(out.delay);
  net::HttpResponse response{out.status, {}, out.body};
  for (const loopback::HttpHeader& header : out.headers) response.headers.add(header.name, header.value);
  return response;
}

// A request signed as RestClient signs it (every parameter in the query), for handle().
Result<loopback::HttpRequest> signed_request(std::string_view method, std::string_view path, const QueryParams& params,
                                             Timestamp time, const RequestSigner& signer) {
  WINISWIN_TRY(const std::string query, signed_query(params, RequestTime{time, kRecvWindow}, signer));
  return loopback::HttpRequest{std::string(method), fmt::format("{}?{}", path, query), {{"X-MBX-APIKEY", kApiKey}}, ""};
}

// ---------------------------------------------------------------------------------------------
// Stream messages, as the loopback venue writes them.

struct StreamMessages {
  std::vector<std::string> all;  // market messages, in the order they were pushed
  std::vector<std::string> closed_klines;
  std::vector<std::string> forming_klines;
  std::vector<std::string> mark_prices;
  std::vector<std::string> order_updates;  // ORDER_TRADE_UPDATE payloads
  std::string error;                       // why there are none
};

constexpr int kStreamSymbols = 200;
constexpr int kStreamMinutes = 10;  // two kline_5m buckets: 2 closed and 8 forming messages per symbol

Status collect_stream_messages(StreamMessages& out) {
  const Market market = synthetic_market(kStreamSymbols, 1);
  const Timestamp start = market.first + Milliseconds{120 * kMinuteMs};
  WINISWIN_TRY(auto exchange, make_exchange(market, start));
  for (const Instrument& instrument : market.instruments) {
    exchange->subscribe(loopback::lowercase(instrument.symbol) + "@kline_5m");
    exchange->subscribe(loopback::lowercase(instrument.symbol) + "@markPrice");
  }
  const loopback::HttpResponse key_answer =
      exchange->handle(loopback::HttpRequest{"POST", "/fapi/v1/listenKey", {{"X-MBX-APIKEY", kApiKey}}, ""});
  WINISWIN_TRY(const std::string listen_key, parse_listen_key(key_answer.body));
  // One MARKET order per symbol: NEW now, TRADE at the next bar's open.
  const RequestSigner request_signer = signer();
  for (std::size_t idx = 0; idx < market.instruments.size(); ++idx) {
    const Instrument& instrument = market.instruments[idx];
    const Price last = market.minutes[idx].bars[119].close;
    WINISWIN_TRY(const Quantity quantity, instrument.min_tradable_quantity(last, OrderKind::kMarket));
    const venue::OrderRequest order{instrument.symbol, idx % 2 == 0 ? Side::kBuy : Side::kSell, venue::OrderType::kMarket, quantity, Price{}, false,
                                    fmt::format("bench-{}", idx)};
    WINISWIN_TRY(const QueryParams params, new_order_params(order));
    WINISWIN_TRY(const loopback::HttpRequest request, signed_request("POST", kOrderPath, params, exchange->server_time(), request_signer));
    if (const loopback::HttpResponse answer = exchange->handle(request); answer.status != 200) {
      return make_error(ErrorCode::kRejected, fmt::format("{}: MARKET order refused: {}", instrument.symbol, answer.body));
    }
  }
  WINISWIN_TRY(const Ok advanced, exchange->advance_to(start + Milliseconds{kStreamMinutes * kMinuteMs}));
  (void)advanced;
  for (const loopback::MarketStreamMessage& message : exchange->take_market_messages()) {
    std::string combined = message.combined();
    if (message.stream.ends_with("@markPrice")) {
      out.mark_prices.push_back(combined);
    } else if (message.data.find(R"("x":true)") != std::string::npos) {
      out.closed_klines.push_back(combined);
    } else {
      out.forming_klines.push_back(combined);
    }
    out.all.push_back(std::move(combined));
  }
  WINISWIN_TRY(const auto user_messages, exchange->take_user_messages(listen_key));
  for (const loopback::UserStreamMessage& message : user_messages) {
    if (message.event == "ORDER_TRADE_UPDATE") out.order_updates.push_back(message.json);
  }
  if (out.closed_klines.empty() || out.forming_klines.empty() || out.mark_prices.empty() || out.order_updates.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "the loopback venue pushed no messages of some kind");
  }
  return Ok{};
}

const StreamMessages& stream_messages() {
  static const StreamMessages messages = [] {
    StreamMessages collected;
    if (auto status = collect_stream_messages(collected); !status) collected.error = status.error().message;
    return collected;
  }();
  return messages;
}

// What a consumer does with a parsed message: looks at it (here: sums a field, so nothing is optimised away).
struct MarketDispatch {
  std::int64_t sum = 0;
  void operator()(const ClosedKline& bar) { sum += bar.kline.close.raw(); }
  void operator()(const std::vector<MarkPriceUpdate>& marks) {
    for (const MarkPriceUpdate& mark : marks) sum += mark.mark_price.raw();
  }
  void operator()(const SubscriptionReply&) { ++sum; }
  void operator()(const SkippedMessage& skipped) { sum += static_cast<std::int64_t>(skipped.reason.size()); }
};

using MessagesOf = std::vector<std::string> StreamMessages::*;

void MarketStreamParse(benchmark::State& state, MessagesOf kind) {
  const StreamMessages& messages = stream_messages();
  if (!messages.error.empty()) {
    state.SkipWithError(messages.error.c_str());
    return;
  }
  const std::vector<std::string>& texts = messages.*kind;
  const Timestamp received = timestamp_from_ms(1'767'233'400'000);
  MarketDispatch dispatch;
  std::size_t message_idx = 0;
  for (auto _ : state) {
    auto parsed = parse_market_message(texts[message_idx], received);
    if (!parsed) [[unlikely]] {
      state.SkipWithError(parsed.error().message.c_str());
      break;
    }
    std::visit(dispatch, *parsed);
    if (++message_idx == texts.size()) message_idx = 0;
  }
  benchmark::DoNotOptimize(dispatch.sum);
  state.counters["messages"] = static_cast<double>(texts.size());
  state.counters["messages_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(MarketStreamParse, all_in_stream_order, &StreamMessages::all)->MinTime(0.5)->Repetitions(3);
BENCHMARK_CAPTURE(MarketStreamParse, kline_5m_closed, &StreamMessages::closed_klines)->MinTime(0.5)->Repetitions(3);
BENCHMARK_CAPTURE(MarketStreamParse, kline_5m_forming, &StreamMessages::forming_klines)->MinTime(0.5)->Repetitions(3);
BENCHMARK_CAPTURE(MarketStreamParse, mark_price, &StreamMessages::mark_prices)->MinTime(0.5)->Repetitions(3);

void UserStreamParse(benchmark::State& state) {
  const StreamMessages& messages = stream_messages();
  if (!messages.error.empty()) {
    state.SkipWithError(messages.error.c_str());
    return;
  }
  const std::vector<std::string>& texts = messages.order_updates;
  const Timestamp received = timestamp_from_ms(1'767'233'400'000);
  std::int64_t events = 0;
  std::size_t message_idx = 0;
  for (auto _ : state) {
    auto parsed = parse_user_data_message(texts[message_idx], received);
    if (!parsed) [[unlikely]] {
      state.SkipWithError(parsed.error().message.c_str());
      break;
    }
    if (const auto* parsed_events = std::get_if<std::vector<venue::VenueEvent>>(&*parsed)) events += static_cast<std::int64_t>(parsed_events->size());
    if (++message_idx == texts.size()) message_idx = 0;
  }
  benchmark::DoNotOptimize(events);
  state.counters["messages"] = static_cast<double>(texts.size());
  state.counters["messages_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(UserStreamParse)->Name("UserStreamParse/order_trade_update")->MinTime(0.5)->Repetitions(3);

// ---------------------------------------------------------------------------------------------
// Cold start.

constexpr int kWarmupBars = 300;
constexpr std::array kColdStartIntervals{Interval::k1h, Interval::k15m, Interval::k5m};
constexpr int kColdStartDays = 13;  // 300 1h bars and a little more

// The cold start's clock: the wall time since `origin` plus every wait the request budget asked
// for — added up, not slept, so a one-minute wait costs the benchmark nothing and is reported as
// what it would have cost. The venue's clock is moved to it before each request (it counts the
// weight it reports in its own minute windows, as Binance does).
class PlanningClock final : public Clock {
 public:
  explicit PlanningClock(Timestamp origin) : origin_(origin), wall_start_(SteadyClock::now()) {}
  [[nodiscard]] Timestamp now() const override {
    const auto wall = std::chrono::duration_cast<Milliseconds>(SteadyClock::now() - wall_start_);
    return origin_ + wall + Milliseconds{waited_ms_.load()};
  }
  void sleep_for(Milliseconds duration) override {
    waited_ms_ += duration.count();
    ++waits_;
  }
  [[nodiscard]] Milliseconds waited() const { return Milliseconds{waited_ms_.load()}; }
  [[nodiscard]] int waits() const { return waits_; }

 private:
  Timestamp origin_;
  SteadyClock::time_point wall_start_;
  std::atomic<std::int64_t> waited_ms_{0};
  int waits_ = 0;
};

// The venue of the cold start: 200 symbols × 13 days of 1m bars (3.7 M, ~330 MB), served over
// HTTP; built once (~2 s), its clock moved forward by each run.
struct ColdStartVenue {
  Market market;  // instruments only: the bars moved into the exchange
  std::unique_ptr<loopback::LoopbackExchange> exchange;
  std::unique_ptr<net::HttpServer> server;
  std::atomic<PlanningClock*> clock{nullptr};
  // What the venue saw in the current run.
  std::atomic<int> requests{0};
  std::atomic<int> weight{0};
  std::atomic<int> peak_weight_1m{0};  // the highest X-MBX-USED-WEIGHT-1M it answered
  std::atomic<std::int64_t> handled_ns{0};  // in LoopbackExchange::handle
  std::string error;
};

std::optional<net::HttpResponse> serve_cold_start(ColdStartVenue& venue, const net::HttpServerRequest& in) {
  if (const PlanningClock* clock = venue.clock.load(); clock != nullptr) {
    const Timestamp now = clock->now();
    if (now > venue.exchange->now()) (void)venue.exchange->advance_to(now);
  }
  auto response = serve(*venue.exchange, in, &venue.handled_ns);
  ++venue.requests;
  const std::string_view query = in.query();
  if (const auto at = query.find("limit="); at != std::string_view::npos) venue.weight += klines_weight(std::atoi(query.data() + at + 6));
  if (response) {
    if (const auto used = response->headers.find("X-MBX-USED-WEIGHT-1M")) {
      venue.peak_weight_1m = std::max(venue.peak_weight_1m.load(), std::atoi(std::string(*used).c_str()));
    }
  }
  return response;
}

void build_cold_start_venue(ColdStartVenue& venue) {
  venue.market = synthetic_market(kStreamSymbols, kColdStartDays);
  auto exchange = make_exchange(venue.market, venue.market.end);
  venue.market.minutes.clear();
  if (!exchange) {
    venue.error = exchange.error().message;
    return;
  }
  venue.exchange = std::move(exchange).value();
  venue.server = std::make_unique<net::HttpServer>(net::HttpServerOptions{},
                                                   [&venue](const net::HttpServerRequest& request) { return serve_cold_start(venue, request); });
  if (auto started = venue.server->start(); !started) venue.error = started.error().message;
}

ColdStartVenue& cold_start_venue() {
  static ColdStartVenue venue;
  static const bool built = (build_cold_start_venue(venue), true);
  (void)built;
  return venue;
}

Timestamp next_minute(Timestamp time) { return timestamp_from_ms((to_ms(time) / kMinuteMs + 1) * kMinuteMs); }

enum class ColdStartWay { kFetchKlines, kCatchUpPlan };

// One symbol-interval's warm-up history.
Status warm_up(RestClient& rest, const std::string& symbol, Interval interval, Timestamp end, ColdStartWay way, std::size_t& bars) {
  const Timestamp from = end - duration_of(interval) * kWarmupBars;
  if (way == ColdStartWay::kFetchKlines) {
    WINISWIN_TRY(const std::vector<Kline> fetched, fetch_klines(rest, symbol, interval, from, end));
    if (fetched.size() != kWarmupBars) return make_error(ErrorCode::kParse, fmt::format("{} {}: {} bars", symbol, name_of(interval), fetched.size()));
    bars += fetched.size();
    return Ok{};
  }
  for (const KlineRequest& request : plan_catch_up(symbol, interval, std::nullopt, end, CatchUpConfig{kWarmupBars, 1000})) {
    WINISWIN_TRY(const QueryParams params, klines_params(KlineQuery{request.symbol, request.interval, request.start, request.end, request.limit}));
    WINISWIN_TRY(const std::string body, rest.call("GET", kKlinesPath, params, Security::kPublic, RequestCost{request.weight(), 0}));
    WINISWIN_TRY(const std::vector<Kline> fetched, parse_klines(body));
    bars += fetched.size();
  }
  return Ok{};
}

// Arguments: symbols, added latency (ms).
void ColdStart(benchmark::State& state, ColdStartWay way) {
  ColdStartVenue& venue = cold_start_venue();
  if (!venue.error.empty()) {
    state.SkipWithError(venue.error.c_str());
    return;
  }
  const auto symbols = static_cast<std::size_t>(state.range(0));
  loopback::FaultConfig faults;
  faults.latency = Milliseconds{state.range(1)};
  venue.exchange->set_faults(faults);
  RestClientConfig config;
  // The default (30 s) refuses a wait longer than that: 384 weight-5 requests spend the
  // minute's planned weight, and from the top of a minute the wait for the next is ~60 s.
  config.max_wait = Milliseconds{120'000};
  double requests = 0, weight = 0, peak_weight = 0, waits = 0, waited_s = 0, wall_s = 0, bars = 0, handled_s = 0;
  for (auto _ : state) {
    const Timestamp origin = next_minute(venue.exchange->now());  // the worst case: the top of a minute
    (void)venue.exchange->advance_to(origin);
    PlanningClock clock(origin);
    venue.requests = 0;
    venue.weight = 0;
    venue.peak_weight_1m = 0;
    venue.handled_ns = 0;
    venue.clock = &clock;
    net::HttpClient http;
    RestClient rest(http, net::Endpoint{net::Scheme::kHttp, "127.0.0.1", venue.server->port()}, std::nullopt, clock, config);
    const auto start = SteadyClock::now();
    std::size_t fetched = 0;
    for (std::size_t symbol_idx = 0; symbol_idx < symbols; ++symbol_idx) {
      for (const Interval interval : kColdStartIntervals) {
        if (auto status = warm_up(rest, venue.market.instruments[symbol_idx].symbol, interval, venue.market.end, way, fetched); !status) {
          venue.clock = nullptr;
          state.SkipWithError(status.error().message.c_str());
          return;
        }
      }
    }
    wall_s += seconds_since(start);
    venue.clock = nullptr;
    requests += venue.requests;
    handled_s += static_cast<double>(venue.handled_ns) * 1e-9;
    weight += venue.weight;
    peak_weight = std::max(peak_weight, static_cast<double>(venue.peak_weight_1m));
    waits += clock.waits();
    waited_s += std::chrono::duration<double>(clock.waited()).count();
    bars += static_cast<double>(fetched);
  }
  venue.exchange->set_faults({});
  using benchmark::Counter;
  state.counters["requests"] = Counter(requests, Counter::kAvgIterations);
  state.counters["weight"] = Counter(weight, Counter::kAvgIterations);
  state.counters["peak_weight_1m"] = peak_weight;
  state.counters["budget_waits"] = Counter(waits, Counter::kAvgIterations);
  state.counters["planned_wait_s"] = Counter(waited_s, Counter::kAvgIterations);
  state.counters["with_waits_s"] = Counter(wall_s + waited_s, Counter::kAvgIterations);
  state.counters["bars"] = Counter(bars, Counter::kAvgIterations);
  state.counters["ms_per_request"] = Counter(1'000 * wall_s / std::max(requests, 1.0));
  state.counters["venue_ms_per_request"] = Counter(1'000 * handled_s / std::max(requests, 1.0));  // of which in handle()
}
BENCHMARK_CAPTURE(ColdStart, FetchKlines, ColdStartWay::kFetchKlines)
    ->ArgNames({"symbols", "latency_ms"})->Args({200, 0})->Args({10, 50})
    ->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->UseRealTime();
BENCHMARK_CAPTURE(ColdStart, CatchUpPlan, ColdStartWay::kCatchUpPlan)
    ->ArgNames({"symbols", "latency_ms"})->Args({200, 0})->Args({10, 50})
    ->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3)->UseRealTime();

// The whole cold start at 50 ms takes 600 × 50 ms = 30 s a run: only on request.
const bool kFullLatencyRuns = [] {
  if (std::getenv("WINISWIN_BENCH_COLD_START_FULL") == nullptr) return false;
  for (const auto& [name, way] : {std::pair{"ColdStart/FetchKlines", ColdStartWay::kFetchKlines}, std::pair{"ColdStart/CatchUpPlan", ColdStartWay::kCatchUpPlan}}) {
    benchmark::RegisterBenchmark(name, ColdStart, way)
        ->ArgNames({"symbols", "latency_ms"})->Args({200, 50})
        ->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(1)->UseRealTime();
  }
  return true;
}();

// ---------------------------------------------------------------------------------------------
// Orders through the venue.

// One symbol with two hours of history: a LIMIT buy 20 % under the last close rests (nothing
// fills: the venue's clock is not moved past it).
struct OrderVenue {
  Market market;
  venue::OrderRequest order;  // client id set per order
};

Result<OrderVenue> order_venue() {
  OrderVenue built;
  built.market = synthetic_market(1, 1);
  const Instrument& instrument = built.market.instruments.front();
  const Price last = built.market.minutes.front().bars[119].close;
  WINISWIN_TRY(const Price price, Price::from_double(last.to_double() * 0.8));
  const Price limit_price = instrument.round_price_down(price);
  WINISWIN_TRY(const Quantity quantity, instrument.min_tradable_quantity(limit_price, OrderKind::kLimit));
  built.order = venue::OrderRequest{instrument.symbol, Side::kBuy, venue::OrderType::kLimit, quantity, limit_price, false, ""};
  return built;
}

void BinanceVenueLimitPlaceCancel(benchmark::State& state) {
  auto setup = order_venue();
  if (!setup) {
    state.SkipWithError(setup.error().message.c_str());
    return;
  }
  auto exchange = make_exchange(setup->market, setup->market.first + Milliseconds{120 * kMinuteMs}, loopback::ServerClock::kWall);
  if (!exchange) {
    state.SkipWithError(exchange.error().message.c_str());
    return;
  }
  loopback::LoopbackServerConfig server_config;
  server_config.speed = 1.0;  // live pace: no bar closes during the run
  loopback::LoopbackServer server(std::move(exchange).value(), server_config);
  if (auto started = server.start(); !started) {
    state.SkipWithError(started.error().message.c_str());
    return;
  }
  // Binance's order limits (240 orders per 10 s planned) would make this a measure of the
  // budget: raised, so that it measures the client, the transport and the venue.
  RestClientConfig config;
  config.limits = RequestLimits{1'000'000'000, 1'000'000'000, 1'000'000'000, 1.0};
  net::HttpClient http;
  RestClient rest(http, net::Endpoint{net::Scheme::kHttp, "127.0.0.1", server.port()}, signer(), system_clock(), config);
  if (auto synced = rest.sync_time(); !synced) {
    state.SkipWithError(synced.error().message.c_str());
    return;
  }
  BinanceVenue venue(rest);
  venue::OrderRequest order = setup->order;
  std::int64_t order_idx = 0;
  for (auto _ : state) {
    order.client_order_id = fmt::format("bench-{}", order_idx++);
    const venue::SubmitOutcome placed = venue.submit(order);
    if (!placed.accepted()) [[unlikely]] {
      state.SkipWithError(("placing: " + placed.error().message).c_str());
      break;
    }
    if (auto cancelled = venue.cancel(order.symbol, order.client_order_id); !cancelled) [[unlikely]] {
      state.SkipWithError(("cancelling: " + cancelled.error().message).c_str());
      break;
    }
  }
  using benchmark::Counter;
  state.counters["orders_per_s"] = Counter(static_cast<double>(order_idx), Counter::kIsRate);
  state.counters["requests_per_s"] = Counter(2.0 * static_cast<double>(order_idx), Counter::kIsRate);
  state.counters["connections"] = static_cast<double>(http.connections_opened());
}
BENCHMARK(BinanceVenueLimitPlaceCancel)->Unit(benchmark::kMicrosecond)->MinTime(1.0)->Repetitions(3)->UseRealTime();

void LoopbackHandleLimitPlaceCancel(benchmark::State& state) {
  auto setup = order_venue();
  if (!setup) {
    state.SkipWithError(setup.error().message.c_str());
    return;
  }
  auto created = make_exchange(setup->market, setup->market.first + Milliseconds{120 * kMinuteMs});
  if (!created) {
    state.SkipWithError(created.error().message.c_str());
    return;
  }
  loopback::LoopbackExchange& exchange = **created;
  const RequestSigner request_signer = signer();
  constexpr int kBatch = 256;  // pairs signed outside the timed part
  std::vector<loopback::HttpRequest> batch;
  venue::OrderRequest order = setup->order;
  std::int64_t order_idx = 0;
  for (auto _ : state) {
    state.PauseTiming();
    batch.clear();
    for (int pair_idx = 0; pair_idx < kBatch; ++pair_idx) {
      order.client_order_id = fmt::format("bench-{}", order_idx++);
      auto place = signed_request("POST", kOrderPath, new_order_params(order).value(), exchange.server_time(), request_signer);
      auto cancel = signed_request("DELETE", kOrderPath, order_by_client_id_params(order.symbol, order.client_order_id).value(),
                                   exchange.server_time(), request_signer);
      if (!place || !cancel) {
        state.SkipWithError("cannot sign the requests");
        return;
      }
      batch.push_back(std::move(place).value());
      batch.push_back(std::move(cancel).value());
    }
    state.ResumeTiming();
    for (const loopback::HttpRequest& request : batch) {
      const loopback::HttpResponse response = exchange.handle(request);
      if (response.status != 200) [[unlikely]] {
        state.SkipWithError(("refused: " + response.body).c_str());
        return;
      }
    }
  }
  using benchmark::Counter;
  state.counters["orders_per_s"] = Counter(static_cast<double>(state.iterations() * kBatch), Counter::kIsRate);
  state.counters["requests_per_s"] = Counter(2.0 * static_cast<double>(state.iterations() * kBatch), Counter::kIsRate);
}
BENCHMARK(LoopbackHandleLimitPlaceCancel)->Unit(benchmark::kMillisecond)->MinTime(1.0)->Repetitions(3);

}  // namespace
}  // namespace winiswin::binance
