// A run's own output folder and the `latest` link (app/run_folder.h).
#include "app/run_folder.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace winiswin {
namespace {

class RunFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("winiswin_run_folder_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_;
};

TEST_F(RunFolderTest, TheStampIsTheStartInUtcWithoutColonsOrMilliseconds) {
  EXPECT_EQ(run_folder_stamp(timestamp_from_ms(1796143205123)), "2026-12-01T16-40-05Z");
}

TEST_F(RunFolderTest, RunsInTheSameSecondGetFoldersOfTheirOwn) {
  const Timestamp start = timestamp_from_ms(1796143205000);
  const Result<std::filesystem::path> first = make_run_folder(root_ / "backtest", start);
  const Result<std::filesystem::path> second = make_run_folder(root_ / "backtest", start + Milliseconds{400});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->filename(), "2026-12-01T16-40-05Z");
  EXPECT_EQ(second->filename(), "2026-12-01T16-40-05Z-2");
  EXPECT_TRUE(std::filesystem::is_directory(*second));
}

TEST_F(RunFolderTest, LatestIsReplacedByARelativeLinkToTheLastRun) {
  const Result<std::filesystem::path> first = make_run_folder(root_, timestamp_from_ms(1796143205000));
  const Result<std::filesystem::path> second = make_run_folder(root_, timestamp_from_ms(1796143266000));
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(point_latest(*first).ok());
  EXPECT_EQ(std::filesystem::read_symlink(root_ / "latest"), first->filename());
  ASSERT_TRUE(point_latest(*second).ok());
  EXPECT_EQ(std::filesystem::read_symlink(root_ / "latest"), "2026-12-01T16-41-06Z");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(root_), std::filesystem::directory_iterator()), 3) << "no temporary link left";
}

TEST_F(RunFolderTest, ARealFolderNamedLatestIsAnErrorNotDeleted) {
  const Result<std::filesystem::path> run = make_run_folder(root_, timestamp_from_ms(1796143205000));
  ASSERT_TRUE(run.ok());
  std::filesystem::create_directories(root_ / "latest" / "mine");
  const Status status = point_latest(*run);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("latest: cannot point it at 2026-12-01T16-40-05Z"), std::string::npos) << status.error().message;
  EXPECT_TRUE(std::filesystem::exists(root_ / "latest" / "mine"));
}

}  // namespace
}  // namespace winiswin
