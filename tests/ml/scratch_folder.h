// A fresh folder for one test in one process: ctest runs every test in its own process, in
// parallel, and other checkouts' tests share /tmp.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace winiswin::ml::testing {

inline std::filesystem::path scratch_folder(const std::string& suite) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  auto folder = std::filesystem::temp_directory_path() /
                ("winiswin_" + suite + "_" + std::string(test ? test->name() : "suite") + "_" + std::to_string(getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

}  // namespace winiswin::ml::testing
