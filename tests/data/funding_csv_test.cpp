#include "data/funding_csv.h"

#include <gtest/gtest.h>

#include <fstream>

#include <zip.h>

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

// data.binance.vision's monthly funding files: calc_time,funding_interval_hours,last_funding_rate.
TEST(FundingCsv, ReadsBinancesMonthlyFilesByColumnName) {
  const std::string binance = "calc_time,funding_interval_hours,last_funding_rate\n1704067200000,8,0.00037409\n1704096000003,8,-0.00001200\n";
  const auto rates = parse_funding_csv(binance, "BTCUSDT-fundingRate-2024-01.csv").value();
  ASSERT_EQ(rates.size(), 2u);
  EXPECT_EQ(to_ms(rates[1].time), 1704096000003);
  EXPECT_EQ(rates[0].rate, Ratio::parse("0.00037409").value());
  EXPECT_EQ(rates[1].rate, Ratio::parse("-0.000012").value());
  // The same columns in another order read the same rates; without a header, three columns are Binance's order.
  EXPECT_EQ(parse_funding_csv("last_funding_rate,calc_time,funding_interval_hours\n0.00037409,1704067200000,8\n"
                              "-0.00001200,1704096000003,8\n", "r.csv").value(), rates);
  EXPECT_EQ(parse_funding_csv("1704067200000,8,0.00037409\n1704096000003,8,-0.000012\n", "h.csv").value(), rates);
  EXPECT_EQ(parse_funding_csv("funding_rate,funding_time\n0.00037409,1704067200000\n", "r.csv").value().front(), rates.front());
}

TEST(FundingCsv, AnUnknownOrMissingColumnIsRefused) {
  const auto unknown = parse_funding_csv("calc_time,interval,last_funding_rate\n1,8,0.1\n", "u.csv");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("u.csv:1: unknown column 'interval'"), std::string::npos) << unknown.error().message;
  EXPECT_NE(parse_funding_csv("calc_time,funding_interval_hours\n1,8\n", "m.csv").error().message.find("no rate"), std::string::npos);
  EXPECT_FALSE(parse_funding_csv("calc_time,funding_time,funding_rate\n1,1,0.1\n", "d.csv").ok());
  EXPECT_NE(parse_funding_csv("1,0,0.1\n", "z.csv").error().message.find("funding_interval_hours '0'"), std::string::npos);
  EXPECT_FALSE(parse_funding_csv("1,8,0.1,4\n", "w.csv").ok());
  EXPECT_FALSE(parse_funding_csv("1,8,0.1\n2,0.2\n", "w.csv").ok());
}

TEST(FundingCsv, AFolderOfBinancesZipsIsRead) {
  const auto folder = std::filesystem::temp_directory_path() / "winiswin_funding_zip_test";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  const std::string csv = "calc_time,funding_interval_hours,last_funding_rate\n1706745600000,8,0.0001\n1706774400000,8,0.0002\n";
  const auto zip_path = folder / "BTCUSDT-fundingRate-2024-02.zip";
  int error_code = 0;
  zip_t* archive = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error_code);
  ASSERT_NE(archive, nullptr);
  zip_source_t* source = zip_source_buffer(archive, csv.data(), csv.size(), 0);
  ASSERT_GE(zip_file_add(archive, "BTCUSDT-fundingRate-2024-02.csv", source, ZIP_FL_OVERWRITE), 0);
  ASSERT_EQ(zip_close(archive), 0);
  std::ofstream(folder / "BTCUSDT-fundingRate-2024-01.csv") << "calc_time,funding_interval_hours,last_funding_rate\n1704067200000,8,0.0003\n";
  const auto by_symbol = load_funding_directory(folder).value();
  ASSERT_EQ(by_symbol.size(), 1u);
  const auto& btc = by_symbol.at("BTCUSDT");
  ASSERT_EQ(btc.size(), 3u);  // January's csv, then February's zip
  EXPECT_EQ(to_ms(btc[0].time), 1704067200000);
  EXPECT_EQ(btc[2].rate, Ratio::parse("0.0002").value());
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace winiswin
