#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/data_instruments.h"
#include "data/kline_file.h"
#include "data/kline_folder.h"
#include "engine/decision_cycle.h"
#include "ml/model.h"
#include "ml/xgboost_model.h"
#include "strategy/replay.h"
#include "strategy/strategy.h"
#include "venue/binance/default_brackets.h"
#include "venue/binance/exchange_info.h"
#include "venue/binance/leverage_brackets.h"

namespace winiswin {
namespace {

// A symbol's bars from its files that begin before `at`, joined (a later file is not read):
// one symbol in memory at a time, and only up to the decision.
Result<KlineSeries> bars_before(const SymbolFiles& files, Timestamp at) {
  KlineSeries joined;
  joined.symbol = files.symbol;
  joined.interval = files.interval;
  std::optional<KlineFilePiece> previous;
  for (const KlineFilePiece& piece : files.files) {
    if (piece.first >= at) break;
    WINISWIN_TRY(KlineSeries series, load_klines(piece.path));
    if (series.bars.empty()) return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: its bars are gone; run again", piece.path.string()));
    const KlineFilePiece read{piece.path, series.bars.front().open_time, series.bars.back().open_time};
    if (previous) {
      if (auto status = check_no_overlap(*previous, read); !status) return status.error();
    } else {
      joined.fields = series.fields;
    }
    joined.bars.insert(joined.bars.end(), series.bars.begin(), series.bars.end());
    previous = read;
  }
  return joined;
}

}  // namespace

Status run_signals(const SignalsOptions& options, const AppConfig& config) {
  WINISWIN_TRY(const Timestamp at, parse_decision_time(options.at));
  if (to_ms(at) % duration_ms(Interval::k5m) != 0) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{} is not a 5m close (decisions happen on 5m boundaries)", format_utc(at)));
  }
  WINISWIN_TRY(const auto strategy, strategy::make_strategy(options.strategy, options.parameters));
  std::unique_ptr<ml::XgboostModel> model;  // none: the strategy's confidence ranks
  if (!options.model.empty()) {
    WINISWIN_TRY(model, ml::XgboostModel::load(options.model, options.model_weight));
  }
  WINISWIN_TRY(const DataInstruments info, load_data_instruments(options.input, options.exchange_info));
  WINISWIN_TRY(const auto finest, plan_finest_klines(options.input, [](const std::string&) { return true; }, FinestOf::kEachSymbol, warn_left_out));
  binance::BracketTable brackets;
  if (!options.brackets.empty()) {
    WINISWIN_TRY(brackets, binance::load_leverage_brackets(options.brackets));
  }
  // Liquidation is always modelled: symbols without brackets get the shipped default tiers.
  const std::size_t defaulted = binance::count_without_brackets(info.instruments, brackets);
  brackets = binance::with_default_brackets(info.instruments, std::move(brackets));

  // Every symbol's state at `at`, scored; then the same decision cycle as the backtest's, on
  // a flat account of --equity in NORMAL state.
  std::vector<strategy::MarketSnapshot> snapshots;
  std::vector<strategy::Score> scores;
  std::vector<const Instrument*> instruments;
  std::vector<std::string> skipped;
  for (const SymbolFiles& files : finest) {
    const std::string& symbol = files.symbol;
    const Instrument* instrument = find_instrument(info.instruments, symbol);
    if (!instrument) {
      skipped.push_back(symbol + " (not in exchangeInfo)");
      continue;
    }
    WINISWIN_TRY(const KlineSeries series, bars_before(files, at));
    if (series.bars.empty()) {
      skipped.push_back(symbol + " (no 5m bar closing at that time)");
      continue;
    }
    WINISWIN_TRY(strategy::SymbolReplay replay, strategy::SymbolReplay::from_fine(series));
    if (auto status = replay.advance_to(at); !status) return status;
    if (!replay.state().five.has_bars() || replay.state().five.last_bar().close_time + Milliseconds{1} != at) {
      skipped.push_back(symbol + " (no 5m bar closing at that time)");
      continue;
    }
    strategy::MarketSnapshot snapshot = strategy::snapshot_of(replay.state());
    strategy::Scoring scoring = strategy->score(snapshot);
    if (!scoring.score) {
      skipped.push_back(symbol + " (" + scoring.reason + ")");
      continue;
    }
    snapshots.push_back(std::move(snapshot));
    scores.push_back(std::move(*scoring.score));
    instruments.push_back(instrument);
  }
  std::vector<engine::Candidate> candidates;
  for (std::size_t idx = 0; idx < snapshots.size(); ++idx) {
    const auto found = brackets.find(snapshots[idx].symbol);
    candidates.push_back(engine::Candidate{&snapshots[idx], &scores[idx], instruments[idx],
                                           found == brackets.end() ? std::span<const LeverageBracket>{} : found->second, false});
  }
  engine::CycleConfig cycle_config;
  cycle_config.top_k = config.risk.limits.max_open_positions;
  cycle_config.rank_depth = cycle_config.virtual_through = static_cast<int>(options.top);
  cycle_config.min_confidence = options.min_confidence;
  cycle_config.taker_fee = config.sim.taker_fee;
  cycle_config.sizing = config.risk.sizing;
  cycle_config.limits = config.risk.limits;
  engine::DecisionCycle cycle(*strategy, model ? static_cast<const ml::Model&>(*model) : ml::pass_through_model(), cycle_config);
  engine::AccountView account;
  WINISWIN_TRY(account.equity, Notional::from_double(options.equity));
  account.available = account.day_start_equity = account.equity;
  WINISWIN_TRY(const engine::CycleOutcome outcome, cycle.run(at, candidates, account));

  const auto above = std::count_if(scores.begin(), scores.end(),
                                   [&](const strategy::Score& score) { return score.confidence >= options.min_confidence; });
  fmt::print("{} signals at {} UTC by {} ({} symbols, {} at or above confidence {:.2f}; {} real slots on {} USDT)\n", scores.size(),
             format_utc(at), strategy->name(), finest.size(), above, options.min_confidence, cycle_config.top_k, account.equity.to_string());
  if (defaulted > 0) {
    fmt::print("leverage brackets: {} of {} symbols use the shipped default tiers (Binance, 2024-10){}\n", defaulted,
               info.instruments.size(), options.brackets.empty() ? "; --brackets FILE gives current ones" : "");
  }
  // In rank order, each signal with what the cycle made of it.
  std::vector<std::pair<int, std::string>> lines;
  const auto describe = [&](const engine::RankedSignal& ranked, const std::string& outcome_line) {
    const strategy::Signal& signal = ranked.signal;
    const strategy::ScoreComponents& c = signal.components;
    std::string text = fmt::format(
        "#{:<3} {:<12} {:<5} conf {:.3f}  [trend {:.2f} structure {:.2f} position {:.2f} momentum {:.2f} volatility {:.2f}]\n",
        ranked.rank, signal.symbol, signal.side == Side::kBuy ? "LONG" : "SHORT", signal.confidence, c.trend, c.structure, c.position,
        c.momentum, c.volatility);
    text += fmt::format("     entry {}  stop {}  target {}{}\n", signal.entry.to_string(), signal.stop.to_string(),
                        signal.target.to_string(), signal.notes.empty() ? "" : "  (" + signal.notes + ")");
    if (ranked.ml_probability) text += fmt::format("     model: win probability {:.4f}, score {:.4f}\n", *ranked.ml_probability, ranked.model_score);
    text += "     " + outcome_line + "\n";
    if (options.features) {
      text += "     features v" + std::to_string(strategy::kFeatureVersion) + ":";
      for (std::size_t idx = 0; idx < strategy::kFeatureCount; ++idx) {
        text += fmt::format(" {}={:.4g}", strategy::kFeatureNames[idx], signal.features[idx]);
      }
      text += "\n";
    }
    lines.emplace_back(ranked.rank, std::move(text));
  };
  for (const engine::RealEntry& entry : outcome.real) {
    const risk::OrderIntent& intent = entry.intent;
    describe(entry.ranked, fmt::format("order: {} {} × {}x, notional {} USDT, margin {}, risk at stop {}, liquidation {} (bound by {})",
                                       name_of(intent.side), intent.quantity.to_string(), intent.leverage, intent.notional.to_string(),
                                       intent.margin.to_string(), intent.risk_at_stop.to_string(),
                                       intent.liquidation_price ? intent.liquidation_price->to_string() : "none", intent.bound_by));
  }
  for (const engine::RankedSignal& ranked : outcome.virtuals) {
    const auto refusal = std::find_if(outcome.refusals.begin(), outcome.refusals.end(),
                                      [&](const engine::Refusal& r) { return r.rank == ranked.rank; });
    describe(ranked, refusal == outcome.refusals.end()
                         ? fmt::format("virtual: beyond the {} real slots", cycle_config.top_k)
                         : fmt::format("no order ({}): {} — virtual", refusal->limit, refusal->reason));
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& [rank, text] : lines) fmt::print("{}", text);
  if (!skipped.empty()) {
    fmt::print("no signal: {}{}\n", skipped.front(), skipped.size() > 1 ? fmt::format(" and {} more", skipped.size() - 1) : "");
  }
  return Ok{};
}

}  // namespace winiswin
