// The walk-forward's calendar: months, folds, and which rows train and test each fold.
#include <gtest/gtest.h>

#include "core/time.h"
#include "ml/walk_forward.h"

namespace winiswin::ml {
namespace {

Timestamp at(const char* text) { return parse_utc_time(text).value(); }

LabelledRow row(const char* decided, const char* exited, const char* reason = "target") {
  LabelledRow out;
  out.decided = at(decided);
  out.exited = at(exited);
  out.exit_reason = reason;
  return out;
}

std::vector<Month> months(std::initializer_list<const char*> days) {
  std::vector<Timestamp> times;
  for (const char* day : days) times.push_back(at(day));
  return months_of(times);
}

TEST(MonthTest, CoversTheCalendarMonth) {
  const Month february = month_of(at("2024-02-29 23:59"));
  EXPECT_EQ(february.name, "2024-02");
  EXPECT_EQ(february.start, at("2024-02-01"));
  EXPECT_EQ(february.end, at("2024-03-01"));
  EXPECT_EQ(month_of(at("2023-12-31 12:00")).end, at("2024-01-01"));
}

TEST(MonthTest, DistinctMonthsInOrderWithHolesKept) {
  const std::vector<Month> found = months({"2023-09-03", "2023-02-01", "2023-09-30 23:59", "2023-04-15"});
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].name, "2023-02");
  EXPECT_EQ(found[1].name, "2023-04");
  EXPECT_EQ(found[2].name, "2023-09");
}

TEST(PlanFoldsTest, RollingAndExpandingWindowsOverMonthsWithData) {
  const std::vector<Month> all = months({"2023-01-10", "2023-02-10", "2023-04-10", "2023-05-10"});
  const auto rolling = plan_folds(all, 2, false).value();
  ASSERT_EQ(rolling.size(), 2u);
  EXPECT_EQ(rolling[0].test.name, "2023-04");
  ASSERT_EQ(rolling[0].train.size(), 2u);
  EXPECT_EQ(rolling[0].train[0].name, "2023-01");  // the two months with data before April
  EXPECT_EQ(rolling[1].test.name, "2023-05");
  EXPECT_EQ(rolling[1].train[0].name, "2023-02");
  const auto expanding = plan_folds(all, 2, true).value();
  ASSERT_EQ(expanding.size(), 2u);
  EXPECT_EQ(expanding[1].train.size(), 3u);
}

TEST(PlanFoldsTest, RefusesBadWindows) {
  const std::vector<Month> all = months({"2023-01-10", "2023-02-10"});
  const auto zero = plan_folds(all, 0, false);
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("--train-months 0"), std::string::npos);
  const auto too_few = plan_folds(all, 2, false);
  ASSERT_FALSE(too_few.ok());
  EXPECT_NE(too_few.error().message.find("at least 3 months"), std::string::npos);
  EXPECT_TRUE(plan_folds(all, 1, false).ok());
}

TEST(SplitFoldTest, PurgesTrainingRowsWhoseLabelReachesTheTestMonth) {
  const std::vector<Month> all = months({"2023-01-10", "2023-02-10", "2023-03-10"});
  const Fold fold = plan_folds(all, 1, false).value()[1];  // train February, test March
  const std::vector<LabelledRow> rows{
      row("2023-01-31 12:00", "2023-01-31 13:00"),            // 0: January: in no window of this fold
      row("2023-02-10 00:00", "2023-02-10 05:00"),            // 1: trains
      row("2023-02-27 23:55", "2023-02-28 01:00"),            // 2: decided + 24 h = 02-28 23:55: trains
      row("2023-02-28 00:05", "2023-02-28 02:00"),            // 3: decided + 24 h reaches March: purged
      row("2023-02-20 00:00", "2023-03-01 00:00"),            // 4: its exit is in March: purged
      row("2023-02-15 00:00", "2023-02-15 09:00", "end of data"),  // 5: censored
      row("2023-03-01 00:00", "2023-03-01 03:00"),            // 6: tests
      row("2023-03-31 23:55", "2023-04-01 10:00"),            // 7: tests (decided in March)
      row("2023-04-01 00:00", "2023-04-01 01:00"),            // 8: after the test month: in nothing
  };
  const FoldRows split = split_fold(rows, fold, std::chrono::hours{24});
  EXPECT_EQ(split.train, (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(split.test, (std::vector<std::size_t>{6, 7}));
  EXPECT_EQ(split.purged, 2u);
  EXPECT_EQ(split.censored, 1u);
  for (const std::size_t idx : split.train) EXPECT_LT(label_end(rows[idx], std::chrono::hours{24}), fold.test.start);
}

}  // namespace
}  // namespace winiswin::ml
