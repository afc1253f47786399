// Finding the finest bars of each symbol in a folder of kline files.
#include "data/kline_file.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <map>

namespace winiswin {
namespace {

constexpr std::int64_t kStart = 1'767'225'600'000;  // 2026-01-01 00:00 UTC

class KlineFolderTest : public ::testing::Test {
 protected:
  KlineFolderTest() : folder_(std::filesystem::temp_directory_path() / ("winiswin_folder_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
  }
  ~KlineFolderTest() override { std::filesystem::remove_all(folder_); }
  // `count` OHLCV rows of `minutes`-minute bars from `first` (bar index).
  void write(const std::string& name, int minutes, int first, int count) {
    std::ofstream out(folder_ / name);
    for (int idx = first; idx < first + count; ++idx) {
      out << kStart + static_cast<std::int64_t>(idx) * minutes * 60'000 << ",1,2,0.5,1.5,3\n";
    }
  }
  std::filesystem::path folder_;
};

const auto kEveryone = [](const std::string&) { return true; };

TEST_F(KlineFolderTest, KeepsTheFinestIntervalJoinedInTimeOrderAndNeverReadsCoarserFiles) {
  write("AAAUSDT-1m-2026-01-b.csv", 1, 10, 10);  // written first, later in time: joined by time
  write("AAAUSDT-1m-2026-01-a.csv", 1, 0, 10);
  write("AAAUSDT-5m-2026-01.csv", 5, 0, 4);
  write("BBBUSDT-5m-2026-01.csv", 5, 0, 4);
  { std::ofstream broken(folder_ / "CCCUSDT-15m-2026-01.csv"); broken << "not a kline file\n"; }  // never opened
  write("DDDUSDT-1h-2026-01.csv", 60, 0, 2);  // no 1m or 5m: not a candidate

  const auto each = load_finest_klines(folder_, kEveryone, FinestOf::kEachSymbol).value();
  ASSERT_EQ(each.size(), 2u);
  EXPECT_EQ(each[0].symbol, "AAAUSDT");
  EXPECT_EQ(each[0].interval, Interval::k1m);
  ASSERT_EQ(each[0].bars.size(), 20u);
  for (std::size_t idx = 0; idx < each[0].bars.size(); ++idx) {
    EXPECT_EQ(to_ms(each[0].bars[idx].open_time), kStart + static_cast<std::int64_t>(idx) * 60'000) << idx;
  }
  EXPECT_EQ(each[1].symbol, "BBBUSDT");
  EXPECT_EQ(each[1].interval, Interval::k5m);

  // One interval for all: the finest any symbol has; BBB has no 1m files and is left out, saying so.
  std::map<std::string, std::string> left_out;  // file name → why
  const auto all = load_finest_klines(folder_, kEveryone, FinestOf::kAllSymbols, [&](const LeftOut& left) {
    left_out[left.file.filename().string()] = left.reason;
  }).value();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].symbol, "AAAUSDT");
  ASSERT_EQ(left_out.size(), 3u);
  EXPECT_NE(left_out["BBBUSDT-5m-2026-01.csv"].find("BBBUSDT has only 5m bars, others 1m"), std::string::npos);
  EXPECT_NE(left_out["CCCUSDT-15m-2026-01.csv"].find("no 1m or 5m files (its finest: 15m)"), std::string::npos);
  EXPECT_NE(left_out["DDDUSDT-1h-2026-01.csv"].find("no 1m or 5m files (its finest: 1h)"), std::string::npos);

  // Only the wanted symbols count, for the finest interval too.
  const auto only_b = load_finest_klines(folder_, [](const std::string& s) { return s == "BBBUSDT"; }, FinestOf::kAllSymbols).value();
  ASSERT_EQ(only_b.size(), 1u);
  EXPECT_EQ(only_b[0].interval, Interval::k5m);

  const auto none = load_finest_klines(folder_, [](const std::string& s) { return s == "DDDUSDT"; }, FinestOf::kEachSymbol);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no 1m or 5m kline files"), std::string::npos) << none.error().message;
  EXPECT_FALSE(load_finest_klines(folder_ / "missing", kEveryone, FinestOf::kEachSymbol).ok());
}

// Files that cannot be a symbol's klines are reported with the reason, and so is a file
// without bars; a symbol whose files are all empty is left out.
TEST_F(KlineFolderTest, EveryFileLeftOutIsReportedWithItsReason) {
  write("AAAUSDT-1m-2026-01.csv", 1, 0, 10);
  write("AAAUSDT-1m-2026-02.csv", 1, 10, 0);  // empty
  write("BBBUSDT-1m-2026-01.csv", 1, 0, 0);   // empty: BBB has no bars at all
  write("prices.csv", 1, 0, 5);
  write("AAAUSDT-markPrice-1m-2026-01.csv", 1, 0, 5);  // not trades, though its name says 1m
  write("AAAUSDT-fundingRate-2026-01.csv", 1, 0, 0);
  std::map<std::string, std::string> reasons;
  const auto series = load_finest_klines(folder_, kEveryone, FinestOf::kEachSymbol, [&](const LeftOut& left) {
    reasons[left.file.filename().string()] = left.reason;
  }).value();
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].symbol, "AAAUSDT");
  EXPECT_EQ(series[0].bars.size(), 10u);
  EXPECT_EQ(reasons.size(), 5u);
  EXPECT_EQ(reasons["AAAUSDT-1m-2026-02.csv"], "no bars in it");
  EXPECT_EQ(reasons["BBBUSDT-1m-2026-01.csv"], "no bars in it");
  EXPECT_NE(reasons["prices.csv"].find("the name says no symbol and interval"), std::string::npos);
  EXPECT_NE(reasons["AAAUSDT-markPrice-1m-2026-01.csv"].find("mark, index or premium-index"), std::string::npos);
  EXPECT_NE(reasons["AAAUSDT-fundingRate-2026-01.csv"].find("--funding"), std::string::npos);
}

// The same month twice (a downloaded zip beside its unpacked csv) names both files.
TEST_F(KlineFolderTest, TheSameMonthTwiceNamesBothFiles) {
  write("AAAUSDT-1m-2026-01.csv", 1, 0, 10);
  write("AAAUSDT-1m-2026-01.csv.gz", 1, 5, 10);  // plain text: the content decides, not the name
  const auto joined = load_finest_klines(folder_, kEveryone, FinestOf::kEachSymbol);
  ASSERT_FALSE(joined.ok());
  EXPECT_NE(joined.error().message.find("AAAUSDT-1m-2026-01.csv and AAAUSDT-1m-2026-01.csv.gz hold the same times"), std::string::npos)
      << joined.error().message;
  EXPECT_NE(joined.error().message.find("2026-01-01 00:05:00 → 2026-01-01 00:14:00"), std::string::npos) << joined.error().message;
}

}  // namespace
}  // namespace winiswin
