// winiswin configuration: TOML (toml++), strict. Every key has a default compiled in (the
// "embedded default"); a file overrides only what it names. An unknown key or a value of
// the wrong type is an error that names the key, so a typo never silently does nothing.
// config/winiswin.example.toml documents every key; a test keeps it equal to the defaults.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "data/synthetic_market.h"
#include "risk/account_limits.h"
#include "risk/circuit_breaker.h"
#include "risk/position_sizing.h"
#include "risk/trading_state.h"
#include "strategy/ict_strategy.h"
#include "venue/sim/sim_venue.h"

namespace winiswin {

struct StrategySettings {
  std::string name = "ict_smc";  // from the strategy registry
  double min_confidence = 0.35;   // ranking threshold
  strategy::IctConfig ict;
};

struct RiskSettings {
  risk::SizingConfig sizing;
  risk::TradingStateConfig state;
  risk::CircuitBreakerConfig breaker;
  risk::AccountLimitsConfig limits;
};

// The backtest's own choices (the real-trade count is risk.limits.max_open_positions).
struct BacktestSettings {
  int rank_depth = 10;             // ranks made per decision; real slots are sought among them
  int virtual_through = 10;        // ranks up to this one open virtual positions (≤ rank_depth)
  int max_holding_minutes = 1440;  // real and virtual positions close at market after this
  int max_bridged_gap_minutes = 15;  // a longer hole in a symbol's data closes its positions; its state warms up again
};

// `run`'s own choices (paper and live).
struct LiveSettings {
  int check_seconds = 60;        // how often each trade is checked against the venue's holdings
  int check_grace_seconds = 30;  // a gap (no stop, no position) is acted on when seen this long apart
  int stream_silence_seconds = 30;  // a market stream silent this long is connected again (bars fetched over REST)
  int universe_refresh_minutes = 60;  // how often exchangeInfo is read again: a symbol no longer TRADING opens nothing new
};

struct AppConfig {
  std::string log_level = "info";  // trace, debug, info, warn, error, off
  SyntheticMarketConfig synthetic;
  StrategySettings strategy;
  RiskSettings risk;
  BacktestSettings backtest;
  LiveSettings live;
  sim::SimVenueConfig sim;  // the simulated exchange: fees, funding, liquidation, fills
  bool trading_enabled = true;  // false: `run` decides and records, and sends no order (TRADING_ENABLED)
};

// The environment over the file, as the original deployment set it: LOG_LEVEL, MAX_POSITIONS
// (risk.limits.max_open_positions), TRADING_ENABLED (true/false). `lookup` reads a variable
// (std::getenv in the program); a malformed value is an error naming the variable.
Status apply_environment(AppConfig& config, const std::function<const char*(const char*)>& lookup);

Result<AppConfig> parse_config(std::string_view toml_text, const std::string& source);
Result<AppConfig> load_config(const std::filesystem::path& path);
// Every key with its effective value, as TOML (what `winiswin config` prints). A run on real
// data leaves out the [synthetic] section: its market was not generated.
enum class MarketSource { kSynthetic, kData };
std::string describe_config(const AppConfig& config, MarketSource source = MarketSource::kSynthetic);

// "2026-01-01" → midnight UTC of that day.
Result<Timestamp> parse_utc_date(std::string_view text);
// A time on the command line (core/time.h parse_utc_time: ISO 8601, winiswin's own format, dates, epoch ms).
Result<Timestamp> parse_decision_time(std::string_view text);

}  // namespace winiswin
