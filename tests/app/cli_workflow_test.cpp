// The winiswin binary as a user of real data meets it: time arguments, folders, the CLI's
// own errors. Each test runs the real binary.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <utility>
#include <vector>

#include "support/run_winiswin.h"
#include "support/shared_data.h"

namespace winiswin {
namespace {

using testing::CommandResult;
using testing::file_text;
using testing::run_winiswin;

class CliWorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("winiswin_workflow_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
                  std::to_string(::getpid()));  // per process: other checkouts' suites may run at once
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::filesystem::path directory_;
};

// The synthetic market starts 2026-01-01; its second day, three ways of saying it.
TEST_F(CliWorkflowTest, EveryTimeFormSelectsTheSameWindow) {
  const std::string market = "--log-level warn backtest --synthetic-count 2 --days 3 ";
  const CommandResult iso = run_winiswin(market + "--from 2026-01-02T00:00:00Z --to 2026-01-03T00:00:00Z --out " +
                                         (directory_ / "iso").string());
  ASSERT_EQ(iso.exit_code, 0) << iso.output;
  // One day: 288 closes of 5m decided, from the window's first (the day before is the warm-up,
  // its bars scored too: 2 days × 288 bars × 2 symbols), the run's last only marked.
  EXPECT_NE(iso.output.find("288 decisions, 1152 symbol-bars"), std::string::npos) << iso.output;
  const CommandResult printed = run_winiswin(market + "--from \"2026-01-02 00:00:00\" --to 1767398400000 --out " +
                                             (directory_ / "printed").string());
  ASSERT_EQ(printed.exit_code, 0) << printed.output;
  const CommandResult timerange = run_winiswin(market + "--timerange 20260102-20260103 --out " + (directory_ / "range").string());
  ASSERT_EQ(timerange.exit_code, 0) << timerange.output;
  const std::string equity = file_text(directory_ / "iso" / "equity.csv");
  EXPECT_GT(equity.size(), 1000u);
  EXPECT_EQ(equity, file_text(directory_ / "printed" / "equity.csv"));
  EXPECT_EQ(equity, file_text(directory_ / "range" / "equity.csv"));
  EXPECT_EQ(equity.find("\n2026-01-02 00:00:00,"), equity.find('\n')) << equity.substr(0, 200);  // the window's start
  EXPECT_EQ(equity.find("\n2026-01-03 00:00:00,") + 1, equity.rfind('\n', equity.size() - 2) + 1);  // the last bar's close
  EXPECT_EQ(equity.find("\n2026-01-03 00:05"), std::string::npos);

  // An open end runs to the end of the data: two days (and the day of warm-up before them).
  const CommandResult open_end = run_winiswin(market + "--timerange 20260102- --out " + (directory_ / "open").string());
  ASSERT_EQ(open_end.exit_code, 0) << open_end.output;
  EXPECT_NE(open_end.output.find("576 decisions, 1728 symbol-bars"), std::string::npos) << open_end.output;
}

TEST_F(CliWorkflowTest, AnUnknownTimeFormIsRefusedWithTheAcceptedOnes) {
  const CommandResult bad = run_winiswin("backtest --synthetic-count 2 --days 2 --from 02/01/2026 --out " + directory_.string());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.output.rfind("winiswin: error: '02/01/2026' is not a time; accepted: 2026-02-20T12:00:00Z", 0), 0u) << bad.output;
  EXPECT_NE(bad.output.find("epoch ms"), std::string::npos) << bad.output;

  const CommandResult range = run_winiswin("backtest --synthetic-count 2 --days 2 --timerange 2026-01-01 --out " + directory_.string());
  EXPECT_EQ(range.exit_code, 1);
  EXPECT_NE(range.output.find("--timerange '2026-01-01'"), std::string::npos) << range.output;

  const CommandResult both = run_winiswin("backtest --timerange 20260101- --from 2026-01-01 --out " + directory_.string());
  EXPECT_NE(both.exit_code, 0);
  EXPECT_NE(both.output.find("excludes"), std::string::npos) << both.output;
}

// The shared funding history rewritten as Binance's data site publishes it (one file per
// month, calc_time,funding_interval_hours,last_funding_rate): the backtest pays the same.
TEST_F(CliWorkflowTest, BinancesMonthlyFundingFilesGiveTheSameBacktest) {
  WINISWIN_SHARED_FILE(folder, "data/klines/futures_um_ohlcv_only");
  WINISWIN_SHARED_FILE(info, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  WINISWIN_SHARED_FILE(funding, "data/funding");
  const auto monthly = directory_ / "funding";
  std::filesystem::create_directories(monthly);
  for (const char* symbol : {"BTCUSDT", "ETHUSDT"}) {
    std::ifstream original(funding / (std::string(symbol) + "-fundingRate-2025-09_10.csv"));
    std::map<std::string, std::ofstream> months;
    std::string line;
    std::getline(original, line);  // funding_time,funding_rate
    while (std::getline(original, line)) {
      const std::string time = line.substr(0, line.find(','));
      const std::string month = std::stoll(time) < 1'759'276'800'000 ? "2025-09" : "2025-10";  // 2025-10-01 00:00 UTC
      auto [file, added] = months.try_emplace(month, monthly / (std::string(symbol) + "-fundingRate-" + month + ".csv"));
      if (added) file->second << "calc_time,funding_interval_hours,last_funding_rate\n";
      file->second << time << ",8," << line.substr(line.find(',') + 1) << "\n";
    }
  }
  const std::string common = "--log-level warn backtest --data " + folder.string() + " --exchange-info " + info.string() +
                             " --from 2025-10-01 --to 2025-10-15 ";
  const CommandResult original = run_winiswin(common + "--funding " + funding.string() + " --out " + (directory_ / "a").string());
  ASSERT_EQ(original.exit_code, 0) << original.output;
  const CommandResult binance = run_winiswin(common + "--funding " + monthly.string() + " --out " + (directory_ / "b").string());
  ASSERT_EQ(binance.exit_code, 0) << binance.output;
  const std::string metrics = file_text(directory_ / "a" / "metrics.json");
  ASSERT_NE(metrics.find("funding"), std::string::npos) << metrics;
  EXPECT_EQ(metrics, file_text(directory_ / "b" / "metrics.json"));
  EXPECT_EQ(file_text(directory_ / "a" / "trades.csv"), file_text(directory_ / "b" / "trades.csv"));
  // And differs from the default rate, so the files were read.
  const CommandResult flat = run_winiswin(common + "--out " + (directory_ / "c").string());
  ASSERT_EQ(flat.exit_code, 0) << flat.output;
  EXPECT_NE(metrics, file_text(directory_ / "c" / "metrics.json"));
}

// A folder as a user fills it: every file the backtest does not use is named with the reason.
TEST_F(CliWorkflowTest, TheBacktestNamesEveryFileItLeavesOut) {
  WINISWIN_SHARED_FILE(folder, "data/klines/futures_um_ohlcv_only");
  WINISWIN_SHARED_FILE(info, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  for (const char* name : {"BTCUSDT-5m-2025-09_10.csv.gz", "ETHUSDT-5m-2025-09_10.csv.gz", "BTCUSDT-1h-2025-09_10.csv.gz"}) {
    std::filesystem::copy_file(folder / name, directory_ / name);
  }
  std::ofstream(directory_ / "XRPUSDT-5m-2025-10.csv") << "open_time,open,high,low,close,volume\n";
  std::ofstream(directory_ / "solana.csv") << "1759276800000,1,1,1,1,1\n";
  std::ofstream(directory_ / "ADAUSDT-1h-2025-10.csv") << "1759276800000,1,1,1,1,1\n";
  const CommandResult result = run_winiswin("--log-level warn backtest --data " + directory_.string() + " --exchange-info " +
                                            info.string() + " --from 2025-10-01 --to 2025-10-02 --out " + (directory_ / "out").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("backtest: 2 symbols"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("XRPUSDT-5m-2025-10.csv: left out: no bars in it"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("solana.csv: left out: the name says no symbol and interval"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("ADAUSDT-1h-2025-10.csv: left out: ADAUSDT has no 1m or 5m files"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("BTCUSDT-1h"), std::string::npos) << "a coarser file beside a symbol's finest is not news";
}

TEST_F(CliWorkflowTest, VersionNamesTheReleaseAndCommit) {
  const CommandResult version = run_winiswin("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.output.rfind("winiswin 0.1.0 (git ", 0), 0u) << version.output;
}

// A typo gets "unknown command" or "unknown option" with the nearest name, in one line.
TEST_F(CliWorkflowTest, ATypoIsNamedWithTheNearestCommandOrOption) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bactest", "unknown command 'bactest' (did you mean 'winiswin backtest'?)"},
      {"--log-level warn data infoo x", "unknown command 'infoo' (did you mean 'winiswin data info'?)"},
      {"xyzzy", "unknown command 'xyzzy'; 'winiswin --help' lists the commands"},
      {"backtest --form 2026-01-01", "unknown option '--form' for winiswin backtest (did you mean '--from'?)"},
      {"backtest --synthetic-count 2 --log-levl warn", "unknown option '--log-levl' for winiswin backtest (did you mean '--log-level'?)"},
      {"backtest --threads many", "Could not convert: --threads = many"},
      {"", "A subcommand is required"},
  };
  for (const auto& [arguments, expected] : cases) {
    const CommandResult result = run_winiswin(arguments);
    EXPECT_EQ(result.exit_code, 1) << arguments;
    EXPECT_EQ(result.output.rfind("winiswin: error: " + expected, 0), 0u) << arguments << "\n" << result.output;
    EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
  }
}

// --log-level and --config are accepted after the command as well as before it.
TEST_F(CliWorkflowTest, GlobalOptionsAfterTheCommand) {
  std::ofstream(directory_ / "two.toml") << "[synthetic]\nsymbols = 2\ndays = 1\n";
  const CommandResult result = run_winiswin("backtest --config " + (directory_ / "two.toml").string() + " --log-level=warn --out " +
                                            (directory_ / "out").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("backtest: 2 symbols, 287 decisions"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("[info]"), std::string::npos) << "the log level applies: " << result.output;
}

// Mistakes in what the user typed are errors that say what to do, never "internal error";
// the output folder is checked before anything is loaded.
TEST_F(CliWorkflowTest, UserErrorsAreNeverInternal) {
  std::ofstream(directory_ / "a-file") << "x";
  std::filesystem::create_directories(directory_ / "bars");
  std::ofstream(directory_ / "bars" / "BTCUSDT-5m-2025-10.csv") << "1759276800000,1,1,1,1,1\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"backtest --synthetic-count 0 --out " + directory_.string(), "--synthetic-count must be at least 1 (got 0)"},
      {"backtest --days -3 --out " + directory_.string(), "--days must be at least 1 (got -3)"},
      {"backtest --threads 0 --out " + directory_.string(), "--threads must be at least 1"},
      {"venue --synthetic-count 0", "--synthetic-count must be at least 1"},
      {"backtest --out " + (directory_ / "a-file" / "out").string(), "--out " + (directory_ / "a-file" / "out").string() + ": cannot create this folder"},
      {"backtest --data " + directory_.string() + " --out " + (directory_ / "o").string(),
       directory_.string() + ": no 1m or 5m kline files (named like BTCUSDT-1m-2026-02.csv.gz)"},
      {"backtest --data " + (directory_ / "bars").string() + " --exchange-info " + (directory_ / "none.json").string() + " --out " + (directory_ / "o").string(),
       "--exchange-info: " + (directory_ / "none.json").string() + ": cannot open"},
  };
  for (const auto& [arguments, expected] : cases) {
    const CommandResult result = run_winiswin("--log-level warn " + arguments);
    EXPECT_EQ(result.exit_code, 1) << arguments;
    EXPECT_EQ(result.output.rfind("winiswin: error: " + expected, 0), 0u) << arguments << "\n" << result.output;
    EXPECT_EQ(result.output.find("internal error"), std::string::npos) << result.output;
  }
  if (::geteuid() != 0) {  // root writes anywhere
    const auto locked = directory_ / "locked";
    std::filesystem::create_directories(locked);
    std::filesystem::permissions(locked, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    const CommandResult result = run_winiswin("--log-level warn backtest --synthetic-count 2 --days 1 --out " + locked.string());
    EXPECT_EQ(result.output.rfind("winiswin: error: --out " + locked.string() + ": cannot write in this folder", 0), 0u) << result.output;
    std::filesystem::permissions(locked, std::filesystem::perms::owner_all);
  }
}

// One name for one thing: signals takes the folder as --data, like backtest (--input still
// works), and without instruments takes the shipped ones, naming the flag that gives others.
TEST_F(CliWorkflowTest, SignalsTakeTheFolderAsData) {
  WINISWIN_SHARED_FILE(folder, "data/klines/futures_um_ohlcv_only");
  WINISWIN_SHARED_FILE(info, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  const std::string rest = " --exchange-info " + info.string() + " --at 2025-10-09T12:00:00Z";
  const CommandResult data = run_winiswin("--log-level warn signals --data " + folder.string() + rest);
  ASSERT_EQ(data.exit_code, 0) << data.output;
  EXPECT_NE(data.output.find("BTCUSDT"), std::string::npos) << data.output;
  EXPECT_EQ(data.output, run_winiswin("--log-level warn signals --input " + folder.string() + rest).output);
  const CommandResult no_info = run_winiswin("signals --data " + folder.string() + " --at 2025-10-09T12:00:00Z");
  EXPECT_EQ(no_info.exit_code, 0) << no_info.output;
  EXPECT_NE(no_info.output.find("using the copy shipped with winiswin"), std::string::npos) << no_info.output;
  EXPECT_NE(no_info.output.find("pass --exchange-info FILE (winiswin exchange-info --out FILE saves"), std::string::npos) << no_info.output;
}

// Without --out each run keeps its own folder, named by its UTC start, and backtest/latest
// names the last one written; --out writes exactly there and leaves both alone.
TEST_F(CliWorkflowTest, EachRunWithoutOutKeepsItsOwnFolderAndLatestNamesTheLast) {
  const std::string in_directory = "cd " + directory_.string() + " &&";
  const std::string market = "--log-level warn backtest --synthetic-count 2 --days 1";
  const auto run_folders = [&] {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(directory_ / "backtest")) {
      if (!entry.is_symlink()) names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  };
  const CommandResult first = run_winiswin(market, in_directory);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const std::vector<std::string> after_first = run_folders();
  ASSERT_EQ(after_first.size(), 1u);
  const std::regex stamp(R"(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-\d+)?)");  // sortable, no ':'
  EXPECT_TRUE(std::regex_match(after_first.front(), stamp)) << after_first.front();
  EXPECT_EQ(std::filesystem::read_symlink(directory_ / "backtest" / "latest"), after_first.front());

  const CommandResult second = run_winiswin(market, in_directory);  // the same second, often: a folder of its own still
  ASSERT_EQ(second.exit_code, 0) << second.output;
  const std::vector<std::string> after_second = run_folders();
  ASSERT_EQ(after_second.size(), 2u);
  const std::string second_folder = after_second.front() == after_first.front() ? after_second.back() : after_second.front();
  EXPECT_TRUE(std::regex_match(second_folder, stamp)) << second_folder;
  EXPECT_EQ(std::filesystem::read_symlink(directory_ / "backtest" / "latest"), second_folder) << "relative, to the last run";
  EXPECT_NE(second.output.find("outputs: backtest/" + second_folder + "/"), std::string::npos) << second.output;
  const std::string equity = file_text(directory_ / "backtest" / after_first.front() / "equity.csv");
  EXPECT_GT(equity.size(), 1000u);
  EXPECT_EQ(equity, file_text(directory_ / "backtest" / "latest" / "equity.csv"));
  for (const auto& entry : std::filesystem::directory_iterator(directory_ / "backtest")) {
    EXPECT_NE(entry.path().filename().string().rfind(".latest", 0), 0u) << "the temporary link was renamed: " << entry.path();
  }

  const CommandResult given = run_winiswin(market + " --out given", in_directory);
  ASSERT_EQ(given.exit_code, 0) << given.output;
  EXPECT_EQ(file_text(directory_ / "given" / "equity.csv"), equity);
  EXPECT_EQ(run_folders().size(), 2u) << "--out makes no run folder";
  EXPECT_EQ(std::filesystem::read_symlink(directory_ / "backtest" / "latest"), second_folder) << "--out leaves latest alone";
}

// A folder without exchangeInfo backtests on the copy shipped with winiswin, saying so once with
// its day and the flag; the copy is the capture's own filters (the same run as with the
// capture given); a symbol it lacks is an error naming the symbol and the flag.
TEST_F(CliWorkflowTest, AFolderWithoutExchangeInfoUsesTheShippedCopyWithAWarning) {
  WINISWIN_SHARED_FILE(folder, "data/klines/futures_um_ohlcv_only");
  WINISWIN_SHARED_FILE(info, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  const std::filesystem::path data = directory_ / "data";
  std::filesystem::create_directories(data);
  for (const char* name : {"BTCUSDT-5m-2025-09_10.csv.gz", "ETHUSDT-5m-2025-09_10.csv.gz"}) {
    std::filesystem::copy_file(folder / name, data / name);
  }
  const std::string run = "--log-level warn backtest --data " + data.string() + " --from 2025-10-01 --to 2025-10-15 ";
  const CommandResult shipped = run_winiswin(run + "--out " + (directory_ / "shipped").string());
  ASSERT_EQ(shipped.exit_code, 0) << shipped.output;
  const std::string warning = "using the copy shipped with winiswin, Binance's of 2025-12-24";
  const std::size_t warned = shipped.output.find(warning);
  ASSERT_NE(warned, std::string::npos) << shipped.output;
  EXPECT_EQ(shipped.output.find(warning, warned + 1), std::string::npos) << "once: " << shipped.output;
  EXPECT_NE(shipped.output.find("may differ from the data's period — pass --exchange-info FILE"), std::string::npos) << shipped.output;

  const CommandResult given = run_winiswin(run + "--exchange-info " + info.string() + " --out " + (directory_ / "given").string());
  ASSERT_EQ(given.exit_code, 0) << given.output;
  EXPECT_EQ(given.output.find(warning), std::string::npos) << given.output;
  EXPECT_GT(file_text(directory_ / "given" / "equity.csv").size(), 1000u);
  for (const char* name : {"trades.csv", "virtual.csv", "equity.csv", "refusals.csv", "orders.csv", "metrics.json"}) {
    EXPECT_EQ(file_text(directory_ / "shipped" / name), file_text(directory_ / "given" / name)) << name;
  }

  std::filesystem::copy_file(folder / "BTCUSDT-5m-2025-09_10.csv.gz", data / "ZZZUSDT-5m-2025-09_10.csv.gz");
  const CommandResult unknown = run_winiswin(run + "--out " + (directory_ / "unknown").string());
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
  EXPECT_NE(unknown.output.find("winiswin: error: ZZZUSDT: not in the exchangeInfo shipped with winiswin (2025-12-24"), std::string::npos)
      << unknown.output;
  EXPECT_NE(unknown.output.find("pass --exchange-info FILE listing it"), std::string::npos) << unknown.output;
  EXPECT_EQ(unknown.output.find("internal error"), std::string::npos) << unknown.output;
}

// A folder of 1m files with one symbol in 5m only: every symbol is backtested at its finest
// (the walk is 1m; the 5m symbol's bar is met at its open minute), streamed or preloaded alike.
TEST_F(CliWorkflowTest, AFiveMinuteSymbolInAOneMinuteFolderIsBacktestedToo) {
  WINISWIN_SHARED_FILE(minutes, "data/klines/futures_um/1m");
  WINISWIN_SHARED_FILE(fives, "data/klines/futures_um_ohlcv_only");
  for (const char* name : {"FILUSDT-1m-2025-09.csv.gz", "NEARUSDT-1m-2025-09.csv.gz"}) std::filesystem::copy_file(minutes / name, directory_ / name);
  std::filesystem::copy_file(fives / "BTCUSDT-5m-2025-09_10.csv.gz", directory_ / "BTCUSDT-5m-2025-09_10.csv.gz");
  const std::string run = "--log-level warn backtest --data " + directory_.string() + " --from 2025-09-10 --to 2025-09-25 ";
  const CommandResult streamed = run_winiswin(run + "--out " + (directory_ / "streamed").string());
  ASSERT_EQ(streamed.exit_code, 0) << streamed.output;
  EXPECT_NE(streamed.output.find("backtest: 3 symbols"), std::string::npos) << streamed.output;
  EXPECT_EQ(streamed.output.find("left out"), std::string::npos) << streamed.output;
  const std::string virtuals = file_text(directory_ / "streamed" / "virtual.csv") + file_text(directory_ / "streamed" / "trades.csv");
  for (const char* symbol : {"\nBTCUSDT,", "\nFILUSDT,", "\nNEARUSDT,"}) {
    EXPECT_NE(virtuals.find(symbol), std::string::npos) << symbol << " traded, for real or virtually";
  }
  const std::string equity = file_text(directory_ / "streamed" / "equity.csv");
  EXPECT_EQ(equity.rfind("\n2025-09-25 00:00:00,") + 1, equity.rfind('\n', equity.size() - 2) + 1) << "the last close marks the end";

  const CommandResult preloaded = run_winiswin(run + "--preload --out " + (directory_ / "preloaded").string());
  ASSERT_EQ(preloaded.exit_code, 0) << preloaded.output;
  for (const char* name : {"trades.csv", "virtual.csv", "equity.csv", "refusals.csv", "metrics.json"}) {
    EXPECT_EQ(file_text(directory_ / "streamed" / name), file_text(directory_ / "preloaded" / name)) << name;
  }
}

}  // namespace
}  // namespace winiswin
