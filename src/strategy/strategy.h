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

class Strategy {
 public:
  virtual ~Strategy() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual Evaluation evaluate(const MarketSnapshot& snapshot, const Instrument& instrument) const = 0;
};

// Parameters of every registered strategy (each reads its own).
struct StrategyParameters;
Result<std::unique_ptr<Strategy>> make_strategy(std::string_view name, const StrategyParameters& parameters);
Result<std::unique_ptr<Strategy>> make_strategy(std::string_view name);  // with default parameters
std::vector<std::string_view> strategy_names();

// Signals at or above `min_confidence`, best first (ties: symbol name, for determinism).
std::vector<Signal> rank_signals(std::vector<Signal> signals, double min_confidence);

// The shared feature builder (see kFeatureNames), for any strategy's proposed trade.
FeatureVector build_features(const MarketSnapshot& snapshot, const Signal& signal);

// Stop and target from a stop distance (in price) and a reward:risk, both rounded to the
// tick *toward the entry* — a stop never ends up farther (more risk) than planned, a target
// never farther (less reachable). Returns false when the tick swallows the distance.
bool place_stop_and_target(const Instrument& instrument, Signal& signal, double stop_distance, double reward_risk);

}  // namespace winiswin::strategy
