// The strategy seam: a strategy is a pure function of a market snapshot and the
// instrument, chosen by name from a registry, so a new one is added without touching the
// engine (register it in strategy_registry.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/instrument.h"
#include "strategy/market_snapshot.h"
#include "strategy/signal.h"

namespace winiswin::strategy {

struct Evaluation {
  std::optional<Signal> signal;
  std::string reason;  // why there is no signal, or notes on the one there is
};

// A symbol's side and confidence at one close: what ranking needs.
struct Score {
  Side side = Side::kBuy;
  double confidence = 0.0;  // in [0, 1]
  ScoreComponents components;
  std::string notes;  // what shaped the score
};

struct Scoring {
  std::optional<Score> score;
  std::string reason;  // why there is none
};

// Two steps, because a decision cycle scores every symbol but trades only the best few:
// `score` is cheap and runs for all; `propose` (entry, stop and target on the instrument's
// grid, the 28 features) runs for the ranked candidates only. `evaluate` is both at once.
class Strategy {
 public:
  virtual ~Strategy() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual Scoring score(const MarketSnapshot& snapshot) const = 0;
  [[nodiscard]] virtual Evaluation propose(const MarketSnapshot& snapshot, const Score& score, const Instrument& instrument) const = 0;
  [[nodiscard]] Evaluation evaluate(const MarketSnapshot& snapshot, const Instrument& instrument) const {
    Scoring scoring = score(snapshot);
    if (!scoring.score) return Evaluation{std::nullopt, std::move(scoring.reason)};
    return propose(snapshot, *scoring.score, instrument);
  }
};

// The signal for a score, before stops and features (every strategy's propose starts here).
Signal signal_from(const MarketSnapshot& snapshot, const Score& score, std::string_view strategy);

// Parameters of every registered strategy (each reads its own).
struct StrategyParameters;
Result<std::unique_ptr<Strategy>> make_strategy(std::string_view name, const StrategyParameters& parameters);
Result<std::unique_ptr<Strategy>> make_strategy(std::string_view name);  // with default parameters
std::vector<std::string_view> strategy_names();

// The ranking order: higher confidence first, ties by symbol name (for determinism).
inline bool ranks_before(double confidence, std::string_view symbol, double other_confidence, std::string_view other_symbol) {
  return confidence != other_confidence ? confidence > other_confidence : symbol < other_symbol;
}

// Signals at or above `min_confidence`, best first (ranks_before).
std::vector<Signal> rank_signals(std::vector<Signal> signals, double min_confidence);

// The shared feature builder (see kFeatureNames), for any strategy's proposed trade.
FeatureVector build_features(const MarketSnapshot& snapshot, const Signal& signal);

// Stop and target from a stop distance (in price) and a reward:risk, both rounded to the
// tick *toward the entry* — a stop never ends up farther (more risk) than planned, a target
// never farther (less reachable). Returns false when the tick swallows the distance.
bool place_stop_and_target(const Instrument& instrument, Signal& signal, double stop_distance, double reward_risk);

}  // namespace winiswin::strategy
