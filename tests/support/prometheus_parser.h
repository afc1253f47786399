// Runs a Prometheus text exposition through tests/thirdparty/prometheus_parse.js (the npm
// parser parse-prometheus-text-format plus the format's rules it does not check) and returns
// the parser's families as JSON. Skips when Node.js or the npm install is missing — a failure
// under WINISWIN_REQUIRE_SHARED=1 (CI), where tools/setup.sh has installed both.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "support/shared_data.h"

namespace winiswin::testing {

inline std::filesystem::path thirdparty_dir() { return std::filesystem::path(WINISWIN_SOURCE_DIR) / "tests" / "thirdparty"; }

inline bool prometheus_parser_available(std::string& why) {
  if (std::system("node --version >/dev/null 2>&1") != 0) {
    why = "Node.js not found";
    return false;
  }
  if (!std::filesystem::exists(thirdparty_dir() / "node_modules" / "parse-prometheus-text-format")) {
    why = "parse-prometheus-text-format not installed (tools/setup.sh: npm ci in tests/thirdparty)";
    return false;
  }
  return true;
}

// The exit code of the parser and what it printed (stdout: JSON; stderr: FAIL lines).
struct ParsedExposition {
  int exit_code = -1;
  std::string json;
  std::string errors;
};

inline ParsedExposition parse_exposition(const std::string& text) {
  const auto folder = std::filesystem::temp_directory_path() / fmt::format("winiswin_prom_{}", ::getpid());
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "metrics.txt", std::ios::binary) << text;
  const std::string command = fmt::format("node '{}' < '{}' > '{}' 2> '{}'", (thirdparty_dir() / "prometheus_parse.js").string(),
                                          (folder / "metrics.txt").string(), (folder / "out.json").string(), (folder / "err.txt").string());
  const int status = std::system(command.c_str());
  ParsedExposition parsed;
  parsed.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::stringstream out, err;
  out << std::ifstream(folder / "out.json").rdbuf();
  err << std::ifstream(folder / "err.txt").rdbuf();
  parsed.json = out.str();
  parsed.errors = err.str();
  std::filesystem::remove_all(folder);
  return parsed;
}

}  // namespace winiswin::testing

#define WINISWIN_REQUIRE_PROMETHEUS_PARSER()                                                              \
  do {                                                                                                    \
    std::string why_missing;                                                                              \
    if (!::winiswin::testing::prometheus_parser_available(why_missing)) {                                 \
      if (::winiswin::testing::shared_is_required()) GTEST_FAIL() << why_missing << " (WINISWIN_REQUIRE_SHARED is set)"; \
      GTEST_SKIP() << why_missing;                                                                        \
    }                                                                                                     \
  } while (false)
