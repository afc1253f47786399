#include "engine/backtest.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "data/resample.h"
#include "engine/round_pool.h"
#include "execution/executor.h"
#include "execution/virtual_book.h"
#include "risk/portfolio.h"
#include "strategy/market_snapshot.h"
#include "strategy/timeframe_state.h"

namespace winiswin::engine {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kFiveMinutes = 300'000;
constexpr std::int64_t kChunk = 60 * kMinute;  // bars read and scored ahead at a time: an hour stays in cache for the second pass

// Cache-line aligned: phase 1 writes neighbouring runs from different threads.
struct alignas(64) SymbolRun {
  std::string symbol;
  const Instrument* instrument = nullptr;
  std::span<const LeverageBracket> brackets;
  std::size_t feed_index = 0;
  std::size_t venue_index = 0;
  std::span<const Kline> span;  // this chunk's bars (1m or 5m)
  std::size_t next = 0;         // next bar of the span the portfolio pass reads
  std::unique_ptr<strategy::SymbolState> state;
  KlineAggregator to_five{Interval::k1m, Interval::k5m};  // from the feed's bars (5m: one in, one out)
  KlineAggregator to_quarter{Interval::k5m, Interval::k15m};
  KlineAggregator to_hour{Interval::k15m, Interval::k1h};
  // After a gap: a fresh state (warm-up again) and nothing half-aggregated from before it.
  void start_over(Interval fine) {
    state = std::make_unique<strategy::SymbolState>(symbol);
    to_five = KlineAggregator(fine, Interval::k5m);
    to_quarter = KlineAggregator(Interval::k5m, Interval::k15m);
    to_hour = KlineAggregator(Interval::k15m, Interval::k1h);
  }
  // Phase 1 (per symbol, parallel): the chunk's 5m closes scored ahead, with the snapshot
  // each was scored on (trade levels and features are made only for the ranked few).
  struct Scored {
    explicit Scored(const strategy::SymbolState& state) : snapshot(strategy::snapshot_of(state)) {}
    strategy::MarketSnapshot snapshot;  // made in place: a snapshot is ~0.5 kB
    strategy::Score score;
  };
  std::vector<Scored> scored;  // in decision-time order, at least min_confidence
  std::size_t scored_next = 0;  // next one the portfolio pass looks at
  std::int64_t bars_5m = 0;           // 5m closes scored
  std::optional<Error> failure;
  bool in_trade = false;  // the executor holds a trade of this symbol (placed, filled or closing)
  std::size_t index = 0;  // in the runs, by symbol name (the virtual book's index)
  std::optional<Kline> last;  // the last bar the portfolio pass saw
  Timestamp scored_through = Timestamp::min();  // open time of the last bar phase 1 took
  Timestamp venue_seen = Timestamp::min();  // open time of the last bar the venue saw
};

}  // namespace

Backtest::Backtest(std::vector<Instrument> instruments, std::map<std::string, std::vector<LeverageBracket>> brackets,
                   const strategy::Strategy& strategy, BacktestConfig config, const ml::Model& model)
    : instruments_(std::move(instruments)), brackets_(std::move(brackets)), strategy_(strategy), config_(std::move(config)), model_(model) {}

Result<BacktestResult> Backtest::run(BarFeed& feed, venue::BarDrivenVenue& venue) {
  journal::MemoryRecorder rows;
  WINISWIN_TRY(const BacktestCounts counts, run(feed, venue, rows));
  BacktestResult result;
  result.trades = std::move(rows.trades);
  result.virtuals = std::move(rows.virtuals);
  result.equity = std::move(rows.equity_points);
  result.transitions = std::move(rows.transitions);
  result.refusals = std::move(rows.refusals);
  result.symbol_bars_5m = counts.symbol_bars_5m;
  result.decisions = counts.decisions;
  result.fees_paid = counts.fees_paid;
  result.funding_paid = counts.funding_paid;
  return result;
}

Result<BacktestCounts> Backtest::run(BarFeed& feed, venue::BarDrivenVenue& venue, journal::Recorder& recorder) {
  if (feed.interval() != Interval::k1m && feed.interval() != Interval::k5m) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("the backtest walks 1m or 5m bars, not {}", name_of(feed.interval())));
  }
  BacktestCounts result;
  // The first failed write to the recorder: the run stops at the next minute.
  std::optional<Error> lost;
  const auto keep = [&](Status status) {
    if (!status && !lost) lost = status.error();
  };
  // By symbol name, so the portfolio pass meets symbols in the same order whatever the feed's.
  std::vector<SymbolRun> runs(feed.symbols().size());
  for (std::size_t idx = 0; idx < runs.size(); ++idx) {
    SymbolRun& run = runs[idx];
    run.symbol = feed.symbols()[idx];
    run.feed_index = idx;
    run.instrument = find_instrument(instruments_, run.symbol);
    const auto venue_index = venue.index_of(run.symbol);
    if (!run.instrument || !venue_index) return make_error(ErrorCode::kNotFound, fmt::format("{}: no instrument", run.symbol));
    run.venue_index = *venue_index;
    run.state = std::make_unique<strategy::SymbolState>(run.symbol);
    if (const auto found = brackets_.find(run.symbol); found != brackets_.end()) run.brackets = found->second;
    run.to_five = KlineAggregator(feed.interval(), Interval::k5m);
  }
  std::sort(runs.begin(), runs.end(), [](const SymbolRun& a, const SymbolRun& b) { return a.symbol < b.symbol; });
  for (std::size_t idx = 0; idx < runs.size(); ++idx) runs[idx].index = idx;
  execution::VirtualBook virtuals(runs.size(), config_.fills, Milliseconds{std::int64_t{config_.max_holding_minutes} * kMinute});
  if (runs.empty()) return make_error(ErrorCode::kInvalidArgument, "no bars to backtest");
  const std::int64_t step = duration_ms(feed.interval());
  const std::int64_t first = to_ms(feed.first()), last = to_ms(feed.last());

  // A hole between two bars longer than the bridged one: the data has a gap there.
  const std::int64_t bridged_ms = std::int64_t{config_.max_bridged_gap_minutes} * kMinute;
  const auto is_gap = [&](Timestamp before, Timestamp after) { return to_ms(after) - to_ms(before) - step > bridged_ms; };
  const bool debug = spdlog::should_log(spdlog::level::debug);  // every placement, refusal and close-out
  WINISWIN_TRY(const venue::BalanceReport starting, venue.balance());
  risk::Portfolio portfolio(starting.wallet_balance, timestamp_from_ms(first), risk::PortfolioConfig{config_.state});
  WINISWIN_TRY(execution::ClientIds ids, execution::ClientIds::make("bt"));
  execution::Executor executor(venue, std::move(ids));
  std::vector<execution::TradeEvent> trade_events;

  // The balance, and the equity: wallet + unrealised PnL, exact. Every position at the venue
  // is one of the portfolio's, so while it holds none the wallet is the equity (no question
  // to the venue about 200 empty books).
  struct AccountNow {
    venue::BalanceReport balance;
    Notional equity;
  };
  const auto account_now = [&]() -> Result<AccountNow> {
    WINISWIN_TRY(const venue::BalanceReport balance, venue.balance());
    AccountNow now{balance, balance.wallet_balance};
    if (portfolio.exposure().empty()) return now;
    WINISWIN_TRY(const std::vector<venue::PositionReport> positions, venue.positions());
    for (const venue::PositionReport& position : positions) now.equity += position.unrealized_pnl;
    return now;
  };
  const auto run_of = [&](const std::string& symbol) -> SymbolRun& {
    return *std::lower_bound(runs.begin(), runs.end(), symbol, [](const SymbolRun& run, const std::string& name) { return run.symbol < name; });
  };
  const auto record_transition = [&](const std::optional<risk::StateTransition>& transition) {
    if (!transition) return;
    spdlog::info("{} trading state {} → {}: {}", format_utc(transition->time), risk::name_of(transition->from),
                 risk::name_of(transition->to), transition->reason);
    keep(recorder.transition(*transition));
  };
  // What the executor reports of real trades, into the portfolio's books and the records.
  const auto apply_trade_events = [&]() -> Status {
    for (execution::TradeEvent& event : trade_events) {
      SymbolRun& run = run_of(event.symbol);
      switch (event.kind) {
        case execution::TradeEvent::Kind::kEntryFilled:
          portfolio.set_exposure(event.symbol, event.notional, false);
          break;
        case execution::TradeEvent::Kind::kClosed: {
          result.fees_paid += event.trade.fees;
          result.funding_paid += event.funding;
          WINISWIN_TRY(const AccountNow after, account_now());
          record_transition(portfolio.on_trade_closed(event.trade.pnl, after.equity.to_double(), event.trade.exit_time));
          keep(recorder.trade(event.trade));
          portfolio.clear_exposure(event.symbol);
          run.in_trade = false;
          break;
        }
        case execution::TradeEvent::Kind::kWithdrawn:
          portfolio.clear_exposure(event.symbol);
          run.in_trade = false;
          break;
      }
    }
    trade_events.clear();
    return Ok{};
  };
  const auto route_events = [&]() -> Status {
    executor.on_events(venue.drain_events(), trade_events);
    return apply_trade_events();
  };

  const auto feed_venue = [&](SymbolRun& run, const Kline& bar) -> Status {
    run.venue_seen = bar.open_time;
    return venue.on_bar(run.venue_index, bar);
  };
  const auto bring_venue_up_to_date = [&](SymbolRun& run) -> Status {
    const Kline* latest = run.next > 0 ? &run.span[run.next - 1] : run.last ? &*run.last : nullptr;
    if (!latest || latest->open_time <= run.venue_seen) return Ok{};
    return feed_venue(run, *latest);
  };
  // Where a symbol's data stops (a gap or its end): its real position closes at the last
  // close through the venue (exit fee charged), an entry not yet filled is withdrawn, and
  // its virtual positions close at the same price.
  const auto stop_trading = [&](SymbolRun& run, ExitReason reason) -> Status {
    const Kline* latest = run.next > 0 ? &run.span[run.next - 1] : run.last ? &*run.last : nullptr;
    if (!latest) return Ok{};
    if (debug && (run.in_trade || virtuals.holds(run.index))) {
      spdlog::debug("{} {}: {} after its bar of {}: closing what is open at {}", format_utc(latest->close_time + Milliseconds{1}),
                    run.symbol, name_of(reason), format_utc(latest->open_time), latest->close.to_string());
    }
    if (run.in_trade) {
      if (auto status = bring_venue_up_to_date(run); !status) return status;
      if (const auto id = executor.close_out_id(run.symbol, reason)) {
        if (auto status = venue.close_out(run.venue_index, *id, std::string(name_of(reason))); !status) return status;
      }
      if (auto status = route_events(); !status) return status;
      // An entry that never filled: its orders are gone, nothing to record.
      if (auto withdrawn = executor.drop_unfilled(run.symbol)) trade_events.push_back(std::move(*withdrawn));
      if (auto status = apply_trade_events(); !status) return status;
    }
    if (auto closed = virtuals.close_at(run.index, *latest, reason)) keep(recorder.virtual_position(*closed));
    return Ok{};
  };
  // Where the data stops for `run` at `minute`: a gap, or where its data ends.
  const auto data_stopped = [&](const SymbolRun& run, Timestamp minute) {
    const Timestamp latest = run.next > 0 ? run.span[run.next - 1].open_time : run.last ? run.last->open_time : Timestamp::min();
    return latest != Timestamp::min() && to_ms(minute) - to_ms(latest) - step >= bridged_ms;
  };


  // Phase 1 for one symbol: every bar opening before `end` is aggregated into its
  // timeframes (higher ones first when they close together) and each new 5m close scored.
  // A pure function of the symbol's own bars, so symbols run on any thread in any order.
  const auto score_until = [&](SymbolRun& run, std::int64_t end) {
    run.scored.clear();
    run.scored_next = 0;
    const auto fail = [&](const Error& error) { run.failure = error.with_context(run.symbol); };
    auto span = feed.bars(run.feed_index, timestamp_from_ms(end - kChunk), timestamp_from_ms(end));
    if (!span) return fail(span.error());
    run.span = *span;
    run.next = 0;
    // The bars come in segments: a hole longer than the bridged one starts the symbol's state
    // over (it warms up again before it may signal), and nothing aggregates across it.
    for (std::size_t at = 0, consumed = 0, segment_end = 0; at < run.span.size(); at += consumed) {
      if (at >= segment_end) {
        const Timestamp previous = at > 0 ? run.span[at - 1].open_time : run.scored_through;
        if (previous != Timestamp::min() && is_gap(previous, run.span[at].open_time)) run.start_over(feed.interval());
        segment_end = at + 1;
        while (segment_end < run.span.size() && !is_gap(run.span[segment_end - 1].open_time, run.span[segment_end].open_time)) {
          ++segment_end;
        }
      }
      auto five = run.to_five.push_front(run.span.subspan(at, segment_end - at), consumed);
      if (!five) return fail(five.error());
      if (!*five) continue;
      strategy::ClosedBars closed{nullptr, nullptr, *five};
      auto quarter = run.to_quarter.push(**five);
      if (!quarter) return fail(quarter.error());
      if (*quarter) {
        closed.quarter = *quarter;
        auto hour = run.to_hour.push(**quarter);
        if (!hour) return fail(hour.error());
        closed.hour = *hour;
      }
      if (auto status = run.state->on_closed(closed); !status) return void(run.failure = status.error());  // names symbol and interval
      ++run.bars_5m;
      SymbolRun::Scored& candidate = run.scored.emplace_back(*run.state);
      strategy::Scoring scoring = strategy_.score(candidate.snapshot);
      // Only what ranking would keep.
      if (scoring.score && scoring.score->confidence >= config_.cycle.min_confidence) {
        candidate.score = std::move(*scoring.score);
      } else {
        run.scored.pop_back();
      }
    }
    if (!run.span.empty()) run.scored_through = run.span.back().open_time;
  };
  const auto record_of = [](const RankedSignal& ranked, Timestamp decision, bool is_virtual) {
    const strategy::Signal& signal = ranked.signal;
    TradeRecord record;
    record.symbol = signal.symbol;
    record.side = signal.side;
    record.is_virtual = is_virtual;
    record.decided = decision;
    record.planned_entry = signal.entry;
    record.stop = signal.stop;
    record.target = signal.target;
    record.rank = ranked.rank;
    record.confidence = signal.confidence;
    record.features = signal.features;
    return record;
  };
  // A protected entry through the executor; the venue's refusal, if it refused.
  const auto place_entry = [&](SymbolRun& run, const RealEntry& entry) -> Result<std::optional<Error>> {
    const strategy::Signal& signal = entry.ranked.signal;
    if (auto status = bring_venue_up_to_date(run); !status) return status.error();
    execution::ProtectedEntry order{record_of(entry.ranked, signal.time, false), entry.intent.quantity, entry.intent.leverage};
    order.record.leverage = entry.intent.leverage;
    order.record.margin = entry.intent.margin;
    order.record.liquidation_price = entry.intent.liquidation_price;
    WINISWIN_TRY(std::optional<Error> refused, executor.enter(order));
    run.in_trade = executor.holds(run.symbol);  // a refused entry that filled is being closed
    if (!refused) {
      if (debug) {
        spdlog::debug("{} placed #{} {} {} {} × {}x (margin {}), stop {}, target {}", format_utc(signal.time), entry.ranked.rank,
                      signal.symbol, name_of(signal.side), entry.intent.quantity.to_string(), entry.intent.leverage,
                      entry.intent.margin.to_string(), signal.stop.to_string(), signal.target.to_string());
      }
      portfolio.set_exposure(signal.symbol, entry.intent.notional, true);
    }
    if (auto status = route_events(); !status) return status.error();
    return refused;
  };
  // One virtual position per symbol at a time (virtual_book.h).
  const auto open_virtual = [&](SymbolRun& run, const RankedSignal& ranked) {
    virtuals.open(run.index, record_of(ranked, ranked.signal.time, true));
  };
  DecisionCycle cycle(strategy_, model_, config_.cycle);
  std::vector<Candidate> candidates;
  std::vector<SymbolRun*> candidate_runs;
  bool bars_in_window = false;  // some symbol had a bar since the last 5m close
  bool previous_idle = false;   // the last hour had no bar of any symbol and nothing open
  RoundPool pool(static_cast<unsigned>(std::max(1, config_.threads)));

  for (std::int64_t now = first; now <= last; now += step) {
    if ((now - first) % kChunk == 0) {
      for (SymbolRun& run : runs) {
        if (run.next > 0) run.last = run.span[run.next - 1];
      }
      if (config_.progress) config_.progress(static_cast<double>(now - first) / static_cast<double>(last - first + step));
      const std::int64_t end = now + kChunk;
      // Each worker a contiguous share: neighbouring symbols' states sit side by side in
      // memory, and interleaved shares had the threads writing to shared cache lines.
      // Inside a stretch without data (the last hour was idle) the hour is read on this thread:
      // waking the workers for empty spans cost more than the reading (results are the same
      // for any thread count).
      if (previous_idle) {
        for (SymbolRun& run : runs) score_until(run, end);
      } else {
        pool.run([&](unsigned worker) {
          const std::size_t begin = runs.size() * worker / pool.threads(), stop = runs.size() * (worker + 1) / pool.threads();
          for (std::size_t idx = begin; idx < stop; ++idx) score_until(runs[idx], end);
        });
      }
      for (const SymbolRun& run : runs) {
        if (run.failure) return *run.failure;
      }
      // An hour in which no symbol has data and nothing is open: stepped over (no decisions,
      // no equity marks: metrics count only time with data).
      const bool idle = portfolio.exposure().empty() && std::all_of(runs.begin(), runs.end(), [&](const SymbolRun& run) {
        return run.span.empty() && !virtuals.holds(run.index);
      });
      previous_idle = idle;
      if (idle) {
        now = end - step;
        continue;
      }
    }
    const Timestamp minute = timestamp_from_ms(now);
    for (SymbolRun& run : runs) {
      if (run.next >= run.span.size() || run.span[run.next].open_time != minute) {
        if ((run.in_trade || virtuals.holds(run.index)) && data_stopped(run, minute)) {
          const Timestamp latest = run.next > 0 ? run.span[run.next - 1].open_time : run.last->open_time;
          const ExitReason reason = feed.last_of(run.feed_index) <= latest ? ExitReason::kEndOfData : ExitReason::kDataGap;
          if (auto status = stop_trading(run, reason); !status) return status.error();
        }
        continue;
      }
      const Kline& bar = run.span[run.next++];
      bars_in_window = true;
      // The venue sees the bars of a symbol with a trade on; the others wait (nothing of
      // theirs can fill) until an order is placed, which first brings the book up to date.
      if (run.in_trade) {
        if (auto status = feed_venue(run, bar); !status) return status.error();
      }
      if (!venue.has_events() && !virtuals.holds(run.index)) continue;  // the common case: nothing open
      if (venue.has_events()) {
        if (auto status = route_events(); !status) return status.error();
      }
      // Virtual positions: the same entry (this bar's open after the decision) and exits.
      if (auto closed = virtuals.on_bar(run.index, bar, *run.instrument)) keep(recorder.virtual_position(*closed));
    }

    const std::int64_t close = now + step;
    const bool final_minute = close > last;  // no symbol has a bar after this one
    if (final_minute) {
      // End of data: what is still open closes at its last close, with the exit fee, before
      // the run's last equity mark.
      for (SymbolRun& run : runs) {
        if (auto status = stop_trading(run, ExitReason::kEndOfData); !status) return status.error();
      }
    }
    if (close % kFiveMinutes != 0 && !final_minute) continue;
    // A 5m window without a bar of any symbol (inside a gap of all of them) while flat: no
    // decision could trade and no time with data passed.
    if (!std::exchange(bars_in_window, false) && portfolio.exposure().empty() && !final_minute) continue;
    // The decision cycle at this 5m close.
    const Timestamp decision = timestamp_from_ms(close);
    WINISWIN_TRY(const AccountNow marked, account_now());  // the exits sent below are reduce-only: they hold no margin
    const double equity = marked.equity.to_double();
    record_transition(portfolio.mark(equity, decision));
    keep(recorder.equity(EquityPoint{decision, equity, portfolio.state()}));
    if (lost) return *lost;
    if (final_minute) break;  // an order placed now could never fill
    ++result.decisions;

    candidates.clear();
    candidate_runs.clear();
    executor.allow_new_exposure(portfolio.state() != risk::TradingState::kShutdown);
    for (SymbolRun& run : runs) {
      virtuals.on_close(run.index, decision);  // a virtual timeout exits at the next open, as a real one
      // Real trades past their holding time close at market (the exit first; the stop stays
      // until it fills). A refused exit leaves the position protected: said, and tried again
      // at the next close.
      if (run.in_trade) {
        const std::optional<Timestamp> entered = executor.entry_time(run.symbol);
        if (entered && close - to_ms(*entered) >= config_.max_holding_minutes * kMinute) {
          if (auto status = executor.exit(run.symbol, ExitReason::kTimeout); !status) {
            spdlog::warn("{} {}: timeout exit refused: {}", format_utc(decision), run.symbol, status.error().message);
          }
        }
      }
      // The score phase 1 gave this 5m close, if any (skipping stale ones).
      auto& scored = run.scored;
      while (run.scored_next < scored.size() && scored[run.scored_next].snapshot.time < decision) ++run.scored_next;
      if (run.scored_next >= scored.size() || scored[run.scored_next].snapshot.time != decision) continue;
      const SymbolRun::Scored& candidate = scored[run.scored_next++];
      // Only a real position or pending entry blocks a symbol: virtual positions are ML
      // bookkeeping and never change what trades for real.
      candidates.push_back(Candidate{&candidate.snapshot, &candidate.score, run.instrument, run.brackets, run.in_trade});
      candidate_runs.push_back(&run);
    }
    if (auto status = route_events(); !status) return status.error();  // the exits' acknowledgements
    if (candidates.empty()) continue;

    AccountView account;
    account.equity = marked.equity;
    account.available = marked.balance.available_balance;
    account.day_start_equity = portfolio.day_start_equity();
    account.state = portfolio.state();
    account.win_rate = portfolio.win_rate();
    account.positions.assign(portfolio.exposure().begin(), portfolio.exposure().end());  // open and pending
    WINISWIN_TRY(CycleOutcome outcome, cycle.run(decision, candidates, std::move(account)));
    for (const Refusal& refusal : outcome.refusals) {
      if (debug) spdlog::debug("{} refused #{} {}: {}: {}", format_utc(decision), refusal.rank, refusal.symbol, refusal.limit, refusal.reason);
      keep(recorder.refusal(RefusalRecord{decision, refusal.symbol, refusal.rank, refusal.limit, refusal.reason}));
    }
    for (RealEntry& entry : outcome.real) {
      SymbolRun& run = *candidate_runs[entry.ranked.candidate];
      WINISWIN_TRY(const std::optional<Error> refused, place_entry(run, entry));
      if (!refused) continue;
      if (debug) spdlog::debug("{} refused #{} {}: venue: {}", format_utc(decision), entry.ranked.rank, run.symbol, refused->message);
      keep(recorder.refusal(RefusalRecord{decision, run.symbol, entry.ranked.rank, "venue", refused->message}));
      if (entry.ranked.rank <= config_.cycle.virtual_through) open_virtual(run, entry.ranked);
    }
    for (const RankedSignal& ranked : outcome.virtuals) open_virtual(*candidate_runs[ranked.candidate], ranked);
  }

  for (const SymbolRun& run : runs) result.symbol_bars_5m += run.bars_5m;
  if (lost) return *lost;
  return result;
}

}  // namespace winiswin::engine
