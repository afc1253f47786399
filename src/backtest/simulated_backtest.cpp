#include "backtest/simulated_backtest.h"

namespace winiswin::backtest {
namespace {

// What the engine needs of the simulator's configuration.
engine::BacktestConfig engine_config(const SimulatedBacktestConfig& config) {
  engine::BacktestConfig engine = config;
  engine.cycle.taker_fee = config.venue.taker_fee;  // sizing prices the round trip at the simulator's rate
  engine.fills = config.venue.fills;                // virtual positions fill as the simulator fills orders
  return engine;
}

}  // namespace

SimulatedBacktest::SimulatedBacktest(std::vector<Instrument> instruments, std::map<std::string, std::vector<LeverageBracket>> brackets,
                                     const strategy::Strategy& strategy, SimulatedBacktestConfig config, const ml::Model& model)
    : instruments_(instruments), brackets_(brackets), config_(std::move(config)),
      engine_(std::move(instruments), std::move(brackets), strategy, engine_config(config_), model) {}

Result<sim::SimVenue> SimulatedBacktest::make_venue() const {
  sim::SimVenue venue(instruments_, brackets_, config_.venue);
  for (const auto& [symbol, rates] : config_.funding) {
    if (!venue.index_of(symbol)) continue;  // history of a symbol not traded here
    if (auto status = venue.set_funding(symbol, rates); !status) return status.error();
  }
  return venue;
}

Result<engine::BacktestCounts> SimulatedBacktest::run(engine::BarFeed& feed, journal::Recorder& recorder) {
  WINISWIN_TRY(sim::SimVenue venue, make_venue());
  return engine_.run(feed, venue, recorder);
}

Result<engine::BacktestResult> SimulatedBacktest::run(engine::BarFeed& feed) {
  WINISWIN_TRY(sim::SimVenue venue, make_venue());
  return engine_.run(feed, venue);
}

Result<engine::BacktestResult> SimulatedBacktest::run(const std::vector<KlineSeries>& minutes) {
  WINISWIN_TRY(engine::SeriesFeed feed, engine::SeriesFeed::make(minutes));
  return run(feed);
}

}  // namespace winiswin::backtest
