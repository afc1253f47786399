// The simulated USDⓈ-M exchange: one-way positions, isolated or cross margin, Binance's order
// validation and error codes, fills on the bars it is fed (1m bars where the data has
// them), maker/taker fees. The engine talks to it through the Venue interface only.
//
// Regular orders (submit), checks in this order (Binance does not document its order; this is ours):
//   type             STOP_MARKET / TAKE_PROFIT_MARKET: -4120, "use the Algo Order API" (as
//                    Binance since 2025-12-09)
//   client order id  ^[.A-Z:/a-z0-9_-]{1,36}$ (-4015), unique among open orders (-4116)
//   symbol           known and TRADING (-1121)
//   price            a LIMIT price passes PRICE_FILTER (-4013/-4002/-4014)
//   quantity         > 0 (-4003), LOT_SIZE or MARKET_LOT_SIZE (-4004/-4005/-4023)
//   notional         ≥ MIN_NOTIONAL at the limit or last price, unless reduce-only (-4164)
//   reduce-only      needs a position on the other side (-2022)
//   margin           an order that adds exposure needs notional / leverage available (-2019);
//                    an order against the position needs it only for what goes beyond it
// Algo orders (submit_algo; STOP_MARKET and TAKE_PROFIT_MARKET), in this order:
//   client algo id   as above (-4015), unique among open algo orders (-20132)
//   symbol           (-1121)
//   parameters       closePosition without quantity (-1106) and without reduceOnly (-1128)
//   trigger price    PRICE_FILTER (-4006/-4007/-4014; -4013 below the minimum)
//   quantity         unless closePosition: > 0 (-4003), MARKET_LOT_SIZE (-4004/-4005/-4023)
//   notional         ≥ MIN_NOTIONAL at the trigger price, unless reduce-only/closePosition (-4164)
//   reduce-only      needs a position on the other side (-2022); a closePosition order may
//                    wait for one (placed with its entry, it protects from the first fill)
//   trigger          one the price it watches (last, or mark for MARK_PRICE) already
//                    satisfies (-2021)
//   An algo order holds no margin while it waits: like Binance's Algo Service, the margin
//   check happens when it triggers (REJECTED then, with the reason). priceProtect is kept
//   and reported but not modelled (no triggerProtect threshold here).
// Funding is paid at funding times while a position is open; a bar through the liquidation
// price liquidates (see SimVenueConfig) — after the stops, unless no stop lies between the
// price and the liquidation price (then the liquidation comes first). The liquidation is a
// fill of an order of its own (the next order id, client id "autoclose-<ms>" as Binance
// names its liquidation orders) with cause kLiquidation.
// Cross margin (margin.h): a crossed position's liquidation price is Binance's with the
// cross wallet (the wallet less the isolated positions' margins), less the maintenance
// margin and plus the unrealised PnL of the other crossed positions at their last marks. A
// crossed position is liquidated alone, at its own price, when its bar reaches it (Binance
// may take several at once; bars of different symbols are not simultaneous here), and may
// lose beyond its initial margin: the cross wallet pays. The available balance is the
// wallet less the margin held and less the crossed positions' unrealised losses (profits
// are not lent on).
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/funding_rate.h"
#include "core/instrument.h"
#include "core/kline.h"
#include "core/leverage_bracket.h"
#include "venue/fill_model.h"
#include "venue/bar_driven.h"
#include "venue/venue.h"

namespace winiswin::sim {

struct SimVenueConfig {
  Notional starting_balance = Notional::from_units(10'000);
  Ratio maker_fee = Ratio::from_raw(20'000);  // 0.02 %
  Ratio taker_fee = Ratio::from_raw(50'000);  // 0.05 %
  int default_leverage = 10;
  venue::FillModelConfig fills;
  // Funding: a symbol's own history when given (set_funding), else this rate every 8 h at
  // 00:00, 08:00 and 16:00 UTC. Applied at the mark of the bar holding the funding time
  // (the bar's open: contract bars stand in for mark price), after that bar's market fills.
  Ratio default_funding_rate = Ratio::from_raw(10'000);  // 0.01 %
  // Liquidation: when the bar trades through the position's liquidation price (margin.h),
  // the position closes there and pays a fee on the notional, at most its margin left: the
  // symbol's own rate (Instrument::liquidation_fee, from exchangeInfo) when known, else this.
  Ratio liquidation_fee = Ratio::from_raw(1'250'000);  // 1.25 %
  // Every symbol's margin type until set_margin_type changes it (Binance's default is cross;
  // ours is isolated: a position can lose only its own margin).
  venue::MarginType margin_type = venue::MarginType::kIsolated;
  // Done orders (and done algo orders) per symbol that query_order / query_algo still find.
  std::size_t queryable_done_orders = 128;
};

// The fault-injection seam (lose_next_ack_for): what became of the request whose answer was lost.
enum class LostAck {
  kOrderPlaced,     // the venue acted on it as usual (events, queries); only the answer is lost
  kOrderNotPlaced,  // it never reached the matching engine: nothing happened
};

class SimVenue final : public venue::BarDrivenVenue {
 public:
  SimVenue(const std::vector<Instrument>& instruments, const std::map<std::string, std::vector<LeverageBracket>>& brackets,
           SimVenueConfig config = {});

  // The next closed bar of `symbol`, in time order: executes that symbol's orders on it.
  // `mark`, when given, is the mark-price bar of the same time: MARK_PRICE stops and
  // take-profits trigger on it (and fill on the contract bar), liquidation and funding use
  // it. Without it the contract bar stands in for the mark.
  Status on_bar(const std::string& symbol, const Kline& bar, const Kline* mark = nullptr);
  // The same by the symbol's index (index_of), without a name lookup: the backtest feeds
  // every bar of every symbol, most of them to books with nothing to do.
  [[nodiscard]] std::optional<std::size_t> index_of(const std::string& symbol) const override;
  Status on_bar(std::size_t symbol_index, const Kline& bar, const Kline* mark = nullptr) override;
  [[nodiscard]] bool has_events() const override { return !events_.empty(); }
  // Where a symbol's data stops (a gap, or its end): bar_driven.h. A backtest cannot fill at
  // a later bar of that symbol: there is none.
  Status close_out(std::size_t symbol_index, const std::string& client_order_id, const std::string& reason) override;
  // Real funding history for a symbol (times and rates as Binance reported them).
  Status set_funding(const std::string& symbol, std::vector<FundingRate> rates);

  // Fault injection, for tests of callers: the next submit or submit_algo whose client id
  // (clientOrderId or clientAlgoId) is `client_id` answers kUnknown with Binance's -1007
  // ("Timeout waiting for response from backend server. Send status unknown; execution
  // status unknown."), whatever the venue decided — the case a real exchange produces and
  // the simulator otherwise never does. Once per call; later submits answer normally.
  void lose_next_ack_for(std::string client_id, LostAck what = LostAck::kOrderPlaced);

  venue::SubmitOutcome submit(const venue::OrderRequest& request) override;
  Status cancel(const std::string& symbol, const std::string& client_order_id) override;
  Result<std::optional<venue::OrderStatusReport>> query_order(const std::string& symbol,
                                                              const std::string& client_order_id) override;
  Result<std::vector<venue::OrderStatusReport>> open_orders(const std::string& symbol) override;
  venue::SubmitOutcome submit_algo(const venue::AlgoOrderRequest& request) override;
  Status cancel_algo(const std::string& symbol, const std::string& client_algo_id) override;
  Result<std::optional<venue::AlgoOrderReport>> query_algo(const std::string& symbol,
                                                           const std::string& client_algo_id) override;
  Result<std::vector<venue::AlgoOrderReport>> open_algo_orders(const std::string& symbol) override;
  Status set_leverage(const std::string& symbol, int leverage) override;
  Status set_margin_type(const std::string& symbol, venue::MarginType type) override;
  Result<std::vector<venue::PositionReport>> positions() override;
  Result<venue::BalanceReport> balance() override;
  [[nodiscard]] std::vector<venue::VenueEvent> drain_events() override;

 private:
  // An open regular order; also the MARKET order a triggered algo order becomes (algo_id set).
  struct RestingOrder {
    std::int64_t order_id = 0;
    venue::OrderRequest request;
    Timestamp created;
    std::int64_t algo_id = 0;  // the algo order it came from, if any
    bool close_position = false;
  };
  struct AlgoOrder {
    std::int64_t algo_id = 0;
    venue::AlgoOrderRequest request;
    Timestamp created;
  };
  struct Book {
    Instrument instrument;
    std::vector<LeverageBracket> brackets;
    int leverage = 10;
    // What the book needs of the last bar (not the whole bar: every bar of every symbol passes here).
    struct LastBar {
      Timestamp open_time;
      Timestamp close_time;
      Price close;
    };
    std::optional<LastBar> last_bar;
    std::optional<Price> last_mark;  // the last mark bar's close, when mark bars are fed
    Quantity position;  // signed
    double entry_price = 0.0;
    Notional margin;  // held by the position: isolated margin, or a crossed position's initial margin
    venue::MarginType margin_type = venue::MarginType::kIsolated;
    std::vector<RestingOrder> orders;     // open regular orders
    std::vector<AlgoOrder> algo_orders;   // algo orders waiting for their trigger
    std::deque<venue::OrderStatusReport> done_orders;     // the last queryable_done_orders, oldest first
    std::deque<venue::AlgoOrderReport> done_algo_orders;  // likewise
    std::vector<FundingRate> funding;  // empty: the default schedule
    std::size_t next_funding = 0;
  };

  Book* book(const std::string& symbol);
  Result<venue::OrderAck> place(const venue::OrderRequest& request);
  Result<venue::OrderAck> place_algo(const venue::AlgoOrderRequest& request);
  // The lost-ack fault for this client id, consumed.
  std::optional<LostAck> take_lost_ack(const std::string& client_id);
  // The fill of a regular order (whole: the simulator does not fill partially); returns the quantity.
  Quantity fill(Book& book, const RestingOrder& order, Price price, bool maker, Timestamp time, const std::string& reason);
  void trigger(Book& book, const AlgoOrder& algo, Price price, Timestamp time, const std::string& reason);
  void expire_order(Book& book, const RestingOrder& order, Timestamp time, const std::string& reason);
  void expire_protective_orders(Book& book, Timestamp time);
  void emit(venue::VenueEvent event);
  void emit_position_and_balance(const venue::VenueEvent& fill, Price entry_price, Quantity position);
  void emit_order_update(const RestingOrder& order, venue::OrderStatus status, Timestamp time, venue::EventCause cause,
                         std::string reason);
  // An algo order's update; `order_id`, `executed` and `average` once it has triggered.
  void emit_algo_update(const AlgoOrder& algo, venue::AlgoStatus status, Timestamp time, venue::EventCause cause,
                        std::string reason, std::int64_t order_id = 0, Quantity executed = {}, Price average = {});
  void remember(Book& book, venue::OrderStatusReport report) const;
  void remember(Book& book, venue::AlgoOrderReport report) const;
  static venue::OrderStatusReport report_of(const RestingOrder& order);
  static venue::AlgoOrderReport report_of(const AlgoOrder& algo);
  void apply_funding(Book& book, Timestamp open_time, Timestamp close_time, Price mark);
  void check_liquidation(Book& book, const Kline& mark);
  [[nodiscard]] bool liquidation_comes_first(const Book& book, const Kline& mark) const;
  [[nodiscard]] std::optional<double> liquidation_reached(const Book& book, const Kline& mark) const;
  // The position's liquidation price on the tick (a long's rounded down, a short's up), if any.
  [[nodiscard]] std::optional<Price> liquidation_price_of(const Book& book) const;
  // What stands behind a position in the liquidation price: its isolated margin, or for a
  // crossed one the cross wallet less the other crossed positions' maintenance margin plus
  // their unrealised PnL.
  [[nodiscard]] double backing_of(const Book& book) const;
  static double mark_of(const Book& book);
  [[nodiscard]] Notional used_margin() const;
  static Quantity opening_quantity(const Book& entry, Side side, Quantity quantity);

  SimVenueConfig config_;
  std::vector<Book> books_;  // by symbol name
  std::map<std::string, std::size_t, std::less<>> index_;
  Notional wallet_;
  std::int64_t next_order_id_ = 1;
  // Algo ids are their own sequence (as Binance's); offset so that one is never mistaken for an order id.
  static constexpr std::int64_t kFirstAlgoId = 1'000'000'001;
  std::int64_t next_algo_id_ = kFirstAlgoId;
  std::map<std::string, LostAck, std::less<>> lost_acks_;
  std::vector<venue::VenueEvent> events_;
};

}  // namespace winiswin::sim
