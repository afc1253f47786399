#include "data/kline_store.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

#include "data/synthetic_market.h"

namespace winiswin {
namespace {

class KlineStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("winiswin_store_test_" + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  static KlineSeries sample(int days = 1) {
    SyntheticMarketConfig config;
    config.symbols = 2;
    config.days = days;
    return SyntheticMarket(config).generate(1);
  }

  std::filesystem::path directory_;
};

void flip_byte(const std::filesystem::path& path, std::streamoff offset) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(offset);
  char byte = 0;
  file.read(&byte, 1);
  byte = static_cast<char>(byte ^ 0x01);
  file.seekp(offset);
  file.write(&byte, 1);
}

TEST_F(KlineStoreTest, RoundTripIsLossless) {
  const KlineSeries series = sample();
  const auto path = directory_ / "x.wkl";
  ASSERT_TRUE(write_kline_store(path, series).ok());
  const KlineSeries loaded = read_kline_store(path).value();
  EXPECT_EQ(loaded.symbol, series.symbol);
  EXPECT_EQ(loaded.interval, series.interval);
  EXPECT_EQ(loaded.fields, series.fields);
  EXPECT_EQ(loaded.bars, series.bars);
  EXPECT_EQ(std::filesystem::file_size(path), 128 + series.bars.size() * 11 * 8);
}

TEST_F(KlineStoreTest, EmptySeriesRoundTrips) {
  KlineSeries series;
  series.symbol = "EMPTYUSDT";
  series.interval = Interval::k1h;
  const auto path = directory_ / "empty.wkl";
  ASSERT_TRUE(write_kline_store(path, series).ok());
  const KlineSeries loaded = read_kline_store(path).value();
  EXPECT_EQ(loaded.symbol, "EMPTYUSDT");
  EXPECT_EQ(loaded.interval, Interval::k1h);
  EXPECT_TRUE(loaded.bars.empty());
}

TEST_F(KlineStoreTest, AnyFlippedBitIsDetected) {
  const KlineSeries series = sample();
  const auto path = directory_ / "x.wkl";
  ASSERT_TRUE(write_kline_store(path, series).ok());
  const auto size = static_cast<std::streamoff>(std::filesystem::file_size(path));
  for (const std::streamoff offset : {std::streamoff{40}, std::streamoff{200}, size / 2, size - 1}) {
    flip_byte(path, offset);
    const auto loaded = read_kline_store(path);
    ASSERT_FALSE(loaded.ok()) << "offset " << offset;
    EXPECT_EQ(loaded.error().code, ErrorCode::kCorrupt);
    EXPECT_NE(loaded.error().message.find("checksum"), std::string::npos) << loaded.error().message;
    flip_byte(path, offset);  // restore
  }
  EXPECT_TRUE(read_kline_store(path).ok());
}

TEST_F(KlineStoreTest, TruncationBadMagicAndVersionAreClearErrors) {
  const auto path = directory_ / "x.wkl";
  ASSERT_TRUE(write_kline_store(path, sample()).ok());
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 8);
  EXPECT_NE(read_kline_store(path).error().message.find("truncated"), std::string::npos);

  ASSERT_TRUE(write_kline_store(path, sample()).ok());
  flip_byte(path, 0);
  EXPECT_NE(read_kline_store(path).error().message.find("bad magic"), std::string::npos);
  flip_byte(path, 0);
  flip_byte(path, 8);  // version 1 → 0
  EXPECT_NE(read_kline_store(path).error().message.find("unsupported store version"), std::string::npos);

  const auto missing = read_kline_store(directory_ / "missing.wkl");
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  std::ofstream(directory_ / "short.wkl") << "WINISWKL";
  EXPECT_NE(read_kline_store(directory_ / "short.wkl").error().message.find("too short"), std::string::npos);
}

// The streaming reader: any range read equals that range of the whole read, whichever
// window it was in before (forward, back, across windows).
TEST_F(KlineStoreTest, AReaderReadsAnyRangeAsTheWholeRead) {
  const KlineSeries series = sample(3);
  const auto path = directory_ / "x.wkl";
  ASSERT_TRUE(write_kline_store(path, series).ok());
  KlineStoreReader view = KlineStoreReader::open(path).value();
  EXPECT_EQ(view.symbol(), series.symbol);
  EXPECT_EQ(view.interval(), series.interval);
  ASSERT_EQ(view.size(), series.bars.size());
  EXPECT_EQ(view.open_time(7).value(), series.bars[7].open_time);
  EXPECT_EQ(view.open_time(1439).value(), series.bars[1439].open_time);
  EXPECT_TRUE(view.verify().ok());
  const auto expect_range = [&](std::size_t begin, std::size_t end) {
    std::vector<Kline> bars;
    ASSERT_TRUE(view.read(begin, end, bars).ok());
    EXPECT_EQ(bars, std::vector<Kline>(series.bars.begin() + static_cast<std::ptrdiff_t>(begin),
                                       series.bars.begin() + static_cast<std::ptrdiff_t>(std::min(end, series.bars.size()))))
        << begin << ".." << end;
  };
  for (std::size_t hour = 0; hour < 72; ++hour) expect_range(hour * 60, hour * 60 + 60);
  expect_range(0, 5);  // back
  expect_range(2040, 2060);  // across a window's end
  expect_range(4300, 9000);  // clipped at the end
  expect_range(100, 100);
}

// open() reads the header only; the CRC is verify()'s, so a streaming reader chooses when
// to pay for it (once a file).
TEST_F(KlineStoreTest, AReaderChecksTheChecksumWhenAskedAndNamesTheFile) {
  const auto path = directory_ / "x.wkl";
  ASSERT_TRUE(write_kline_store(path, sample()).ok());
  flip_byte(path, static_cast<std::streamoff>(std::filesystem::file_size(path) / 2));
  const KlineStoreReader view = KlineStoreReader::open(path).value();
  const Status verified = view.verify();
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(verified.error().message.find(path.string() + ": checksum mismatch"), std::string::npos) << verified.error().message;
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 8);
  EXPECT_NE(KlineStoreReader::open(path).error().message.find("truncated"), std::string::npos);
}

// A bar that is not believable is an error naming the file and the bar when its range is
// read, as read_kline_store names it; the ranges before it read fine.
TEST_F(KlineStoreTest, AReaderValidatesTheBarsItReads) {
  KlineSeries series = sample();
  series.bars[500].high = series.bars[500].low - Price::from_raw(1);
  const auto path = directory_ / "x.wkl";
  ASSERT_TRUE(write_kline_store(path, series).ok());
  KlineStoreReader view = KlineStoreReader::open(path).value();
  std::vector<Kline> bars;
  EXPECT_TRUE(view.read(0, 500, bars).ok());
  const Status bad = view.read(480, 540, bars);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(path.string() + ": bar 500:"), std::string::npos) << bad.error().message;
  EXPECT_EQ(read_kline_store(path).error().message, bad.error().message);
  std::swap(series.bars[700], series.bars[701]);
  series.bars[500] = sample().bars[500];
  ASSERT_TRUE(write_kline_store(path, series).ok());
  KlineStoreReader disordered = KlineStoreReader::open(path).value();
  EXPECT_NE(disordered.read(701, 720, bars).error().message.find("bar 701: open time"), std::string::npos);  // against the bar before the range
}

}  // namespace
}  // namespace winiswin
