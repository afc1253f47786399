// winiswin configuration: TOML (toml++), strict. Every key has a default compiled in (the
// "embedded default"); a file overrides only what it names. An unknown key or a value of
// the wrong type is an error that names the key, so a typo never silently does nothing.
// config/winiswin.example.toml documents every key; a test keeps it equal to the defaults.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"
#include "data/synthetic_market.h"

namespace winiswin {

struct AppConfig {
  std::string log_level = "info";  // trace, debug, info, warn, error, off
  SyntheticMarketConfig synthetic;
};

Result<AppConfig> parse_config(std::string_view toml_text, const std::string& source);
Result<AppConfig> load_config(const std::filesystem::path& path);

// "2026-01-01" → midnight UTC of that day.
Result<Timestamp> parse_utc_date(std::string_view text);

}  // namespace winiswin
