// The winiswin binary end to end: exit codes, one-line errors, and the data commands.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "data/kline_file.h"
#include "data/synthetic_market.h"
#include "journal/sqlite_journal.h"
#include "net/http_client.h"
#include "support/child_process.h"
#include "support/loopback_venue_process.h"
#include "support/run_winiswin.h"
#include "support/exchange_clock.h"
#include "venue/binance/binance_venue.h"
#include "support/shared_data.h"

namespace winiswin {
namespace {

using testing::CommandResult;

CommandResult run(const std::string& arguments) { return testing::run_winiswin(arguments); }

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Per process too: two checkouts' suites may run at once on one machine.
    directory_ = std::filesystem::temp_directory_path() /
                 ("winiswin_cli_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
                  std::to_string(::getpid()));
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::filesystem::path directory_;
};

TEST_F(CliTest, HelpListsTheSubcommands) {
  const CommandResult help = run("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("synth"), std::string::npos);
  EXPECT_NE(help.output.find("data"), std::string::npos);
}

TEST_F(CliTest, ErrorsAreOneLineAndNonZero) {
  const CommandResult missing = run("data info " + (directory_ / "nope.csv").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.output.rfind("winiswin: error: ", 0), 0u) << missing.output;
  EXPECT_EQ(std::count(missing.output.begin(), missing.output.end(), '\n'), 1) << missing.output;

  std::ofstream(directory_ / "bad.toml") << "[synthetic]\nsymbolz = 3\n";
  const CommandResult bad_config = run("--config " + (directory_ / "bad.toml").string() + " synth --out " + directory_.string());
  EXPECT_EQ(bad_config.exit_code, 1);
  EXPECT_NE(bad_config.output.find("unknown key 'synthetic.symbolz'"), std::string::npos) << bad_config.output;

  const CommandResult bad_interval = run("data resample x.csv --interval 7m --out y.csv");
  EXPECT_EQ(bad_interval.exit_code, 1);
  EXPECT_NE(bad_interval.output.find("unknown interval '7m'"), std::string::npos);

  std::ofstream(directory_ / "XUSDT-1m-bad.csv") << "1758240000000,1,1,1,1,1\n1758240060000,1,0.5,1,1,1\n";
  const CommandResult bad_row = run("data info " + (directory_ / "XUSDT-1m-bad.csv").string());
  EXPECT_EQ(bad_row.exit_code, 1);
  EXPECT_NE(bad_row.output.find("XUSDT-1m-bad.csv:2: OHLC inconsistent"), std::string::npos) << bad_row.output;
}

TEST_F(CliTest, SynthThenInfoConvertAndResample) {
  const CommandResult synth = run("--log-level warn synth --symbols 3 --days 2 --seed 9 --out " + directory_.string());
  ASSERT_EQ(synth.exit_code, 0) << synth.output;
  EXPECT_TRUE(std::filesystem::exists(directory_ / "BTCUSDT-1m.wkl"));
  EXPECT_TRUE(std::filesystem::exists(directory_ / "exchangeInfo.json"));

  const CommandResult info = run("data info " + directory_.string());
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_NE(info.output.find("3 kline files"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("total: 8640 bars"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("3 tradable USDT perpetuals"), std::string::npos) << info.output;

  const auto csv = directory_ / "BTCUSDT-1m.csv";
  ASSERT_EQ(run("data convert " + (directory_ / "BTCUSDT-1m.wkl").string() + " " + csv.string()).exit_code, 0);
  const auto back = directory_ / "copy" / "BTCUSDT-1m.wkl";
  std::filesystem::create_directories(back.parent_path());
  ASSERT_EQ(run("data convert " + csv.string() + " " + back.string()).exit_code, 0);
  std::ifstream original(directory_ / "BTCUSDT-1m.wkl", std::ios::binary), copy(back, std::ios::binary);
  const std::string original_bytes((std::istreambuf_iterator<char>(original)), {});
  const std::string copy_bytes((std::istreambuf_iterator<char>(copy)), {});
  EXPECT_EQ(original_bytes, copy_bytes);  // store → CSV → store is byte-identical

  const CommandResult resampled = run("data resample " + csv.string() + " --interval 1h --out " + (directory_ / "h.csv").string());
  ASSERT_EQ(resampled.exit_code, 0) << resampled.output;
  EXPECT_NE(resampled.output.find("48 × 1h"), std::string::npos) << resampled.output;
}

// The report's benchmark — the same symbols bought in equal parts and held — is the same
// whether the market is generated as the backtest reads it or read back from `synth`'s files.
TEST_F(CliTest, TheReportsBuyAndHoldIsTheMarketsOwn) {
  const auto benchmark = [](const std::filesystem::path& report) {
    std::ifstream in(report, std::ios::binary);
    const std::string html((std::istreambuf_iterator<char>(in)), {});
    const auto at = html.find("Buy and hold (the same symbols, equal parts)</td><td>");
    return at == std::string::npos ? std::string("none") : html.substr(at + 52, html.find('<', at + 52) - at - 52);
  };
  ASSERT_EQ(run("synth --symbols 3 --days 20 --out " + (directory_ / "market").string()).exit_code, 0);
  const CommandResult generated = run("--log-level warn backtest --synthetic-count 3 --days 20 --out " + (directory_ / "generated").string());
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  const CommandResult files = run("--log-level warn backtest --data " + (directory_ / "market").string() + " --out " + (directory_ / "files").string());
  ASSERT_EQ(files.exit_code, 0) << files.output;
  const std::string from_generated = benchmark(directory_ / "generated" / "report.html");
  EXPECT_NE(from_generated, "none");
  EXPECT_EQ(from_generated, benchmark(directory_ / "files" / "report.html"));
}

TEST_F(CliTest, IndicatorsWritesEveryColumnWithEmptyWarmUp) {
  WINISWIN_SHARED_FILE(input, "data/klines/futures_um_ohlcv_only/BTCUSDT-1h-2025-09_10.csv.gz");
  const auto out = directory_ / "indicators.csv";
  const CommandResult result = run("indicators --input " + input.string() + " --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::ifstream file(out);
  std::string header, first, row;
  std::getline(file, header);
  std::getline(file, first);
  EXPECT_EQ(header.rfind("open_time,ema9,ema20,ema50,ema200,sma20,rsi14,macd,macd_signal,macd_hist,bb_upper", 0), 0u);
  EXPECT_EQ(first, "1758240000000" + std::string(24, ','));  // nothing is known after one bar
  std::size_t rows = 2;
  while (std::getline(file, row)) ++rows;
  EXPECT_EQ(rows, 838u + 1u);
  EXPECT_NE(row.find(",,"), 0u);
  EXPECT_EQ(row.find(",,"), std::string::npos) << "every indicator is warm at the last bar: " << row;

  const CommandResult missing = run("indicators --input " + (directory_ / "none.csv").string() + " --out " + out.string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("none.csv"), std::string::npos);
}

TEST_F(CliTest, StructureWritesOneJsonEventPerLine) {
  WINISWIN_SHARED_FILE(input, "data/klines/futures_um_ohlcv_only/BTCUSDT-1h-2025-09_10.csv.gz");
  const auto out = directory_ / "structure.jsonl";
  const CommandResult result = run("structure --input " + input.string() + " --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::ifstream file(out);
  std::map<std::string, int> kinds;
  std::string line;
  while (std::getline(file, line)) {
    ASSERT_EQ(line.front(), '{');
    ASSERT_EQ(line.back(), '}');
    const auto start = line.find("\"kind\":\"") + 8;
    kinds[line.substr(start, line.find('"', start) - start)]++;
    EXPECT_NE(line.find("\"known_time\":"), std::string::npos);
  }
  for (const char* kind : {"swing", "fvg", "fvg_mitigated", "bos", "order_block", "regime"}) {
    EXPECT_GT(kinds[kind], 0) << kind;
  }
}

TEST_F(CliTest, SignalsRankAndSizeAtAFiveMinuteClose) {
  WINISWIN_SHARED_FILE(folder, "data/klines/futures_um_ohlcv_only");
  WINISWIN_SHARED_FILE(info, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  const CommandResult result = run("signals --input " + folder.string() + " --at \"2025-10-09 12:00\" --exchange-info " +
                                   info.string() + " --features --brackets " +
                                   (testing::shared_root() / "data/rest/freqtrade_binance_leverage_tiers_2024-10.json.gz").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("2 signals at 2025-10-09 12:00:00 UTC by ict_smc"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("#1 "), std::string::npos);
  EXPECT_NE(result.output.find("order: "), std::string::npos);
  EXPECT_NE(result.output.find("market_session="), std::string::npos);

  const CommandResult off_grid = run("signals --input " + folder.string() + " --at \"2025-10-09 12:03\" --exchange-info " + info.string());
  EXPECT_EQ(off_grid.exit_code, 1);
  EXPECT_NE(off_grid.output.find("not a 5m close"), std::string::npos);
  const CommandResult no_info = run("signals --input " + folder.string() + " --at \"2025-10-09 12:00\" --exchange-info " +
                                    (directory_ / "none.json").string());
  EXPECT_EQ(no_info.exit_code, 1);
  EXPECT_NE(no_info.output.find("winiswin: error: --exchange-info: "), std::string::npos) << no_info.output;
  const CommandResult bad_strategy = run("signals --input " + folder.string() + " --at 1760011200000 --strategy nope --exchange-info " + info.string());
  EXPECT_NE(bad_strategy.output.find("unknown strategy 'nope'"), std::string::npos);
}

TEST_F(CliTest, BacktestWritesEveryOutput) {
  const CommandResult result = run("--log-level warn backtest --synthetic-count 6 --days 5 --threads 2 --out " + directory_.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("backtest: 6 symbols, 1439 decisions, 8640 symbol-bars"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("total return"), std::string::npos);
  for (const char* file : {"trades.csv", "virtual.csv", "equity.csv", "transitions.csv", "refusals.csv", "metrics.json", "report.html"}) {
    EXPECT_TRUE(std::filesystem::exists(directory_ / file)) << file;
  }
  std::ifstream metrics(directory_ / "metrics.json");
  const std::string json((std::istreambuf_iterator<char>(metrics)), {});
  for (const char* key : {"\"total_return\"", "\"sharpe\"", "\"max_drawdown\"", "\"profit_factor\"", "\"time_in_state\""}) {
    EXPECT_NE(json.find(key), std::string::npos) << key;
  }
  const CommandResult backwards = run("backtest --synthetic-count 2 --days 2 --from 2026-01-02 --to 2026-01-01 --out " + directory_.string());
  EXPECT_EQ(backwards.exit_code, 1);
  EXPECT_NE(backwards.output.find("--from must be before --to"), std::string::npos);
  const CommandResult unknown_chart = run("backtest --synthetic-count 2 --days 2 --chart NOPEUSDT --out " + directory_.string());
  EXPECT_EQ(unknown_chart.exit_code, 1);
  EXPECT_NE(unknown_chart.output.find("--chart NOPEUSDT: not in this backtest"), std::string::npos) << unknown_chart.output;
}

// --log-level debug says what was placed and what was refused, and why; every refusal is
// also a row of refusals.csv.
TEST_F(CliTest, DebugLogsEveryPlacementAndRefusal) {
  const CommandResult result = run("--log-level debug backtest --synthetic-count 8 --days 4 --out " + directory_.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto count = [&](const std::string& what) {
    std::size_t found = 0;
    for (std::size_t at = result.output.find(what); at != std::string::npos; at = result.output.find(what, at + 1)) ++found;
    return found;
  };
  EXPECT_GT(count(" placed #"), 0u);
  std::ifstream refusals(directory_ / "refusals.csv");
  std::size_t rows = 0;
  for (std::string line; std::getline(refusals, line);) ++rows;
  ASSERT_GT(rows, 1u);
  EXPECT_EQ(count(" refused #"), rows - 1);  // the header aside
}

std::size_t data_lines(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines - 1;  // the header
}

// --journal writes the same rows into the SQLite journal as into the CSV files.
TEST_F(CliTest, BacktestJournalHoldsTheSameRowsAsTheFiles) {
  const std::filesystem::path journal_file = directory_ / "run.sqlite";
  const CommandResult result = run("--log-level warn backtest --synthetic-count 10 --days 4 --journal " + journal_file.string() +
                                   " --out " + directory_.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto journal = journal::SqliteJournal::open(journal_file).value();
  const auto trades = journal->trades().value();
  ASSERT_GT(trades.size(), 0u);
  EXPECT_EQ(trades.size(), data_lines(directory_ / "trades.csv"));
  EXPECT_EQ(journal->trades(true).value().size(), data_lines(directory_ / "virtual.csv"));
  EXPECT_EQ(journal->equity_points().value().size(), data_lines(directory_ / "equity.csv"));
  EXPECT_EQ(journal->refusals().value().size(), data_lines(directory_ / "refusals.csv"));
  EXPECT_EQ(journal->orders().value().size(), data_lines(directory_ / "orders.csv"));
  EXPECT_EQ(journal->fills().value().size(), data_lines(directory_ / "fills.csv"));
  // The ML data sets read back from the journal are the backtest's own files, byte for byte.
  const CommandResult exported = run("journal export --journal " + journal_file.string() + " --out " + (directory_ / "ml").string());
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const auto bytes = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(bytes(directory_ / "ml" / "ml_real.csv"), bytes(directory_ / "trades.csv"));
  EXPECT_EQ(bytes(directory_ / "ml" / "ml_virtual.csv"), bytes(directory_ / "virtual.csv"));
  // The report from the journal: the run's own metrics, and a page that names the journal.
  const CommandResult reported = run("journal report --journal " + journal_file.string() + " --out " + (directory_ / "from_journal").string());
  ASSERT_EQ(reported.exit_code, 0) << reported.output;
  EXPECT_EQ(bytes(directory_ / "from_journal" / "metrics.json"), bytes(directory_ / "metrics.json"));
  EXPECT_NE(bytes(directory_ / "from_journal" / "report.html").find("run.sqlite"), std::string::npos);
  EXPECT_EQ(run("journal export --journal " + (directory_ / "none.sqlite").string() + " --out " + directory_.string()).exit_code, 1);

  const CommandResult unwritable = run("--log-level warn backtest --synthetic-count 2 --days 1 --journal " +
                                       (directory_ / "no" / "such" / "j.sqlite").string() + " --out " + directory_.string());
  EXPECT_EQ(unwritable.exit_code, 1);
  EXPECT_NE(unwritable.output.find("cannot open the journal"), std::string::npos) << unwritable.output;
}

// `winiswin venue` prints where it listens first, serves Binance's REST paths, and stops on
// SIGTERM; without its key pair it refuses to start.
TEST_F(CliTest, VenueListensServesAndStopsOnSigterm) {
  testing::ChildProcess venue({WINISWIN_BINARY, "--log-level", "warn", "venue", "--port", "0", "--synthetic-count", "3", "--days", "2"},
                              {"BINANCE_API_KEY=test-key", "BINANCE_API_SECRET=test-secret"});
  ASSERT_TRUE(venue.started());
  const auto line = venue.first_line(std::chrono::seconds(30));
  ASSERT_TRUE(line.has_value());
  ASSERT_EQ(line->rfind("listening on http://127.0.0.1:", 0), 0u) << *line;
  const int port = std::stoi(line->substr(line->rfind(':') + 1));
  net::HttpClient http;
  net::HttpRequest request;
  request.target = "/fapi/v1/exchangeInfo";
  const auto info = http.send(net::Endpoint{net::Scheme::kHttp, "127.0.0.1", static_cast<std::uint16_t>(port)}, request);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->status, 200);
  EXPECT_NE(info->body.find("\"orderTypes\""), std::string::npos);
  EXPECT_EQ(venue.stop(SIGTERM), 0);

  if (std::getenv("BINANCE_API_KEY") || std::getenv("BINANCE_API_SECRET")) return;  // keys here: it would start
  const CommandResult keyless = run("venue --port 0 --synthetic-count 2 --days 1");
  EXPECT_EQ(keyless.exit_code, 1);
  EXPECT_NE(keyless.output.find("BINANCE_API_KEY and BINANCE_API_SECRET"), std::string::npos) << keyless.output;
}

// `data fetch` against the loopback venue writes the bars it served — the synthetic market's
// own, exactly — into monthly files that a second fetch only extends and the backtest reads.
TEST_F(CliTest, DataFetchFromTheVenueWritesTheBarsItServed) {
  testing::LoopbackVenueProcess venue({"--synthetic-count", "3", "--days", "3", "--as-recorded"},
                                      {"BINANCE_API_KEY=test-key", "BINANCE_API_SECRET=test-secret"});
  ASSERT_FALSE(venue.url().empty()) << "the venue did not start";
  const std::string url = venue.url();
  const std::filesystem::path out = directory_ / "fetched";
  const CommandResult first = run(fmt::format("data fetch --venue-url {} --symbols SYN001USDT --from 2026-01-01 --to \"2026-01-01 10:00\" --out {}", url, out.string()));
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const CommandResult more = run(fmt::format("data fetch --venue-url {} --symbols SYN001USDT --from 2026-01-01 --to \"2026-01-01 20:00\" --out {}", url, out.string()));
  ASSERT_EQ(more.exit_code, 0) << more.output;
  EXPECT_NE(more.output.find("1200 bars (600 new)"), std::string::npos) << more.output;  // only what the file lacked
  ASSERT_EQ(run(fmt::format("exchange-info --venue-url {} --out {}", url, (out / "exchangeInfo.json").string())).exit_code, 0);
  EXPECT_EQ(venue.stop(SIGTERM), 0);

  SyntheticMarketConfig config;  // what `winiswin venue --synthetic-count 3 --days 3` replays
  config.symbols = 3;
  config.days = 3;
  const SyntheticMarket market(config);
  const KlineSeries served = market.generate(1);
  const KlineSeries saved = load_klines(out / "SYN001USDT-1m-2026-01.csv").value();
  ASSERT_EQ(saved.bars.size(), 1200u);
  for (std::size_t idx = 0; idx < saved.bars.size(); ++idx) {
    const Kline& a = saved.bars[idx];
    const Kline& b = served.bars[idx];
    ASSERT_TRUE(a.open_time == b.open_time && a.open == b.open && a.high == b.high && a.low == b.low && a.close == b.close &&
                a.volume == b.volume)
        << idx;
  }
  const CommandResult backtest = run("--log-level warn backtest --data " + out.string() + " --out " + (directory_ / "bt").string());
  EXPECT_EQ(backtest.exit_code, 0) << backtest.output;
  EXPECT_NE(backtest.output.find("backtest: 1 symbols"), std::string::npos) << backtest.output;
}

// `winiswin run --mode paper` against the loopback venue: the universe and history from the
// venue, its live 5m streams, simulated fills, every decision in the journal.
TEST_F(CliTest, PaperTradingAgainstTheLoopbackVenue) {
  testing::LoopbackVenueProcess venue({"--synthetic-count", "6", "--days", "6", "--history-days", "4", "--speed", "3000"},
                                      {"BINANCE_API_KEY=test-key", "BINANCE_API_SECRET=test-secret"});
  ASSERT_FALSE(venue.url().empty()) << "the venue did not start";
  const std::string url = venue.url();
  const std::filesystem::path journal_file = directory_ / "paper.sqlite";
  const CommandResult paper = run(fmt::format("--log-level warn run --mode paper --venue-url {} --symbols 6 --max-decisions 40 --journal {}",
                                              url, journal_file.string()));
  ASSERT_EQ(paper.exit_code, 0) << paper.output;
  EXPECT_NE(paper.output.find("paper: stopped after 40 decisions"), std::string::npos) << paper.output;
  EXPECT_EQ(venue.stop(SIGTERM), 0);
  const auto journal = journal::SqliteJournal::open(journal_file).value();
  const auto marks = journal->equity_points().value();
  ASSERT_EQ(marks.size(), 40u);  // one mark per decision, 5 minutes apart
  for (std::size_t idx = 1; idx < marks.size(); ++idx) EXPECT_EQ(marks[idx].time - marks[idx - 1].time, Milliseconds{300'000});
  EXPECT_GT(journal->refusals().value().size() + journal->orders().value().size(), 0u);  // it ranked and decided
}

// `winiswin run --mode live` against the loopback venue: real orders through the Binance
// client, then a restart after a stop was canceled by hand — the start-up reconciliation puts
// it back — and the key pair in no output or file.
TEST_F(CliTest, LiveTradingAgainstTheLoopbackVenueSurvivesARestart) {
  const std::string secret = "planted-secret-0123456789";
  const std::vector<std::string> keys{"BINANCE_API_KEY=LiveKeyAbcdef0123456789", "BINANCE_API_SECRET=" + secret};
  testing::LoopbackVenueProcess venue({"--synthetic-count", "8", "--days", "6", "--history-days", "4", "--speed", "3000"}, keys);
  ASSERT_FALSE(venue.url().empty()) << "the venue did not start";
  const std::string url = venue.url();
  const std::filesystem::path journal_file = directory_ / "live.sqlite";
  const std::string environment = fmt::format("env BINANCE_API_KEY=LiveKeyAbcdef0123456789 BINANCE_API_SECRET={}", secret);
  const std::string command = fmt::format("--log-level info run --mode live --venue-url {} --symbols 8 --journal {}", url, journal_file.string());
  const auto run_raw = [&](const std::string& arguments) { return testing::run_winiswin(arguments, environment); };
  const CommandResult first = run_raw(command + " --max-decisions 40");
  ASSERT_EQ(first.exit_code, 0) << first.output;

  // By hand, while it is down: every stop at the venue canceled.
  net::HttpClient http;
  testing::WallClock clock;
  binance::RestClient rest(http, net::parse_url(url).value().endpoint,
                           binance::RequestSigner::create(binance::Credentials{binance::ApiKey("LiveKeyAbcdef0123456789"), binance::Secret(secret)}).value(),
                           clock);
  binance::BinanceVenue exchange(rest);
  const auto positions = exchange.positions().value();
  for (const auto& position : positions) {
    const auto algos = exchange.open_algo_orders(position.symbol);
    ASSERT_TRUE(algos.ok());
    for (const auto& algo : *algos) {
      if (algo.type == venue::AlgoOrderType::kStopMarket) {
        ASSERT_TRUE(exchange.cancel_algo(algo.symbol, algo.client_algo_id).ok());
      }
    }
  }
  const CommandResult second = run_raw(command + " --max-decisions 3");
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_EQ(venue.stop(SIGTERM), 0);
  ASSERT_FALSE(positions.empty()) << "the test needs positions open between the two runs";
  EXPECT_NE(second.output.find("its stop is missing at the venue"), std::string::npos) << second.output;

  const auto journal = journal::SqliteJournal::open(journal_file).value();
  EXPECT_EQ(journal->equity_points().value().size(), 43u);
  EXPECT_FALSE(journal->orders().value().empty());  // it traded for real
  std::ifstream file(journal_file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), {});
  for (const std::string& output : {first.output, second.output, bytes}) EXPECT_EQ(output.find(secret), std::string::npos);
  EXPECT_EQ(run("run --mode live --venue-url " + url).exit_code, 1);  // no keys: says so, sends nothing
}

// The [sim] and [backtest] sections reach the run: free trading costs nothing in fees, and
// no virtual position ranks beyond `virtual_through`.
TEST_F(CliTest, BacktestTakesTheSimulatedExchangeFromTheConfig) {
  const auto fees = [](const std::string& output) {
    const auto at = output.find("fees / funding");
    return at == std::string::npos ? -1.0 : std::stod(output.substr(at + 14));
  };
  const auto highest_virtual_rank = [&] {
    std::ifstream file(directory_ / "virtual.csv");
    std::string line;
    std::getline(file, line);  // header: symbol,side,virtual,rank,…
    int highest = 0;
    while (std::getline(file, line)) {
      std::size_t field = 0;
      for (int comma = 0; comma < 3; ++comma) field = line.find(',', field) + 1;
      highest = std::max(highest, std::stoi(line.substr(field)));
    }
    return highest;
  };
  const std::string backtest = " backtest --synthetic-count 30 --days 4 --out " + directory_.string();
  const CommandResult defaults = run("--log-level warn" + backtest);
  ASSERT_EQ(defaults.exit_code, 0) << defaults.output;
  EXPECT_GT(fees(defaults.output), 0.0) << defaults.output;
  EXPECT_GT(highest_virtual_rank(), 4);
  std::ofstream(directory_ / "free.toml") << "[sim]\nmaker_fee = \"0\"\ntaker_fee = \"0\"\n[backtest]\nvirtual_through = 4\n";
  const CommandResult result = run("--log-level warn --config " + (directory_ / "free.toml").string() + backtest);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(fees(result.output), 0.0) << result.output;
  EXPECT_EQ(highest_virtual_rank(), 4);
}

TEST_F(CliTest, BacktestChartsTheSymbolsAskedFor) {
  const CommandResult result =
      run("--log-level warn backtest --synthetic-count 4 --days 2 --chart SYN002USDT BTCUSDT --out " + directory_.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::ifstream report(directory_ / "report.html");
  const std::string html((std::istreambuf_iterator<char>(report)), {});
  EXPECT_NE(html.find("<option>SYN002USDT</option><option>BTCUSDT</option></select>"), std::string::npos);
}

// Real BTC and ETH 5m bars (the finest in that folder) with Binance's funding history.
TEST_F(CliTest, BacktestOnRealFiveMinuteBarsWithFunding) {
  WINISWIN_SHARED_FILE(folder, "data/klines/futures_um_ohlcv_only");
  WINISWIN_SHARED_FILE(info, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  WINISWIN_SHARED_FILE(funding, "data/funding/BTCUSDT-fundingRate-2025-09_10.csv");
  const CommandResult result = run("--log-level warn backtest --data " + folder.string() + " --exchange-info " + info.string() +
                                   " --funding " + funding.parent_path().string() + " --from 2025-10-01 --to 2025-10-15 --out " +
                                   directory_.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // 14 days × 288 closes decided from the window's first; scored: those of 2 symbols and the
  // warm-up before them (BTC: engine::kWarmupHours = 200 h, 2,400 bars; ETH: its 4 days from
  // its first bar on 27 September, 1,152 bars).
  EXPECT_NE(result.output.find("backtest: 2 symbols, 4032 decisions, 11616 symbol-bars (5m)"), std::string::npos) << result.output;
  const CommandResult unaligned = run("backtest --data " + folder.string() + " --exchange-info " + info.string() +
                                      " --from \"2025-10-01 00:03\" --out " + directory_.string());
  EXPECT_EQ(unaligned.exit_code, 1);
  EXPECT_NE(unaligned.output.find("5m bar boundaries"), std::string::npos) << unaligned.output;
}

TEST_F(CliTest, InfoOnRealDataFolder) {
  WINISWIN_SHARED_FILE(folder, "data/klines/futures_um_ohlcv_only");
  const CommandResult info = run("data info " + folder.string());
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_NE(info.output.find("BTCUSDT"), std::string::npos);
  EXPECT_NE(info.output.find("11123"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("0 gaps"), std::string::npos) << info.output;
}

// Monthly files of two symbols with a month missing between two of each: `data info` joins a
// symbol's files and reports the holes between them. FILUSDT June, August, September 2023:
// July is missing, 31 d × 1440 = 44,640 bars, between 06-30 23:59 and 08-01 00:00, and none
// between August and September; NEARUSDT August and October: September's 30 d = 43,200 bars.
TEST_F(CliTest, InfoReportsGapsBetweenTheFilesOfASymbol) {
  for (const char* name : {"FILUSDT-1m-2023-06", "FILUSDT-1m-2023-08", "FILUSDT-1m-2023-09", "NEARUSDT-1m-2023-08",
                           "NEARUSDT-1m-2023-10"}) {
    WINISWIN_SHARED_FILE(month, std::string("data/klines/futures_um/1m/") + name + ".csv.gz");
    std::filesystem::copy_file(month, directory_ / month.filename());
  }
  const CommandResult info = run("data info " + directory_.string());
  ASSERT_EQ(info.exit_code, 0) << info.output;
  // 43,200 + 44,640 + 43,200 bars over three files; one gap.
  EXPECT_NE(info.output.find("FILUSDT          1m    131040  2023-06-01 00:00:00 → 2023-09-30 23:59:00  3 files, gaps 1 "
                             "(44640 bars, 31.0 d missing)\n"
                             "      gap after 2023-06-30 23:59:00 until 2023-08-01 00:00:00: 44640 bars (31.0 d) missing, "
                             "between files\n"),
            std::string::npos)
      << info.output;
  EXPECT_NE(info.output.find("NEARUSDT         1m     89280  2023-08-01 00:00:00 → 2023-10-31 23:59:00  2 files, gaps 1 "
                             "(43200 bars, 30.0 d missing)\n"
                             "      gap after 2023-08-31 23:59:00 until 2023-10-01 00:00:00: 43200 bars (30.0 d) missing, "
                             "between files\n"),
            std::string::npos)
      << info.output;
  EXPECT_NE(info.output.find("total: 220320 bars in 5 files, 2023-06-01 00:00:00 → 2023-10-31 23:59:00, 2 gaps (2 between files)"),
            std::string::npos)
      << info.output;
}


// `signals` runs the backtest's decision cycle: at the backtest's first decision (a flat
// account of the same equity), it ranks the same symbols with the same trade levels, and
// sizes the real ones to the same quantities.
TEST_F(CliTest, SignalsEqualTheBacktestsDecisionAtTheSameClose) {
  WINISWIN_SHARED_FILE(info, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  const std::filesystem::path data = directory_ / "data";
  std::filesystem::create_directories(data);
  for (const char* symbol : {"ALGOUSDT", "AVAXUSDT", "DOTUSDT", "FILUSDT", "LINKUSDT"}) {
    WINISWIN_SHARED_FILE(month, std::string("data/klines/futures_um/1m/") + symbol + "-1m-2026-02.csv.gz");
    std::filesystem::copy_file(month, data / month.filename());
  }
  const std::string common = " --exchange-info " + info.string();
  const CommandResult backtest = run("--log-level warn backtest --data " + data.string() + common + " --out " + directory_.string());
  ASSERT_EQ(backtest.exit_code, 0) << backtest.output;
  // The first decision's rows: rank → "symbol stop target [quantity]".
  std::map<int, std::string> decided;
  std::string first;
  for (const char* file : {"trades.csv", "virtual.csv"}) {
    std::ifstream rows(directory_ / file);
    std::string line;
    std::getline(rows, line);  // header
    while (std::getline(rows, line)) {
      std::vector<std::string> cells;
      for (std::size_t at = 0, next = 0; next != std::string::npos; at = next + 1) {
        next = line.find(',', at);
        cells.push_back(line.substr(at, next == std::string::npos ? std::string::npos : next - at));
      }
      const std::string& when = cells[5];
      if (first.empty() || when < first) {
        first = when;
        decided.clear();
      }
      if (when != first) continue;
      const bool real = cells[2] == "0";
      decided[std::stoi(cells[3])] = cells[0] + " stop " + cells[11] + "  target " + cells[12] + (real ? " real " + cells[13] : "");
    }
  }
  ASSERT_FALSE(decided.empty());
  const CommandResult signals = run("signals --input " + data.string() + common + " --at \"" + first + "\"");
  ASSERT_EQ(signals.exit_code, 0) << signals.output;
  for (const auto& [rank, row] : decided) {
    const std::string symbol = row.substr(0, row.find(' '));
    const std::size_t at = signals.output.find(fmt::format("#{:<3} {:<12}", rank, symbol));
    ASSERT_NE(at, std::string::npos) << "rank " << rank << " " << symbol << "\n" << signals.output;
    const std::string levels = row.substr(row.find(" stop ") + 1, row.find(" real") == std::string::npos ? std::string::npos
                                                                                                       : row.find(" real") - row.find(" stop ") - 1);
    EXPECT_NE(signals.output.find(levels, at), std::string::npos) << levels << "\n" << signals.output;
    if (const std::size_t real = row.find(" real "); real != std::string::npos) {
      EXPECT_NE(signals.output.find("order: ", at), std::string::npos);
      EXPECT_NE(signals.output.find(" " + row.substr(real + 6) + " × ", at), std::string::npos) << row << "\n" << signals.output;
    }
  }
}

}  // namespace
}  // namespace winiswin
