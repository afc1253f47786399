#include <algorithm>

#include <fmt/format.h>

#include "app/commands.h"
#include "data/kline_file.h"
#include "risk/position_sizing.h"
#include "strategy/replay.h"
#include "strategy/strategy.h"
#include "venue/binance/default_brackets.h"
#include "venue/binance/exchange_info.h"
#include "venue/binance/leverage_brackets.h"

namespace winiswin {
Status run_signals(const SignalsOptions& options) {
  WINISWIN_TRY(const Timestamp at, parse_decision_time(options.at));
  if (to_ms(at) % duration_ms(Interval::k5m) != 0) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{} is not a 5m close (decisions happen on 5m boundaries)", format_utc(at)));
  }
  WINISWIN_TRY(const auto strategy, strategy::make_strategy(options.strategy, options.parameters));
  const std::filesystem::path info_path =
      options.exchange_info.empty() ? options.input / "exchangeInfo.json" : std::filesystem::path(options.exchange_info);
  if (!std::filesystem::exists(info_path)) {
    return make_error(ErrorCode::kNotFound, fmt::format("no instruments: {} does not exist; pass --exchange-info FILE",
                                                        info_path.string()));
  }
  WINISWIN_TRY(const auto info, binance::load_exchange_info(info_path.string()));
  WINISWIN_TRY(const auto finest, load_finest_klines(options.input, [](const std::string&) { return true; }, FinestOf::kEachSymbol));
  binance::BracketTable brackets;
  if (!options.brackets.empty()) {
    WINISWIN_TRY(brackets, binance::load_leverage_brackets(options.brackets));
  }
  // Liquidation is always modelled: symbols without brackets get the shipped default tiers.
  const std::size_t defaulted = binance::count_without_brackets(info.instruments, brackets);
  brackets = binance::with_default_brackets(info.instruments, std::move(brackets));

  std::vector<strategy::Signal> signals;
  std::vector<std::string> skipped;
  for (const KlineSeries& series : finest) {
    const std::string& symbol = series.symbol;
    const Instrument* instrument = find_instrument(info.instruments, symbol);
    if (!instrument) {
      skipped.push_back(symbol + " (not in exchangeInfo)");
      continue;
    }
    WINISWIN_TRY(strategy::SymbolReplay replay, strategy::SymbolReplay::from_fine(series));
    if (auto status = replay.advance_to(at); !status) return status;
    if (!replay.state().five.has_bars() || replay.state().five.last_bar().close_time + Milliseconds{1} != at) {
      skipped.push_back(symbol + " (no 5m bar closing at that time)");
      continue;
    }
    const strategy::Evaluation evaluation = strategy->evaluate(strategy::snapshot_of(replay.state()), *instrument);
    if (evaluation.signal) {
      signals.push_back(*evaluation.signal);
    } else {
      skipped.push_back(symbol + " (" + evaluation.reason + ")");
    }
  }
  const auto ranked = strategy::rank_signals(signals, options.min_confidence);
  fmt::print("{} signals at {} UTC by {} ({} symbols, {} at or above confidence {:.2f})\n", signals.size(), format_utc(at),
             strategy->name(), finest.size(), ranked.size(), options.min_confidence);
  if (defaulted > 0) {
    fmt::print("leverage brackets: {} of {} symbols use the shipped default tiers (Binance, 2024-10){}\n", defaulted,
               info.instruments.size(), options.brackets.empty() ? "; --brackets FILE gives current ones" : "");
  }
  const risk::AccountSnapshot account{Notional::from_double(options.equity).value(), Notional::from_double(options.equity).value(),
                                      risk::TradingState::kNormal};
  for (std::size_t rank = 0; rank < std::min(ranked.size(), options.top); ++rank) {
    const strategy::Signal& signal = ranked[rank];
    const strategy::ScoreComponents& c = signal.components;
    fmt::print("#{:<3} {:<12} {:<5} conf {:.3f}  [trend {:.2f} structure {:.2f} position {:.2f} momentum {:.2f} volatility {:.2f}]\n",
               rank + 1, signal.symbol, signal.side == Side::kBuy ? "LONG" : "SHORT", signal.confidence, c.trend, c.structure,
               c.position, c.momentum, c.volatility);
    fmt::print("     entry {}  stop {}  target {}{}\n", signal.entry.to_string(), signal.stop.to_string(),
               signal.target.to_string(), signal.notes.empty() ? "" : "  (" + signal.notes + ")");
    risk::SizingRequest request;
    request.instrument = find_instrument(info.instruments, signal.symbol);
    request.side = signal.side;
    request.confidence = signal.confidence;
    request.entry = signal.entry;
    request.stop = signal.stop;
    const auto symbol_brackets = brackets.find(signal.symbol);
    const risk::SizingDecision decision =
        risk::size_position(request, account,
                            symbol_brackets == brackets.end() ? std::span<const LeverageBracket>{} : symbol_brackets->second);
    if (decision.intent) {
      const risk::OrderIntent& intent = *decision.intent;
      fmt::print("     order: {} {} × {}x, notional {} USDT, margin {}, risk at stop {} ({})\n",
                 signal.side == Side::kBuy ? "BUY" : "SELL", intent.quantity.to_string(), intent.leverage,
                 intent.notional.to_string(), intent.margin.to_string(), intent.risk_at_stop.to_string(), decision.reason);
    } else {
      fmt::print("     no order: {}\n", decision.reason);
    }
    if (options.features) {
      std::string line = "     features v" + std::to_string(strategy::kFeatureVersion) + ":";
      for (std::size_t idx = 0; idx < strategy::kFeatureCount; ++idx) {
        line += fmt::format(" {}={:.4g}", strategy::kFeatureNames[idx], signal.features[idx]);
      }
      fmt::print("{}\n", line);
    }
  }
  if (!skipped.empty()) {
    fmt::print("no signal: {}{}\n", skipped.front(), skipped.size() > 1 ? fmt::format(" and {} more", skipped.size() - 1) : "");
  }
  return Ok{};
}

}  // namespace winiswin
