// The journal's versions 4 and 5: `ml promote`'s decisions in model_promotions — a version-3 file
// gains the table when opened and keeps its rows; a version-4 file gains the bootstrap's columns
// and keeps its decisions (their bounds read as none); a decision reads back as written.
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "journal/sqlite_journal.h"

namespace winiswin::journal {
namespace {

const Timestamp kTime = timestamp_from_ms(1'767'225'900'000);  // 2026-01-01 00:05 UTC

class ModelPromotionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::filesystem::temp_directory_path() / ("winiswin_promotions_" + std::to_string(::getpid()) + ".sqlite");
    remove_files();
  }
  void TearDown() override { remove_files(); }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file_.string() + suffix);
  }
  void execute(const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  static ModelPromotionRecord decision() {
    ModelPromotionRecord row;
    row.time = kTime + Milliseconds{7};
    row.current = "/var/lib/winiswin/model.json";
    row.candidate = "/var/lib/winiswin/retrain/candidate.json";
    row.window_from = kTime - Milliseconds{86'400'000};
    row.window_to = kTime;
    row.window_rows = 812;
    row.current_auc = 0.53;
    row.candidate_auc = 0.571;
    row.current_log_loss = 0.69;
    row.candidate_log_loss = 0.68;
    row.current_top_k = std::nullopt;  // no decision time in the window had a pick
    row.candidate_top_k = 0.45;
    row.top_k = 10;
    row.auc_gain_lower = 0.012;
    row.log_loss_increase_upper = -0.004;
    row.resamples = 1000;
    row.resampled_days = 7;
    row.promoted = true;
    row.reason = "promoted: AUC 0.5710 vs 0.5300";
    return row;
  }

  // Takes the trades' feature_version columns (version 6) back out of a file made by this version.
  void drop_feature_versions() {
    execute("ALTER TABLE trades DROP COLUMN feature_version; ALTER TABLE virtual_positions DROP COLUMN feature_version;");
  }

  std::filesystem::path file_;
};

// A version-3 file is what this version makes, less model_promotions, at version 3 (new files
// are made at version 1 and migrated step by step, so the tables are those a v3 winiswin made).
TEST_F(ModelPromotionsTest, AVersionThreeJournalGainsTheTableAndKeepsItsRows) {
  {
    auto journal = SqliteJournal::open(file_).value();
    ASSERT_TRUE(journal->equity(EquityPoint{kTime, 10'000.0}).ok());
  }
  drop_feature_versions();
  execute("DROP TABLE model_promotions; UPDATE meta SET value = '3' WHERE key = 'schema_version';");
  EXPECT_FALSE(SqliteJournal::open_read_only(file_).ok()) << "a v3 file is not read as the current version";
  {
    auto journal = SqliteJournal::open(file_).value();  // migrates 3 → 4
    EXPECT_EQ(journal->equity_points().value().size(), 1u);
    EXPECT_TRUE(journal->model_promotions().value().empty());
    ASSERT_TRUE(journal->model_promotion(decision()).ok());
  }
  const auto reader = SqliteJournal::open_read_only(file_);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ((*reader)->model_promotions().value().size(), 1u);
  EXPECT_FALSE((*reader)->model_promotion(decision()).ok()) << "read-only";
}

// A version-4 file: model_promotions as version 4 made it (no bootstrap columns) with one
// decision in it, at version 4.
TEST_F(ModelPromotionsTest, AVersionFourJournalGainsTheBootstrapColumnsAndKeepsItsDecisions) {
  { auto journal = SqliteJournal::open(file_).value(); }
  drop_feature_versions();
  execute("DROP TABLE model_promotions; "
          "CREATE TABLE model_promotions (time INTEGER NOT NULL, current TEXT NOT NULL, candidate TEXT NOT NULL, window_from INTEGER, "
          "window_to INTEGER, window_rows INTEGER, current_auc REAL, candidate_auc REAL, current_log_loss REAL, candidate_log_loss REAL, "
          "current_top_k REAL, candidate_top_k REAL, top_k INTEGER, promoted INTEGER NOT NULL, reason TEXT); "
          "INSERT INTO model_promotions VALUES (1767225900007, 'old.json', 'new.json', 1767139500000, 1767225900000, 640, 0.52, 0.55, "
          "0.69, 0.68, 0.4, 0.42, 10, 1, 'promoted: AUC 0.5500 vs 0.5200'); "
          "UPDATE meta SET value = '4' WHERE key = 'schema_version';");
  EXPECT_FALSE(SqliteJournal::open_read_only(file_).ok()) << "a v4 file is not read as the current version";
  {
    auto journal = SqliteJournal::open(file_).value();  // migrates 4 → 5
    ASSERT_TRUE(journal->model_promotion(decision()).ok());
  }
  const auto reader = SqliteJournal::open_read_only(file_);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  const auto rows = (*reader)->model_promotions().value();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].candidate, "new.json");
  EXPECT_EQ(rows[0].window_rows, 640);
  EXPECT_EQ(rows[0].candidate_auc, 0.55);
  EXPECT_TRUE(rows[0].promoted);
  EXPECT_FALSE(rows[0].auc_gain_lower.has_value()) << "decided before the bootstrap";
  EXPECT_FALSE(rows[0].log_loss_increase_upper.has_value());
  EXPECT_EQ(rows[0].resamples, 0);
  EXPECT_EQ(rows[0].resampled_days, 0);
  EXPECT_EQ(rows[1].auc_gain_lower, 0.012);
  EXPECT_EQ(rows[1].resamples, 1000);
  EXPECT_TRUE(SqliteJournal::open_read_only(file_).ok()) << "migrated to the current version";
}

TEST_F(ModelPromotionsTest, ADecisionReadsBackAsWritten) {
  auto journal = SqliteJournal::open(file_).value();
  ModelPromotionRecord kept = decision();
  kept.promoted = false;
  kept.candidate_auc = std::nullopt;
  kept.auc_gain_lower = std::nullopt;  // no AUC, no bootstrap
  kept.reason = "kept: the window has wins only or losses only";
  ASSERT_TRUE(journal->model_promotion(decision()).ok());
  ASSERT_TRUE(journal->model_promotion(kept).ok());
  const auto rows = journal->model_promotions().value();
  ASSERT_EQ(rows.size(), 2u);
  const ModelPromotionRecord& first = rows[0];
  EXPECT_EQ(first.time, kTime + Milliseconds{7});
  EXPECT_EQ(first.current, "/var/lib/winiswin/model.json");
  EXPECT_EQ(first.candidate, "/var/lib/winiswin/retrain/candidate.json");
  EXPECT_EQ(first.window_from, kTime - Milliseconds{86'400'000});
  EXPECT_EQ(first.window_to, kTime);
  EXPECT_EQ(first.window_rows, 812);
  EXPECT_EQ(first.current_auc, 0.53);
  EXPECT_EQ(first.candidate_auc, 0.571);
  EXPECT_EQ(first.current_log_loss, 0.69);
  EXPECT_EQ(first.candidate_log_loss, 0.68);
  EXPECT_FALSE(first.current_top_k.has_value());
  EXPECT_EQ(first.candidate_top_k, 0.45);
  EXPECT_EQ(first.top_k, 10);
  EXPECT_EQ(first.auc_gain_lower, 0.012);
  EXPECT_EQ(first.log_loss_increase_upper, -0.004);
  EXPECT_EQ(first.resamples, 1000);
  EXPECT_EQ(first.resampled_days, 7);
  EXPECT_TRUE(first.promoted);
  EXPECT_EQ(first.reason, "promoted: AUC 0.5710 vs 0.5300");
  EXPECT_FALSE(rows[1].promoted);
  EXPECT_FALSE(rows[1].candidate_auc.has_value());
  EXPECT_FALSE(rows[1].auc_gain_lower.has_value());
  EXPECT_EQ(rows[1].reason, "kept: the window has wins only or losses only");
}

}  // namespace
}  // namespace winiswin::journal
