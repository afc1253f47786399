// The loopback venue on real data (../shared; skipped when absent): LINKUSDT's February 2026
// 1m bars with its instrument from the 2025-12-24 exchangeInfo capture. The klines it serves
// at 1h are those the project's own resampler makes of the same minutes.
#include <gtest/gtest.h>

#include "data/kline_file.h"
#include "data/resample.h"
#include "support/shared_data.h"
#include "venue/binance/default_brackets.h"
#include "venue/binance/exchange_info.h"
#include "venue/loopback/loopback_support.h"

namespace winiswin::loopback::test {
namespace {

TEST(RealData, HourlyKlinesMatchTheResampler) {
  WINISWIN_SHARED_FILE(info_path, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  WINISWIN_SHARED_FILE(klines_path, "data/klines/futures_um/1m/LINKUSDT-1m-2026-02.csv.gz");
  const binance::ExchangeInfo info = binance::load_exchange_info(info_path.string()).value();
  const Instrument* link = find_instrument(info.instruments, "LINKUSDT");
  ASSERT_NE(link, nullptr);
  KlineSeries minutes = load_klines(klines_path).value();
  minutes.symbol = "LINKUSDT";
  const KlineSeries hours = resample(minutes, Interval::k1h).value().series;
  const std::vector<Instrument> instruments{*link};
  LoopbackConfig config;
  config.start = minutes.bars.front().open_time + Milliseconds{10 * 24 * 3'600'000LL};  // ten days in
  auto exchange = LoopbackExchange::create(instruments, binance::with_default_brackets(instruments, {}), {minutes}, config);
  ASSERT_TRUE(exchange.ok()) << exchange.error().message;
  const Json served((*exchange)->handle(get("/fapi/v1/klines?symbol=LINKUSDT&interval=1h&limit=1500")).body);
  const auto rows = items(served.root());
  ASSERT_EQ(rows.size(), 240u);
  for (std::size_t idx = 0; idx < rows.size(); ++idx) {
    const auto row = items(rows[idx]);
    const Kline& expected = hours.bars[idx];
    ASSERT_EQ(row[0].get_int64().value(), to_ms(expected.open_time)) << idx;
    EXPECT_EQ(str(row[1]), expected.open.to_string()) << idx;
    EXPECT_EQ(str(row[2]), expected.high.to_string()) << idx;
    EXPECT_EQ(str(row[3]), expected.low.to_string()) << idx;
    EXPECT_EQ(str(row[4]), expected.close.to_string()) << idx;
    EXPECT_EQ(str(row[5]), expected.volume.to_string()) << idx;
    EXPECT_EQ(row[8].get_int64().value(), expected.trades) << idx;
  }
}

}  // namespace
}  // namespace winiswin::loopback::test
