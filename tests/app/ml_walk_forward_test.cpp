// winiswin ml walk-forward end to end on a synthetic market written as monthly CSV files, as
// Binance's dumps are: it runs, two runs write the same bytes, no training row's label reaches
// its test month, and bad windows are refused.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "data/file_bytes.h"
#include "data/kline_csv.h"
#include "ml/dataset.h"
#include "ml/feature_schema.h"
#include "ml/walk_forward.h"
#include "support/markets.h"
#include "support/run_winiswin.h"
#include "venue/binance/exchange_info.h"

namespace winiswin {
namespace {

using testing::file_text;
using testing::run_winiswin;

constexpr int kSymbols = 6;
constexpr int kDays = 75;  // 2026-01-01 → 03-16: January, February, half of March

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  for (std::string field; std::getline(stream, field, ',');) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

// walk_forward.csv as rows of column → value.
std::vector<std::map<std::string, std::string>> read_rows(const std::filesystem::path& file) {
  std::stringstream text(file_text(file));
  std::string line;
  std::getline(text, line);
  const std::vector<std::string> header = split_csv(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(text, line)) {
    const std::vector<std::string> fields = split_csv(line);
    std::map<std::string, std::string> row;
    for (std::size_t idx = 0; idx < header.size() && idx < fields.size(); ++idx) row[header[idx]] = fields[idx];
    rows.push_back(row);
  }
  return rows;
}

class MlWalkForwardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = std::filesystem::temp_directory_path() / ("winiswin_ml_walk_forward_test_" + std::to_string(getpid()));
    std::filesystem::remove_all(folder_);
    const std::filesystem::path data = folder_ / "data";
    std::filesystem::create_directories(data);
    const winiswin::testing::Market market = winiswin::testing::synthetic_market(kSymbols, kDays);
    ASSERT_TRUE(write_file_bytes(data / "exchangeInfo.json", binance::format_exchange_info(market.instruments, Timestamp{})).ok());
    for (const KlineSeries& series : market.minutes) {
      std::map<std::string, KlineSeries> months;  // the month's name → its bars, one file each
      for (const Kline& bar : series.bars) {
        KlineSeries& month = months[ml::month_of(bar.open_time).name];
        if (month.bars.empty()) month = KlineSeries{series.symbol, series.interval, series.fields, {}};
        month.bars.push_back(bar);
      }
      for (const auto& [name, month] : months) {
        ASSERT_TRUE(write_file_bytes(data / fmt::format("{}-1m-{}.csv", series.symbol, name), format_kline_csv(month)).ok());
      }
    }
    for (const char* run : {"first", "second"}) {
      const auto result = run_winiswin(fmt::format("--log-level warn ml walk-forward --data {} --train-months 1 --rounds 40 --threads 1 --candidate xgboost --out {}",
                                                   data.string(), (folder_ / run).string()));
      outputs_.push_back(result);
    }
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(folder_); }

  static inline std::filesystem::path folder_;
  static inline std::vector<testing::CommandResult> outputs_;
};

TEST_F(MlWalkForwardTest, RunsEndToEndOverEveryTestMonth) {
  ASSERT_EQ(outputs_[0].exit_code, 0) << outputs_[0].output;
  EXPECT_NE(outputs_[0].output.find("3 months with data, 2 test months"), std::string::npos) << outputs_[0].output;
  const auto rows = read_rows(folder_ / "first" / "walk_forward.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("test_month"), "2026-02");
  EXPECT_EQ(rows[0].at("train_months"), "2026-01");
  EXPECT_EQ(rows[1].at("test_month"), "2026-03");
  for (const auto& row : rows) {
    EXPECT_EQ(row.at("skipped"), "") << row.at("test_month");
    const double auc = std::stod(row.at("auc")), log_loss = std::stod(row.at("log_loss"));
    EXPECT_GE(auc, 0.0);
    EXPECT_LE(auc, 1.0);
    EXPECT_GT(log_loss, 0.0);
    EXPECT_GT(std::stoul(row.at("test_rows")), 0u);
    EXPECT_LE(std::stoul(row.at("contested_decisions")), std::stoul(row.at("decisions")));
    // The base rate's log loss: the training win rate b predicted for test rows that win at rate q.
    const double b = std::stod(row.at("train_wins")) / std::stod(row.at("train_rows")), q = std::stod(row.at("test_win_rate"));
    EXPECT_NEAR(std::stod(row.at("base_log_loss")), -(q * std::log(b) + (1 - q) * std::log(1 - b)), 1e-9);
    EXPECT_FALSE(row.at("max_psi_feature").empty());
    EXPECT_FALSE(row.at("model_top_1_win_rate").empty());
    EXPECT_TRUE(std::filesystem::exists(folder_ / "first" / "models" / (row.at("test_month") + ".json")));
    // The veto variant is the ranking variant plus refusals: with none, the same month.
    if (row.at("vetoed") == "0") {
      for (const char* column : {"return_pct", "trades", "win_rate", "average_r"}) {
        EXPECT_EQ(row.at(fmt::format("veto_{}", column)), row.at(fmt::format("with_{}", column))) << column;
      }
    }
    for (const char* column : {"sized_return_pct", "placebo_veto_return_pct", "placebo_sized_return_pct"}) EXPECT_FALSE(row.at(column).empty()) << column;
    // The model exit variant is the ranking variant with exits: where it exited none, the same month.
    EXPECT_LE(std::stoul(row.at("model_exits")), std::stoul(row.at("exit_trades")));
    EXPECT_LE(std::stoul(row.at("placebo_model_exits")), std::stoul(row.at("placebo_exit_trades")));
    if (row.at("model_exits") == "0") {
      for (const char* column : {"return_pct", "trades", "win_rate", "average_r"}) {
        EXPECT_EQ(row.at(fmt::format("exit_{}", column)), row.at(fmt::format("with_{}", column))) << column;
      }
    }
  }
  const std::string json = file_text(folder_ / "first" / "walk_forward.json");
  EXPECT_NE(json.find("\"calibration\": [{\"rows\""), std::string::npos);
  EXPECT_NE(json.find("\"min_probability\": 0.5"), std::string::npos);
  EXPECT_NE(json.find("\"with_veto\": {\"return_pct\""), std::string::npos);
  EXPECT_NE(json.find("\"with_sizing\": {\"return_pct\""), std::string::npos);
  EXPECT_NE(json.find("\"placebo_veto\": {\"return_pct\""), std::string::npos);
  EXPECT_NE(json.find("\"exit_below\": 0.5"), std::string::npos);
  EXPECT_NE(json.find("\"with_exit\": {\"return_pct\""), std::string::npos);
  EXPECT_NE(json.find("\"placebo_exit\": {\"return_pct\""), std::string::npos);
  EXPECT_NE(outputs_[0].output.find("the model exit (--exit-below): "), std::string::npos) << outputs_[0].output;
  // Gain and PSI per feature, named as the model's schema names them.
  const std::string first_feature = ml::current_schema().names.front();
  EXPECT_NE(json.find(fmt::format("\"gain\": {{\"{}\"", first_feature)), std::string::npos) << json.substr(0, 2000);
  EXPECT_NE(json.find(fmt::format("\"psi\": {{\"{}\"", first_feature)), std::string::npos);
  EXPECT_NE(json.find(fmt::format("\"mean_abs_shap\": {{\"{}\"", first_feature)), std::string::npos);
}

TEST_F(MlWalkForwardTest, ThePageShowsEveryTestMonthAndFeature) {
  ASSERT_EQ(outputs_[0].exit_code, 0) << outputs_[0].output;
  const std::string page = file_text(folder_ / "first" / "walk_forward.html");
  EXPECT_EQ(page.rfind("<!doctype html>", 0), 0u);
  EXPECT_EQ(page.find("<script"), std::string::npos);  // self-contained, no script
  for (const char* month : {"2026-02", "2026-03"}) {
    EXPECT_NE(page.find(fmt::format("{} AUC ", month)), std::string::npos) << month;  // a point of the AUC chart
    for (const char* bar : {"without the model", "the model ranking", "ranking + veto", "ranking + sizing by score"}) {
      EXPECT_NE(page.find(fmt::format("{} {}: ", month, bar)), std::string::npos) << month << " " << bar;  // a bar of the returns
    }
  }
  for (const std::string& name : ml::current_schema().names) EXPECT_NE(page.find("<td>" + name + "</td>"), std::string::npos) << name;
  EXPECT_NE(page.find("decile 10: predicted"), std::string::npos);
}

TEST_F(MlWalkForwardTest, TwoRunsWriteTheSameBytes) {
  ASSERT_EQ(outputs_[0].exit_code, 0) << outputs_[0].output;
  ASSERT_EQ(outputs_[1].exit_code, 0) << outputs_[1].output;
  for (const char* file : {"walk_forward.csv", "walk_forward.json", "walk_forward.html", "models/2026-02.json", "models/2026-03.json", "labels/virtual.csv",
                           "candidates.csv", "candidates/xgboost/2026-03.json"}) {
    EXPECT_EQ(file_text(folder_ / "first" / file), file_text(folder_ / "second" / file)) << file;
  }
}

// The candidate path checked by its own yardstick: the XGBoost trained again as a candidate
// predicts what the walk-forward's XGBoost predicted and trades its month as it did.
TEST_F(MlWalkForwardTest, TheXgboostCandidateMatchesTheWalkForwardsOwnModel) {
  ASSERT_EQ(outputs_[0].exit_code, 0) << outputs_[0].output;
  const auto rows = read_rows(folder_ / "first" / "candidates.csv");
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    EXPECT_EQ(row.at("candidate"), "xgboost");
    EXPECT_EQ(row.at("auc"), row.at("xgboost_auc")) << row.at("test_month");
    EXPECT_EQ(row.at("log_loss"), row.at("xgboost_log_loss")) << row.at("test_month");
    EXPECT_EQ(row.at("top_k_win_rate"), row.at("xgboost_top_k_win_rate")) << row.at("test_month");
    EXPECT_EQ(row.at("return_pct"), row.at("xgboost_return_pct")) << row.at("test_month");
    EXPECT_NE(row.at("return_pct"), row.at("without_return_pct")) << "the model changed nothing: a weak check";
  }
  EXPECT_NE(outputs_[0].output.find("candidate xgboost: mean AUC "), std::string::npos) << outputs_[0].output;
  const std::string page = file_text(folder_ / "first" / "walk_forward.html");
  EXPECT_NE(page.find("<h2>Candidates beside the XGBoost"), std::string::npos);
  EXPECT_NE(file_text(folder_ / "first" / "walk_forward.json").find(R"("candidates": [{"name": "xgboost", "is_probability": true, "auc": )"),
            std::string::npos);
}

// Counted again here from the labels the run wrote: a row trains a fold only when it was
// decided in a training month, has an outcome, and its label (decision + 24 h, or the exit if
// later) ended before the test month began.
TEST_F(MlWalkForwardTest, NoTrainingLabelReachesItsTestMonth) {
  ASSERT_EQ(outputs_[0].exit_code, 0) << outputs_[0].output;
  const std::vector<std::filesystem::path> files{folder_ / "first" / "labels" / "trades.csv", folder_ / "first" / "labels" / "virtual.csv"};
  const auto labels = ml::read_datasets(files, ml::DatasetOptions{}).value();
  const auto day = std::chrono::hours{24};
  for (const auto& row : read_rows(folder_ / "first" / "walk_forward.csv")) {
    const ml::Month test = ml::month_of(parse_utc_time(row.at("test_month") + "-01").value());
    const ml::Month train = ml::month_of(parse_utc_time(row.at("train_months") + "-01").value());
    std::size_t clean = 0, overlapping = 0;
    for (const ml::LabelledRow& label : labels) {
      if (label.decided < train.start || label.decided >= train.end || ml::censored(label)) continue;
      const Timestamp known = std::max(label.decided + day, label.exited);
      (known < test.start ? clean : overlapping) += 1;
    }
    EXPECT_EQ(std::stoul(row.at("train_rows")), clean) << row.at("test_month");
    EXPECT_EQ(std::stoul(row.at("purged")), overlapping) << row.at("test_month");
    EXPECT_GT(overlapping, 0u) << "the last day of a training month has signals whose label reaches the test month";
  }
}

TEST_F(MlWalkForwardTest, RefusesBadWindows) {
  const std::string data = (folder_ / "data").string(), out = (folder_ / "refused").string();
  const auto zero = run_winiswin(fmt::format("ml walk-forward --data {} --train-months 0 --out {}", data, out));
  EXPECT_NE(zero.exit_code, 0);
  EXPECT_NE(zero.output.find("--train-months 0: at least 1 month"), std::string::npos) << zero.output;
  const auto too_many = run_winiswin(fmt::format("ml walk-forward --data {} --train-months 3 --out {}", data, out));
  EXPECT_NE(too_many.exit_code, 0);
  EXPECT_NE(too_many.output.find("needs at least 4 months with data (K to train, one to test); the data has 3"), std::string::npos)
      << too_many.output;
  const auto bad_exit = run_winiswin(fmt::format("ml walk-forward --data {} --train-months 1 --exit-below 1.5 --out {}", data, out));
  EXPECT_NE(bad_exit.exit_code, 0);
  EXPECT_NE(bad_exit.output.find("--exit-below 1.5: a probability is in [0, 1]"), std::string::npos) << bad_exit.output;
  const auto unknown = run_winiswin(fmt::format("ml walk-forward --data {} --train-months 1 --candidate lstn --out {}", data, out));
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.output.find("--candidate lstn: no such candidate (known: xgboost"), std::string::npos) << unknown.output;
  EXPECT_FALSE(std::filesystem::exists(folder_ / "refused" / "walk_forward.csv"));
}

}  // namespace
}  // namespace winiswin
