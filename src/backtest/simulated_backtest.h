// The backtest as users run it: the engine's Backtest over the simulated exchange. This is
// the simulator's driver — it builds the SimVenue from its configuration and the funding
// history, prices sizing at the simulator's taker fee and fills virtual positions by its
// fill model — so that the engine itself knows only the Venue interface.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/funding_rate.h"
#include "engine/backtest.h"
#include "venue/sim/sim_venue.h"

namespace winiswin::backtest {

struct SimulatedBacktestConfig : engine::BacktestConfig {
  sim::SimVenueConfig venue;
  // Funding history per symbol (Binance's /fapi/v1/fundingRate); others use the venue's
  // default schedule.
  std::map<std::string, std::vector<FundingRate>> funding;
};

class SimulatedBacktest {
 public:
  SimulatedBacktest(std::vector<Instrument> instruments, std::map<std::string, std::vector<LeverageBracket>> brackets,
                    const strategy::Strategy& strategy, SimulatedBacktestConfig config,
                    const ml::Model& model = ml::pass_through_model());

  Result<engine::BacktestCounts> run(engine::BarFeed& feed, journal::Recorder& recorder);
  Result<engine::BacktestResult> run(engine::BarFeed& feed);
  // Series in memory: each 1m (or 5m) and strictly increasing.
  Result<engine::BacktestResult> run(const std::vector<KlineSeries>& minutes);

 private:
  Result<sim::SimVenue> make_venue() const;

  std::vector<Instrument> instruments_;
  std::map<std::string, std::vector<LeverageBracket>> brackets_;
  SimulatedBacktestConfig config_;
  engine::Backtest engine_;
};

}  // namespace winiswin::backtest
