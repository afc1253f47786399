#include "engine/backtest.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "engine/round_pool.h"
#include "engine/symbol_pipeline.h"
#include "engine/trader.h"
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
  std::int64_t step = 0;        // its bars' duration (ms): 1m, or 5m among 1m symbols
  std::span<const Kline> span;  // this chunk's bars (1m or 5m)
  std::size_t next = 0;         // next bar of the span the portfolio pass reads
  std::optional<SymbolPipeline> pipeline;  // the symbol's timeframes and state
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

// Phase 1 for one symbol: every bar opening in [end − 1 h, end) is aggregated into its
// timeframes (SymbolState::on_closed) and each new 5m close scored. A pure function of the
// symbol's own bars, so symbols run on any thread in any order. The bars come in segments: a
// hole longer than the bridged one starts the symbol's state over (it warms up again before
// it may signal), and nothing aggregates across it.
class HourScorer {
 public:
  HourScorer(BarFeed& feed, const strategy::Strategy& strategy, double min_confidence, std::int64_t bridged_ms)
      : feed_(feed), strategy_(strategy), min_confidence_(min_confidence), bridged_ms_(bridged_ms) {}

  // More than the bridged hole between two of the symbol's bars (of its own interval).
  [[nodiscard]] bool is_gap(const SymbolRun& run, Timestamp before, Timestamp after) const {
    return to_ms(after) - to_ms(before) - run.step > bridged_ms_;
  }

  void score(SymbolRun& run, std::int64_t end) const {
    run.scored.clear();
    run.scored_next = 0;
    auto span = feed_.bars(run.feed_index, timestamp_from_ms(end - kChunk), timestamp_from_ms(end));
    if (!span) return void(run.failure = span.error().with_context(run.symbol));
    run.span = *span;
    run.next = 0;
    for (std::size_t at = 0, consumed = 0, segment_end = 0; at < run.span.size(); at += consumed) {
      if (at >= segment_end) segment_end = start_segment(run, at);
      if (auto status = take(run, run.span.subspan(at, segment_end - at), consumed); !status) {
        return void(run.failure = status.error().with_context(run.symbol));
      }
    }
    if (!run.span.empty()) run.scored_through = run.span.back().open_time;
  }

 private:
  // Where the segment holding span[at] ends; a gap before it starts the state over.
  std::size_t start_segment(SymbolRun& run, std::size_t at) const {
    const Timestamp previous = at > 0 ? run.span[at - 1].open_time : run.scored_through;
    if (previous != Timestamp::min() && is_gap(run, previous, run.span[at].open_time)) run.pipeline->start_over();
    std::size_t end = at + 1;
    while (end < run.span.size() && !is_gap(run, run.span[end - 1].open_time, run.span[end].open_time)) ++end;
    return end;
  }

  // The leading bars up to the next 5m close: aggregated, applied, and the close scored.
  Status take(SymbolRun& run, std::span<const Kline> bars, std::size_t& consumed) const {
    WINISWIN_TRY(const Kline* five, run.pipeline->push_front(bars, consumed));
    if (!five) return Ok{};
    ++run.bars_5m;
    SymbolRun::Scored& candidate = run.scored.emplace_back(run.pipeline->state());
    strategy::Scoring scoring = strategy_.score(candidate.snapshot);
    // Only what ranking would keep.
    if (scoring.score && scoring.score->confidence >= min_confidence_) {
      candidate.score = std::move(*scoring.score);
    } else {
      run.scored.pop_back();
    }
    return Ok{};
  }

  BarFeed& feed_;
  const strategy::Strategy& strategy_;
  double min_confidence_;
  std::int64_t bridged_ms_;
};

// The portfolio pass (phase 2) and its shared pieces, for one run of the backtest.
class Runner {
 public:
  Runner(const BacktestConfig& config, const strategy::Strategy& strategy, const ml::Model& model, BarFeed& feed,
         venue::BarDrivenVenue& venue, journal::Recorder& recorder, std::vector<SymbolRun> runs, Notional starting)
      : config_(config), feed_(feed), venue_(venue), recorder_(recorder), runs_(std::move(runs)),
        step_(duration_ms(feed.interval())), first_(to_ms(feed.first())), end_(end_of(feed)),
        bridged_ms_(std::int64_t{config.max_bridged_gap_minutes} * kMinute),
        scorer_(feed, strategy, config.cycle.min_confidence, bridged_ms_),
        virtuals_(runs_.size(), config.fills, Milliseconds{std::int64_t{config.max_holding_minutes} * kMinute}),
        trader_(strategy, model, config.cycle, risk::PortfolioConfig{config.state, config.breaker},
                Milliseconds{std::int64_t{config.max_holding_minutes} * kMinute}, venue, recorder,
                execution::ClientIds::make("bt").value(),  // a valid constant prefix
                starting, std::max(timestamp_from_ms(first_), config.decide_from)),
        pool_(static_cast<unsigned>(std::max(1, config.threads))) {}

  Result<BacktestCounts> run() {
    for (std::int64_t now = first_; now < end_; now += step_) {
      if ((now - first_) % kChunk == 0) {
        WINISWIN_TRY(const bool idle, read_hour(now));
        if (idle) {  // stepped over: no decisions, no equity marks (metrics count only time with data)
          now += kChunk - step_;
          continue;
        }
      }
      if (auto status = walk_minute(timestamp_from_ms(now)); !status) return status.error();
      const std::int64_t close = now + step_;
      const bool final_minute = close >= end_;  // no symbol has a bar after this one
      if (final_minute) {
        // End of data: what is still open closes at its last close, with the exit fee, before
        // the run's last equity mark.
        for (SymbolRun& run : runs_) {
          if (auto status = stop_trading(run, ExitReason::kEndOfData); !status) return status.error();
        }
      }
      if (close % kFiveMinutes != 0 && !final_minute) continue;
      // Before the window (--from): the bars only warmed the states up.
      if (timestamp_from_ms(close) < config_.decide_from) {
        bars_in_window_ = false;
        continue;
      }
      // A 5m window without a bar of any symbol (inside a gap of all of them, or past the end of
      // their data): no decision and no equity mark, positions held or not — no time with data
      // passed and no price moved. What is held waits for the next bar (a hole up to the
      // bridged one; its timeout is checked at the next close with data) or is closed at its
      // last close once the hole is longer (walk_minute). Marking these closes while positions
      // were open put equity points 5–15 min past each month's data, which made a month of
      // their own ("+0.00 %") in the report.
      if (!std::exchange(bars_in_window_, false) && !final_minute) continue;
      if (auto status = decide(timestamp_from_ms(close), final_minute); !status) return status.error();
      if (final_minute) break;
    }
    for (const SymbolRun& run : runs_) counts_.symbol_bars_5m += run.bars_5m;
    keep(trader_.executor().journal_status());
    if (trader_.lost()) return *trader_.lost();
    counts_.fees_paid = trader_.fees_paid();
    counts_.funding_paid = trader_.funding_paid();
    return counts_;
  }

 private:
  // Where the last bar of any symbol closes (a 5m symbol's may close after a 1m symbol's last).
  static std::int64_t end_of(const BarFeed& feed) {
    std::int64_t end = to_ms(feed.last()) + duration_ms(feed.interval());
    for (std::size_t idx = 0; idx < feed.symbols().size(); ++idx) {
      end = std::max(end, to_ms(feed.last_of(idx)) + duration_ms(feed.interval_of(idx)));
    }
    return end;
  }

  // A failed write to the recorder: kept, and the run stops at the next decision.
  void keep(Status status) { trader_.keep(std::move(status)); }

  // Phase 1 for the hour starting at `now`; true when it is idle (no bar of any symbol, nothing open).
  Result<bool> read_hour(std::int64_t now) {
    for (SymbolRun& run : runs_) {
      if (run.next > 0) run.last = run.span[run.next - 1];
    }
    if (config_.progress) config_.progress(static_cast<double>(now - first_) / static_cast<double>(end_ - first_));
    const std::int64_t end = now + kChunk;
    // Each worker a contiguous share: neighbouring symbols' states sit side by side in
    // memory, and interleaved shares had the threads writing to shared cache lines. Inside a
    // stretch without data the hour is read on this thread: waking the workers for empty spans
    // cost more than the reading (results are the same for any thread count).
    if (previous_idle_) {
      for (SymbolRun& run : runs_) scorer_.score(run, end);
    } else {
      pool_.run([&](unsigned worker) {
        const std::size_t begin = runs_.size() * worker / pool_.threads(), stop = runs_.size() * (worker + 1) / pool_.threads();
        for (std::size_t idx = begin; idx < stop; ++idx) scorer_.score(runs_[idx], end);
      });
    }
    for (const SymbolRun& run : runs_) {
      if (run.failure) return *run.failure;
    }
    if (config_.on_zones) {
      for (SymbolRun& run : runs_) {
        if (run.pipeline->zone_changes().empty()) continue;
        config_.on_zones(run.symbol, run.pipeline->zone_changes());
        run.pipeline->clear_zone_changes();
      }
    }
    previous_idle_ = trader_.portfolio().exposure().empty() && std::all_of(runs_.begin(), runs_.end(), [&](const SymbolRun& run) {
      return run.span.empty() && !virtuals_.holds(run.index);
    });
    return previous_idle_;
  }

  // Every symbol's bar of this minute: the venue executes on it, virtual positions are
  // checked on it; a symbol whose data stopped closes what it holds.
  Status walk_minute(Timestamp minute) {
    trader_.set_clock(minute + Milliseconds{kMinute});  // the venue acts on this minute's bar once it closed
    for (SymbolRun& run : runs_) {
      if (run.next >= run.span.size() || run.span[run.next].open_time != minute) {
        if ((run.in_trade || virtuals_.holds(run.index)) && data_stopped(run, minute)) {
          const Timestamp latest = run.next > 0 ? run.span[run.next - 1].open_time : run.last->open_time;
          const ExitReason reason = feed_.last_of(run.feed_index) <= latest ? ExitReason::kEndOfData : ExitReason::kDataGap;
          if (auto status = stop_trading(run, reason); !status) return status;
        }
        continue;
      }
      const Kline& bar = run.span[run.next++];
      bars_in_window_ = true;
      // The venue sees the bars of a symbol with a trade on; the others wait (nothing of
      // theirs can fill) until an order is placed, which first brings the book up to date.
      if (run.in_trade) {
        if (auto status = feed_venue(run, bar); !status) return status;
      }
      if (!venue_.has_events() && !virtuals_.holds(run.index)) continue;  // the common case: nothing open
      if (venue_.has_events()) {
        if (auto status = route_events(); !status) return status;
      }
      // Virtual positions: the same entry (this bar's open after the decision) and exits.
      if (auto closed = virtuals_.on_bar(run.index, bar, *run.instrument)) keep(recorder_.virtual_position(*closed));
    }
    return Ok{};
  }

  // The decision at a 5m close: the equity mark, timeouts, then the cycle and its orders.
  Status decide(Timestamp decision, bool final_minute) {
    WINISWIN_TRY(const Trader::AccountNow marked, trader_.mark(decision));
    if (final_minute) return Ok{};  // an order placed now could never fill
    ++counts_.decisions;
    trader_.open_decision();
    collect_candidates(decision);
    if (config_.on_candidates) config_.on_candidates(decision, candidates_);
    if (auto status = route_events(); !status) return status;  // the exits' acknowledgements
    if (candidates_.empty()) return Ok{};
    WINISWIN_TRY(const CycleOutcome outcome, trader_.run_cycle(decision, candidates_, marked));
    return act_on(decision, outcome, marked.equity.to_double());
  }

  // Timeouts of real and virtual positions, and each symbol's score at this close.
  void collect_candidates(Timestamp decision) {
    candidates_.clear();
    candidate_runs_.clear();
    for (SymbolRun& run : runs_) {
      virtuals_.on_close(run.index, decision);  // a virtual timeout exits at the next open, as a real one
      // Real trades past their holding time close at market (the exit first; the stop stays
      // until it fills). A refused exit leaves the position protected: said, and tried again
      // at the next close.
      if (run.in_trade) trader_.exit_if_timed_out(run.symbol, decision);
      // The score phase 1 gave this 5m close, if any (skipping stale ones).
      auto& scored = run.scored;
      while (run.scored_next < scored.size() && scored[run.scored_next].snapshot.time < decision) ++run.scored_next;
      if (run.scored_next >= scored.size() || scored[run.scored_next].snapshot.time != decision) continue;
      const SymbolRun::Scored& candidate = scored[run.scored_next++];
      // Only a real position or pending entry blocks a symbol: virtual positions are ML
      // bookkeeping and never change what trades for real.
      candidates_.push_back(Candidate{&candidate.snapshot, &candidate.score, run.instrument, run.brackets, run.in_trade});
      candidate_runs_.push_back(&run);
    }
  }

  // The cycle's outcome: refusals recorded, real entries placed, virtual ranks opened.
  Status act_on(Timestamp decision, const CycleOutcome& outcome, double equity) {
    trader_.record_refusals(decision, outcome);
    journal::DecisionRecord row{decision, static_cast<int>(candidates_.size()), 0, static_cast<int>(outcome.refusals.size()), 0, {}, equity};
    for (const RealEntry& entry : outcome.real) {
      SymbolRun& run = *candidate_runs_[entry.ranked.candidate];
      WINISWIN_TRY(const std::optional<Trader::Refused> refused, place_entry(run, entry));
      if (!refused) {
        ++row.entries;
        continue;
      }
      ++row.refused;
      trader_.record_refusal(decision, run.symbol, entry.ranked.rank, *refused);
      if (config_.cycle.opens_virtual(entry.ranked.rank)) row.virtuals += virtuals_.open(run.index, record_of(entry.ranked, true)) ? 1 : 0;
    }
    // One virtual position per symbol at a time (virtual_book.h).
    for (const RankedSignal& ranked : outcome.virtuals) {
      row.virtuals += virtuals_.open(candidate_runs_[ranked.candidate]->index, record_of(ranked, true)) ? 1 : 0;
    }
    trader_.record_decision(row);
    return Ok{};
  }

  // A protected entry through the trader, its book brought up to date first; the refusal, if any.
  Result<std::optional<Trader::Refused>> place_entry(SymbolRun& run, const RealEntry& entry) {
    if (auto status = bring_venue_up_to_date(run); !status) return status.error();
    WINISWIN_TRY(std::optional<Trader::Refused> refused, trader_.place(entry, record_of(entry.ranked, false)));
    run.in_trade = trader_.holds(run.symbol);  // a refused entry that filled is being closed
    if (auto status = route_events(); !status) return status.error();
    return refused;
  }

  SymbolRun& run_of(const std::string& symbol) {
    return *std::lower_bound(runs_.begin(), runs_.end(), symbol, [](const SymbolRun& run, const std::string& name) { return run.symbol < name; });
  }

  // The venue's events through the trader; the symbols whose trade ended are free again.
  Status route_events() {
    ended_.clear();
    if (auto status = trader_.route_events(ended_); !status) return status;
    for (const std::string& symbol : ended_) run_of(symbol).in_trade = false;
    return Ok{};
  }

  Status feed_venue(SymbolRun& run, const Kline& bar) {
    run.venue_seen = bar.open_time;
    return venue_.on_bar(run.venue_index, bar);
  }

  static const Kline* latest_bar(const SymbolRun& run) {
    return run.next > 0 ? &run.span[run.next - 1] : run.last ? &*run.last : nullptr;
  }

  Status bring_venue_up_to_date(SymbolRun& run) {
    const Kline* latest = latest_bar(run);
    if (!latest || latest->open_time <= run.venue_seen) return Ok{};
    return feed_venue(run, *latest);
  }

  // Where a symbol's data stops (a gap or its end): its real position closes at the last
  // close through the venue (exit fee charged), an entry not yet filled is withdrawn, and
  // its virtual position closes at the same price.
  Status stop_trading(SymbolRun& run, ExitReason reason) {
    const Kline* latest = latest_bar(run);
    if (!latest) return Ok{};
    if (debug_ && (run.in_trade || virtuals_.holds(run.index))) {
      spdlog::debug("{} {}: {} after its bar of {}: closing what is open at {}", format_utc(latest->close_time + Milliseconds{1}),
                    run.symbol, name_of(reason), format_utc(latest->open_time), latest->close.to_string());
    }
    if (run.in_trade) {
      if (auto status = bring_venue_up_to_date(run); !status) return status;
      if (const auto id = trader_.executor().close_out_id(run.symbol, reason)) {
        if (auto status = venue_.close_out(run.venue_index, *id, std::string(name_of(reason))); !status) return status;
      }
      if (auto status = route_events(); !status) return status;
      // An entry that never filled: its orders are gone, nothing to record.
      ended_.clear();
      if (auto status = trader_.drop_unfilled(run.symbol, ended_); !status) return status;
      for (const std::string& symbol : ended_) run_of(symbol).in_trade = false;
    }
    if (auto closed = virtuals_.close_at(run.index, *latest, reason)) keep(recorder_.virtual_position(*closed));
    return Ok{};
  }

  // Where the data stops for `run` at `minute`: no bar for longer than the bridged hole.
  [[nodiscard]] bool data_stopped(const SymbolRun& run, Timestamp minute) const {
    const Kline* latest = latest_bar(run);
    return latest && to_ms(minute) - to_ms(latest->open_time) - run.step >= bridged_ms_;
  }

  const BacktestConfig& config_;
  BarFeed& feed_;
  venue::BarDrivenVenue& venue_;
  journal::Recorder& recorder_;
  std::vector<SymbolRun> runs_;  // by symbol name
  std::int64_t step_, first_, end_, bridged_ms_;  // the walk's step (the finest interval), where it starts and ends
  HourScorer scorer_;
  execution::VirtualBook virtuals_;
  Trader trader_;
  RoundPool pool_;
  const bool debug_ = spdlog::should_log(spdlog::level::debug);  // every placement, refusal and close-out
  BacktestCounts counts_;
  std::vector<std::string> ended_;  // symbols whose trade ended, from the last events routed
  std::vector<Candidate> candidates_;
  std::vector<SymbolRun*> candidate_runs_;
  bool bars_in_window_ = false;  // some symbol had a bar since the last 5m close
  bool previous_idle_ = false;   // the last hour had no bar of any symbol and nothing open
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
  result.orders = std::move(rows.orders);
  result.fills = std::move(rows.fills);
  result.breaker_events = std::move(rows.breaker_events);
  result.symbol_bars_5m = counts.symbol_bars_5m;
  result.decisions = counts.decisions;
  result.fees_paid = counts.fees_paid;
  result.funding_paid = counts.funding_paid;
  return result;
}

Result<BacktestCounts> Backtest::run(BarFeed& feed, venue::BarDrivenVenue& venue, journal::Recorder& recorder) {
  for (std::size_t idx = 0; idx < feed.symbols().size(); ++idx) {
    const Interval interval = feed.interval_of(idx);
    if ((interval != Interval::k1m && interval != Interval::k5m) || interval < feed.interval()) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: the backtest walks 1m or 5m bars, not {} (walking {})",
                                                                 feed.symbols()[idx], name_of(interval), name_of(feed.interval())));
    }
  }
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
    run.step = duration_ms(feed.interval_of(idx));
    run.pipeline.emplace(run.symbol, feed.interval_of(idx), config_.on_zones ? SymbolPipeline::Zones::kRecorded : SymbolPipeline::Zones::kIgnored);
    if (const auto found = brackets_.find(run.symbol); found != brackets_.end()) run.brackets = found->second;
  }
  if (runs.empty()) return make_error(ErrorCode::kInvalidArgument, "no bars to backtest");
  std::sort(runs.begin(), runs.end(), [](const SymbolRun& a, const SymbolRun& b) { return a.symbol < b.symbol; });
  for (std::size_t idx = 0; idx < runs.size(); ++idx) runs[idx].index = idx;
  WINISWIN_TRY(const venue::BalanceReport starting, venue.balance());
  Runner runner(config_, strategy_, model_, feed, venue, recorder, std::move(runs), starting.wallet_balance);
  return runner.run();
}

}  // namespace winiswin::engine
