// winiswin ml drift, ml promote and ml retrain end to end, on the labels of small synthetic
// backtests: a model made from the first days, a journal of ten days.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "journal/sqlite_journal.h"
#include "ml/promotion.h"
#include "support/run_winiswin.h"

namespace winiswin {
namespace {

using testing::CommandResult;

CommandResult run(const std::string& arguments) { return testing::run_winiswin("--log-level warn " + arguments); }

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
  return fields;
}

// `in` rewritten to `out`: rows kept when `keep` says so, each passed through `edit`.
template <typename Keep, typename Edit>
void rewrite_csv(const std::filesystem::path& in, const std::filesystem::path& out, const Keep& keep, const Edit& edit) {
  std::ifstream source(in);
  std::ofstream target(out);
  std::string line;
  std::getline(source, line);
  const std::vector<std::string> header = fields_of(line);
  target << line << '\n';
  while (std::getline(source, line)) {
    std::vector<std::string> fields = fields_of(line);
    if (!keep(header, fields)) continue;
    edit(header, fields);
    for (std::size_t idx = 0; idx < fields.size(); ++idx) target << (idx ? "," : "") << fields[idx];
    target << '\n';
  }
}

// The last column of that name (a feature shares its name with a trade column: dataset.h).
std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  return static_cast<std::size_t>(std::find(header.rbegin(), header.rend(), name).base() - header.begin()) - 1;
}

class MlRetrainingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = std::filesystem::temp_directory_path() / ("winiswin_ml_retraining_test_" + std::to_string(getpid()));
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
    const CommandResult early = run(kMarket + " --to 2026-01-05 --out " + (folder_ / "early").string());
    ASSERT_EQ(early.exit_code, 0) << early.output;
    const CommandResult full = run(kMarket + " --journal " + journal().string() + " --out " + (folder_ / "full").string());
    ASSERT_EQ(full.exit_code, 0) << full.output;
    const CommandResult trained = run("ml train --dataset " + (folder_ / "early" / "trades.csv").string() + " " +
                                      (folder_ / "early" / "virtual.csv").string() + " --rounds 30 --out " + current().string());
    ASSERT_EQ(trained.exit_code, 0) << trained.output;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(folder_); }
  static std::filesystem::path journal() { return folder_ / "live.sqlite"; }
  static std::filesystem::path current() { return folder_ / "current.json"; }
  static std::filesystem::path fresh(const std::string& name) {
    std::filesystem::remove_all(folder_ / name);
    std::filesystem::create_directories(folder_ / name);
    return folder_ / name;
  }

  static inline const std::string kMarket = "backtest --synthetic-count 30 --days 10 --threads 2 --label-all";
  static inline std::filesystem::path folder_;
};

TEST_F(MlRetrainingTest, DriftFindsAShiftedFeatureAndRefusesToCompareRowsWithThemselves) {
  const auto out = fresh("drift");
  const std::string reference = (folder_ / "full" / "virtual.csv").string();
  // The same rows on both sides: nothing is left to compare against.
  const CommandResult same = run("ml drift --reference " + reference + " --recent " + reference);
  EXPECT_EQ(same.exit_code, 1);
  EXPECT_NE(same.output.find("also in the recent ones were left out"), std::string::npos) << same.output;
  // natr_15m × 2.5 in every recent row.
  rewrite_csv(folder_ / "full" / "virtual.csv", out / "shifted.csv", [](const auto&, const auto&) { return true; },
              [](const auto& header, auto& fields) {
                const std::size_t at = column(header, "natr_15m");
                fields[at] = std::to_string(std::stod(fields[at]) * 2.5);
              });
  const CommandResult shifted =
      run("ml drift --reference " + (folder_ / "early" / "virtual.csv").string() + " --recent " + (out / "shifted.csv").string() + " --out " + out.string());
  ASSERT_EQ(shifted.exit_code, 0) << shifted.output;
  EXPECT_NE(shifted.output.find("verdict: DRIFTED"), std::string::npos) << shifted.output;
  const std::size_t table = shifted.output.find("feature (by PSI)");
  ASSERT_NE(table, std::string::npos) << shifted.output;
  const std::size_t first_row = shifted.output.find('\n', table) + 1;
  EXPECT_EQ(shifted.output.substr(first_row, 8), "natr_15m") << shifted.output;
  const std::string json = testing::file_text(out / "drift.json");
  EXPECT_NE(json.find(R"("separating": ["natr_15m")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("drifted": true)"), std::string::npos) << json;
  EXPECT_EQ(testing::file_text(out / "drift.csv").rfind("feature,psi,major,classifier_gain\n", 0), 0u);
  const CommandResult missing = run("ml drift --reference " + reference + " --recent " + (out / "none.csv").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("none.csv"), std::string::npos) << missing.output;
}

TEST_F(MlRetrainingTest, PromoteRefusesAWindowInsideTheModelsDataAndJournalsWhatItDecides) {
  const auto out = fresh("promote");
  const CommandResult overlapping = run("ml promote --current " + current().string() + " --candidate " + current().string() + " --window " +
                                        (folder_ / "full" / "virtual.csv").string());
  EXPECT_EQ(overlapping.exit_code, 1);
  EXPECT_NE(overlapping.output.find("not out of sample"), std::string::npos) << overlapping.output;
  // The window: decisions from 2026-01-08 on, after the model's data (to 2026-01-05, labels a day later).
  rewrite_csv(folder_ / "full" / "virtual.csv", out / "window.csv",
              [](const auto& header, const auto& fields) { return fields[column(header, "decided")] >= "2026-01-08"; },
              [](const auto&, auto&) {});
  std::filesystem::copy_file(current(), out / "model.json");
  const CommandResult same = run("ml promote --current " + (out / "model.json").string() + " --candidate " + current().string() + " --window " +
                                 (out / "window.csv").string() + " --journal " + (out / "journal.sqlite").string());
  ASSERT_EQ(same.exit_code, 0) << same.output;
  EXPECT_NE(same.output.find("kept: the candidate's AUC is not enough better"), std::string::npos) << same.output;
  EXPECT_FALSE(std::filesystem::exists(out / "model.json.previous"));
  const auto decisions = journal::SqliteJournal::open(out / "journal.sqlite").value()->model_promotions().value();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_FALSE(decisions[0].promoted);
  EXPECT_EQ(decisions[0].current_auc, decisions[0].candidate_auc);  // the same model
  // The bootstrap is printed and journalled: the same model's gain is 0 in every resample.
  EXPECT_NE(same.output.find("bootstrap  1000 resamples of 3 decision days"), std::string::npos) << same.output;
  EXPECT_EQ(decisions[0].auc_gain_lower, 0.0);
  EXPECT_EQ(decisions[0].resamples, 1000);
  EXPECT_EQ(decisions[0].resampled_days, 3);
  EXPECT_GT(decisions[0].window_rows, 100);
  EXPECT_GE(decisions[0].window_from, timestamp_from_ms(1'767'830'400'000));  // 2026-01-08
}

TEST_F(MlRetrainingTest, RetrainChainsExportDriftTrainingAndPromotion) {
  const auto work = fresh("retrain");
  std::filesystem::copy_file(current(), work / "model.json");
  const std::string chain = "ml retrain --journal " + journal().string() + " --model " + (work / "model.json").string() + " --work " +
                            (work / "run").string() + " --window-days 3 --rounds 30";
  // Thresholds nothing can pass: no drift, so nothing is trained.
  const CommandResult quiet = run(chain + " --major-psi 1e9 --drifted-auc 1.01");
  ASSERT_EQ(quiet.exit_code, 0) << quiet.output;
  EXPECT_NE(quiet.output.find("no drift: nothing retrained"), std::string::npos) << quiet.output;
  EXPECT_FALSE(std::filesystem::exists(work / "run" / "candidate.json"));
  EXPECT_TRUE(std::filesystem::exists(work / "run" / "drift.json"));
  EXPECT_TRUE(journal::SqliteJournal::open(journal()).value()->model_promotions().value().empty());

  const CommandResult first = run(chain + " --always");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const auto candidate = work / "run" / "candidate.json";
  ASSERT_TRUE(std::filesystem::exists(candidate)) << first.output;
  // The candidate was made from rows whose labels were known before the window.
  const auto range = ml::recorded_range(candidate).value();
  ASSERT_TRUE(range.has_value());
  const auto decisions = journal::SqliteJournal::open(journal()).value()->model_promotions().value();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_LT(range->labels_known, decisions[0].window_from);
  const bool promoted = decisions[0].promoted;
  EXPECT_EQ(first.output.find("promoted:") != std::string::npos, promoted) << first.output;
  EXPECT_EQ(testing::file_text(work / "model.json") == testing::file_text(candidate), promoted);
  EXPECT_EQ(std::filesystem::exists(work / "model.json.previous"), promoted);
  if (promoted) {
    EXPECT_EQ(testing::file_text(work / "model.json.previous"), testing::file_text(current()));
  }

  // Again on the same data: the same candidate cannot beat itself (or the model it lost to).
  const CommandResult second = run(chain + " --always");
  ASSERT_EQ(second.exit_code, 0) << second.output;
  const auto again = journal::SqliteJournal::open(journal()).value()->model_promotions().value();
  ASSERT_EQ(again.size(), 2u);
  EXPECT_FALSE(again[1].promoted) << again[1].reason;
}

}  // namespace
}  // namespace winiswin
