// `winiswin check causality` and `backtest --from` as a user runs them: the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/run_winiswin.h"
#include "support/shared_data.h"

namespace winiswin {
namespace {

using testing::CommandResult;
using testing::file_text;
using testing::run_winiswin;

class CheckCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("winiswin_check_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::filesystem::path directory_;
};

TEST_F(CheckCommandTest, CausalityPassesOnTheSyntheticMarket) {
  const CommandResult result = run_winiswin("--log-level warn check causality --synthetic-count 3 --days 3 --cuts 2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("2 cuts"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("identical"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("DIFFERENT"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("pass: nothing decided before a cut depends on the data after it"), std::string::npos) << result.output;
}

TEST_F(CheckCommandTest, CausalityPassesOnRealBarsAtTheCutsNamed) {
  WINISWIN_SHARED_FILE(info, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  WINISWIN_SHARED_FILE(btc, "data/klines/futures_um_ohlcv_only/BTCUSDT-5m-2025-09_10.csv.gz");
  std::filesystem::copy_file(btc, directory_ / btc.filename());
  const CommandResult result = run_winiswin("--log-level warn check causality --data " + directory_.string() + " --exchange-info " +
                                            info.string() + " --to 2025-10-05 --at \"2025-09-26 08:00\" --at 2025-10-02T00:00:00Z");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("cut at 2025-09-26 08:00:00:"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("cut at 2025-10-02 00:00:00:"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("DIFFERENT"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("pass"), std::string::npos) << result.output;
}

// With --model the model's scores and probabilities are compared too (a model trained on this
// market's own labels: the check is about the data it reads at each decision, not its skill).
TEST_F(CheckCommandTest, CausalityPassesWithAModel) {
  const std::string market = " --synthetic-count 6 --days 4 ";
  const std::filesystem::path labels = directory_ / "labels", model = directory_ / "model.json";
  ASSERT_EQ(run_winiswin("--log-level warn backtest" + market + "--label-all --out " + labels.string()).exit_code, 0);
  const CommandResult trained = run_winiswin("--log-level warn ml train --rounds 10 --dataset " + (labels / "virtual.csv").string() +
                                             " --dataset " + (labels / "trades.csv").string() + " --out " + model.string());
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  const CommandResult result = run_winiswin("--log-level warn check causality" + market + "--cuts 2 --model " + model.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("with the model"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("pass"), std::string::npos) << result.output;
}

TEST_F(CheckCommandTest, ACutOffTheDataOrOffAFiveMinuteCloseIsRefused) {
  const std::string market = "check causality --synthetic-count 2 --days 2 ";
  const CommandResult off_close = run_winiswin(market + "--at \"2026-01-01 12:03\"");
  EXPECT_EQ(off_close.exit_code, 1);
  EXPECT_NE(off_close.output.find("not a 5m close"), std::string::npos) << off_close.output;
  const CommandResult outside = run_winiswin(market + "--at 2026-02-01");
  EXPECT_EQ(outside.exit_code, 1);
  EXPECT_NE(outside.output.find("outside the data"), std::string::npos) << outside.output;
  const CommandResult no_cuts = run_winiswin(market + "--cuts 0");
  EXPECT_EQ(no_cuts.exit_code, 1);
  EXPECT_NE(no_cuts.output.find("--cuts must be at least 1"), std::string::npos) << no_cuts.output;
}

// --from T: the warm-up before T is read, so equity.csv starts at T itself and the first
// decision may come at T; nothing is written for the warm-up.
TEST_F(CheckCommandTest, BacktestFromStartsItsOutputsAtTheWindow) {
  const CommandResult result = run_winiswin("--log-level warn backtest --synthetic-count 3 --days 4 --from 2026-01-03 --out " +
                                            directory_.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const std::string equity = file_text(directory_ / "equity.csv");
  EXPECT_EQ(equity.find("\n2026-01-03 00:00:00,"), equity.find('\n')) << equity.substr(0, 200);
  // Two days of closes decided (the data's last close only marks), four days of bars scored.
  EXPECT_NE(result.output.find("backtest: 3 symbols, 576 decisions, 3456 symbol-bars"), std::string::npos) << result.output;
  const std::string trades = file_text(directory_ / "trades.csv") + file_text(directory_ / "virtual.csv");
  EXPECT_EQ(trades.find("2026-01-01"), std::string::npos);
  EXPECT_EQ(trades.find("2026-01-02"), std::string::npos);
}

}  // namespace
}  // namespace winiswin
