// The look-ahead check (`winiswin check causality`): a backtest is causal when removing the
// data after a time T changes nothing decided before T. The check runs the backtest on all
// the data and again with the data cut at each of a few times, and compares, for every 5m
// close before the cut, what the engine decided there:
//   - every candidate the strategy scored (at or above min_confidence) with the signal it
//     proposes — side, confidence, entry, stop, target, the 28 features — and the model's
//     score of it (a feature or score that peeks ahead changes here first);
//   - the ranked decisions: real trades and virtual positions (rank, side, levels, features,
//     the model's probability and score) and refusals (rank, limit).
// Sizes, fills and exits are left out: a trade still open at the cut ends there.
// Values are compared exactly (printed in their shortest round-trip form).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backtest/simulated_backtest.h"
#include "core/error.h"
#include "engine/bar_feed.h"

namespace winiswin::backtest {

struct CausalityDifference {
  Timestamp cut;
  std::string full;       // the row of the run on all the data ("(none)": it has no such row)
  std::string truncated;  // the row of the run cut at `cut`
};

struct CausalityReport {
  std::vector<Timestamp> cuts;
  std::vector<std::size_t> rows_compared;  // per cut: rows decided before it
  std::vector<CausalityDifference> differences;  // per cut, its first few, in time order
  [[nodiscard]] bool passed() const { return differences.empty(); }
};

// The feed of bars opening before `cut` (Timestamp::max(): all of them), made afresh per run.
using FeedBefore = std::function<Result<std::unique_ptr<engine::BarFeed>>(Timestamp cut)>;

struct CausalityCheck {
  std::vector<Instrument> instruments;
  std::map<std::string, std::vector<LeverageBracket>> brackets;
  SimulatedBacktestConfig config;
  std::size_t differences_per_cut = 3;  // the first few differences kept for each failing cut
};

Result<CausalityReport> check_causality(const CausalityCheck& check, const strategy::Strategy& strategy, const ml::Model& model,
                                        const FeedBefore& feed_before, const std::vector<Timestamp>& cuts);

// What one run on `feed` decided, as the check compares it: one text row per signal, trade,
// virtual position and refusal, starting with its decision time (zero-padded epoch ms, then
// UTC), sorted; values in their shortest round-trip form (equal text: equal values).
Result<std::vector<std::string>> decision_rows(const CausalityCheck& check, const strategy::Strategy& strategy, const ml::Model& model,
                                               engine::BarFeed& feed);
// The decision time of a row of decision_rows.
Timestamp decided_of(const std::string& row);

// `count` cut times spread evenly inside (first, last], on 5m closes.
std::vector<Timestamp> spread_cuts(Timestamp first, Timestamp last, int count);

}  // namespace winiswin::backtest
