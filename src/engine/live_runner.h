// The live decision loop, for paper and live trading: closed bars in as they come (from the
// market feed, or any source), each symbol's SymbolPipeline, and at every 5m close the
// Trader — the same decision step the backtest takes — over the symbols that closed it.
// Virtual positions follow the same bars. The venue behind the trader is the simulator
// driven by the same bars (paper) or Binance (live); this runner sees only venue/venue.h.
//
// The caller's order at each 5m close T: every symbol's bar ending at T through on_bar()
// (paper: the simulator given the bar first, and on_venue_events() after it), then decide(T).
// A symbol whose bar for T has not come by then is not a candidate at T.
// Not thread-safe: one decision thread drives it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/instrument.h"
#include "core/leverage_bracket.h"
#include "engine/symbol_pipeline.h"
#include "engine/trader.h"
#include "execution/virtual_book.h"
#include "strategy/market_snapshot.h"

namespace winiswin::engine {

struct LiveRunnerConfig {
  CycleConfig cycle;
  risk::PortfolioConfig portfolio;
  int max_holding_minutes = 24 * 60;
  venue::FillModelConfig fills;   // how virtual positions fill: the venue's own rules
  std::string client_prefix = "live";  // the run's client-id prefix (restart-safe: kept in the journal)
  Interval bars = Interval::k5m;  // what on_bar is given: 1m or 5m
  bool trading_enabled = true;    // false: decide and record, send nothing (Trader::set_sending)
};

class LiveRunner {
 public:
  LiveRunner(std::vector<Instrument> instruments, std::map<std::string, std::vector<LeverageBracket>> brackets,
             const strategy::Strategy& strategy, const ml::Model& model, venue::Venue& venue, journal::Recorder& recorder,
             LiveRunnerConfig config, Notional starting, Timestamp start);

  // A closed bar of `symbol` (history warms the state the same way).
  Status on_bar(const std::string& symbol, const Kline& bar);
  // The venue's events (fills, exits) into the books, between closes as they come.
  Status on_venue_events();
  // The decision at the 5m close `close`.
  Status decide(Timestamp close);
  // A symbol the venue no longer trades (delisted, halted, settling) takes no new entry and
  // opens no virtual position; its open trade is managed as before until it closes. Unknown
  // symbols are ignored (the universe is the runner's).
  void set_tradable(const std::string& symbol, bool tradable);
  // The open trades against the venue's holdings (Trader::supervise), every minute or so.
  Status supervise(Timestamp now, Milliseconds grace);

  // The operator's controls (Trader::set_paused, Trader::close_by_operator); a close's fill
  // reaches the books through on_venue_events() as any exit's does.
  void set_paused(bool paused) { trader_.set_paused(paused); }
  Status close_by_operator(const std::string& symbol, Timestamp now) { return trader_.close_by_operator(symbol, now); }

  // After a restart (reconciler.h): numbering continued, open trades taken back.
  void continue_numbering(std::int64_t next) { trader_.continue_numbering(next); }
  Status adopt(std::int64_t trade, journal::TradeRecord record, Quantity quantity, Notional notional);

  [[nodiscard]] const Trader& trader() const { return trader_; }
  // What an operator looks at (ops' status, read by the decision thread between calls): the
  // virtual positions open now, and the signals ranked at the last decision (none when no
  // symbol was a candidate), in rank order, each marked real when the cycle gave it a real
  // slot (the venue may still have refused it: see the refusals) or virtual otherwise.
  struct RankedAtClose {
    RankedSignal ranked;
    bool real = false;
  };
  [[nodiscard]] const execution::VirtualBook& virtuals() const { return virtuals_; }
  [[nodiscard]] const std::vector<RankedAtClose>& last_ranked() const { return last_ranked_; }

 private:
  struct Symbol {
    Instrument instrument;
    std::span<const LeverageBracket> brackets;
    SymbolPipeline pipeline;
    std::optional<strategy::MarketSnapshot> snapshot;  // at its last 5m close …
    strategy::Score score;                             // … and its score there, when it clears min_confidence
    bool scored = false;
    bool in_trade = false;
    bool tradable = true;
  };
  Symbol* find(const std::string& symbol);
  void mark_ended(const std::vector<std::string>& symbols);

  LiveRunnerConfig config_;
  const strategy::Strategy& strategy_;
  std::map<std::string, std::vector<LeverageBracket>> brackets_;
  std::vector<Symbol> symbols_;  // by name
  Trader trader_;
  execution::VirtualBook virtuals_;
  std::vector<Candidate> candidates_;
  std::vector<std::size_t> candidate_symbols_;
  std::vector<std::string> ended_;
  std::vector<RankedAtClose> last_ranked_;
  journal::Recorder& recorder_;
};

}  // namespace winiswin::engine
