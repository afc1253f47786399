// FileFeed: a folder's files streamed give exactly the bars of the folder loaded whole, in
// any reading order; a problem met later in a file is an error naming it when it is reached.
#include "engine/file_feed.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

#include <fmt/format.h>

#include "data/file_bytes.h"
#include "data/kline_csv.h"
#include "data/kline_store.h"
#include "data/synthetic_market.h"

namespace winiswin::engine {
namespace {

constexpr std::int64_t kMinute = 60'000;

class FileFeedTest : public ::testing::Test {
 protected:
  FileFeedTest()
      : folder_(std::filesystem::temp_directory_path() /
                fmt::format("winiswin_file_feed_{}_{}", ::testing::UnitTest::GetInstance()->current_test_info()->name(), ::getpid())) {
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
    SyntheticMarketConfig config;
    config.symbols = 3;
    config.days = 3;
    market_.emplace(config);
  }
  ~FileFeedTest() override { std::filesystem::remove_all(folder_); }

  Timestamp at(std::int64_t minute) const { return market_->config().start + Milliseconds{minute * kMinute}; }

  // Each symbol's bars in daily files (named as Binance names its dumps), a hole inside the
  // second day of the second symbol; `store`: .wkl, else CSV.
  void write_days(bool store) {
    for (std::size_t symbol_idx = 0; symbol_idx < 3; ++symbol_idx) {
      const KlineSeries whole = market_->generate(symbol_idx);
      for (std::int64_t day = 0; day < 3; ++day) {
        KlineSeries part{whole.symbol, Interval::k1m, KlineFields::kFull, {}};
        for (std::int64_t minute = day * 1440; minute < (day + 1) * 1440; ++minute) {
          if (symbol_idx == 1 && minute >= 1500 && minute < 1800) continue;
          part.bars.push_back(whole.bars[static_cast<std::size_t>(minute)]);
        }
        const auto name = folder_ / fmt::format("{}-1m-2026-01-0{}{}", whole.symbol, day + 1, store ? ".wkl" : ".csv");
        if (store) {
          ASSERT_TRUE(write_kline_store(name, part).ok());
        } else {
          ASSERT_TRUE(write_file_bytes(name, format_kline_csv(part)).ok());
        }
      }
    }
  }

  // The feed's spans equal the whole-loaded series' bars for every way the engine, the
  // report's charts and the benchmark read.
  void expect_same_bars_as_loading_whole() {
    const auto whole = load_finest_klines(folder_, [](const std::string&) { return true; }, FinestOf::kAllSymbols).value();
    SeriesFeed series_feed = SeriesFeed::make(whole).value();
    FileFeed file_feed = FileFeed::make(plan_finest_klines(folder_, [](const std::string&) { return true; }, FinestOf::kAllSymbols).value()).value();
    ASSERT_EQ(file_feed.symbols(), series_feed.symbols());
    EXPECT_EQ(file_feed.first(), series_feed.first());
    EXPECT_EQ(file_feed.last(), series_feed.last());
    const auto expect_slice = [&](std::size_t index, Timestamp from, Timestamp to) {
      EXPECT_EQ(file_feed.last_of(index), series_feed.last_of(index));
      const auto expected = series_feed.bars(index, from, to).value();
      const auto streamed = file_feed.bars(index, from, to).value();
      EXPECT_EQ(std::vector<Kline>(streamed.begin(), streamed.end()), std::vector<Kline>(expected.begin(), expected.end()))
          << index << ": " << format_utc(from) << " .. " << format_utc(to);
    };
    for (std::size_t index = 0; index < 3; ++index) {
      for (std::int64_t hour = 0; hour < 72; ++hour) expect_slice(index, at(hour * 60), at(hour * 60 + 60));  // as the engine reads
      expect_slice(index, at(30), at(3000));          // back to the start, across two files and the hole
      expect_slice(index, at(1600), at(1700));        // inside the hole (symbol 1)
      expect_slice(index, at(1439), at(1441));        // the last bar of a file and the first of the next
      expect_slice(index, at(4319), at(9000));        // the last bar, past the end
      expect_slice(index, at(-50), at(3));            // before the start
      expect_slice(index, at(10) + Milliseconds{1}, at(12));  // between bar times
      expect_slice(index, at(2000), at(1000));        // reversed: empty
      expect_slice(index, at(0), at(4320));           // everything
    }
  }

  std::filesystem::path folder_;
  std::optional<SyntheticMarket> market_;
};

TEST_F(FileFeedTest, CsvFilesGiveTheBarsOfTheFolderLoadedWhole) {
  write_days(false);
  expect_same_bars_as_loading_whole();
}

TEST_F(FileFeedTest, StoreFilesGiveTheBarsOfTheFolderLoadedWhole) {
  write_days(true);
  expect_same_bars_as_loading_whole();
}

// A bad row in the third day's file is not read before the engine gets there: the first
// two days stream, then the read fails naming the file and the line.
TEST_F(FileFeedTest, ABadRowInsideALaterFileFailsWhenReachedNamingTheFile) {
  write_days(false);
  const auto third = folder_ / fmt::format("{}-1m-2026-01-03.csv", market_->instruments()[0].symbol);
  std::string text = read_file_bytes(third).value();
  const std::size_t line_11 = [&] {  // the header, then the tenth row
    std::size_t position = 0;
    for (int line = 0; line < 10; ++line) position = text.find('\n', position) + 1;
    return position;
  }();
  text.replace(line_11, text.find(',', line_11) - line_11, "notatime");
  ASSERT_TRUE(write_file_bytes(third, text).ok());
  FileFeed feed = FileFeed::make(plan_finest_klines(folder_, [](const std::string&) { return true; }, FinestOf::kAllSymbols).value()).value();
  EXPECT_EQ(feed.bars(0, at(0), at(2880)).value().size(), 2880u);
  const auto failed = feed.bars(0, at(2880), at(2940));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find(third.string() + ":11:"), std::string::npos) << failed.error().message;
  EXPECT_EQ(feed.bars(1, at(2880), at(2940)).value().size(), 60u);  // the other symbols read on
}

TEST_F(FileFeedTest, ACorruptStoreFailsWhenReachedNamingTheFile) {
  write_days(true);
  const auto second = folder_ / fmt::format("{}-1m-2026-01-02.wkl", market_->instruments()[2].symbol);
  std::string bytes = read_file_bytes(second).value();
  bytes[bytes.size() - 100] ^= 0x10;  // a bit of the last column: the header and first/last open times intact
  ASSERT_TRUE(write_file_bytes(second, bytes).ok());
  FileFeed feed = FileFeed::make(plan_finest_klines(folder_, [](const std::string&) { return true; }, FinestOf::kAllSymbols).value()).value();
  EXPECT_EQ(feed.bars(2, at(0), at(1440)).value().size(), 1440u);
  const auto failed = feed.bars(2, at(1440), at(1500));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find(second.string()), std::string::npos) << failed.error().message;
  EXPECT_NE(failed.error().message.find("checksum"), std::string::npos) << failed.error().message;
}

TEST_F(FileFeedTest, AFileChangedAfterThePlanIsAnErrorNotOtherBars) {
  write_days(false);
  const auto plan = plan_finest_klines(folder_, [](const std::string&) { return true; }, FinestOf::kAllSymbols).value();
  const auto second = folder_ / fmt::format("{}-1m-2026-01-02.csv", market_->instruments()[0].symbol);
  KlineSeries shorter = load_klines(second).value();
  shorter.bars.erase(shorter.bars.begin());  // its first bar is what the plan knows of it
  ASSERT_TRUE(write_file_bytes(second, format_kline_csv(shorter)).ok());
  FileFeed feed = FileFeed::make(plan).value();
  const auto failed = feed.bars(0, at(1440), at(1500));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("changed since the run began"), std::string::npos) << failed.error().message;
}

TEST_F(FileFeedTest, RefusesPlansTheEngineCannotWalk) {
  EXPECT_FALSE(FileFeed::make({}).ok());
  SymbolFiles coarse{"BTCUSDT", Interval::k15m, {KlineFilePiece{folder_ / "x.csv", at(0), at(15)}}};
  EXPECT_NE(FileFeed::make({coarse}).error().message.find("1m or 5m"), std::string::npos);
  SymbolFiles one{"BTCUSDT", Interval::k1m, {KlineFilePiece{folder_ / "x.csv", at(0), at(1)}}};
  SymbolFiles five{"ETHUSDT", Interval::k5m, {KlineFilePiece{folder_ / "y.csv", at(0), at(5)}}};
  const Result<FileFeed> mixed = FileFeed::make({one, five});  // each symbol at its finest: the walk at the finest of all
  ASSERT_TRUE(mixed.ok()) << mixed.error().message;
  EXPECT_EQ(mixed->interval(), Interval::k1m);
  EXPECT_EQ(mixed->interval_of(0), Interval::k1m);
  EXPECT_EQ(mixed->interval_of(1), Interval::k5m);
  EXPECT_EQ(FileFeed::make({five}).value().interval(), Interval::k5m);
  EXPECT_NE(FileFeed::make({one, one}).error().message.find("given twice"), std::string::npos);
}

// Two files of a symbol overlapping with different first bars (a daily file beside its
// month): the plan reads only the first rows, so the overlap is found when the earlier file
// is read in full — before any of its bars are handed out — with the error loading gives.
TEST_F(FileFeedTest, AnOverlapFoundWhenAFileIsReadNamesBothFilesAsLoadingDoes) {
  const KlineSeries whole = market_->generate(0);
  const auto write_part = [&](const std::string& name, std::size_t begin, std::size_t end) {
    KlineSeries part{whole.symbol, Interval::k1m, KlineFields::kFull, {}};
    part.bars.assign(whole.bars.begin() + static_cast<std::ptrdiff_t>(begin), whole.bars.begin() + static_cast<std::ptrdiff_t>(end));
    ASSERT_TRUE(write_file_bytes(folder_ / name, format_kline_csv(part)).ok());
  };
  write_part(whole.symbol + "-1m-2026-01.csv", 0, 2880);
  write_part(whole.symbol + "-1m-2026-01-02.csv", 1440, 4320);
  const auto everyone = [](const std::string&) { return true; };
  const auto loading = load_finest_klines(folder_, everyone, FinestOf::kAllSymbols);
  ASSERT_FALSE(loading.ok());
  FileFeed feed = FileFeed::make(plan_finest_klines(folder_, everyone, FinestOf::kAllSymbols).value()).value();
  for (int attempt = 0; attempt < 2; ++attempt) {  // and again when asked again
    const auto read = feed.bars(0, at(0), at(60));
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().message, loading.error().message);
  }
}

}  // namespace
}  // namespace winiswin::engine
