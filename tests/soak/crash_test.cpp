// The crash test: live trading against the loopback venue, killed with SIGKILL at random
// moments — between an entry's fill and its protection among them — and started again, many
// times. After every restart (its start-up reconciliation done and one decision made) every
// open position has exactly one stop and at most one take-profit at the venue, and no client
// id is open twice. `make soak` runs it (WINISWIN_SOAK_CYCLES, default 20); `make test` does not.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "net/http_client.h"
#include "support/child_process.h"
#include "support/loopback_venue_process.h"
#include "support/exchange_clock.h"
#include "venue/binance/binance_venue.h"

namespace winiswin {
namespace {

constexpr const char* kKey = "SoakKey0123456789abcdef";
constexpr const char* kSecret = "soak-secret-0123456789";

int run_to_end(const std::string& command, std::string& output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::array<char, 4096> buffer{};
  output.clear();
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  return WEXITSTATUS(pclose(pipe));
}

TEST(CrashTest, KilledAtRandomAndStartedAgainEveryPositionKeepsExactlyOneStop) {
  const int cycles = std::getenv("WINISWIN_SOAK_CYCLES") ? std::atoi(std::getenv("WINISWIN_SOAK_CYCLES")) : 20;
  const std::vector<std::string> keys{fmt::format("BINANCE_API_KEY={}", kKey), fmt::format("BINANCE_API_SECRET={}", kSecret)};
  testing::LoopbackVenueProcess venue({"--synthetic-count", "8", "--days", "12", "--history-days", "4", "--speed", "1200"}, keys);
  ASSERT_FALSE(venue.url().empty()) << "the venue did not start";
  const std::string url = venue.url();
  const auto folder = std::filesystem::temp_directory_path() / fmt::format("winiswin_soak_{}", ::getpid());
  std::filesystem::create_directories(folder);
  const std::string journal = (folder / "live.sqlite").string();
  const std::vector<std::string> engine{WINISWIN_BINARY, "--log-level", "warn", "run", "--mode", "live", "--venue-url", url, "--symbols", "8",
                                        "--journal", journal};
  const std::string restart = fmt::format("env BINANCE_API_KEY={} BINANCE_API_SECRET={} {} --log-level info run --mode live --venue-url {} "
                                          "--symbols 8 --journal {} --max-decisions 1",
                                          kKey, kSecret, WINISWIN_BINARY, url, journal);
  net::HttpClient http;
  testing::WallClock clock;
  binance::RestClient rest(http, net::parse_url(url).value().endpoint,
                           binance::RequestSigner::create(binance::Credentials{binance::ApiKey(kKey), binance::Secret(kSecret)}).value(), clock);
  binance::BinanceVenue exchange(rest);
  std::mt19937 random(20261201);
  int positions_seen = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    testing::ChildProcess trading(engine, keys);
    // Restarting every second or two spends Binance's request weight fast: a start may wait
    // for the next minute's (the budget waits rather than draw a 429).
    ASSERT_TRUE(trading.first_line(std::chrono::seconds(120)).has_value()) << "cycle " << cycle << ": it did not start";
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 1500)(random)));
    trading.stop(SIGKILL);

    std::string output;
    ASSERT_EQ(run_to_end(restart, output), 0) << "cycle " << cycle << ": the restart refused to trade\n" << output;
    const auto positions = exchange.positions();
    ASSERT_TRUE(positions.ok()) << positions.error().message;
    positions_seen += static_cast<int>(positions->size());
    for (const venue::PositionReport& position : *positions) {
      const auto algos = exchange.open_algo_orders(position.symbol);
      ASSERT_TRUE(algos.ok());
      int stops = 0, targets = 0;
      std::set<std::string> ids;
      for (const venue::AlgoOrderReport& algo : *algos) {
        stops += algo.type == venue::AlgoOrderType::kStopMarket ? 1 : 0;
        targets += algo.type == venue::AlgoOrderType::kTakeProfitMarket ? 1 : 0;
        EXPECT_TRUE(ids.insert(algo.client_algo_id).second) << algo.client_algo_id << " open twice";
      }
      EXPECT_EQ(stops, 1) << "cycle " << cycle << ": " << position.symbol << "\n" << output;
      EXPECT_LE(targets, 1) << "cycle " << cycle << ": " << position.symbol;
    }
  }
  EXPECT_GT(positions_seen, 0) << "the soak never held a position across a crash";
  EXPECT_EQ(venue.stop(SIGTERM), 0);
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace winiswin
