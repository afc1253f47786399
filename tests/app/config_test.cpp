#include "app/config.h"

#include <gtest/gtest.h>

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
  const AppConfig defaults;
  const SyntheticMarketConfig& a = example.synthetic;
  const SyntheticMarketConfig& b = defaults.synthetic;
  EXPECT_EQ(example.log_level, defaults.log_level);
  EXPECT_EQ(a.symbols, b.symbols);
  EXPECT_EQ(a.days, b.days);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.start, b.start);
  for (const auto& [name, x, y] : std::vector<std::tuple<const char*, double, double>>{
           {"market_sigma_1m", a.market_sigma_1m, b.market_sigma_1m},
           {"beta_min", a.beta_min, b.beta_min},
           {"beta_max", a.beta_max, b.beta_max},
           {"idiosyncratic_ratio_min", a.idiosyncratic_ratio_min, b.idiosyncratic_ratio_min},
           {"idiosyncratic_ratio_max", a.idiosyncratic_ratio_max, b.idiosyncratic_ratio_max},
           {"student_t_dof", a.student_t_dof, b.student_t_dof},
           {"garch_alpha", a.garch_alpha, b.garch_alpha},
           {"garch_beta", a.garch_beta, b.garch_beta},
           {"slow_vol_half_life_minutes", a.slow_vol_half_life_minutes, b.slow_vol_half_life_minutes},
           {"slow_vol_sigma", a.slow_vol_sigma, b.slow_vol_sigma},
           {"trend_mean_minutes", a.trend_mean_minutes, b.trend_mean_minutes},
           {"range_mean_minutes", a.range_mean_minutes, b.range_mean_minutes},
           {"trend_drift_sigmas", a.trend_drift_sigmas, b.trend_drift_sigmas},
           {"range_reversion_per_minute", a.range_reversion_per_minute, b.range_reversion_per_minute},
           {"jump_probability", a.jump_probability, b.jump_probability},
           {"jump_sigma", a.jump_sigma, b.jump_sigma},
           {"market_jump_probability", a.market_jump_probability, b.market_jump_probability},
           {"market_jump_sigma", a.market_jump_sigma, b.market_jump_sigma}}) {
    EXPECT_EQ(x, y) << name;
  }
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

}  // namespace
}  // namespace winiswin
