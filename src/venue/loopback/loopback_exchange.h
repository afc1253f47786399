// The transport-independent core of the Binance-compatible loopback venue (issue 12): Binance
// USDⓈ-M's REST API and stream messages over the simulator (SimVenue), on a manual clock and
// historical or synthetic 1m bars. An HTTP/WebSocket server hands it each request and pushes
// the messages it queues; tests call it directly.
//
// What the transport does:
// - handle(request) for every HTTP request: raw target and body, headers (X-MBX-APIKEY).
//   The response carries status, headers (X-MBX-USED-WEIGHT-1M on every answer,
//   X-MBX-ORDER-COUNT-10S/-1M on order placements), the JSON body, and two instructions:
//   `delay` (wait before answering) and `withhold` (never answer: the client times out).
// - advance_to(time) from its clock (or a test): every 1m bar that closed by then is fed to
//   the simulator in time order, orders execute on it, events and stream messages are queued.
// - take_user_messages(listenKey) for each user-data connection (/ws/<key>,
//   /private/ws?listenKey=<key>): ORDER_TRADE_UPDATE, ACCOUNT_UPDATE, ALGO_UPDATE,
//   ACCOUNT_CONFIG_UPDATE and listenKeyExpired payloads, oldest first. A key that expired
//   delivers its last messages and listenKeyExpired, then nothing: the transport closes it.
// - subscribe/unsubscribe(stream) as connections come and go and send SUBSCRIBE frames, and
//   take_market_messages() for the kline and markPrice messages of subscribed streams
//   (each message names its stream; send `combined()` on /stream connections, `data` on /ws).
// Thread safety: every public method takes one internal lock, so the transport's I/O
// threads and its clock may call in concurrently; calls are served one at a time.
//
// What the venue is (and is not), compared with Binance:
// - One account (every configured API key trades it), one-way position mode, USDT margin.
// - Orders execute on the next bar (SimVenue): a MARKET order placed now fills at the next
//   1m bar's open, so newOrderRespType=RESULT answers it as it stands (NEW), not FILLED.
// - Conditional orders only through the Algo Service (STOP_MARKET, TAKE_PROFIT_MARKET);
//   on /fapi/v1/order they are -4120, as on Binance since 2025-12-09.
// - Klines serve closed bars only (market_data.h says why). Mark price = last close.
// - Signed requests: HMAC-SHA256 over the raw query + raw body (signature.h); the timestamp
//   is checked against the server clock (the exchange clock plus any skew fault), or not at
//   all with TimestampCheck::kOff (replays whose clients keep wall-clock time).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/instrument.h"
#include "core/kline.h"
#include "core/leverage_bracket.h"
#include "venue/loopback/faults.h"
#include "venue/loopback/form_params.h"
#include "venue/loopback/http.h"
#include "venue/loopback/json_writer.h"
#include "venue/loopback/market_data.h"
#include "venue/loopback/market_streams.h"
#include "venue/loopback/usage_counters.h"
#include "venue/loopback/user_streams.h"
#include "venue/sim/sim_venue.h"

namespace winiswin::loopback {

struct ApiCredentials {
  std::string api_key;
  std::string secret;  // HMAC-SHA256 secret
};

// What serverTime is (GET /fapi/v1/time, exchangeInfo, the recvWindow check).
enum class ServerClock {
  kExchange,  // the exchange clock (replays and tests: time moves only with advance_to)
  kWall,      // this machine's clock, as Binance's: clients that sync to it sign valid timestamps
              // whatever the replay speed (market and event times follow the exchange clock)
};
enum class TimestampCheck {
  kServerClock,  // Binance's rule: timestamp < server + 1000 and server − timestamp ≤ recvWindow
  kOff,          // no -1021 (clients on wall-clock time against a replayed clock)
};

struct LoopbackConfig {
  std::vector<ApiCredentials> credentials;
  sim::SimVenueConfig venue;
  // The exchange clock's first time: bars that closed before it are history, fed at creation.
  Timestamp start;
  TimestampCheck timestamp_check = TimestampCheck::kServerClock;
  ServerClock server_clock = ServerClock::kExchange;
  // What exchangeInfo.rateLimits lists; the IP weight limit is enforced when asked (429, then
  // 418 for a client that ignores the 429), as Binance enforces it.
  bool enforce_weight_limit = false;
  int weight_limit_1m = 2400;
  int order_limit_10s = 300;
  int order_limit_1m = 1200;
  FaultConfig faults;
};

using BracketMap = std::map<std::string, std::vector<LeverageBracket>>;

class LoopbackExchange {
 public:
  // Every series must be 1m bars of a listed instrument (market_data.h).
  static Result<std::unique_ptr<LoopbackExchange>> create(std::vector<Instrument> instruments, BracketMap brackets,
                                                          std::vector<KlineSeries> minutes, LoopbackConfig config);

  HttpResponse handle(const HttpRequest& request);

  // Moves the exchange clock forward (never back: an error) and feeds the bars closed by then.
  Status advance_to(Timestamp time);
  [[nodiscard]] Timestamp now() const;
  [[nodiscard]] Timestamp server_time() const;  // now() + clock skew

  void set_faults(FaultConfig faults);
  [[nodiscard]] FaultConfig faults() const;
  // The listen-key expiry fault: every active key expires now.
  void expire_listen_keys();

  void subscribe(std::string_view stream);
  void unsubscribe(std::string_view stream);
  std::vector<MarketStreamMessage> take_market_messages();
  // -1125 for a key never issued.
  Result<std::vector<UserStreamMessage>> take_user_messages(std::string_view listen_key);
  [[nodiscard]] bool listen_key_active(std::string_view listen_key) const;

 private:
  enum class Security { kNone, kApiKey, kSigned };  // NONE; USER_STREAM / MARKET_DATA; TRADE / USER_DATA
  struct Call {
    const HttpRequest& request;
    const RequestParams& params;
  };
  using Handler = Result<std::string> (LoopbackExchange::*)(const Call&);
  struct Route {
    std::string_view method;
    std::string_view path;
    Security security;
    int (*weight)(const RequestParams&);
    bool places_order;  // counts on ORDER-COUNT-10S/-1M
    Handler handler;
  };
  // What the venue keeps about an order beyond the simulator's report (the request's
  // details Binance echoes, and where to find it by orderId).
  struct OrderFacts {
    std::string symbol;
    std::string client_order_id;
    std::string type;  // as Binance names it: MARKET, LIMIT
    std::string original_type;  // a triggered algo order's child: the algo order's type
    Quantity quantity;
    Price price;
    Price stop_price;
    bool reduce_only = false;
    bool close_position = false;
    std::string time_in_force = "GTC";
    std::int64_t algo_id = 0;
  };
  struct AlgoFacts {
    venue::AlgoOrderRequest request;
    Timestamp placed;  // exchange clock: the read-after-write lag counts from here
  };
  // One symbol's position as the account endpoints print it (endpoints_account.cpp).
  struct PositionView {
    std::string symbol;
    Quantity amount;  // signed
    Price entry;
    Price mark;
    Price liquidation;
    Notional unrealized;
    Notional notional;  // signed, at mark
    Notional initial_margin;
    Notional maint_margin;
    Notional isolated_wallet;  // isolated: the position's margin; crossed: 0
    Notional open_order_margin;  // initial margin of its open orders that would add exposure
    int leverage = 0;
    venue::MarginType margin_type = venue::MarginType::kIsolated;
    bool has_open_orders = false;
  };
  struct SymbolSettings {
    int leverage = 10;
    venue::MarginType margin_type = venue::MarginType::kIsolated;
  };

  LoopbackExchange(std::vector<Instrument> instruments, BracketMap brackets, MarketData market, LoopbackConfig config);
  static const std::vector<Route>& routes();

  // Dispatch (loopback_exchange.cpp).
  HttpResponse dispatch(const HttpRequest& request);
  std::optional<HttpResponse> injected_failure();
  std::optional<HttpResponse> over_limit(int weight);
  Status authenticate(const HttpRequest& request, const RequestParams& params, Security security) const;
  HttpResponse answer(Result<std::string> body, const Route& route);
  void feed_bar(std::size_t market_idx, const Kline& bar);
  [[nodiscard]] FundingView funding_view() const;
  [[nodiscard]] Timestamp server_clock() const;  // server_time() for callers that hold the lock

  // Shared lookups.
  Result<const Instrument*> instrument_param(const RequestParams& params) const;
  [[nodiscard]] const Instrument* find_listed(std::string_view symbol) const;
  [[nodiscard]] Price mark_of(const std::string& symbol) const;
  [[nodiscard]] Notional max_notional(const std::string& symbol, int leverage) const;
  std::string next_client_id(std::string_view prefix);
  bool lose_answer_for(const std::string& client_id);

  // User-data events (user_events.cpp): the simulator's events as Binance pushes them.
  void publish_venue_events();
  void publish_order_update(const venue::VenueEvent& event);
  void publish_algo_update(const venue::VenueEvent& event);
  void publish_account_update(const venue::VenueEvent& position, const venue::VenueEvent& balance);
  void publish_funding(const venue::VenueEvent& event);

  // Market data (endpoints_market.cpp).
  Result<std::string> ping(const Call& call);
  Result<std::string> time(const Call& call);
  Result<std::string> exchange_info(const Call& call);
  Result<std::string> klines(const Call& call);
  Result<std::string> ticker_24hr(const Call& call);
  Result<std::string> ticker_price(const Call& call);
  Result<std::string> premium_index(const Call& call);
  Result<std::string> leverage_bracket(const Call& call);

  // Account (endpoints_account.cpp).
  Result<std::string> change_leverage(const Call& call);
  Result<std::string> change_margin_type(const Call& call);
  Result<std::string> position_mode(const Call& call);
  Result<std::string> change_position_mode(const Call& call);
  Result<std::string> position_risk_v2(const Call& call);
  Result<std::string> position_risk_v3(const Call& call);
  Result<std::string> balance(const Call& call);
  Result<std::string> account_v2(const Call& call);
  Result<std::string> account_v3(const Call& call);
  Result<std::string> commission_rate(const Call& call);
  Result<std::string> symbol_config(const Call& call);
  template <typename Write>
  Result<std::string> one_or_all(const Call& call, const Write& write);
  Result<std::vector<const Instrument*>> symbols_asked(const Call& call) const;
  Result<std::string> account(bool version2);
  Result<std::vector<PositionView>> position_views();
  Result<std::string> position_risk(const Call& call, bool version2);

  // Regular orders (endpoints_orders.cpp).
  Result<std::string> new_order(const Call& call);
  Result<std::string> query_order(const Call& call);
  Result<std::string> cancel_order(const Call& call);
  Result<std::string> open_orders(const Call& call);
  Result<std::string> open_order(const Call& call);
  Result<std::string> cancel_all_orders(const Call& call);
  Result<std::string> order_report_json(const Instrument& instrument, const Call& call, bool open_only);
  void write_order(JsonWriter& json, const venue::OrderStatusReport& report) const;
  void remember_order(const venue::OrderStatusReport& report, OrderFacts facts);

  // Algo orders (endpoints_algo.cpp).
  Result<std::string> new_algo_order(const Call& call);
  Result<std::string> query_algo_order(const Call& call);
  Result<std::string> cancel_algo_order(const Call& call);
  Result<std::string> open_algo_orders(const Call& call);
  Result<std::string> cancel_all_algo_orders(const Call& call);
  Result<const AlgoFacts*> visible_algo(const RequestParams& params, int not_found_code) const;
  void write_algo_order(JsonWriter& json, const venue::AlgoOrderReport& report, bool open_listing) const;

  // Listen keys (endpoints_user_stream.cpp).
  Result<std::string> open_listen_key(const Call& call);
  Result<std::string> keepalive_listen_key(const Call& call);
  Result<std::string> close_listen_key(const Call& call);

  mutable std::mutex mutex_;
  LoopbackConfig config_;
  std::vector<Instrument> instruments_;
  BracketMap brackets_;
  sim::SimVenue sim_;
  MarketData market_;
  Timestamp now_;
  std::map<std::string, SymbolSettings, std::less<>> settings_;
  std::map<std::int64_t, OrderFacts> orders_;                // by orderId
  std::map<std::int64_t, AlgoFacts> algos_;                  // by algoId
  std::map<std::string, std::int64_t, std::less<>> algo_ids_;  // clientAlgoId → the latest algoId
  std::vector<std::string> answers_to_lose_;                 // from faults.lose_answer_for, consumed
  UsageCounters usage_;
  std::optional<Timestamp> held_until_;    // a 429 given: until the next minute
  std::optional<Timestamp> banned_until_;  // a 418 given
  static constexpr Milliseconds kBanAfterIgnoring429{120'000};  // Binance's shortest ban
  FaultDice dice_;
  UserStreams user_streams_;
  MarketStreams market_streams_;
  std::optional<venue::VenueEvent> pending_position_;  // a position change waiting for its balance change
  std::int64_t next_trade_id_ = 1;
  std::int64_t next_client_id_ = 1;
};

}  // namespace winiswin::loopback
