// backtest --data streams its files (engine::FileFeed); --preload reads them whole first
// (engine::SeriesFeed). Every output file must be the same byte for byte, on real data and on
// synthetic files in CSV and in the binary store.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "data/file_bytes.h"
#include "data/kline_csv.h"
#include "data/synthetic_market.h"
#include "support/run_winiswin.h"
#include "support/shared_data.h"
#include "venue/binance/exchange_info.h"

namespace winiswin {
namespace {

using testing::CommandResult;
using testing::file_text;
using testing::run_winiswin;

class StreamedDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 fmt::format("winiswin_streamed_{}_{}", ::testing::UnitTest::GetInstance()->current_test_info()->name(), ::getpid());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  // Backtests `arguments` streamed and preloaded; every output of one equals the other's.
  void expect_streaming_changes_nothing(const std::string& arguments, const std::string& name) {
    const auto streamed = directory_ / (name + "-streamed"), preloaded = directory_ / (name + "-preloaded");
    const CommandResult stream = run_winiswin("--log-level warn backtest --threads 2 " + arguments + " --out " + streamed.string());
    ASSERT_EQ(stream.exit_code, 0) << stream.output;
    const CommandResult whole = run_winiswin("--log-level warn backtest --threads 2 --preload " + arguments + " --out " + preloaded.string());
    ASSERT_EQ(whole.exit_code, 0) << whole.output;
    std::size_t compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator(preloaded)) {
      const auto other = streamed / entry.path().filename();
      ASSERT_TRUE(std::filesystem::exists(other)) << other;
      EXPECT_TRUE(file_text(entry.path()) == file_text(other)) << name << ": " << entry.path().filename() << " differs";
      ++compared;
    }
    EXPECT_GE(compared, 8u);  // trades, virtual, equity, refusals, transitions, orders, fills, metrics, report
    EXPECT_NE(file_text(streamed / "trades.csv").find('\n'), file_text(streamed / "trades.csv").rfind('\n')) << "no trades: a weak test";
  }

  std::filesystem::path directory_;
};

TEST_F(StreamedDataTest, RealFilesGiveTheSameOutputsStreamedAsLoadedWhole) {
  WINISWIN_SHARED_FILE(folder, "data/klines/futures_um/1m");
  WINISWIN_SHARED_FILE(info, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  // FIL's and AVAX's months (2023 → 2026, with holes of months between files).
  expect_streaming_changes_nothing(fmt::format("--data {} --exchange-info {} --symbols FILUSDT AVAXUSDT", folder.string(), info.string()),
                                   "real");
}

// A synthetic market written as Binance would: ten-day files per symbol (one symbol's files
// start later, one ends early), in CSV and converted to the binary store.
TEST_F(StreamedDataTest, SyntheticCsvAndStoreFilesGiveTheSameOutputsStreamedAsLoadedWhole) {
  SyntheticMarketConfig config;
  config.symbols = 4;
  config.days = 40;
  const SyntheticMarket market(config);
  const auto csv = directory_ / "csv";
  std::filesystem::create_directories(csv);
  ASSERT_TRUE(write_file_bytes(csv / "exchangeInfo.json", binance::format_exchange_info(market.instruments(), config.start)).ok());
  constexpr std::size_t kFileBars = 10 * 1440;
  for (std::size_t symbol_idx = 0; symbol_idx < market.instruments().size(); ++symbol_idx) {
    const KlineSeries whole = market.generate(symbol_idx);
    for (std::size_t file_idx = 0; file_idx * kFileBars < whole.bars.size(); ++file_idx) {
      if ((symbol_idx == 1 && file_idx == 0) || (symbol_idx == 2 && file_idx == 3)) continue;
      KlineSeries part{whole.symbol, Interval::k1m, KlineFields::kFull, {}};
      part.bars.assign(whole.bars.begin() + static_cast<std::ptrdiff_t>(file_idx * kFileBars),
                       whole.bars.begin() + static_cast<std::ptrdiff_t>(std::min(whole.bars.size(), (file_idx + 1) * kFileBars)));
      ASSERT_TRUE(write_file_bytes(csv / fmt::format("{}-1m-2026-01-{}.csv", whole.symbol, file_idx), format_kline_csv(part)).ok());
    }
  }
  const auto store = directory_ / "wkl";
  const CommandResult converted = run_winiswin("data convert " + csv.string() + " " + store.string());
  ASSERT_EQ(converted.exit_code, 0) << converted.output;
  std::filesystem::copy_file(csv / "exchangeInfo.json", store / "exchangeInfo.json");
  expect_streaming_changes_nothing("--data " + csv.string(), "csv");
  expect_streaming_changes_nothing("--data " + store.string(), "wkl");
  // The same bars from either format: the same trades.
  EXPECT_EQ(file_text(directory_ / "csv-streamed" / "trades.csv"), file_text(directory_ / "wkl-streamed" / "trades.csv"));
  EXPECT_EQ(file_text(directory_ / "csv-streamed" / "equity.csv"), file_text(directory_ / "wkl-streamed" / "equity.csv"));
}

// A bad row in a later file stops the run with the file and line named, never silently.
TEST_F(StreamedDataTest, ABadRowMetDuringTheRunIsAnErrorNamingTheFile) {
  SyntheticMarketConfig config;
  config.symbols = 2;
  config.days = 4;
  const SyntheticMarket market(config);
  ASSERT_TRUE(write_file_bytes(directory_ / "exchangeInfo.json", binance::format_exchange_info(market.instruments(), config.start)).ok());
  const KlineSeries whole = market.generate(0);
  for (std::size_t day = 0; day < 4; ++day) {
    KlineSeries part{whole.symbol, Interval::k1m, KlineFields::kFull, {}};
    part.bars.assign(whole.bars.begin() + static_cast<std::ptrdiff_t>(day * 1440), whole.bars.begin() + static_cast<std::ptrdiff_t>((day + 1) * 1440));
    std::string text = format_kline_csv(part);
    if (day == 3) text.insert(text.find('\n', text.size() / 2) + 1, "1,2,3\n");
    ASSERT_TRUE(write_file_bytes(directory_ / fmt::format("{}-1m-2026-01-0{}.csv", whole.symbol, day + 1), text).ok());
  }
  const CommandResult result = run_winiswin("--log-level warn backtest --data " + directory_.string() + " --out " + (directory_ / "out").string());
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find(fmt::format("{}-1m-2026-01-04.csv:", whole.symbol)), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("expected 6 or 12 columns, found 3"), std::string::npos) << result.output;
  // The run went through the first three days (their last 5m close is 2026-01-04 00:00) and
  // stopped when it reached the fourth day's file.
  const std::string equity = file_text(directory_ / "out" / "equity.csv");
  EXPECT_NE(equity.find("2026-01-03 23:55"), std::string::npos) << equity.substr(0, 300);
  EXPECT_EQ(equity.find("2026-01-04 00:05"), std::string::npos);
}

// signals reads a symbol's files up to --at only: a bad row in a later file changes nothing.
TEST_F(StreamedDataTest, SignalsReadNoFileThatBeginsAfterTheDecision) {
  SyntheticMarketConfig config;
  config.symbols = 3;
  config.days = 12;
  const SyntheticMarket market(config);
  ASSERT_TRUE(write_file_bytes(directory_ / "exchangeInfo.json", binance::format_exchange_info(market.instruments(), config.start)).ok());
  constexpr std::size_t kFileBars = 4 * 1440;
  for (std::size_t symbol_idx = 0; symbol_idx < market.instruments().size(); ++symbol_idx) {
    const KlineSeries whole = market.generate(symbol_idx);
    for (std::size_t file_idx = 0; file_idx < 3; ++file_idx) {
      KlineSeries part{whole.symbol, Interval::k1m, KlineFields::kFull, {}};
      part.bars.assign(whole.bars.begin() + static_cast<std::ptrdiff_t>(file_idx * kFileBars),
                       whole.bars.begin() + static_cast<std::ptrdiff_t>((file_idx + 1) * kFileBars));
      ASSERT_TRUE(write_file_bytes(directory_ / fmt::format("{}-1m-2026-01-{}.csv", whole.symbol, file_idx), format_kline_csv(part)).ok());
    }
  }
  const std::string signals = "--log-level warn signals --data " + directory_.string() + " --at 2026-01-06T12:00:00Z --features";
  const CommandResult before = run_winiswin(signals);
  ASSERT_EQ(before.exit_code, 0) << before.output;
  EXPECT_NE(before.output.find("signals at 2026-01-06 12:00:00 UTC"), std::string::npos) << before.output;
  const auto later = directory_ / fmt::format("{}-1m-2026-01-2.csv", market.instruments()[0].symbol);
  std::string text = file_text(later);
  text.insert(text.find('\n', text.size() / 2) + 1, "not,a,row\n");
  ASSERT_TRUE(write_file_bytes(later, text).ok());
  const CommandResult after = run_winiswin(signals);
  ASSERT_EQ(after.exit_code, 0) << after.output;
  EXPECT_EQ(after.output, before.output);
  const CommandResult at_the_bad_file = run_winiswin("--log-level warn signals --data " + directory_.string() + " --at 2026-01-10T12:00:00Z");
  EXPECT_EQ(at_the_bad_file.exit_code, 1) << at_the_bad_file.output;
  EXPECT_NE(at_the_bad_file.output.find(later.filename().string()), std::string::npos) << at_the_bad_file.output;
}

}  // namespace
}  // namespace winiswin
