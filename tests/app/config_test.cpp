#include "app/config.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

namespace winiswin {
namespace {

std::string config_error(const std::string& toml) {
  auto result = parse_config(toml, "test.toml");
  EXPECT_FALSE(result.ok()) << toml;
  return result.ok() ? "" : result.error().message;
}

TEST(Config, EmptyFileGivesTheEmbeddedDefaults) {
  const AppConfig config = parse_config("", "empty.toml").value();
  EXPECT_EQ(config.log_level, "info");
  EXPECT_EQ(config.synthetic.symbols, 200);
  EXPECT_EQ(config.synthetic.days, 30);
  EXPECT_EQ(config.synthetic.seed, 42u);
  EXPECT_EQ(format_utc(config.synthetic.start), "2026-01-01 00:00:00");
}

TEST(Config, DocumentedExampleEqualsTheEmbeddedDefaults) {
  const AppConfig example = load_config(std::string(WINISWIN_SOURCE_DIR) + "/config/winiswin.example.toml").value();
  EXPECT_EQ(describe_config(example), describe_config(AppConfig{}));
  // The description lists every key of the example: it is a complete configuration itself.
  const AppConfig described = parse_config(describe_config(AppConfig{}), "described.toml").value();
  EXPECT_EQ(describe_config(described), describe_config(AppConfig{}));
}

TEST(Config, DescriptionShowsEveryOverride) {
  const AppConfig config = parse_config("[risk.sizing]\nleverage_mode = \"win_rate\"\n[risk.state]\ncool_down_minutes = 15\n"
                                        "[strategy]\nname = \"ema_pullback\"\n",
                                        "t.toml")
                               .value();
  EXPECT_EQ(config.risk.sizing.leverage_mode, risk::LeverageMode::kWinRate);
  EXPECT_EQ(config.risk.state.cool_down, Milliseconds{15 * 60'000});
  const std::string description = describe_config(config);
  EXPECT_NE(description.find("leverage_mode = \"win_rate\""), std::string::npos);
  EXPECT_NE(description.find("cool_down_minutes = 15"), std::string::npos);
  EXPECT_NE(description.find("name = \"ema_pullback\""), std::string::npos);
}

TEST(Config, FeeAndLiquidationRulesOfTheSizing) {
  EXPECT_DOUBLE_EQ(AppConfig{}.risk.sizing.max_fee_to_risk, 0.2);
  EXPECT_DOUBLE_EQ(AppConfig{}.risk.sizing.liquidation_buffer, 0.5);
  const AppConfig config =
      parse_config("[risk.sizing]\nmax_fee_to_risk = 0.35\nliquidation_buffer = 1\n", "t.toml").value();
  EXPECT_DOUBLE_EQ(config.risk.sizing.max_fee_to_risk, 0.35);
  EXPECT_DOUBLE_EQ(config.risk.sizing.liquidation_buffer, 1.0);
  const std::string description = describe_config(config);
  EXPECT_NE(description.find("max_fee_to_risk = 0.35"), std::string::npos) << description;
  EXPECT_NE(description.find("liquidation_buffer = 1"), std::string::npos) << description;
  // The edges of the ranges are accepted: fees up to the whole risk, and no buffer at all.
  EXPECT_TRUE(parse_config("[risk.sizing]\nmax_fee_to_risk = 1.0\nliquidation_buffer = 0.0\n", "edges.toml").ok());
}

TEST(Config, StrategyAndRiskRulesNameTheKey) {
  EXPECT_NE(config_error("[strategy]\nname = \"yolo\"\n").find("unknown strategy 'yolo'"), std::string::npos);
  EXPECT_NE(config_error("[strategy.ict]\nweight_trend = 0.5\n").find("add up to 1"), std::string::npos);
  EXPECT_NE(config_error("[strategy.ict]\nweight_trnd = 0.5\n").find("unknown key 'strategy.ict.weight_trnd'"), std::string::npos);
  EXPECT_NE(config_error("[risk.sizing]\nleverage_mode = \"yolo\"\n").find("risk.sizing.leverage_mode"), std::string::npos);
  EXPECT_NE(config_error("[risk.sizing]\nmax_leverage = 200\n").find("[risk.sizing]"), std::string::npos);
  EXPECT_NE(config_error("[risk.state]\ncautious_losses = 9\n").find("must rise"), std::string::npos);
  EXPECT_NE(config_error("[risk.breaker]\nbackoff_base_ms = \"fast\"\n").find("'risk.breaker.backoff_base_ms' must be an integer"),
            std::string::npos);
  EXPECT_NE(config_error("[risk.limits]\ndaily_loss_limit = 2\n").find("daily_loss_limit"), std::string::npos);
  EXPECT_NE(config_error("[risk.sizing]\nmax_fee_to_risk = 0\n").find("'risk.sizing.max_fee_to_risk' must be in (0, 1]"),
            std::string::npos);
  EXPECT_NE(config_error("[risk.sizing]\nmax_fee_to_risk = 1.5\n").find("risk.sizing.max_fee_to_risk"), std::string::npos);
  EXPECT_NE(config_error("[risk.sizing]\nmax_fee_to_risk = nan\n").find("risk.sizing.max_fee_to_risk"), std::string::npos);
  EXPECT_NE(config_error("[risk.sizing]\nliquidation_buffer = -0.1\n").find("'risk.sizing.liquidation_buffer' must be in [0, 5]"),
            std::string::npos);
  EXPECT_NE(config_error("[risk.sizing]\nliquidation_buffer = \"wide\"\n").find("'risk.sizing.liquidation_buffer' must be a number"),
            std::string::npos);
  EXPECT_NE(config_error("[risk]\nlimit = 1\n").find("unknown key 'risk.limit'"), std::string::npos);
}

TEST(Config, OverridesOnlyWhatItNames) {
  const AppConfig config = parse_config("[synthetic]\nsymbols = 7\nbeta_max = 2\nstart = \"2025-09-19\"\n", "t.toml").value();
  EXPECT_EQ(config.synthetic.symbols, 7);
  EXPECT_EQ(config.synthetic.beta_max, 2.0);
  EXPECT_EQ(config.synthetic.days, 30);
  EXPECT_EQ(format_utc(config.synthetic.start), "2025-09-19 00:00:00");
}

TEST(Config, UnknownKeysAndWrongTypesNameTheKey) {
  EXPECT_NE(config_error("[synthetic]\nsymbol = 7\n").find("unknown key 'synthetic.symbol'"), std::string::npos);
  EXPECT_NE(config_error("[synthetc]\n").find("unknown key 'synthetc'"), std::string::npos);
  EXPECT_NE(config_error("[synthetic]\nsymbols = \"7\"\n").find("'synthetic.symbols' must be an integer"), std::string::npos);
  EXPECT_NE(config_error("[synthetic]\nbeta_min = \"x\"\n").find("'synthetic.beta_min' must be a number"), std::string::npos);
  EXPECT_NE(config_error("[log]\nlevel = 3\n").find("'log.level' must be a string"), std::string::npos);
  EXPECT_NE(config_error("[log]\nlevel = \"loud\"\n").find("log.level"), std::string::npos);
  EXPECT_NE(config_error("[synthetic]\nstart = \"2026-13-01\"\n").find("synthetic.start"), std::string::npos);
  EXPECT_NE(config_error("[synthetic]\ndays = 0\n").find("synthetic.days"), std::string::npos);
  EXPECT_NE(config_error("[synthetic]\ngarch_alpha = 0.5\ngarch_beta = 0.6\n").find("garch"), std::string::npos);
  EXPECT_NE(config_error("log = 1\n").find("'log' must be a table"), std::string::npos);
  const std::string syntax = config_error("[synthetic\n");
  EXPECT_NE(syntax.find("test.toml:1"), std::string::npos) << syntax;
  EXPECT_NE(config_error("\n\n[synthetic]\nsymbl = 1\n").find("test.toml:4"), std::string::npos);
}

TEST(CommandLineTime, DatesMinutesAndMilliseconds) {
  EXPECT_EQ(to_ms(parse_decision_time("2026-01-01").value()), 1'767'225'600'000);
  EXPECT_EQ(to_ms(parse_decision_time("2026-01-01 12:05").value()), 1'767'225'600'000 + (12 * 60 + 5) * 60'000);
  EXPECT_EQ(parse_decision_time("2026-01-01T12:05").value(), parse_decision_time("2026-01-01 12:05").value());
  // As the outputs print times (trades.csv, equity.csv): with seconds.
  EXPECT_EQ(parse_decision_time("2026-01-01 12:05:00").value(), parse_decision_time("2026-01-01 12:05").value());
  EXPECT_EQ(to_ms(parse_decision_time("2026-01-01 12:05:30").value()), 1'767'225'600'000 + (12 * 60 + 5) * 60'000 + 30'000);
  EXPECT_FALSE(parse_decision_time("2026-01-01 12:05:61").ok());
  EXPECT_FALSE(parse_decision_time("2026-01-01 12:5:00").ok());
  EXPECT_EQ(to_ms(parse_decision_time("1767225600000").value()), 1'767'225'600'000);
  for (const char* bad : {"", "2026-13-01", "2026-02-30", "2026-01-01 24:00", "2026-01-01 12:60", "yesterday", "12:05"}) {
    EXPECT_FALSE(parse_decision_time(bad).ok()) << bad;
  }
}

TEST(Config, BacktestAndSimulatedExchangeSections) {
  const AppConfig config = parse_config("[backtest]\nrank_depth = 8\nvirtual_through = 5\nmax_holding_minutes = 240\nmax_bridged_gap_minutes = 60\n"
                                        "[sim]\ntaker_fee = \"0.0004\"\nstarting_balance = \"2500.5\"\n"
                                        "both_touched_is_stop = false\nslippage_bps = 0\nmargin_type = \"crossed\"\n",
                                        "t.toml")
                               .value();
  EXPECT_EQ(config.backtest.rank_depth, 8);
  EXPECT_EQ(config.backtest.virtual_through, 5);
  EXPECT_NE(config_error("[backtest]\nrank_depth = 4\nvirtual_through = 5\n").find("virtual_through ≤ rank_depth"), std::string::npos);
  EXPECT_NE(config_error("[backtest]\nrank_depth = 0\n").find("rank_depth ≥ 1"), std::string::npos);
  EXPECT_EQ(config.backtest.max_holding_minutes, 240);
  EXPECT_EQ(config.backtest.max_bridged_gap_minutes, 60);
  EXPECT_EQ(config.sim.taker_fee, Ratio::parse("0.0004").value());
  EXPECT_EQ(config.sim.maker_fee, Ratio::parse("0.0002").value());  // untouched default
  EXPECT_EQ(config.sim.starting_balance, Notional::parse("2500.5").value());
  EXPECT_FALSE(config.sim.fills.both_touched_is_stop);
  EXPECT_EQ(config.sim.fills.slippage_bps, 0.0);
  EXPECT_EQ(config.sim.margin_type, venue::MarginType::kCrossed);
  EXPECT_EQ(parse_config("", "t.toml").value().sim.margin_type, venue::MarginType::kIsolated);
  EXPECT_NE(config_error("[sim]\ntaker_fee = 0.0005\n").find("key 'sim.taker_fee' must be a string"), std::string::npos);
  EXPECT_NE(config_error("[sim]\ntaker_fee = \"0.000000001\"\n").find("sim.taker_fee"), std::string::npos);  // beyond 1e-8
  EXPECT_NE(config_error("[sim]\nmaker_fee = \"0.5\"\n").find("[sim] needs"), std::string::npos);
  EXPECT_NE(config_error("[sim]\nboth_touched_is_stop = 1\n").find("true or false"), std::string::npos);
  EXPECT_NE(config_error("[sim]\nmargin_type = \"cross\"\n").find("sim.margin_type"), std::string::npos);
  EXPECT_NE(config_error("[sim]\nstarting_balance = \"-1\"\n").find("[sim] needs"), std::string::npos);
  EXPECT_NE(config_error("[backtest]\nmax_holding_minutes = 1\n").find("[backtest] needs"), std::string::npos);
  EXPECT_NE(config_error("[backtest]\nmax_bridged_gap_minutes = -1\n").find("max_bridged_gap_minutes"), std::string::npos);
  EXPECT_NE(config_error("[backtest]\nvirtual = 3\n").find("unknown key 'backtest.virtual'"), std::string::npos);
}

// The environment over the file, as the original deployment set it; a bad value names its variable.
TEST(Config, TheEnvironmentOverridesTheFile) {
  const std::map<std::string, std::string> environment{{"LOG_LEVEL", "debug"}, {"MAX_POSITIONS", "5"}, {"TRADING_ENABLED", "false"}};
  const auto lookup = [&](const char* name) -> const char* {
    const auto found = environment.find(name);
    return found == environment.end() ? nullptr : found->second.c_str();
  };
  AppConfig config;
  ASSERT_TRUE(apply_environment(config, lookup).ok());
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.risk.limits.max_open_positions, 5);
  EXPECT_FALSE(config.trading_enabled);
  AppConfig untouched;
  ASSERT_TRUE(apply_environment(untouched, [](const char*) -> const char* { return nullptr; }).ok());
  EXPECT_TRUE(untouched.trading_enabled);
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{{"MAX_POSITIONS", "0"}, {"MAX_POSITIONS", "3x"},
                                                                                    {"TRADING_ENABLED", "yes"}}) {
    AppConfig bad;
    const auto refused = apply_environment(bad, [&](const char* asked) -> const char* { return name == asked ? value.c_str() : nullptr; });
    ASSERT_FALSE(refused.ok()) << name << "=" << value;
    EXPECT_NE(refused.error().message.find(name), std::string::npos) << refused.error().message;
  }
}

// toml++ reads integers as int64: a value the key's type cannot hold is refused, not wrapped
// (4294967297 was 1 symbol in an int; -1 a huge unsigned seed).
TEST(Config, IntegersOutOfTheKeysRangeAreRefused) {
  const auto error_of = [](const std::string& text) {
    const auto config = parse_config(text, "range.toml");
    return config.ok() ? std::string("accepted") : config.error().message;
  };
  EXPECT_EQ(error_of("[synthetic]\nsymbols = 4294967297\n"),
            "range.toml:2: key 'synthetic.symbols' must be an integer within [-2147483648, 2147483647] (got 4294967297)");
  EXPECT_NE(error_of("[synthetic]\nseed = -1\n").find("key 'synthetic.seed' must be an integer within [0, 18446744073709551615] (got -1)"),
            std::string::npos);
  EXPECT_NE(error_of("[backtest]\nmax_holding_minutes = 9999999999\n").find("backtest.max_holding_minutes"), std::string::npos);
  EXPECT_EQ(parse_config("[synthetic]\nseed = 9223372036854775807\n", "ok.toml").value().synthetic.seed, 9'223'372'036'854'775'807ULL);
}


TEST(Config, ARealDataRunDescribesNoSyntheticMarket) {
  const std::string synthetic = describe_config(AppConfig{});
  const std::string real = describe_config(AppConfig{}, MarketSource::kData);
  EXPECT_NE(synthetic.find("[synthetic]"), std::string::npos);
  EXPECT_EQ(real.find("[synthetic]"), std::string::npos) << real;
  EXPECT_NE(real.find("[strategy]"), std::string::npos);
  // What is left is still a config that reads back to the same values.
  EXPECT_EQ(describe_config(parse_config(real, "real.toml").value(), MarketSource::kData), real);
}

}  // namespace
}  // namespace winiswin
