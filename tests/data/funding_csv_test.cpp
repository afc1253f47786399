#include "data/funding_csv.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/shared_data.h"

namespace winiswin {
namespace {

TEST(FundingCsv, KeepsTimesExactlyAsReported) {
  WINISWIN_SHARED_FILE(path, "data/funding/BTCUSDT-fundingRate-2025-09_10.csv");
  const auto rates = load_funding(path).value();
  ASSERT_EQ(rates.size(), 115u);
  EXPECT_EQ(to_ms(rates[0].time), 1758240000000);
  EXPECT_EQ(rates[0].rate, Ratio::parse("-0.00000231").value());
  EXPECT_EQ(to_ms(rates[1].time), 1758268800005);  // 5 ms past the hour, not snapped
  std::size_t off_the_hour = 0;
  for (const FundingRate& rate : rates) off_the_hour += to_ms(rate.time) % 3'600'000 != 0 ? 1 : 0;
  EXPECT_EQ(off_the_hour, 61u);  // as the data README counts
}

TEST(FundingCsv, BadRowsNameTheLine) {
  EXPECT_NE(parse_funding_csv("funding_time,funding_rate\n1,0.1\n2,abc\n", "f.csv").error().message.find("f.csv:3"),
            std::string::npos);
  EXPECT_FALSE(parse_funding_csv("2,0.1\n1,0.1\n", "f.csv").ok());
  EXPECT_FALSE(parse_funding_csv("1,0.1,3\n", "f.csv").ok());
}

TEST(FundingCsv, AFolderJoinsEachSymbolsFiles) {
  WINISWIN_SHARED_FILE(btc, "data/funding/BTCUSDT-fundingRate-2025-09_10.csv");
  const auto by_symbol = load_funding_directory(btc.parent_path()).value();
  ASSERT_EQ(by_symbol.size(), 2u);
  EXPECT_EQ(by_symbol.at("BTCUSDT"), load_funding(btc).value());
  EXPECT_EQ(by_symbol.at("ETHUSDT").size(), 91u);

  // Two periods overlapping by one event: joined in order, the shared event once.
  const auto folder = std::filesystem::temp_directory_path() / "winiswin_funding_test";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  const auto write = [&](const char* name, const char* text) { std::ofstream(folder / name) << text; };
  write("XUSDT-fundingRate-b.csv", "funding_time,funding_rate\n300,0.3\n400,0.4\n");
  write("XUSDT-fundingRate-a.csv", "funding_time,funding_rate\n100,0.1\n300,0.3\n");
  write("notes.txt", "not funding");
  const auto joined = load_funding_directory(folder).value().at("XUSDT");
  ASSERT_EQ(joined.size(), 3u);
  EXPECT_EQ(to_ms(joined[0].time), 100);
  EXPECT_EQ(to_ms(joined[2].time), 400);
  write("XUSDT-fundingRate-c.csv", "400,0.5\n");  // the same time, another rate
  EXPECT_NE(load_funding_directory(folder).error().message.find("two funding rates"), std::string::npos);
  std::filesystem::remove_all(folder);
  EXPECT_FALSE(load_funding_directory(folder).ok());
}

}  // namespace
}  // namespace winiswin
