// Access to ../shared (real Binance data, oracles) beside the project root.
// A user's clone has no ../shared: tests that need it skip with a clear message. CI sets
// WINISWIN_REQUIRE_SHARED=1, which turns that skip into a failure.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace winiswin::testing {

inline std::filesystem::path shared_root() { return std::filesystem::path(WINISWIN_SHARED_DIR); }

inline bool shared_is_required() {
  const char* value = std::getenv("WINISWIN_REQUIRE_SHARED");
  return value != nullptr && std::string(value) != "0" && std::string(value).size() > 0;
}

}  // namespace winiswin::testing

// Yields the path of `relative` under ../shared, or skips (fails under CI) when absent.
#define WINISWIN_SHARED_FILE(var, relative)                                                        \
  const std::filesystem::path var = ::winiswin::testing::shared_root() / (relative);               \
  if (!std::filesystem::exists(var)) {                                                             \
    if (::winiswin::testing::shared_is_required()) {                                               \
      GTEST_FAIL() << "required shared data missing: " << var << " (WINISWIN_REQUIRE_SHARED is set)"; \
    }                                                                                              \
    GTEST_SKIP() << "shared data not found: " << var << " (clone the project beside ../shared)"; \
  }
