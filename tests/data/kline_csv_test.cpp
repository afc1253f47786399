#include "data/kline_csv.h"

#include <gtest/gtest.h>

namespace winiswin {
namespace {

constexpr const char* kFullHeader =
    "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n";
constexpr const char* kFullRows =
    "1769904000000,1.052,1.052,1.049,1.050,83980.8,1769904059999,88212.1647,184,55074.9,57844.5136,0\n"
    "1769904060000,1.051,1.052,1.049,1.052,236702.9,1769904119999,248483.4911,448,115996.9,121803.7638,0\n";

KlineCsvOptions options(std::optional<Interval> interval = Interval::k1m) {
  return KlineCsvOptions{"test.csv", "FILUSDT", interval};
}

std::string parse_error(const std::string& text, std::optional<Interval> interval = Interval::k1m) {
  auto result = parse_kline_csv(text, options(interval));
  EXPECT_FALSE(result.ok()) << "expected an error for:\n" << text;
  return result.ok() ? "" : result.error().message;
}

TEST(KlineCsv, ParsesBinanceDumpWithHeader) {
  const auto series = parse_kline_csv(std::string(kFullHeader) + kFullRows, options()).value();
  ASSERT_EQ(series.bars.size(), 2u);
  EXPECT_EQ(series.fields, KlineFields::kFull);
  EXPECT_EQ(series.symbol, "FILUSDT");
  const Kline& bar = series.bars[1];
  EXPECT_EQ(to_ms(bar.open_time), 1769904060000);
  EXPECT_EQ(bar.open, Price::parse("1.051").value());
  EXPECT_EQ(bar.close, Price::parse("1.052").value());
  EXPECT_EQ(bar.volume, Quantity::parse("236702.9").value());
  EXPECT_EQ(to_ms(bar.close_time), 1769904119999);
  EXPECT_EQ(bar.quote_volume, Notional::parse("248483.4911").value());
  EXPECT_EQ(bar.trades, 448);
  EXPECT_EQ(bar.taker_buy_volume, Quantity::parse("115996.9").value());
  EXPECT_EQ(bar.taker_buy_quote_volume, Notional::parse("121803.7638").value());
}

TEST(KlineCsv, HeaderlessDumpAndCrlfParseTheSame) {
  const auto with_header = parse_kline_csv(std::string(kFullHeader) + kFullRows, options()).value();
  const auto headerless = parse_kline_csv(kFullRows, options()).value();
  std::string crlf;
  for (const char c : std::string_view(kFullRows)) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const auto windows = parse_kline_csv(crlf, options()).value();
  EXPECT_EQ(with_header.bars, headerless.bars);
  EXPECT_EQ(with_header.bars, windows.bars);
}

TEST(KlineCsv, InfersTheIntervalFromCloseTimeOrSpacing) {
  EXPECT_EQ(parse_kline_csv(kFullRows, options(std::nullopt)).value().interval, Interval::k1m);
  const std::string ohlcv = "open_time,open,high,low,close,volume\n"
                            "1758240000000,117017.1,117100.0,117010.8,117043.4,360.735\n"
                            "1758240300000,117043.5,117090.6,117026.0,117047.5,178.95\n";
  const auto series = parse_kline_csv(ohlcv, options(std::nullopt)).value();
  EXPECT_EQ(series.interval, Interval::k5m);
  EXPECT_EQ(series.fields, KlineFields::kOhlcv);
  EXPECT_EQ(to_ms(series.bars[0].close_time), 1758240299999);  // derived, not read
  const std::string single = "open_time,open,high,low,close,volume\n1758240000000,1,1,1,1,0\n";
  EXPECT_NE(parse_error(single, std::nullopt).find("cannot tell the kline interval"), std::string::npos);
}

TEST(KlineCsv, FormatRoundTripsLosslessly) {
  const auto series = parse_kline_csv(std::string(kFullHeader) + kFullRows, options()).value();
  const std::string text = format_kline_csv(series);
  EXPECT_EQ(parse_kline_csv(text, options()).value().bars, series.bars);
  EXPECT_EQ(text.substr(0, std::string(kFullHeader).size()), kFullHeader);
}

TEST(KlineCsv, ErrorsNameFileLineAndColumn) {
  const std::string bad_number = std::string(kFullHeader) +
                                 "1769904000000,1.052,1.052,1.049,1.050,83980.8,1769904059999,88212.1647,184,55074.9,57844.5136,0\n"
                                 "1769904060000,1.051,NaN,1.049,1.052,236702.9,1769904119999,248483.4911,448,115996.9,121803.7638,0\n";
  const std::string message = parse_error(bad_number);
  EXPECT_NE(message.find("test.csv:3:"), std::string::npos) << message;
  EXPECT_NE(message.find("column 3 (high)"), std::string::npos) << message;
  EXPECT_NE(message.find("'NaN'"), std::string::npos) << message;
}

TEST(KlineCsv, RejectsEachKindOfBadRow) {
  const std::string ohlcv_header = "open_time,open,high,low,close,volume\n";
  const auto ohlcv = [&](const std::string& rows) { return ohlcv_header + rows; };
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {ohlcv("1758240000000,-1,1,1,1,1\n"), "prices must be positive"},
      {ohlcv("1758240000000,0,1,1,1,1\n"), "prices must be positive"},
      {ohlcv("1758240000000,1,0.9,0.8,1,1\n"), "OHLC inconsistent"},
      {ohlcv("1758240000000,1,2,1.5,1.2,1\n"), "OHLC inconsistent"},
      {ohlcv("1758240000000,1,1,1,1,-5\n"), "negative volume"},
      {ohlcv("1758240060000,1,1,1,1,1\n1758240000000,1,1,1,1,1\n"), "does not increase"},
      {ohlcv("1758240000000,1,1,1,1,1\n1758240000000,1,1,1,1,1\n"), "does not increase"},
      {ohlcv("1758240000001,1,1,1,1,1\n"), "not aligned"},
      {ohlcv("1758240000000000,1,1,1,1,1\n"), "microseconds"},
      {ohlcv("1758240000000,1,1,1,1\n"), "expected 6 or 12 columns, found 5"},
      {ohlcv("1758240000000,1,1,1,1,1,7\n"), "expected 6 or 12 columns, found 7"},
      {ohlcv("1758240000000,1,1,1,1,1\n\n1758240060000,1,1,1,1,1\n"), "empty line"},
      {ohlcv("1758240000000,1.123456789,2,1,1,1\n"), "more than 8 decimals"},
      {ohlcv("abc,1,1,1,1,1\n"), "not an integer"},
      {"time,o,h,l,c,v\n", "header column 1 'time' is unknown (expected the 6 names open_time,open,high,low,close,volume)"},
      {"open_time,open,high,low,close,close\n", "header column 6 'close' is given twice"},
      {"open_time,open,high,low,close,quote_volume\n", "header column 6 'quote_volume' is unknown"},
      {std::string(kFullHeader) +
           "1769904000000,1.052,1.052,1.049,1.050,83980.8,1769904059998,88212.1647,184,55074.9,57844.5136,0\n",
       "close time"},
      {std::string(kFullHeader) +
           "1769904000000,1.052,1.052,1.049,1.050,83980.8,1769904059999,88212.1647,184,93980.8,57844.5136,0\n",
       "taker buy volume"},
      {std::string(kFullRows) + "1769904120000,1,1,1,1,1\n", "expected 12 columns like the rows before"},
  };
  for (const Case& bad : cases) {
    const std::string message = parse_error(bad.text);
    EXPECT_NE(message.find(bad.expected), std::string::npos) << "got: " << message << "\nfor:\n" << bad.text;
    EXPECT_NE(message.find("test.csv:"), std::string::npos) << message;
  }
}

TEST(KlineCsv, EmptyInputIsAnEmptySeries) {
  const auto series = parse_kline_csv("", options()).value();
  EXPECT_TRUE(series.bars.empty());
}

// A header is read by name: columns in another order give the same bars, never swapped ones.
TEST(KlineCsv, AReorderedHeaderIsReadByName) {
  const std::string binance_order = "open_time,open,high,low,close,volume\n1758240000000,10,12,9,11,5\n1758240060000,11,13,10,12,6\n";
  const std::string reordered = "close,open_time,low,volume,high,open\n11,1758240000000,9,5,12,10\n12,1758240060000,10,6,13,11\n";
  const KlineSeries expected = parse_kline_csv(binance_order, options()).value();
  const KlineSeries read = parse_kline_csv(reordered, options()).value();
  ASSERT_EQ(read.bars.size(), 2u);
  EXPECT_EQ(read.bars, expected.bars);
  EXPECT_EQ(read.bars[0].open, Price::parse("10").value());
  EXPECT_EQ(read.bars[0].close, Price::parse("11").value());
  EXPECT_EQ(read.bars[1].high, Price::parse("13").value());
  // Binance's 12 columns too, with the two volumes exchanged.
  const std::string full = "open_time,open,high,low,close,quote_volume,close_time,volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n"
                           "1758240000000,10,12,9,11,55,1758240059999,5,3,2,20,0\n";
  const KlineSeries full_read = parse_kline_csv(full, options()).value();
  EXPECT_EQ(full_read.bars[0].volume, Quantity::parse("5").value());
  EXPECT_EQ(full_read.bars[0].quote_volume, Notional::parse("55").value());
}

}  // namespace
}  // namespace winiswin
