// The report's candle chart: candles only around the symbol's trades, coarser candles when
// the windows around many trades would not fit the budget, and every trade on it.
#include "report/candle_chart.h"

#include <gtest/gtest.h>

#include <string>

#include <fmt/format.h>

namespace winiswin::report {
namespace {

constexpr std::int64_t kStartMs = 1'675'209'600'000;  // 2023-02-01 00:00 UTC
constexpr std::int64_t kFiveMinutesMs = 300'000;

// `count` 5m bars of a gently moving price.
KlineSeries five_minute_bars(const std::string& symbol, std::int64_t count) {
  KlineSeries series{symbol, Interval::k5m, KlineFields::kFull, {}};
  for (std::int64_t idx = 0; idx < count; ++idx) {
    const Price price = Price::from_double(1.0 + 0.001 * static_cast<double>(idx % 50)).value();
    const Timestamp open = timestamp_from_ms(kStartMs + idx * kFiveMinutesMs);
    series.bars.push_back(Kline{open, price, price, price, price, Quantity::from_units(1), open + Milliseconds{kFiveMinutesMs - 1},
                                Notional::from_units(1), 1, Quantity{}, Notional{}});
  }
  return series;
}

journal::TradeRecord trade_at(const std::string& symbol, std::int64_t entry_bar, std::int64_t exit_bar) {
  journal::TradeRecord trade;
  trade.symbol = symbol;
  trade.entry_time = timestamp_from_ms(kStartMs + entry_bar * kFiveMinutesMs);
  trade.exit_time = timestamp_from_ms(kStartMs + exit_bar * kFiveMinutesMs);
  trade.entry_price = 1.0;
  return trade;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

// The candles array of the chart's JSON: one "[t," per candle after "candles":[.
std::size_t candles_in(const std::string& json) {
  const std::size_t begin = json.find("\"candles\":["), end = json.find("]],\"zones\"");
  if (end == std::string::npos) return 0;  // no candles
  return count_of(json.substr(begin, end - begin + 1), "[") - 1;
}

TEST(CandleChart, DrawsOnlyTheBarsAroundTheSymbolsTrades) {
  const KlineSeries bars = five_minute_bars("ALGOUSDT", 10 * 288);
  const std::vector<journal::TradeRecord> trades{trade_at("ALGOUSDT", 1000, 1010), trade_at("AVAXUSDT", 2000, 2010)};
  const std::string json = candle_chart_json(bars, trades, Price{});
  EXPECT_NE(json.find("\"interval\":\"5m\""), std::string::npos);
  EXPECT_EQ(candles_in(json), static_cast<std::size_t>(kBarsBefore + 11 + kBarsAfter));  // the other symbol's trade draws nothing
  EXPECT_NE(json.find(fmt::format("[{},", (kStartMs + (1000 - kBarsBefore) * kFiveMinutesMs) / 1000)), std::string::npos);
  EXPECT_EQ(json.find(fmt::format("[{},", (kStartMs + (1000 - kBarsBefore - 1) * kFiveMinutesMs) / 1000)), std::string::npos);
  EXPECT_EQ(count_of(json, "\"timeout\""), 1u);  // the trade, exit reason as recorded
}

TEST(CandleChart, ManyTradesGetCoarserCandlesAndAllStayOnTheChart) {
  // A year of bars, a trade every 6 hours (fewer than kMaxTradeMarkers): 5m windows would hold
  // most bars (> budget).
  const std::int64_t bars_count = 365 * 288;
  const KlineSeries bars = five_minute_bars("FILUSDT", bars_count);
  std::vector<journal::TradeRecord> trades;
  for (std::int64_t bar = 100; bar + 10 < bars_count; bar += 72) trades.push_back(trade_at("FILUSDT", bar, bar + 6));
  ASSERT_LE(trades.size(), kMaxTradeMarkers);
  const Interval interval = candle_interval(trades, "FILUSDT", bars.bars.front().open_time, bars.bars.back().open_time);
  EXPECT_NE(interval, Interval::k5m);
  const std::string json = candle_chart_json(bars, trades, Price{});
  EXPECT_NE(json.find(fmt::format("\"interval\":\"{}\"", name_of(interval))), std::string::npos);
  EXPECT_LE(candles_in(json), kMaxCandles);
  EXPECT_GT(candles_in(json), 0u);
  EXPECT_EQ(count_of(json, "\"timeout\""), trades.size());
}

TEST(CandleChart, ASymbolWithoutTradesShowsItsLastBars) {
  const KlineSeries bars = five_minute_bars("DOTUSDT", 3 * 288);
  EXPECT_EQ(candles_in(candle_chart_json(bars, {}, Price{})), static_cast<std::size_t>(kBarsWithoutTrades));
}

TEST(CandleChart, OneMinuteBarsFedInChunksGiveTheSameChart) {
  // 1m bars for three days, a price that moves, a trade on the second day.
  KlineSeries minutes{"LINKUSDT", Interval::k1m, KlineFields::kFull, {}};
  for (std::int64_t idx = 0; idx < 3 * 1440; ++idx) {
    const Price price = Price::from_double(9.0 + 0.001 * static_cast<double>(idx % 97)).value();
    const Timestamp open = timestamp_from_ms(kStartMs + idx * 60'000);
    minutes.bars.push_back(Kline{open, price, price, price, price, Quantity::from_units(1), open + Milliseconds{59'999},
                                 Notional::from_units(1), 1, Quantity{}, Notional{}});
  }
  const std::vector<journal::TradeRecord> trades{trade_at("LINKUSDT", 400, 420)};
  const std::string whole = candle_chart_json(minutes, trades, Price{});
  CandleChartBuilder chunked("LINKUSDT", Interval::k1m, trades, Price{}, minutes.bars.front().open_time, minutes.bars.back().open_time);
  for (std::size_t begin = 0; begin < minutes.bars.size(); begin += 1000) {
    const std::size_t count = std::min<std::size_t>(1000, minutes.bars.size() - begin);
    ASSERT_TRUE(chunked.add(std::span<const Kline>(minutes.bars).subspan(begin, count)));
  }
  EXPECT_EQ(chunked.json(), whole);
  EXPECT_EQ(candles_in(whole), static_cast<std::size_t>(kBarsBefore + 21 + kBarsAfter));  // 1m bars charted as 5m
  EXPECT_NE(whole.find("\"precision\":3,"), std::string::npos);
}

TEST(CandleChart, PricesWithTheInstrumentsOwnPrecision) {
  EXPECT_EQ(decimals_of(Price::parse("0.0001").value()), 4);
  EXPECT_EQ(decimals_of(Price::parse("0.0010").value()), 3);  // Binance writes AVAXUSDT's tick so
  EXPECT_EQ(decimals_of(Price::parse("0.5").value()), 1);
  EXPECT_EQ(decimals_of(Price::parse("10").value()), 0);
  EXPECT_EQ(decimals_of(Price::parse("0.00000001").value()), 8);
  const KlineSeries bars = five_minute_bars("ALGOUSDT", 288);
  EXPECT_NE(candle_chart_json(bars, {}, Price::parse("0.0001").value()).find("\"precision\":4,\"minMove\":0.0001,"), std::string::npos);
  // Unknown tick: the prices (1.000 … 1.049) need 3 decimals.
  EXPECT_NE(candle_chart_json(bars, {}, Price{}).find("\"precision\":3,\"minMove\":0.001,"), std::string::npos);
}

TEST(CandleChart, ZonesAreTheRecordedOnesFromTheirBarToTheirEnd) {
  const KlineSeries bars = five_minute_bars("ALGOUSDT", 2 * 288);
  const std::vector<journal::TradeRecord> trades{trade_at("ALGOUSDT", 300, 310)};
  const std::vector<DrawnZone> zones{
      DrawnZone{structure::ZoneKind::kOrderBlock, 1, timestamp_from_ms(kStartMs), timestamp_from_ms(kStartMs + 900'000),
                timestamp_from_ms(kStartMs + 3'600'000), Price::parse("1.0125").value(), Price::parse("1.01").value()},
      DrawnZone{structure::ZoneKind::kFairValueGap, -1, timestamp_from_ms(kStartMs + 900'000), timestamp_from_ms(kStartMs + 1'800'000),
                std::nullopt, Price::parse("1.03").value(), Price::parse("1.02").value()}};
  const std::string json = candle_chart_json(bars, trades, Price{}, zones);
  const std::int64_t start = kStartMs / 1000;
  EXPECT_NE(json.find(fmt::format("\"zones\":[[{},{},{},1.0125,1.01,1,1],[{},{},null,1.03,1.02,-1,0]],\"zonesLeftOut\":0,", start,
                                  start + 900, start + 3600, start + 900, start + 1800)),
            std::string::npos)
      << json;
  // Beyond the bound: the order blocks, then the tallest gaps; how many were left out.
  std::vector<DrawnZone> many(kMaxZones + 7, zones[1]);
  many.front().top = Price::parse("1.04").value();  // the tallest gap, the first kept
  many[8] = zones[0];                                // a block among them
  const std::string capped = candle_chart_json(bars, trades, Price{}, many);
  EXPECT_EQ(count_of(capped, ",-1,0]"), kMaxZones - 1);
  EXPECT_EQ(count_of(capped, "1.0125,1.01,1,1]"), 1u);
  EXPECT_NE(capped.find("\"zones\":[[" + std::to_string(start + 900) + "," + std::to_string(start + 1800) + ",null,1.04,1.02,-1,0],"),
            std::string::npos);
  EXPECT_NE(capped.find("\"zonesLeftOut\":7,"), std::string::npos);
}

// Past kMaxTradeMarkers a symbol's trades, the chart marks those with the largest |PnL| (in
// time order) and says how many it left out: its markers stay within a bound however many
// trades the run made, and the candles still cover every trade.
TEST(CandleChart, MarkersPastTheCapAreTheLargestResultsAndTheRestIsCounted) {
  const std::int64_t bars_count = 30 * 288;
  const KlineSeries bars = five_minute_bars("ALGOUSDT", bars_count);
  const auto markers_of = [](const std::string& json) {
    const std::size_t begin = json.find("\"trades\":["), end = json.find("],\"tradesLeftOut\"");
    return json.substr(begin, end - begin + 1);
  };
  std::vector<journal::TradeRecord> trades;
  for (std::size_t idx = 0; idx < 3 * kMaxTradeMarkers; ++idx) {
    journal::TradeRecord trade = trade_at("ALGOUSDT", static_cast<std::int64_t>(idx % bars_count), static_cast<std::int64_t>(idx % bars_count) + 1);
    // |PnL| 1.00 … 6.00 by index, signs alternating: the last kMaxTradeMarkers are the largest.
    trade.pnl = (idx % 2 == 0 ? 1.0 : -1.0) * (1.0 + static_cast<double>(idx) / 1'000.0);
    trade.exit_reason = idx == 0 ? journal::ExitReason::kStop : journal::ExitReason::kTimeout;
    trades.push_back(trade);
  }
  const std::string json = candle_chart_json(bars, trades, Price{});
  const std::string markers = markers_of(json);
  EXPECT_EQ(count_of(markers, "\"timeout\"") + count_of(markers, "\"stop\""), kMaxTradeMarkers);
  EXPECT_EQ(count_of(markers, "\"stop\""), 0u);  // the smallest trade is one left out
  EXPECT_NE(json.find(fmt::format(",\"tradesLeftOut\":{}}}", 2 * kMaxTradeMarkers)), std::string::npos);
  EXPECT_NE(markers.find(fmt::format(",{:.2f}]", -(1.0 + static_cast<double>(3 * kMaxTradeMarkers - 1) / 1'000.0))), std::string::npos);
  EXPECT_EQ(markers.find(fmt::format(",{:.2f}]", 1.0 + static_cast<double>(2 * kMaxTradeMarkers - 20) / 1'000.0)), std::string::npos);
  // In time order: each marker's entry after the one before.
  std::int64_t previous = 0;
  for (std::size_t at = markers.find("[[") - 1; at != std::string::npos; at = markers.find("],[", at + 1)) {
    const std::size_t number = at + 3;
    const std::int64_t entry = std::stoll(markers.substr(number, markers.find(',', number) - number));
    EXPECT_GE(entry, previous);
    previous = entry;
  }
  // Bounded: a run ten times as long in trades marks no more and writes no longer a list.
  std::vector<journal::TradeRecord> many;
  for (int copy = 0; copy < 10; ++copy) many.insert(many.end(), trades.begin(), trades.end());
  const std::string more = candle_chart_json(bars, many, Price{});
  EXPECT_LE(markers_of(more).size(), kMaxTradeMarkers * 48);
  EXPECT_NE(more.find(fmt::format(",\"tradesLeftOut\":{}}}", many.size() - kMaxTradeMarkers)), std::string::npos);
  // At the cap, nothing is left out.
  trades.resize(kMaxTradeMarkers);
  EXPECT_NE(candle_chart_json(bars, trades, Price{}).find(",\"tradesLeftOut\":0}"), std::string::npos);
}

}  // namespace
}  // namespace winiswin::report
