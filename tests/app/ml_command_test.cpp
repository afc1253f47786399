// winiswin ml train and backtest --model end to end: a model trained on a backtest's own
// labels, then backtests with it — deterministic, their predictions libxgboost's, and with
// the model's weight at 0 the same trades as without a model.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "journal/sqlite_journal.h"
#include "ml/dataset.h"
#include "ml/xgboost_model.h"
#include "support/child_process.h"
#include "support/loopback_venue_process.h"
#include "support/run_winiswin.h"

namespace winiswin {
namespace {

using testing::CommandResult;

CommandResult run(const std::string& arguments) { return testing::run_winiswin("--log-level warn " + arguments); }

std::string bytes(const std::filesystem::path& path) { return testing::file_text(path); }

std::vector<std::string> lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A line without its last `count` comma-separated fields.
std::string without_last_fields(const std::string& line, int count) {
  std::size_t end = line.size();
  for (int field = 0; field < count; ++field) end = line.rfind(',', end - 1);
  return line.substr(0, end);
}

class MlCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Per process: ctest runs each test in its own process, in parallel.
    folder_ = std::filesystem::temp_directory_path() / ("winiswin_ml_command_test_" + std::to_string(getpid()));
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
    // Labels: every proposed signal above min_confidence.
    const CommandResult labelled = run(kMarket + " --label-all --out " + (folder_ / "labels").string());
    ASSERT_EQ(labelled.exit_code, 0) << labelled.output;
    const CommandResult trained = run("ml train --dataset " + (folder_ / "labels" / "trades.csv").string() + " " +
                                      (folder_ / "labels" / "virtual.csv").string() + " --rounds 40 --out " + model().string());
    ASSERT_EQ(trained.exit_code, 0) << trained.output;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(folder_); }
  static std::filesystem::path model() { return folder_ / "model.json"; }

  static inline const std::string kMarket = "backtest --synthetic-count 30 --days 6 --threads 2";
  static inline std::filesystem::path folder_;
};

TEST_F(MlCommandTest, LabellingEverySignalKeepsTheRealTradesAndLabelsMore) {
  const CommandResult plain = run(kMarket + " --out " + (folder_ / "plain").string());
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  EXPECT_EQ(bytes(folder_ / "plain" / "trades.csv"), bytes(folder_ / "labels" / "trades.csv"));
  EXPECT_EQ(bytes(folder_ / "plain" / "orders.csv"), bytes(folder_ / "labels" / "orders.csv"));
  EXPECT_GT(lines(folder_ / "labels" / "virtual.csv").size(), lines(folder_ / "plain" / "virtual.csv").size());
  bool beyond_depth = false;  // ranks past rank_depth (10) are labelled too
  const auto rows = ml::read_trade_csv(folder_ / "labels" / "virtual.csv", {});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  for (const ml::LabelledRow& row : *rows) beyond_depth |= row.rank > 10;
  EXPECT_TRUE(beyond_depth);
}

TEST_F(MlCommandTest, TrainingTwiceWritesTheSameModel) {
  const CommandResult again = run("ml train --dataset " + (folder_ / "labels" / "trades.csv").string() + " " +
                                  (folder_ / "labels" / "virtual.csv").string() + " --rounds 40 --out " + (folder_ / "again.json").string());
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("scale_pos_weight"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("purged"), std::string::npos) << again.output;
  EXPECT_EQ(bytes(folder_ / "again.json"), bytes(model()));
  const CommandResult missing = run("ml train --dataset " + (folder_ / "none.csv").string() + " --out " + (folder_ / "x.json").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("none.csv"), std::string::npos) << missing.output;
}

TEST_F(MlCommandTest, ABacktestWithAModelIsDeterministicAndWritesLibxgboostsPredictions) {
  for (const char* out : {"first", "second"}) {
    const CommandResult result = run(kMarket + " --model " + model().string() + " --out " + (folder_ / out).string());
    ASSERT_EQ(result.exit_code, 0) << result.output;
  }
  for (const char* file : {"trades.csv", "virtual.csv", "equity.csv", "refusals.csv", "orders.csv", "fills.csv", "metrics.json"}) {
    EXPECT_EQ(bytes(folder_ / "first" / file), bytes(folder_ / "second" / file)) << file;
  }
  const auto header = lines(folder_ / "first" / "virtual.csv").front();
  EXPECT_TRUE(header.ends_with(",ml_probability,ml_score")) << header;
  // Each row's probability is the model's on the row's own features, and its score the blend.
  const auto loaded = ml::XgboostModel::load(model()).value();
  const auto rows = ml::read_trade_csv(folder_ / "first" / "virtual.csv", {}).value();
  const auto text = lines(folder_ / "first" / "virtual.csv");
  ASSERT_GT(rows.size(), 10u);
  for (std::size_t idx = 0; idx < rows.size(); ++idx) {
    std::vector<float> features(rows[idx].features.begin(), rows[idx].features.end());
    std::vector<double> probability(1);
    ASSERT_TRUE(loaded->predict(features, probability).ok());
    const std::string& line = text[idx + 1];
    const std::size_t score_at = line.rfind(',');
    const std::size_t probability_at = line.rfind(',', score_at - 1);
    const double written_probability = std::stod(line.substr(probability_at + 1, score_at - probability_at - 1));
    const double written_score = std::stod(line.substr(score_at + 1));
    EXPECT_EQ(written_probability, probability[0]) << line;  // written in the shortest form that reads back exactly
    // The confidence column has 6 decimals; the score was blended from the exact one.
    EXPECT_NEAR(written_score, ml::blended_score(probability[0], rows[idx].confidence, ml::kDefaultModelWeight), 1e-6) << line;
  }
}

// A run ranked by a model keeps each record's probability and score in its journal: the
// journal's ML export is the run's own files, model columns included, byte for byte.
TEST_F(MlCommandTest, TheJournalKeepsTheModelsProbabilitiesForTheExport) {
  const std::filesystem::path journal = folder_ / "scored.sqlite";
  const CommandResult result =
      run(kMarket + " --model " + model().string() + " --journal " + journal.string() + " --out " + (folder_ / "scored").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const CommandResult exported = run("journal export --journal " + journal.string() + " --out " + (folder_ / "scored_export").string());
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_EQ(bytes(folder_ / "scored_export" / "ml_real.csv"), bytes(folder_ / "scored" / "trades.csv"));
  EXPECT_EQ(bytes(folder_ / "scored_export" / "ml_virtual.csv"), bytes(folder_ / "scored" / "virtual.csv"));
  EXPECT_TRUE(lines(folder_ / "scored_export" / "ml_virtual.csv").front().ends_with(",ml_probability,ml_score"));
}

// A journal kept across a feature upgrade: its rows of an older feature schema are left out of
// the ML export (their features would be read under today's names), and the export says so.
TEST_F(MlCommandTest, TheExportLeavesOutRowsOfAnotherFeatureVersion) {
  const std::filesystem::path file = folder_ / "upgraded.sqlite";
  {
    auto journal = journal::SqliteJournal::open(file).value();
    journal::TradeRecord row;
    row.symbol = "ETHUSDT";
    row.decided = timestamp_from_ms(1'767'225'900'000);
    row.entry_time = row.decided + Milliseconds{60'000};
    row.exit_time = row.entry_time + Milliseconds{600'000};
    row.planned_entry = Price::from_units(3000);
    row.stop = Price::from_units(2900);
    row.target = Price::from_units(3200);
    row.feature_version = strategy::kFeatureVersion - 1;
    ASSERT_TRUE(journal->trade(row).ok());
    row.decided += Milliseconds{300'000};
    row.feature_version = strategy::kFeatureVersion;
    ASSERT_TRUE(journal->trade(row).ok());
  }
  const CommandResult exported = run("journal export --journal " + file.string() + " --out " + (folder_ / "upgraded_export").string());
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_EQ(lines(folder_ / "upgraded_export" / "ml_real.csv").size(), 2u) << "the header and today's row";
  EXPECT_NE(exported.output.find(fmt::format("1 real trades (1 with features of another version left out: this build computes v{})",
                                             strategy::kFeatureVersion)),
            std::string::npos)
      << exported.output;
}

// Paper trading ranks with the model as the backtest does: every recorded virtual position and
// trade carries the model's probability and score, each the model's on the row's features.
TEST_F(MlCommandTest, PaperTradingRanksWithTheModel) {
  testing::LoopbackVenueProcess venue({"--synthetic-count", "6", "--days", "6", "--history-days", "4", "--speed", "3000"},
                                      {"BINANCE_API_KEY=test-key", "BINANCE_API_SECRET=test-secret"});
  ASSERT_FALSE(venue.url().empty()) << "the venue did not start";
  const std::string url = venue.url();
  const std::filesystem::path journal_file = folder_ / "paper.sqlite";
  const CommandResult paper = run("run --mode paper --venue-url " + url + " --symbols 6 --max-decisions 40 --model " + model().string() +
                                  " --journal " + journal_file.string());
  ASSERT_EQ(paper.exit_code, 0) << paper.output;
  EXPECT_EQ(venue.stop(SIGTERM), 0);
  const auto journal = journal::SqliteJournal::open(journal_file).value();
  auto rows = journal->trades(true).value();
  const auto real = journal->trades().value();
  rows.insert(rows.end(), real.begin(), real.end());
  ASSERT_FALSE(rows.empty()) << "the test needs a recorded position";
  const auto loaded = ml::XgboostModel::load(model()).value();
  for (const journal::TradeRecord& row : rows) {
    ASSERT_TRUE(row.ml_probability.has_value()) << row.symbol;
    std::vector<float> features(row.features.begin(), row.features.end());
    std::vector<double> probability(1);
    ASSERT_TRUE(loaded->predict(features, probability).ok());
    EXPECT_EQ(*row.ml_probability, probability[0]) << row.symbol;
  }
  const CommandResult missing = run("run --mode paper --venue-url " + url + " --model " + (folder_ / "none.json").string());
  EXPECT_EQ(missing.exit_code, 1);  // a model that cannot be loaded stops the run before it starts
  EXPECT_NE(missing.output.find("none.json"), std::string::npos) << missing.output;
}

TEST_F(MlCommandTest, AtWeightZeroTheModelRanksAsTheStrategyDoes) {
  const CommandResult plain = run(kMarket + " --out " + (folder_ / "plain0").string());
  const CommandResult zero = run(kMarket + " --model " + model().string() + " --model-weight 0 --out " + (folder_ / "zero").string());
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  ASSERT_EQ(zero.exit_code, 0) << zero.output;
  for (const char* file : {"trades.csv", "virtual.csv"}) {
    const auto without = lines(folder_ / "plain0" / file);
    const auto with = lines(folder_ / "zero" / file);
    ASSERT_EQ(without.size(), with.size()) << file;
    for (std::size_t idx = 0; idx < with.size(); ++idx) EXPECT_EQ(without_last_fields(with[idx], 2), without[idx]) << file << ":" << idx;
  }
  EXPECT_EQ(bytes(folder_ / "plain0" / "orders.csv"), bytes(folder_ / "zero" / "orders.csv"));
}

TEST_F(MlCommandTest, SignalsWithAModelShowItsProbabilityAndScore) {
  const CommandResult synth = run("synth --symbols 30 --days 6 --out " + (folder_ / "market").string());
  ASSERT_EQ(synth.exit_code, 0) << synth.output;
  const std::string at = " --input " + (folder_ / "market").string() + " --at \"2026-01-05 12:00\"";
  const CommandResult with = run("signals" + at + " --model " + model().string());
  ASSERT_EQ(with.exit_code, 0) << with.output;
  EXPECT_NE(with.output.find("model: win probability 0."), std::string::npos) << with.output;
  const CommandResult without = run("signals" + at);
  ASSERT_EQ(without.exit_code, 0) << without.output;
  EXPECT_EQ(without.output.find("model:"), std::string::npos) << without.output;
}

TEST_F(MlCommandTest, AModelOfAnotherSchemaStopsTheBacktestBeforeItRuns) {
  std::string text = bytes(model());
  const std::size_t at = text.find("\"rsi_5m\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 8, "\"rsi_9m\"");
  std::ofstream(folder_ / "other.json") << text;
  const CommandResult refused = run(kMarket + " --model " + (folder_ / "other.json").string() + " --out " + (folder_ / "other").string());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("feature 6 is 'rsi_9m' in the model, 'rsi_5m' here"), std::string::npos) << refused.output;
  const CommandResult weight = run(kMarket + " --model " + model().string() + " --model-weight 2 --out " + (folder_ / "w").string());
  EXPECT_EQ(weight.exit_code, 1);
}

// A model trained on features v1 (entry_log10, the price level, where v2 has
// range_position_7d) is refused with the schema error, not fed the new column.
TEST_F(MlCommandTest, AVersionOneModelIsRefused) {
  const std::string model_text = bytes(model());
  const std::string version = std::string("\"") + ml::kFeatureVersionAttribute + "\":\"";
  const std::string current = std::to_string(strategy::kFeatureVersion) + "\"";
  const std::size_t at_version = model_text.find(version + current);
  ASSERT_NE(at_version, std::string::npos) << "the model file records its feature version";
  std::string text = model_text.substr(0, at_version) + version + "1\"" + model_text.substr(at_version + version.size() + current.size());
  const std::string v2_name = "\"range_position_7d\"";
  const std::size_t at_name = text.find(v2_name);
  ASSERT_NE(at_name, std::string::npos);
  text = text.substr(0, at_name) + "\"entry_log10\"" + text.substr(at_name + v2_name.size());
  std::ofstream(folder_ / "v1.json") << text;
  const CommandResult refused = run(kMarket + " --model " + (folder_ / "v1.json").string() + " --out " + (folder_ / "v1").string());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("feature schema differs from this build's (v2, 28 features): the model is of features v1; retrain"),
            std::string::npos)
      << refused.output;
  EXPECT_FALSE(std::filesystem::exists(folder_ / "v1" / "trades.csv"));
}

TEST_F(MlCommandTest, AnRModelTrainsButBacktestRefusesItAndATargetTypoIsRefused) {
  const std::string datasets = "ml train --dataset " + (folder_ / "labels" / "trades.csv").string() + " " + (folder_ / "labels" / "virtual.csv").string();
  const CommandResult trained = run(datasets + " --target r --rounds 20 --out " + (folder_ / "r.json").string());
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  EXPECT_NE(trained.output.find("Spearman"), std::string::npos) << trained.output;
  EXPECT_NE(trained.output.find("RMSE"), std::string::npos) << trained.output;
  const CommandResult refused = run(kMarket + " --model " + (folder_ / "r.json").string() + " --out " + (folder_ / "r_backtest").string());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("an R-regression model ranks by expected R; --model takes win-probability models"), std::string::npos)
      << refused.output;
  const CommandResult typo = run(datasets + " --target R2 --out " + (folder_ / "typo.json").string());
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_NE(typo.output.find("--target 'R2'"), std::string::npos) << typo.output;
  EXPECT_FALSE(std::filesystem::exists(folder_ / "typo.json"));
}

}  // namespace
}  // namespace winiswin
