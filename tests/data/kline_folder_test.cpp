// Finding the finest bars of each symbol in a folder of kline files.
#include "data/kline_file.h"
#include "data/kline_folder.h"

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
  void write(const std::string& name, int minutes, int first, int count, const std::string& header = "") {
    std::ofstream out(folder_ / name);
    out << header;
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

// The plan a streaming feed starts from sees the folder as loading does: the same symbols,
// intervals and files in the same order, each file's ends those of its bars, the same
// files reported left out for the same reasons.
TEST_F(KlineFolderTest, ThePlanPicksAndReportsWhatLoadingDoes) {
  write("AAAUSDT-1m-2026-01-b.csv", 1, 10, 10);
  write("AAAUSDT-1m-2026-01-a.csv", 1, 0, 10);
  write("AAAUSDT-1m-2026-02.csv", 1, 30, 0);  // empty
  write("AAAUSDT-5m-2026-01.csv", 5, 0, 4);
  write("BBBUSDT-5m-2026-01.csv", 5, 0, 4);
  write("CCCUSDT-1m-2026-01.csv", 1, 3, 7);
  write("DDDUSDT-1h-2026-01.csv", 60, 0, 2);
  write("prices.csv", 1, 0, 5);
  for (const FinestOf finest : {FinestOf::kAllSymbols, FinestOf::kEachSymbol}) {
    std::vector<std::string> loading_reports, plan_reports;
    const auto loaded = load_finest_klines(folder_, kEveryone, finest, [&](const LeftOut& left) {
      loading_reports.push_back(left.file.filename().string() + ": " + left.reason);
    }).value();
    const auto plan = plan_finest_klines(folder_, kEveryone, finest, [&](const LeftOut& left) {
      plan_reports.push_back(left.file.filename().string() + ": " + left.reason);
    }).value();
    EXPECT_EQ(plan_reports, loading_reports);
    ASSERT_EQ(plan.size(), loaded.size());
    for (std::size_t idx = 0; idx < plan.size(); ++idx) {
      EXPECT_EQ(plan[idx].symbol, loaded[idx].symbol);
      EXPECT_EQ(plan[idx].interval, loaded[idx].interval);
      EXPECT_EQ(plan[idx].files.front().first, loaded[idx].bars.front().open_time);
      EXPECT_EQ(plan[idx].files.back().last, loaded[idx].bars.back().open_time);
    }
  }
  const auto plan = plan_finest_klines(folder_, kEveryone, FinestOf::kAllSymbols).value();
  ASSERT_EQ(plan.size(), 2u);  // AAA, CCC (1m); BBB has only 5m
  ASSERT_EQ(plan[0].files.size(), 2u);
  EXPECT_EQ(plan[0].files[0].path.filename(), "AAAUSDT-1m-2026-01-a.csv");  // by time, not by name
  EXPECT_EQ(to_ms(plan[0].files[1].first), kStart + 10 * 60'000);
  EXPECT_EQ(to_ms(*plan[0].files[1].last), kStart + 19 * 60'000);  // the symbol's last file: read to its end
  EXPECT_FALSE(plan[0].files[0].last.has_value());  // the others: their first rows only
}

// A month twice (the same first bar) is caught before the run, with loading's message; an
// overlap that starts later is caught when the earlier file is read (engine/file_feed_test).
TEST_F(KlineFolderTest, ThePlanNamesBothFilesOfTheSameMonth) {
  write("AAAUSDT-1m-2026-01.csv", 1, 0, 10);
  write("AAAUSDT-1m-2026-01.csv.gz", 1, 0, 12);
  write("AAAUSDT-1m-2026-02.csv", 1, 20, 12);
  const auto plan = plan_finest_klines(folder_, kEveryone, FinestOf::kEachSymbol);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().message, load_finest_klines(folder_, kEveryone, FinestOf::kEachSymbol).error().message);
}

// Peeking reads a CSV's first and last rows as the parser reads them in the whole file: a
// header in another order is read by name; a bad last row is the whole parse's error (its
// line); a bad row between them is left for the full read.
TEST_F(KlineFolderTest, PeekingReadsTheEndsOfAFileAsParsingDoes) {
  const std::string reordered = "open_time,close,high,low,open,volume\n";
  write("AAAUSDT-1m-2026-01.csv", 1, 0, 10, reordered);
  const auto piece = peek_kline_file(folder_ / "AAAUSDT-1m-2026-01.csv", Interval::k1m).value();
  ASSERT_TRUE(piece.has_value());
  EXPECT_EQ(to_ms(piece->first), kStart);
  EXPECT_EQ(to_ms(*piece->last), kStart + 9 * 60'000);
  const auto first_only = peek_kline_file(folder_ / "AAAUSDT-1m-2026-01.csv", Interval::k1m, PeekEnds::kFirst).value();
  EXPECT_EQ(first_only->first, piece->first);
  { std::ofstream(folder_ / "AAAUSDT-1m-2026-01.csv", std::ios::app) << kStart + 10 * 60'000 << ",1,2,3,1.5,3\n"; }  // high 2 < open 3
  const auto bad_last = peek_kline_file(folder_ / "AAAUSDT-1m-2026-01.csv", Interval::k1m);
  ASSERT_FALSE(bad_last.ok());
  EXPECT_NE(bad_last.error().message.find("AAAUSDT-1m-2026-01.csv:12:"), std::string::npos) << bad_last.error().message;
  {
    std::ofstream out(folder_ / "BBBUSDT-1m-2026-01.csv");
    out << kStart << ",1,2,0.5,1.5,3\n" << "garbage\n" << kStart + 120'000 << ",1,2,0.5,1.5,3\n";
  }
  const auto middle = peek_kline_file(folder_ / "BBBUSDT-1m-2026-01.csv", Interval::k1m).value();
  ASSERT_TRUE(middle.has_value());
  EXPECT_EQ(to_ms(*middle->last), kStart + 120'000);
  EXPECT_FALSE(load_klines(folder_ / "BBBUSDT-1m-2026-01.csv").ok());
  write("CCCUSDT-1m-2026-01.csv", 1, 0, 0, reordered);  // a header and no rows
  EXPECT_FALSE(peek_kline_file(folder_ / "CCCUSDT-1m-2026-01.csv", Interval::k1m).value().has_value());
  write("DDDUSDT-1m-2026-01.csv", 1, 0, 1);  // one row: first and last
  const auto single = peek_kline_file(folder_ / "DDDUSDT-1m-2026-01.csv", Interval::k1m).value();
  EXPECT_EQ(single->first, *single->last);
  // A bad first row is the parser's error with its own line, from the head alone.
  { std::ofstream(folder_ / "EEEUSDT-1m-2026-01.csv") << "open_time,open,high,low,close,volume\n" << kStart << ",1,x,0.5,1.5,3\n"; }
  const auto bad_first = peek_kline_file(folder_ / "EEEUSDT-1m-2026-01.csv", Interval::k1m, PeekEnds::kFirst);
  ASSERT_FALSE(bad_first.ok());
  EXPECT_NE(bad_first.error().message.find("EEEUSDT-1m-2026-01.csv:2: column 3 (high)"), std::string::npos) << bad_first.error().message;
}

}  // namespace
}  // namespace winiswin
