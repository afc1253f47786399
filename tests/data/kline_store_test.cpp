#include "data/kline_store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "data/synthetic_market.h"

namespace winiswin {
namespace {

class KlineStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("winiswin_store_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  static KlineSeries sample() {
    SyntheticMarketConfig config;
    config.symbols = 2;
    config.days = 1;
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

}  // namespace
}  // namespace winiswin
