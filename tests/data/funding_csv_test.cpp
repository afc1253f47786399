#include "data/funding_csv.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace winiswin
