#include "app/config.h"

#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "data/file_bytes.h"

namespace winiswin {
namespace {

constexpr std::array<std::string_view, 7> kLogLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};

Error config_error(const std::string& source, const toml::source_region& where, const std::string& what) {
  return make_error(ErrorCode::kConfig, fmt::format("{}:{}: {}", source, where.begin.line, what));
}

// Applies one table's keys to setters; anything not listed is an error.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix, const std::string& source)
      : table_(table), prefix_(std::move(prefix)), source_(source) {}

  template <typename T>
  void bind(std::string_view key, T& target) {
    bound_.insert(std::string(key));
    const toml::node* node = table_.get(key);
    if (!node || error_) return;
    if constexpr (std::is_same_v<T, bool>) {
      if (auto value = node->value_exact<bool>()) {
        target = *value;
        return;
      }
      fail(*node, key, "true or false");
    } else if constexpr (std::is_same_v<T, double>) {
      // Integers are fine where a real number is expected ("beta_max = 2").
      if (auto value = node->value<double>(); value && (node->is_floating_point() || node->is_integer())) {
        target = *value;
        return;
      }
      fail(*node, key, "a number");
    } else if constexpr (std::is_integral_v<T>) {
      if (auto value = node->value_exact<std::int64_t>()) {
        // toml++ reads every integer as int64: one the key's type cannot hold is refused, never wrapped.
        if (std::in_range<T>(*value)) {
          target = static_cast<T>(*value);
          return;
        }
        return fail(*node, key, fmt::format("an integer within [{}, {}] (got {})", std::numeric_limits<T>::min(),
                                            std::numeric_limits<T>::max(), *value));
      }
      fail(*node, key, "an integer");
    } else {
      if (auto value = node->value_exact<std::string>()) {
        target = *value;
        return;
      }
      fail(*node, key, "a string");
    }
  }

  // Reports the first unknown key; call after every bind().
  Status finish(const std::set<std::string>& subtables = {}) {
    if (error_) return *error_;
    for (const auto& [key, node] : table_) {
      const std::string name(key.str());
      if (bound_.count(name) || subtables.count(name)) continue;
      return config_error(source_, node.source(), fmt::format("unknown key '{}{}'", prefix_, name));
    }
    return Ok{};
  }

 private:
  void fail(const toml::node& node, std::string_view key, std::string_view expected) {
    error_ = config_error(source_, node.source(), fmt::format("key '{}{}' must be {}", prefix_, key, expected));
  }
  const toml::table& table_;
  std::string prefix_;
  const std::string& source_;
  std::set<std::string> bound_;
  std::optional<Error> error_;
};

const toml::table* subtable(const toml::table& root, std::string_view key) { return root[key].as_table(); }

Error config_rule(const std::string& source, const std::string& what) {
  return make_error(ErrorCode::kConfig, fmt::format("{}: {}", source, what));
}

// A [section] that may be absent, but must be a table when present.
Result<const toml::table*> optional_table(const toml::table& parent, std::string_view key, const std::string& name,
                                          const std::string& source) {
  if (!parent.contains(key)) return static_cast<const toml::table*>(nullptr);
  if (const toml::table* table = parent[key].as_table()) return table;
  return config_rule(source, fmt::format("key '{}' must be a table", name));
}

// The keys of each section, listed once: parsing binds them, describing prints them.
// Values stored in another unit than the key's (dates, minutes, modes) pass through a
// local the caller converts.
template <typename Field>
void synthetic_fields(Field&& field, SyntheticMarketConfig& m, std::string& start) {
  field("symbols", m.symbols);
  field("days", m.days);
  field("seed", m.seed);
  field("start", start);
  field("market_sigma_1m", m.market_sigma_1m);
  field("beta_min", m.beta_min);
  field("beta_max", m.beta_max);
  field("idiosyncratic_ratio_min", m.idiosyncratic_ratio_min);
  field("idiosyncratic_ratio_max", m.idiosyncratic_ratio_max);
  field("student_t_dof", m.student_t_dof);
  field("garch_alpha", m.garch_alpha);
  field("garch_beta", m.garch_beta);
  field("slow_vol_half_life_minutes", m.slow_vol_half_life_minutes);
  field("slow_vol_sigma", m.slow_vol_sigma);
  field("trend_mean_minutes", m.trend_mean_minutes);
  field("range_mean_minutes", m.range_mean_minutes);
  field("trend_drift_sigmas", m.trend_drift_sigmas);
  field("range_reversion_per_minute", m.range_reversion_per_minute);
  field("jump_probability", m.jump_probability);
  field("jump_sigma", m.jump_sigma);
  field("market_jump_probability", m.market_jump_probability);
  field("market_jump_sigma", m.market_jump_sigma);
}

template <typename Field>
void strategy_fields(Field&& field, StrategySettings& settings) {
  field("name", settings.name);
  field("min_confidence", settings.min_confidence);
}

template <typename Field>
void ict_fields(Field&& field, strategy::IctConfig& ict) {
  field("weight_trend", ict.weight_trend);
  field("weight_structure", ict.weight_structure);
  field("weight_position", ict.weight_position);
  field("weight_momentum", ict.weight_momentum);
  field("weight_volatility", ict.weight_volatility);
  field("adx_threshold", ict.adx_threshold);
  field("min_slope_pct", ict.min_slope_pct);
  field("max_block_distance_atr", ict.max_block_distance_atr);
  field("reversal_penalty", ict.reversal_penalty);
  field("stop_buffer_atr", ict.stop_buffer_atr);
  field("default_stop_atr", ict.default_stop_atr);
  field("min_stop_atr", ict.min_stop_atr);
  field("max_stop_atr", ict.max_stop_atr);
  field("min_reward_risk", ict.min_reward_risk);
  field("max_reward_risk", ict.max_reward_risk);
}

template <typename Field>
void sizing_fields(Field&& field, risk::SizingConfig& sizing, std::string& mode) {
  field("base_fraction", sizing.base_fraction);
  field("fraction_slope", sizing.fraction_slope);
  field("confidence_pivot", sizing.confidence_pivot);
  field("confidence_span", sizing.confidence_span);
  field("min_fraction", sizing.min_fraction);
  field("max_fraction", sizing.max_fraction);
  field("leverage_mode", mode);
  field("min_leverage", sizing.min_leverage);
  field("max_leverage", sizing.max_leverage);
  field("volatility_atr_multiple", sizing.volatility_atr_multiple);
  field("volatile_max_leverage", sizing.volatile_max_leverage);
  field("max_loss_fraction", sizing.max_loss_fraction);
  field("max_fee_to_risk", sizing.max_fee_to_risk);
  field("liquidation_buffer", sizing.liquidation_buffer);
}

template <typename Field>
void state_fields(Field&& field, risk::TradingStateConfig& state, std::int64_t& cool_down_minutes,
                  std::int64_t& shutdown_hours) {
  field("cautious_losses", state.cautious_losses);
  field("risk_averse_losses", state.risk_averse_losses);
  field("shutdown_losses", state.shutdown_losses);
  field("cautious_drawdown", state.cautious_drawdown);
  field("risk_averse_drawdown", state.risk_averse_drawdown);
  field("shutdown_drawdown", state.shutdown_drawdown);
  field("recovery_wins", state.recovery_wins);
  field("cool_down_minutes", cool_down_minutes);
  field("shutdown_cool_down_hours", shutdown_hours);
}

template <typename Field>
void breaker_fields(Field&& field, risk::CircuitBreakerConfig& breaker, std::int64_t& base_ms, std::int64_t& max_ms) {
  field("window", breaker.window);
  field("min_calls", breaker.min_calls);
  field("warning_rate", breaker.warning_rate);
  field("critical_rate", breaker.critical_rate);
  field("emergency_rate", breaker.emergency_rate);
  field("warning_consecutive", breaker.warning_consecutive);
  field("critical_consecutive", breaker.critical_consecutive);
  field("emergency_consecutive", breaker.emergency_consecutive);
  field("recovery_successes", breaker.recovery_successes);
  field("backoff_base_ms", base_ms);
  field("backoff_max_ms", max_ms);
}

template <typename Field>
void limits_fields(Field&& field, risk::AccountLimitsConfig& limits) {
  field("max_open_positions", limits.max_open_positions);
  field("max_total_exposure", limits.max_total_exposure);
  field("max_symbol_exposure", limits.max_symbol_exposure);
  field("daily_loss_limit", limits.daily_loss_limit);
}

template <typename Field>
void backtest_fields(Field&& field, BacktestSettings& backtest) {
  field("rank_depth", backtest.rank_depth);
  field("virtual_through", backtest.virtual_through);
  field("max_holding_minutes", backtest.max_holding_minutes);
  field("max_bridged_gap_minutes", backtest.max_bridged_gap_minutes);
}

// Money and rates are exact decimals, so they are strings ("0.0005"), not TOML floats.
struct SimTexts {
  std::string starting_balance, maker_fee, taker_fee, default_funding_rate, liquidation_fee, margin_type;
  explicit SimTexts(const sim::SimVenueConfig& venue)
      : starting_balance(venue.starting_balance.to_string()),
        maker_fee(venue.maker_fee.to_string()),
        taker_fee(venue.taker_fee.to_string()),
        default_funding_rate(venue.default_funding_rate.to_string()),
        liquidation_fee(venue.liquidation_fee.to_string()),
        margin_type(venue.margin_type == venue::MarginType::kCrossed ? "crossed" : "isolated") {}
};

template <typename Field>
void sim_fields(Field&& field, sim::SimVenueConfig& venue, SimTexts& texts) {
  field("starting_balance", texts.starting_balance);
  field("maker_fee", texts.maker_fee);
  field("taker_fee", texts.taker_fee);
  field("default_leverage", venue.default_leverage);
  field("default_funding_rate", texts.default_funding_rate);
  field("liquidation_fee", texts.liquidation_fee);
  field("margin_type", texts.margin_type);
  field("both_touched_is_stop", venue.fills.both_touched_is_stop);
  field("slippage_bps", venue.fills.slippage_bps);
  field("slippage_range_fraction", venue.fills.slippage_range_fraction);
}

std::string leverage_mode_name(risk::LeverageMode mode) {
  return mode == risk::LeverageMode::kConfidence ? "confidence" : "win_rate";
}

// Binds each field to the reader; returns the reader's verdict.
Status read_section(TableReader& reader, const auto& visit, const std::set<std::string>& subtables = {}) {
  visit([&](std::string_view key, auto& target) { reader.bind(key, target); });
  return reader.finish(subtables);
}

Status parse_strategy(const toml::table& root, const std::string& source, StrategySettings& settings) {
  WINISWIN_TRY(const toml::table* table, optional_table(root, "strategy", "strategy", source));
  if (!table) return Ok{};
  TableReader reader(*table, "strategy.", source);
  if (auto status = read_section(reader, [&](auto&& field) { strategy_fields(field, settings); }, {"ict"}); !status) {
    return status;
  }
  if (auto made = strategy::make_strategy(settings.name); !made) {
    return config_rule(source, fmt::format("key 'strategy.name': {}", made.error().message));
  }
  if (settings.min_confidence < 0 || settings.min_confidence > 1) {
    return config_rule(source, "key 'strategy.min_confidence' must be within [0, 1]");
  }
  WINISWIN_TRY(const toml::table* ict_table, optional_table(*table, "ict", "strategy.ict", source));
  if (!ict_table) return Ok{};
  strategy::IctConfig& ict = settings.ict;
  TableReader ict_reader(*ict_table, "strategy.ict.", source);
  if (auto status = read_section(ict_reader, [&](auto&& field) { ict_fields(field, ict); }); !status) return status;
  const double weights = ict.weight_trend + ict.weight_structure + ict.weight_position + ict.weight_momentum + ict.weight_volatility;
  if (std::fabs(weights - 1.0) > 1e-9) {
    return config_rule(source, fmt::format("[strategy.ict] weights must add up to 1 (they add up to {})", weights));
  }
  if (ict.min_stop_atr <= 0 || ict.min_stop_atr > ict.max_stop_atr || ict.min_reward_risk <= 0 ||
      ict.min_reward_risk > ict.max_reward_risk) {
    return config_rule(source, "[strategy.ict] needs 0 < min_stop_atr ≤ max_stop_atr and 0 < min_reward_risk ≤ max_reward_risk");
  }
  return Ok{};
}

Status parse_risk(const toml::table& root, const std::string& source, RiskSettings& settings) {
  WINISWIN_TRY(const toml::table* table, optional_table(root, "risk", "risk", source));
  if (!table) return Ok{};
  TableReader reader(*table, "risk.", source);
  if (auto status = reader.finish({"sizing", "state", "breaker", "limits"}); !status) return status;

  WINISWIN_TRY(const toml::table* sizing_table, optional_table(*table, "sizing", "risk.sizing", source));
  if (sizing_table) {
    risk::SizingConfig& sizing = settings.sizing;
    std::string mode = leverage_mode_name(sizing.leverage_mode);
    TableReader section(*sizing_table, "risk.sizing.", source);
    if (auto status = read_section(section, [&](auto&& field) { sizing_fields(field, sizing, mode); }); !status) return status;
    if (mode != "confidence" && mode != "win_rate") {
      return config_rule(source, fmt::format("key 'risk.sizing.leverage_mode' must be \"confidence\" or \"win_rate\" (got '{}')", mode));
    }
    sizing.leverage_mode = mode == "confidence" ? risk::LeverageMode::kConfidence : risk::LeverageMode::kWinRate;
    if (sizing.min_fraction <= 0 || sizing.min_fraction > sizing.max_fraction || sizing.max_fraction > 1 ||
        sizing.min_leverage < 1 || sizing.min_leverage > sizing.max_leverage || sizing.max_leverage > 125 ||
        sizing.max_loss_fraction <= 0 || sizing.max_loss_fraction > 1 || sizing.confidence_span <= 0) {
      return config_rule(source, "[risk.sizing] needs 0 < min_fraction ≤ max_fraction ≤ 1, 1 ≤ min_leverage ≤ max_leverage ≤ 125, "
                                 "0 < max_loss_fraction ≤ 1 and confidence_span > 0");
    }
    if (!(sizing.max_fee_to_risk > 0 && sizing.max_fee_to_risk <= 1)) {
      return config_rule(source, fmt::format("key 'risk.sizing.max_fee_to_risk' must be in (0, 1] (round-trip fees as a share "
                                             "of the risk at the stop; got {})", sizing.max_fee_to_risk));
    }
    if (!(sizing.liquidation_buffer >= 0 && sizing.liquidation_buffer <= 5)) {
      return config_rule(source, fmt::format("key 'risk.sizing.liquidation_buffer' must be in [0, 5] (the liquidation lies ≥ "
                                             "(1 + buffer) × the stop distance from entry; got {})", sizing.liquidation_buffer));
    }
  }

  WINISWIN_TRY(const toml::table* state_table, optional_table(*table, "state", "risk.state", source));
  if (state_table) {
    risk::TradingStateConfig& state = settings.state;
    std::int64_t cool_down_minutes = state.cool_down.count() / 60'000;
    std::int64_t shutdown_hours = state.shutdown_cool_down.count() / 3'600'000;
    TableReader section(*state_table, "risk.state.", source);
    if (auto status = read_section(section, [&](auto&& field) { state_fields(field, state, cool_down_minutes, shutdown_hours); });
        !status) {
      return status;
    }
    state.cool_down = Milliseconds{cool_down_minutes * 60'000};
    state.shutdown_cool_down = Milliseconds{shutdown_hours * 3'600'000};
    if (!(state.cautious_losses <= state.risk_averse_losses && state.risk_averse_losses <= state.shutdown_losses &&
          state.cautious_drawdown <= state.risk_averse_drawdown && state.risk_averse_drawdown <= state.shutdown_drawdown)) {
      return config_rule(source, "[risk.state] thresholds must rise from cautious to risk_averse to shutdown");
    }
  }

  WINISWIN_TRY(const toml::table* breaker_table, optional_table(*table, "breaker", "risk.breaker", source));
  if (breaker_table) {
    risk::CircuitBreakerConfig& breaker = settings.breaker;
    std::int64_t base_ms = breaker.backoff_base.count(), max_ms = breaker.backoff_max.count();
    TableReader section(*breaker_table, "risk.breaker.", source);
    if (auto status = read_section(section, [&](auto&& field) { breaker_fields(field, breaker, base_ms, max_ms); }); !status) {
      return status;
    }
    breaker.backoff_base = Milliseconds{base_ms};
    breaker.backoff_max = Milliseconds{max_ms};
    if (breaker.window < 1 || base_ms < 1 || base_ms > max_ms) {
      return config_rule(source, "[risk.breaker] needs window ≥ 1 and 1 ≤ backoff_base_ms ≤ backoff_max_ms");
    }
  }

  WINISWIN_TRY(const toml::table* limits_table, optional_table(*table, "limits", "risk.limits", source));
  if (limits_table) {
    risk::AccountLimitsConfig& limits = settings.limits;
    TableReader section(*limits_table, "risk.limits.", source);
    if (auto status = read_section(section, [&](auto&& field) { limits_fields(field, limits); }); !status) return status;
    if (limits.max_open_positions < 0 || limits.max_total_exposure <= 0 || limits.max_symbol_exposure <= 0 ||
        limits.daily_loss_limit <= 0 || limits.daily_loss_limit > 1) {
      return config_rule(source, "[risk.limits] needs positive limits and 0 < daily_loss_limit ≤ 1");
    }
  }
  return Ok{};
}

template <typename Field>
void live_fields(Field&& field, LiveSettings& live) {
  field("check_seconds", live.check_seconds);
  field("check_grace_seconds", live.check_grace_seconds);
  field("stream_silence_seconds", live.stream_silence_seconds);
  field("universe_refresh_minutes", live.universe_refresh_minutes);
}

Status parse_live(const toml::table& root, const std::string& source, LiveSettings& live) {
  WINISWIN_TRY(const toml::table* table, optional_table(root, "live", "live", source));
  if (!table) return Ok{};
  TableReader reader(*table, "live.", source);
  if (auto status = read_section(reader, [&](auto&& field) { live_fields(field, live); }); !status) return status;
  if (live.check_seconds < 5 || live.check_grace_seconds < 1 || live.check_grace_seconds > 3600 || live.stream_silence_seconds < 1 ||
      live.universe_refresh_minutes < 1) {
    return config_rule(source, "[live] needs check_seconds ≥ 5, 1 ≤ check_grace_seconds ≤ 3600, stream_silence_seconds ≥ 1 and "
                               "universe_refresh_minutes ≥ 1");
  }
  return Ok{};
}

Status parse_backtest(const toml::table& root, const std::string& source, BacktestSettings& backtest, sim::SimVenueConfig& venue) {
  WINISWIN_TRY(const toml::table* table, optional_table(root, "backtest", "backtest", source));
  if (table) {
    TableReader reader(*table, "backtest.", source);
    if (auto status = read_section(reader, [&](auto&& field) { backtest_fields(field, backtest); }); !status) return status;
    if (backtest.rank_depth < 1 || backtest.virtual_through < 0 || backtest.virtual_through > backtest.rank_depth ||
        backtest.max_holding_minutes < 5 || backtest.max_bridged_gap_minutes < 0) {
      return config_rule(source, "[backtest] needs rank_depth ≥ 1, 0 ≤ virtual_through ≤ rank_depth, max_holding_minutes ≥ 5 and "
                                 "max_bridged_gap_minutes ≥ 0");
    }
  }
  WINISWIN_TRY(const toml::table* sim_table, optional_table(root, "sim", "sim", source));
  if (!sim_table) return Ok{};
  SimTexts texts(venue);
  TableReader reader(*sim_table, "sim.", source);
  if (auto status = read_section(reader, [&](auto&& field) { sim_fields(field, venue, texts); }); !status) return status;
  const auto decimal = [&](const char* key, const std::string& text, auto& target) -> Status {
    auto parsed = std::remove_reference_t<decltype(target)>::parse(text);
    if (!parsed) return config_rule(source, fmt::format("key 'sim.{}': {}", key, parsed.error().message));
    target = *parsed;
    return Ok{};
  };
  for (const Status& status : {decimal("starting_balance", texts.starting_balance, venue.starting_balance),
                               decimal("maker_fee", texts.maker_fee, venue.maker_fee),
                               decimal("taker_fee", texts.taker_fee, venue.taker_fee),
                               decimal("default_funding_rate", texts.default_funding_rate, venue.default_funding_rate),
                               decimal("liquidation_fee", texts.liquidation_fee, venue.liquidation_fee)}) {
    if (!status) return status;
  }
  if (texts.margin_type != "isolated" && texts.margin_type != "crossed") {
    return config_rule(source, fmt::format("key 'sim.margin_type' is \"{}\": \"isolated\" or \"crossed\"", texts.margin_type));
  }
  venue.margin_type = texts.margin_type == "crossed" ? venue::MarginType::kCrossed : venue::MarginType::kIsolated;
  const Ratio one_percent = Ratio::parse("0.01").value();
  if (!venue.starting_balance.is_positive() || venue.maker_fee.is_negative() || venue.taker_fee.is_negative() ||
      venue.maker_fee > one_percent || venue.taker_fee > one_percent || venue.liquidation_fee.is_negative() ||
      venue.default_leverage < 1 || venue.default_leverage > 125 || venue.fills.slippage_bps < 0 ||
      venue.fills.slippage_range_fraction < 0 || venue.fills.slippage_range_fraction > 1) {
    return config_rule(source, "[sim] needs starting_balance > 0, fees within [0, 0.01], liquidation_fee ≥ 0, "
                               "default_leverage 1..125, slippage_bps ≥ 0 and slippage_range_fraction within [0, 1]");
  }
  return Ok{};
}

}  // namespace

Result<Timestamp> parse_utc_date(std::string_view text) {
  int year = 0;
  unsigned month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      std::from_chars(text.data(), text.data() + 4, year).ec != std::errc() ||
      std::from_chars(text.data() + 5, text.data() + 7, month).ec != std::errc() ||
      std::from_chars(text.data() + 8, text.data() + 10, day).ec != std::errc()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("'{}' is not a date like 2026-01-01", text));
  }
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!date.ok()) return make_error(ErrorCode::kInvalidArgument, fmt::format("'{}' is not a valid date", text));
  return Timestamp{std::chrono::sys_days{date}};
}

Result<Timestamp> parse_decision_time(std::string_view text) { return parse_utc_time(text); }

Result<AppConfig> parse_config(std::string_view toml_text, const std::string& source) {
  // Debian's toml++ is built with exceptions on: a syntax error arrives as parse_error.
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& error) {
    return make_error(ErrorCode::kConfig, fmt::format("{}:{}:{}: {}", source, error.source().begin.line,
                                                      error.source().begin.column, error.description()));
  }
  AppConfig config;
  TableReader root_reader(root, "", source);
  if (auto status = root_reader.finish({"log", "synthetic", "strategy", "risk", "backtest", "live", "sim"}); !status) return status.error();

  if (const toml::table* log = subtable(root, "log")) {
    TableReader reader(*log, "log.", source);
    reader.bind("level", config.log_level);
    if (auto status = reader.finish(); !status) return status.error();
    if (std::find(kLogLevels.begin(), kLogLevels.end(), config.log_level) == kLogLevels.end()) {
      return make_error(ErrorCode::kConfig, fmt::format("{}: key 'log.level' must be one of trace, debug, info, warn, "
                                                        "error, critical, off (got '{}')", source, config.log_level));
    }
  } else if (root.contains("log")) {
    return make_error(ErrorCode::kConfig, fmt::format("{}: key 'log' must be a table", source));
  }

  if (const toml::table* synthetic = subtable(root, "synthetic")) {
    SyntheticMarketConfig& market = config.synthetic;
    TableReader reader(*synthetic, "synthetic.", source);
    std::string start = format_utc(market.start).substr(0, 10);
    synthetic_fields([&](std::string_view key, auto& target) { reader.bind(key, target); }, market, start);
    if (auto status = reader.finish(); !status) return status.error();
    auto start_time = parse_utc_date(start);
    if (!start_time) return start_time.error().with_context(source + ": key 'synthetic.start'");
    market.start = *start_time;
    if (market.symbols < 1 || market.symbols > 5000) {
      return make_error(ErrorCode::kConfig, fmt::format("{}: key 'synthetic.symbols' must be 1..5000", source));
    }
    if (market.days < 1 || market.days > 3650) {
      return make_error(ErrorCode::kConfig, fmt::format("{}: key 'synthetic.days' must be 1..3650", source));
    }
    if (market.student_t_dof <= 2.0 || market.garch_alpha < 0 || market.garch_beta < 0 ||
        market.garch_alpha + market.garch_beta >= 1.0 || market.beta_min > market.beta_max) {
      return make_error(ErrorCode::kConfig, fmt::format("{}: [synthetic] needs student_t_dof > 2, garch_alpha + "
                                                        "garch_beta < 1 and beta_min ≤ beta_max", source));
    }
  } else if (root.contains("synthetic")) {
    return make_error(ErrorCode::kConfig, fmt::format("{}: key 'synthetic' must be a table", source));
  }
  if (auto status = parse_strategy(root, source, config.strategy); !status) return status.error();
  if (auto status = parse_risk(root, source, config.risk); !status) return status.error();
  if (auto status = parse_backtest(root, source, config.backtest, config.sim); !status) return status.error();
  if (auto status = parse_live(root, source, config.live); !status) return status.error();
  return config;
}

std::string describe_config(const AppConfig& config, MarketSource source) {
  AppConfig copy = config;  // the field lists take references
  std::string out;
  const auto field = [&](std::string_view key, const auto& value) {
    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>) {
      fmt::format_to(std::back_inserter(out), "{} = \"{}\"\n", key, value);
    } else {
      fmt::format_to(std::back_inserter(out), "{} = {}\n", key, value);
    }
  };
  const auto section = [&](std::string_view name) { fmt::format_to(std::back_inserter(out), "\n[{}]\n", name); };
  section("log");
  field("level", copy.log_level);
  if (source == MarketSource::kSynthetic) {
    section("synthetic");
    std::string start = format_utc(copy.synthetic.start).substr(0, 10);
    synthetic_fields(field, copy.synthetic, start);
  }
  section("strategy");
  strategy_fields(field, copy.strategy);
  section("strategy.ict");
  ict_fields(field, copy.strategy.ict);
  section("risk.sizing");
  std::string mode = leverage_mode_name(copy.risk.sizing.leverage_mode);
  sizing_fields(field, copy.risk.sizing, mode);
  section("risk.state");
  std::int64_t cool_down = copy.risk.state.cool_down.count() / 60'000;
  std::int64_t shutdown = copy.risk.state.shutdown_cool_down.count() / 3'600'000;
  state_fields(field, copy.risk.state, cool_down, shutdown);
  section("risk.breaker");
  std::int64_t base = copy.risk.breaker.backoff_base.count(), max = copy.risk.breaker.backoff_max.count();
  breaker_fields(field, copy.risk.breaker, base, max);
  section("risk.limits");
  limits_fields(field, copy.risk.limits);
  section("backtest");
  backtest_fields(field, copy.backtest);
  section("live");
  live_fields(field, copy.live);
  section("sim");
  SimTexts texts(copy.sim);
  sim_fields(field, copy.sim, texts);
  return out.substr(1);
}

Result<AppConfig> load_config(const std::filesystem::path& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return bytes.error();
  return parse_config(*bytes, path.string());
}

Status apply_environment(AppConfig& config, const std::function<const char*(const char*)>& lookup) {
  if (const char* level = lookup("LOG_LEVEL"); level && *level) config.log_level = level;
  if (const char* positions = lookup("MAX_POSITIONS"); positions && *positions) {
    int value = 0;
    const std::string_view text(positions);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < 1) {
      return make_error(ErrorCode::kConfig, fmt::format("MAX_POSITIONS='{}': a whole number ≥ 1", text));
    }
    config.risk.limits.max_open_positions = value;
  }
  if (const char* enabled = lookup("TRADING_ENABLED"); enabled && *enabled) {
    const std::string_view text(enabled);
    if (text != "true" && text != "false") return make_error(ErrorCode::kConfig, fmt::format("TRADING_ENABLED='{}': true or false", text));
    config.trading_enabled = text == "true";
  }
  return Ok{};
}

}  // namespace winiswin
