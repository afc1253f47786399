#include "engine/live_runner.h"

#include <algorithm>

#include <fmt/format.h>

namespace winiswin::engine {

LiveRunner::LiveRunner(std::vector<Instrument> instruments, std::map<std::string, std::vector<LeverageBracket>> brackets,
                       const strategy::Strategy& strategy, const ml::Model& model, venue::Venue& venue, journal::Recorder& recorder,
                       LiveRunnerConfig config, Notional starting, Timestamp start)
    : config_(std::move(config)), strategy_(strategy), brackets_(std::move(brackets)),
      trader_(strategy, model, config_.cycle, config_.portfolio, Milliseconds{std::int64_t{config_.max_holding_minutes} * 60'000}, venue,
              recorder, execution::ClientIds::make(config_.client_prefix).value(), starting, start),
      virtuals_(instruments.size(), config_.fills, Milliseconds{std::int64_t{config_.max_holding_minutes} * 60'000}),
      recorder_(recorder) {
  trader_.set_sending(config_.trading_enabled);
  // By symbol name, as the backtest orders them: the same candidates in the same order.
  std::sort(instruments.begin(), instruments.end(), [](const Instrument& a, const Instrument& b) { return a.symbol < b.symbol; });
  symbols_.reserve(instruments.size());
  for (Instrument& instrument : instruments) {
    std::span<const LeverageBracket> tiers;
    if (const auto found = brackets_.find(instrument.symbol); found != brackets_.end()) tiers = found->second;
    SymbolPipeline pipeline(instrument.symbol, config_.bars);
    symbols_.push_back(Symbol{std::move(instrument), tiers, std::move(pipeline), std::nullopt, {}, false, false, true});
  }
}

LiveRunner::Symbol* LiveRunner::find(const std::string& symbol) {
  const auto found = std::lower_bound(symbols_.begin(), symbols_.end(), symbol,
                                      [](const Symbol& held, const std::string& name) { return held.instrument.symbol < name; });
  return found != symbols_.end() && found->instrument.symbol == symbol ? &*found : nullptr;
}

void LiveRunner::mark_ended(const std::vector<std::string>& symbols) {
  for (const std::string& symbol : symbols) {
    if (Symbol* held = find(symbol)) held->in_trade = false;
  }
}

Status LiveRunner::adopt(std::int64_t trade, journal::TradeRecord record, Quantity quantity, Notional notional) {
  Symbol* held = find(record.symbol);
  if (!held) return make_error(ErrorCode::kNotFound, fmt::format("{}: an open trade on a symbol outside the universe", record.symbol));
  held->in_trade = true;
  trader_.adopt(trade, std::move(record), quantity, notional);
  return Ok{};
}

Status LiveRunner::on_venue_events() {
  ended_.clear();
  if (auto status = trader_.route_events(ended_); !status) return status;
  mark_ended(ended_);
  return Ok{};
}

void LiveRunner::set_tradable(const std::string& symbol, bool tradable) {
  if (Symbol* held = find(symbol)) held->tradable = tradable;
}

Status LiveRunner::supervise(Timestamp now, Milliseconds grace) {
  ended_.clear();
  if (auto status = trader_.supervise(now, grace, ended_); !status) return status;
  mark_ended(ended_);
  return Ok{};
}

Status LiveRunner::on_bar(const std::string& symbol, const Kline& bar) {
  Symbol* held = find(symbol);
  if (!held) return make_error(ErrorCode::kNotFound, fmt::format("{}: not a symbol this runner trades", symbol));
  const auto index = static_cast<std::size_t>(held - symbols_.data());
  // Its virtual position fills on the bar, as the venue fills real orders on it.
  if (auto closed = virtuals_.on_bar(index, bar, held->instrument)) trader_.keep(recorder_.virtual_position(*closed));
  WINISWIN_TRY(const Kline* five, held->pipeline.push(bar));
  if (!five) return Ok{};
  held->snapshot.emplace(strategy::snapshot_of(held->pipeline.state()));
  strategy::Scoring scoring = strategy_.score(*held->snapshot);
  held->scored = scoring.score && scoring.score->confidence >= config_.cycle.min_confidence;
  if (held->scored) held->score = std::move(*scoring.score);
  return Ok{};
}

Status LiveRunner::decide(Timestamp close) {
  WINISWIN_TRY(const Trader::AccountNow marked, trader_.mark(close));
  trader_.open_decision();
  last_ranked_.clear();
  candidates_.clear();
  candidate_symbols_.clear();
  for (std::size_t index = 0; index < symbols_.size(); ++index) {
    Symbol& held = symbols_[index];
    virtuals_.on_close(index, close);  // a virtual timeout exits at the next open, as a real one
    if (held.in_trade) trader_.exit_if_timed_out(held.instrument.symbol, close);
    if (!held.scored || held.snapshot->time != close) continue;  // no bar for this close, or below min_confidence
    if (!held.tradable) continue;                                 // the venue no longer trades it
    // Only a real position or pending entry blocks a symbol: virtual positions never do.
    candidates_.push_back(Candidate{&*held.snapshot, &held.score, &held.instrument, held.brackets, held.in_trade});
    candidate_symbols_.push_back(index);
  }
  if (auto status = on_venue_events(); !status) return status;  // the exits' acknowledgements
  if (candidates_.empty()) return Ok{};
  WINISWIN_TRY(const CycleOutcome outcome, trader_.run_cycle(close, candidates_, marked));
  for (const RealEntry& entry : outcome.real) last_ranked_.push_back(RankedAtClose{entry.ranked, true});
  for (const RankedSignal& ranked : outcome.virtuals) last_ranked_.push_back(RankedAtClose{ranked, false});
  std::sort(last_ranked_.begin(), last_ranked_.end(), [](const RankedAtClose& a, const RankedAtClose& b) { return a.ranked.rank < b.ranked.rank; });
  trader_.record_refusals(close, outcome);
  journal::DecisionRecord row{close, static_cast<int>(candidates_.size()), 0, static_cast<int>(outcome.refusals.size()), 0, {},
                              marked.equity.to_double()};
  for (const RealEntry& entry : outcome.real) {
    Symbol& held = symbols_[candidate_symbols_[entry.ranked.candidate]];
    WINISWIN_TRY(const std::optional<Trader::Refused> refused, trader_.place(entry, record_of(entry.ranked, false)));
    held.in_trade = trader_.holds(held.instrument.symbol);  // a refused entry that filled is being closed
    if (auto status = on_venue_events(); !status) return status;
    if (!refused) {
      ++row.entries;
      continue;
    }
    ++row.refused;
    trader_.record_refusal(close, held.instrument.symbol, entry.ranked.rank, *refused);
    if (config_.cycle.opens_virtual(entry.ranked.rank)) {
      row.virtuals += virtuals_.open(candidate_symbols_[entry.ranked.candidate], record_of(entry.ranked, true)) ? 1 : 0;
    }
  }
  // One virtual position per symbol at a time (virtual_book.h).
  for (const RankedSignal& ranked : outcome.virtuals) {
    row.virtuals += virtuals_.open(candidate_symbols_[ranked.candidate], record_of(ranked, true)) ? 1 : 0;
  }
  trader_.record_decision(row);
  return Ok{};
}

}  // namespace winiswin::engine
