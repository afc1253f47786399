// The data layer on real Binance files from ../shared/data.
#include <gtest/gtest.h>

#include <unistd.h>
#include <zip.h>

#include <fstream>

#include "data/file_bytes.h"
#include "data/gaps.h"
#include "data/kline_csv.h"
#include "data/kline_file.h"
#include "data/kline_folder.h"
#include "data/kline_store.h"
#include "data/resample.h"
#include "support/shared_data.h"

namespace winiswin {
namespace {

constexpr const char* kOhlcvDir = "data/klines/futures_um_ohlcv_only/";
constexpr const char* kOneMinuteDir = "data/klines/futures_um/1m/";

std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("winiswin_real_" + std::to_string(::getpid()) + "_" + name);
}

// A .zip holding one CSV, as Binance ships its dumps.
bool write_zip(const std::filesystem::path& path, const std::string& entry, const std::string& text) {
  std::filesystem::remove(path);
  int error_code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error_code);
  if (archive == nullptr) return false;
  zip_source_t* source = zip_source_buffer(archive, text.data(), text.size(), 0);
  if (zip_file_add(archive, entry.c_str(), source, ZIP_FL_OVERWRITE) < 0) return false;
  return zip_close(archive) == 0;
}

// Binance's own 15m and 1h bars are the oracle for our resampler (shared/data README §2).
TEST(RealData, Resampling5mReproducesBinances15mAnd1hBars) {
  WINISWIN_SHARED_FILE(five_path, std::string(kOhlcvDir) + "BTCUSDT-5m-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(fifteen_path, std::string(kOhlcvDir) + "BTCUSDT-15m-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(hour_path, std::string(kOhlcvDir) + "BTCUSDT-1h-2025-09_10.csv.gz");
  const KlineSeries five = load_klines(five_path).value();
  const KlineSeries fifteen = load_klines(fifteen_path).value();
  const KlineSeries hour = load_klines(hour_path).value();
  EXPECT_EQ(five.bars.size(), 11'123u);
  EXPECT_EQ(five.interval, Interval::k5m);
  EXPECT_EQ(five.symbol, "BTCUSDT");

  const auto compare = [](const KlineSeries& ours, const KlineSeries& binance) {
    std::size_t matched = 0;
    std::size_t ours_idx = 0;
    for (const Kline& theirs : binance.bars) {
      while (ours_idx < ours.bars.size() && ours.bars[ours_idx].open_time < theirs.open_time) ++ours_idx;
      ASSERT_LT(ours_idx, ours.bars.size()) << "no resampled bar for " << format_utc(theirs.open_time);
      const Kline& mine = ours.bars[ours_idx];
      ASSERT_EQ(mine.open_time, theirs.open_time);
      EXPECT_EQ(mine.open, theirs.open) << format_utc(theirs.open_time);
      EXPECT_EQ(mine.high, theirs.high) << format_utc(theirs.open_time);
      EXPECT_EQ(mine.low, theirs.low) << format_utc(theirs.open_time);
      EXPECT_EQ(mine.close, theirs.close) << format_utc(theirs.open_time);
      // Volumes: the capture went through freqtrade's floats, so sums agree to 0.01 only (README §2).
      EXPECT_NEAR(mine.volume.to_double(), theirs.volume.to_double(), 0.01) << format_utc(theirs.open_time);
      ++matched;
    }
    EXPECT_EQ(matched, binance.bars.size());
  };
  const ResampleResult to_fifteen = resample(five, Interval::k15m).value();
  compare(to_fifteen.series, fifteen);
  EXPECT_EQ(fifteen.bars.size(), 3'355u);
  const ResampleResult to_hour = resample(fifteen, Interval::k1h).value();
  compare(to_hour.series, hour);
  EXPECT_EQ(hour.bars.size(), 838u);
}

TEST(RealData, FullFormatMonthParsesWithAnomalies) {
  WINISWIN_SHARED_FILE(path, std::string(kOneMinuteDir) + "ALGOUSDT-1m-2026-02.csv.gz");
  const KlineSeries series = load_klines(path).value();
  EXPECT_EQ(series.symbol, "ALGOUSDT");
  EXPECT_EQ(series.interval, Interval::k1m);
  EXPECT_EQ(series.fields, KlineFields::kFull);
  ASSERT_EQ(series.bars.size(), 40'320u);
  EXPECT_EQ(format_utc(series.bars.front().open_time), "2026-02-01 00:00:00");
  EXPECT_EQ(format_utc(series.bars.back().open_time), "2026-02-28 23:59:00");
  EXPECT_TRUE(find_gaps(series).empty());
  std::size_t zero_volume = 0, flat = 0;
  for (const Kline& bar : series.bars) {
    zero_volume += bar.volume.is_zero() ? 1 : 0;
    flat += (bar.open == bar.high && bar.high == bar.low && bar.low == bar.close) ? 1 : 0;
  }
  EXPECT_EQ(zero_volume, 22u);  // the README's counts
  EXPECT_EQ(flat, 1'693u);
}

TEST(RealData, IntegerPricesWithoutDecimalsAreExact) {
  WINISWIN_SHARED_FILE(path, std::string(kOneMinuteDir) + "NEARUSDT-1m-2023-10.csv.gz");
  const KlineSeries series = load_klines(path).value();
  ASSERT_EQ(series.bars.size(), 44'640u);
  bool found_integer = false;
  for (const Kline& bar : series.bars) found_integer |= bar.close == Price::from_units(1);
  EXPECT_TRUE(found_integer);  // "…,0.9930,1" rows parse as exactly 1
}

TEST(RealData, ConsecutiveMonthsJoinWithoutGaps) {
  WINISWIN_SHARED_FILE(august, std::string(kOneMinuteDir) + "FILUSDT-1m-2023-08.csv.gz");
  WINISWIN_SHARED_FILE(september, std::string(kOneMinuteDir) + "FILUSDT-1m-2023-09.csv.gz");
  KlineSeries joined = load_klines(august).value();
  const KlineSeries next = load_klines(september).value();
  joined.bars.insert(joined.bars.end(), next.bars.begin(), next.bars.end());
  EXPECT_TRUE(find_gaps(joined).empty());
  const auto hourly = resample(joined, Interval::k1h).value();
  EXPECT_EQ(hourly.series.bars.size(), (44'640u + 43'200u) / 60u);
  EXPECT_TRUE(hourly.incomplete.empty());
}

TEST(RealData, CsvStoreAndZipRoundTripsAreLossless) {
  WINISWIN_SHARED_FILE(path, std::string(kOneMinuteDir) + "LINKUSDT-1m-2026-02.csv.gz");
  const KlineSeries original = load_klines(path).value();

  const auto store = temp_path("LINKUSDT-1m-2026-02.wkl");
  ASSERT_TRUE(write_kline_store(store, original).ok());
  const KlineSeries from_store = load_klines(store).value();
  EXPECT_EQ(from_store.bars, original.bars);
  EXPECT_EQ(from_store.symbol, "LINKUSDT");

  const std::string csv = format_kline_csv(from_store);
  const auto csv_path = temp_path("LINKUSDT-1m-2026-02.csv");
  ASSERT_TRUE(write_file_bytes(csv_path, csv).ok());
  EXPECT_EQ(load_klines(csv_path).value().bars, original.bars);

  // Binance ships its dumps as .zip holding one CSV: build one and read it back.
  const auto zip_path = temp_path("LINKUSDT-1m-2026-02.zip");
  ASSERT_TRUE(write_zip(zip_path, "LINKUSDT-1m-2026-02.csv", csv));
  const KlineSeries from_zip = load_klines(zip_path).value();
  EXPECT_EQ(from_zip.bars, original.bars);
  EXPECT_EQ(from_zip.interval, Interval::k1m);
  for (const auto& file : {store, csv_path, zip_path}) std::filesystem::remove(file);
}

// The head of a gzip, a zip and a plain file is the start of what reading them whole gives;
// peeking at a file's first (and last) bar from it gives the loaded series' ends.
TEST(RealData, TheHeadOfAnyFileIsTheStartOfItsContent) {
  WINISWIN_SHARED_FILE(gzip_path, std::string(kOneMinuteDir) + "LINKUSDT-1m-2026-02.csv.gz");
  const std::string text = read_file_bytes(gzip_path).value();
  const auto zip_path = temp_path("LINKUSDT-1m-2026-02.zip");
  const auto csv_path = temp_path("LINKUSDT-1m-2026-02.csv");
  ASSERT_TRUE(write_zip(zip_path, "LINKUSDT-1m-2026-02.csv", text));
  ASSERT_TRUE(write_file_bytes(csv_path, text).ok());
  const KlineSeries loaded = load_klines(gzip_path).value();
  for (const auto& path : {gzip_path, zip_path, csv_path}) {
    for (const std::size_t limit : {std::size_t{1}, std::size_t{100}, std::size_t{70'000}}) {
      EXPECT_EQ(read_file_head(path, limit).value(), text.substr(0, limit)) << path << " " << limit;
    }
    EXPECT_EQ(read_file_head(path, text.size() + 10).value(), text) << path;  // shorter than asked: all of it
    const auto first = peek_kline_file(path, Interval::k1m, PeekEnds::kFirst).value();
    EXPECT_EQ(first->first, loaded.bars.front().open_time) << path;
    const auto both = peek_kline_file(path, Interval::k1m, PeekEnds::kFirstAndLast).value();
    EXPECT_EQ(*both->last, loaded.bars.back().open_time) << path;
  }
  for (const auto& file : {zip_path, csv_path}) std::filesystem::remove(file);
}

TEST(RealData, MarkPriceKlinesKeepEightDecimals) {
  WINISWIN_SHARED_FILE(path, "data/klines/futures_um_markprice_ohlc_only/BTCUSDT-markPrice-8h-2025-09_10.csv");
  const KlineSeries series = load_klines(path).value();
  EXPECT_EQ(series.symbol, "BTCUSDT");
  EXPECT_EQ(series.interval, Interval::k8h);
  ASSERT_EQ(series.bars.size(), 115u);
  EXPECT_EQ(series.bars[0].open, Price::parse("117017.51732609").value());
}

TEST(RealData, CorruptGzipIsAClearError) {
  WINISWIN_SHARED_FILE(path, std::string(kOhlcvDir) + "BTCUSDT-1h-2025-09_10.csv.gz");
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto truncated = temp_path("BTCUSDT-1h-truncated.csv.gz");
  ASSERT_TRUE(write_file_bytes(truncated, std::string_view(bytes).substr(0, bytes.size() / 2)).ok());
  const auto result = load_klines(truncated);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("gzip"), std::string::npos) << result.error().message;
  std::filesystem::remove(truncated);
}

}  // namespace
}  // namespace winiswin
