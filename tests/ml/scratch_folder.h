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

// A fixture whose every test gets a fresh `folder_`, named after its suite, removed after it.
class ScratchFolderTest : public ::testing::Test {
 protected:
  void SetUp() override { folder_ = scratch_folder(::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name()); }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
};

}  // namespace winiswin::ml::testing
