// The simulated USDⓈ-M exchange: one-way positions, isolated or cross margin, Binance's order
// validation and error codes, fills on the bars it is fed (1m bars where the data has
// them), maker/taker fees. The engine talks to it through the Venue interface only.
//
// Contract, in the order checks run (Binance does not document its order; this is ours):
//   client order id  ^[.A-Z:/a-z0-9_-]{1,36}$ (-4015), unique among open orders (-4116)
//   symbol           known and TRADING (-1121)
//   parameters       closePosition only on STOP_MARKET/TAKE_PROFIT_MARKET, without quantity
//                    (-1106) or reduceOnly (-1128)
//   prices           LIMIT price and trigger prices pass PRICE_FILTER (-4013/-4002/-4014;
//                    trigger: -4006/-4007/-4014)
//   quantity         > 0 (-4003), LOT_SIZE or MARKET_LOT_SIZE (-4004/-4005/-4023)
//   notional         ≥ MIN_NOTIONAL at the limit/trigger/last price, unless reduce-only (-4164)
//   reduce-only      needs a position on the other side (-2022); a closePosition order may
//                    wait for one (placed with its entry, it protects from the first fill)
//   trigger          a stop or take-profit that the price it watches (last, or mark for
//                    workingType MARK_PRICE) already satisfies (-2021)
//   margin           an order that adds exposure needs notional / leverage available (-2019);
//                    an order against the position needs it only for what goes beyond it
// Execution on each bar, in order: MARKET orders fill at the bar's open (they were decided
// at the previous close); LIMIT orders fill when the bar trades through their price (at the
// open if it opens beyond it, as a taker; otherwise at the price, as a maker); STOP_MARKET
// and TAKE_PROFIT_MARKET trigger on the bar's range and fill as market orders per
// fill_model.h (gaps at the open, slippage against the position, the stop first when a bar
// touches both); with workingType MARK_PRICE and mark bars fed, they trigger on the mark
// bar and fill on the contract bar. When a position closes, its reduce-only and
// closePosition orders expire.
// Funding is paid at funding times while a position is open; a bar through the liquidation
// price liquidates (see SimVenueConfig) — after the stops, unless no stop lies between the
// price and the liquidation price (then the liquidation comes first).
// Cross margin (margin.h): a crossed position's liquidation price is Binance's with the
// cross wallet (the wallet less the isolated positions' margins), less the maintenance
// margin and plus the unrealised PnL of the other crossed positions at their last marks. A
// crossed position is liquidated alone, at its own price, when its bar reaches it (Binance
// may take several at once; bars of different symbols are not simultaneous here), and may
// lose beyond its initial margin: the cross wallet pays. The available balance is the
// wallet less the margin held and less the crossed positions' unrealised losses (profits
// are not lent on).
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "core/funding_rate.h"
#include "core/instrument.h"
#include "core/kline.h"
#include "core/leverage_bracket.h"
#include "venue/sim/fill_model.h"
#include "venue/venue.h"

namespace winiswin::sim {

struct SimVenueConfig {
  Notional starting_balance = Notional::from_units(10'000);
  Ratio maker_fee = Ratio::from_raw(20'000);  // 0.02 %
  Ratio taker_fee = Ratio::from_raw(50'000);  // 0.05 %
  int default_leverage = 10;
  FillModelConfig fills;
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
};

class SimVenue final : public venue::Venue {
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
  [[nodiscard]] std::optional<std::size_t> index_of(const std::string& symbol) const;
  Status on_bar(std::size_t symbol_index, const Kline& bar, const Kline* mark = nullptr);
  [[nodiscard]] bool has_events() const { return !events_.empty(); }
  // Where a symbol's data stops (a gap, or its end): its open orders are canceled and its
  // position, if any, closes at the last bar's close as a taker MARKET order with
  // `client_order_id`, reported like any fill with `reason` — a backtest cannot fill at a
  // later bar of that symbol: there is none.
  Status close_out(std::size_t symbol_index, const std::string& client_order_id, const std::string& reason);
  // Real funding history for a symbol (times and rates as Binance reported them).
  Status set_funding(const std::string& symbol, std::vector<FundingRate> rates);

  Result<venue::OrderAck> submit(const venue::OrderRequest& request) override;
  Status cancel(const std::string& symbol, const std::string& client_order_id) override;
  Status set_leverage(const std::string& symbol, int leverage) override;
  Status set_margin_type(const std::string& symbol, venue::MarginType type) override;
  [[nodiscard]] std::vector<venue::OpenOrder> open_orders(const std::string& symbol) const override;
  [[nodiscard]] std::vector<venue::PositionReport> positions() const override;
  [[nodiscard]] venue::BalanceReport balance() const override;
  std::vector<venue::VenueEvent> drain_events() override;

 private:
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
    std::vector<venue::OpenOrder> orders;
    std::vector<FundingRate> funding;  // empty: the default schedule
    std::size_t next_funding = 0;
  };

  Book* book(const std::string& symbol);
  Result<venue::OrderAck> reject(const venue::OrderRequest& request, int code, const std::string& message);
  void fill(Book& book, const venue::OpenOrder& order, Price price, bool maker, Timestamp time, const std::string& reason);
  void expire_protective_orders(Book& book, Timestamp time);
  void emit_order_update(const venue::OpenOrder& order, venue::OrderStatus status, Timestamp time, std::string reason);
  void apply_funding(Book& book, Timestamp open_time, Timestamp close_time, Price mark);
  void check_liquidation(Book& book, const Kline& mark);
  [[nodiscard]] bool liquidation_comes_first(const Book& book, const Kline& mark) const;
  [[nodiscard]] std::optional<double> liquidation_reached(const Book& book, const Kline& mark) const;
  // What stands behind a position in the liquidation price: its isolated margin, or for a
  // crossed one the cross wallet less the other crossed positions' maintenance margin plus
  // their unrealised PnL.
  [[nodiscard]] double backing_of(const Book& book) const;
  static double mark_of(const Book& book);
  [[nodiscard]] Notional used_margin() const;
  static Quantity opening_quantity(const Book& entry, const venue::OrderRequest& request);

  SimVenueConfig config_;
  std::vector<Book> books_;  // by symbol name
  std::map<std::string, std::size_t, std::less<>> index_;
  Notional wallet_;
  std::int64_t next_order_id_ = 1;
  std::vector<venue::VenueEvent> events_;
};

}  // namespace winiswin::sim
