// Helpers of the codec tests: reading shared fixtures, and asserting that an error names
// what it should.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/error.h"

namespace winiswin::binance::testing {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// `text` with its first `from` replaced by `to` (the test fails when `from` is absent).
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto position = text.find(from);
  EXPECT_NE(position, std::string::npos) << "'" << from << "' is not in the payload";
  if (position == std::string::npos) return text;
  return text.replace(position, from.size(), to);
}

// The parse failed with a message holding every one of `expected`.
template <typename T>
::testing::AssertionResult fails_naming(const Result<T>& result, std::initializer_list<std::string> expected) {
  if (result.ok()) return ::testing::AssertionFailure() << "parsed, expected an error";
  for (const std::string& part : expected) {
    if (result.error().message.find(part) == std::string::npos) {
      return ::testing::AssertionFailure() << "message '" << result.error().message << "' lacks '" << part << "'";
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace winiswin::binance::testing
