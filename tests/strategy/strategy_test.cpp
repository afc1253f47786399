#include <gtest/gtest.h>

#include <cmath>

#include "data/kline_file.h"
#include "strategy/ict_strategy.h"
#include "strategy/replay.h"
#include "support/shared_data.h"

namespace winiswin::strategy {
namespace {

Instrument usdt_perpetual(const char* tick) {
  Instrument instrument;
  instrument.symbol = "TESTUSDT";
  instrument.quote_asset = "USDT";
  instrument.price_filter = PriceFilter{Price::parse(tick).value(), Price::from_units(1'000'000), Price::parse(tick).value()};
  instrument.lot_size = LotFilter{Quantity::parse("0.001").value(), Quantity::from_units(1000), Quantity::parse("0.001").value()};
  instrument.market_lot_size = instrument.lot_size;
  instrument.min_notional = Notional::from_units(5);
  return instrument;
}

// A bullish-leaning snapshot around 1000 with every input warm.
MarketSnapshot bullish_snapshot() {
  MarketSnapshot s;
  s.symbol = "TESTUSDT";
  s.time = timestamp_from_ms(1'767'272'400'000);  // 13:00 UTC
  s.last_price = Price::parse("1012.34").value();
  const auto frame = [](double close, double ema, double slope, double adx, double rsi, double hist, double previous) {
    FrameView f;
    f.ready = true;
    f.bands_ready = true;
    f.close = close, f.ema = ema, f.ema_slope = slope, f.adx = adx, f.rsi = rsi, f.macd = hist * 2, f.macd_hist = hist;
    f.macd_hist_previous = previous, f.atr = 6.0, f.natr = 0.6, f.bb_width = 0.02, f.bb_width_rank = 0.4;
    f.close_4_ago = close - 3, f.atr_12_ago = 5.0;
    return f;
  };
  s.hour = frame(1012.34, 1000.0, 0.006, 18.0, 61.0, 0.8, 0.5);
  s.hour.range_high = 1020.0, s.hour.range_low = 980.0;  // the week of 1h bars
  s.quarter = frame(1012.34, 1008.0, 0.02, 24.0, 58.0, -0.2, -0.4);
  s.five = frame(1012.34, 1013.0, -0.01, 30.0, 55.0, 0.3, 0.1);
  s.last_break = 1;
  s.last_break_is_choch = true;
  s.swing_highs = 1;
  s.swing_lows = -1;
  s.demand = ZoneView{Price::parse("1006.5").value(), Price::parse("1001.2").value(), 0.81};
  s.supply = ZoneView{Price::parse("1030").value(), Price::parse("1024.4").value(), 0.6};
  s.liquidity_above = 1020.0;
  s.liquidity_below = 995.0;
  s.regime = structure::Regime::kRanging;
  s.reversal_risk = 0;
  return s;
}

// The mirror image around `mirror`: every up becomes a down.
MarketSnapshot mirrored(const MarketSnapshot& s, double mirror) {
  const Price axis = Price::from_double(2 * mirror).value();
  MarketSnapshot m = s;
  m.last_price = axis - s.last_price;
  for (auto [from, to] : {std::pair{&s.hour, &m.hour}, std::pair{&s.quarter, &m.quarter}, std::pair{&s.five, &m.five}}) {
    to->close = 2 * mirror - from->close;
    to->ema = 2 * mirror - from->ema;
    to->ema_slope = -from->ema_slope;
    to->rsi = 100.0 - from->rsi;
    to->macd = -from->macd;
    to->macd_hist = -from->macd_hist;
    to->macd_hist_previous = -from->macd_hist_previous;
    to->close_4_ago = 2 * mirror - from->close_4_ago;
    to->range_high = 2 * mirror - from->range_low;
    to->range_low = 2 * mirror - from->range_high;
  }
  m.last_break = -s.last_break;
  m.swing_highs = -s.swing_lows;
  m.swing_lows = -s.swing_highs;
  m.demand = ZoneView{axis - s.supply->bottom, axis - s.supply->top, s.supply->strength};
  m.supply = ZoneView{axis - s.demand->bottom, axis - s.demand->top, s.demand->strength};
  m.liquidity_above = 2 * mirror - *s.liquidity_below;
  m.liquidity_below = 2 * mirror - *s.liquidity_above;
  m.reversal_risk = -s.reversal_risk;
  return m;
}

TEST(IctStrategy, ComponentsFollowTheDocumentedFormulas) {
  const MarketSnapshot s = bullish_snapshot();
  const ScoreComponents c = ict_components(s, 1, IctConfig{});
  // trend: 2 of 3 frames above EMA, ADX 18/20, slope 0.006/0.01
  EXPECT_NEAR(c.trend, 0.5 * 2 / 3 + 0.25 * 0.9 + 0.25 * 0.6, 1e-12);
  EXPECT_NEAR(c.structure, 0.6 * 0.8 + 0.4 * 0.5, 1e-12);  // bullish CHOCH, higher high only
  // 1012.34 − 1006.5 = 5.84 = 0.9733 ATR → 0.81 · (1 − 0.9733/3)
  EXPECT_NEAR(c.position, 0.81 * (1 - (5.84 / 6.0) / 3.0), 1e-9);
  EXPECT_NEAR(c.momentum, 0.5 + 0.25 + 0.25, 1e-12);
  EXPECT_NEAR(c.volatility, 0.5 * 1.0 + 0.5 * 0.5, 1e-12);  // rank 0.4, ranging
}

constexpr std::size_t kRangePosition = 12;
static_assert(kFeatureNames[kRangePosition] == "range_position_7d");

TEST(IctStrategy, LongAndShortAreMirrorImages) {
  const Instrument instrument = usdt_perpetual("0.01");
  const IctStrategy strategy;
  for (const double axis : {1000.0, 1500.0}) {
    MarketSnapshot s = bullish_snapshot();
    for (const int reversal : {0, -1}) {
      s.reversal_risk = reversal;
      const Evaluation up = strategy.evaluate(s, instrument);
      const Evaluation down = strategy.evaluate(mirrored(s, axis), instrument);
      ASSERT_TRUE(up.signal && down.signal) << up.reason << down.reason;
      EXPECT_EQ(up.signal->side, Side::kBuy);
      EXPECT_EQ(down.signal->side, Side::kSell);
      EXPECT_DOUBLE_EQ(up.signal->confidence, down.signal->confidence);
      EXPECT_DOUBLE_EQ(up.signal->components.position, down.signal->components.position);
      EXPECT_EQ(up.signal->entry - up.signal->stop, down.signal->stop - down.signal->entry);
      EXPECT_EQ(up.signal->target - up.signal->entry, down.signal->entry - down.signal->target);
      EXPECT_NEAR(up.signal->features[kRangePosition], down.signal->features[kRangePosition], 1e-12);
    }
  }
}

TEST(IctStrategy, WeakAdxDegradesAndReversalRiskPenalises) {
  const Instrument instrument = usdt_perpetual("0.01");
  const IctStrategy strategy;
  MarketSnapshot s = bullish_snapshot();
  const double base = strategy.evaluate(s, instrument).signal->confidence;
  s.hour.adx = 5.0;
  const Evaluation weak = strategy.evaluate(s, instrument);
  ASSERT_TRUE(weak.signal.has_value());  // degraded, not dropped
  EXPECT_NEAR(base - weak.signal->confidence, 0.4 * 0.25 * (0.9 - 0.25), 1e-12);
  s = bullish_snapshot();
  s.reversal_risk = -1;
  EXPECT_NEAR(strategy.evaluate(s, instrument).signal->confidence, base * 0.8, 1e-12);
}

TEST(IctStrategy, NoSignalWithoutVolatilityOrWarmInputs) {
  const Instrument instrument = usdt_perpetual("0.01");
  MarketSnapshot s = bullish_snapshot();
  s.quarter.atr = 0.0;
  const Evaluation flat = IctStrategy().evaluate(s, instrument);
  EXPECT_FALSE(flat.signal.has_value());
  EXPECT_NE(flat.reason.find("ATR is zero"), std::string::npos);
  s = bullish_snapshot();
  s.five.ready = false;
  EXPECT_NE(IctStrategy().evaluate(s, instrument).reason.find("warming up"), std::string::npos);
  s = bullish_snapshot();
  s.hour.close = s.hour.ema;
  EXPECT_NE(IctStrategy().evaluate(s, instrument).reason.find("no trend side"), std::string::npos);
}

TEST(IctStrategy, StopsAndTargetsAreOnTheTickTowardTheEntry) {
  const Instrument instrument = usdt_perpetual("0.1");
  const Evaluation e = IctStrategy().evaluate(bullish_snapshot(), instrument);
  ASSERT_TRUE(e.signal.has_value());
  const Signal& signal = *e.signal;
  EXPECT_TRUE(instrument.check_price(signal.stop).accepted());
  EXPECT_TRUE(instrument.check_price(signal.target).accepted());
  // Stop: demand bottom 1001.2 − 0.2·6 = 1000.0 → 12.34 below 1012.34; rounded up (toward entry).
  EXPECT_EQ(signal.stop, Price::parse("1000").value());
  const double risk = signal.entry.to_double() - signal.stop.to_double();
  const double reward = signal.target.to_double() - signal.entry.to_double();
  EXPECT_LE(reward, (1.0 + signal.confidence) * 12.34 + 1e-9);  // rounded down, never beyond
  EXPECT_GT(reward, risk);
  for (std::size_t idx = 0; idx < kFeatureCount; ++idx) EXPECT_TRUE(std::isfinite(signal.features[idx])) << kFeatureNames[idx];
  EXPECT_EQ(signal.features[0], 1.0);   // trend_1h_up
  EXPECT_EQ(signal.features[5], 1.0);   // trend_5m_down (5m close below its EMA)
  EXPECT_EQ(signal.features[15], signal.confidence);
  EXPECT_EQ(signal.features[27], 1.0);  // 13:00 UTC: US session
}

// range_position_7d: the entry's place in the week's 1h range, read in the trade's direction.
TEST(Strategies, RangePositionIsWhereTheEntrySitsInTheWeeksRangeForTheTradesSide) {
  MarketSnapshot s = bullish_snapshot();  // range 980..1020
  Signal signal;
  signal.time = s.time;
  signal.entry = Price::parse("1012").value();
  signal.stop = Price::parse("1000").value();
  signal.target = Price::parse("1030").value();
  signal.side = Side::kBuy;
  EXPECT_DOUBLE_EQ(build_features(s, signal)[kRangePosition], 32.0 / 40.0);  // a long near the week's high
  signal.side = Side::kSell;
  EXPECT_DOUBLE_EQ(build_features(s, signal)[kRangePosition], 8.0 / 40.0);  // a short near the high: against the week
  signal.entry = Price::parse("1030").value();  // beyond the last closed hour's week: a breakout
  EXPECT_DOUBLE_EQ(build_features(s, signal)[kRangePosition], 1.0 - 50.0 / 40.0);
  s.hour.range_low = s.hour.range_high;  // a flat week
  EXPECT_EQ(build_features(s, signal)[kRangePosition], 0.5);
  s.hour.range_high = s.hour.range_low = std::nan("");  // no range kept
  EXPECT_EQ(build_features(s, signal)[kRangePosition], 0.5);
}

// The 1h range the feature reads at a decision is that of the last 168 1h bars closed by
// then (fewer before a week has been seen), on real bars; the causality test above checks
// that the bars after the decision change nothing.
TEST(Strategies, TheRangeIsTheLastWeekOfClosedHourBars) {
  WINISWIN_SHARED_FILE(hour_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-1h-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(quarter_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-15m-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(five_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-5m-2025-09_10.csv.gz");
  const KlineSeries hour = load_klines(hour_path).value();
  SymbolReplay replay = SymbolReplay::create("BTCUSDT", hour, load_klines(quarter_path).value(), load_klines(five_path).value()).value();
  const Timestamp first = hour.bars.front().open_time;
  for (const std::int64_t hours_in : {3, 100, 167, 168, 169, 400}) {
    const Timestamp decision = first + Milliseconds{hours_in * 3'600'000 + 35 * 60'000};  // a 5m close inside an hour
    ASSERT_TRUE(replay.advance_to(decision).ok());
    double high = -1.0, low = 1e300;
    std::size_t counted = 0;
    for (auto bar = hour.bars.rbegin(); bar != hour.bars.rend() && counted < SymbolState::kWeekOfHours; ++bar) {
      if (bar->close_time >= decision) continue;  // not closed yet
      high = std::max(high, bar->high.to_double());
      low = std::min(low, bar->low.to_double());
      ++counted;
    }
    ASSERT_EQ(counted, std::min<std::size_t>(hours_in, SymbolState::kWeekOfHours)) << hours_in;
    const MarketSnapshot snapshot = snapshot_of(replay.state());
    EXPECT_EQ(snapshot.hour.range_high, high) << hours_in;
    EXPECT_EQ(snapshot.hour.range_low, low) << hours_in;
    EXPECT_TRUE(std::isnan(snapshot.quarter.range_high) && std::isnan(snapshot.five.range_low));  // kept on 1h only
  }
}

// A grid coarser than the stop distance: rounding toward the entry would put the stop on or
// past it, so there is no trade — for either side — rather than a stop on the wrong side.
TEST(Strategies, NoTradeWhenTheTickSwallowsTheStop) {
  for (const Side side : {Side::kBuy, Side::kSell}) {
    Signal signal;
    signal.side = side;
    signal.entry = Price::parse("1012.34").value();
    EXPECT_FALSE(place_stop_and_target(usdt_perpetual("100"), signal, 12.34, 1.5)) << name_of(side);
    EXPECT_TRUE(place_stop_and_target(usdt_perpetual("0.1"), signal, 12.34, 1.5)) << name_of(side);
    const bool ordered = side == Side::kBuy ? signal.stop < signal.entry && signal.entry < signal.target
                                            : signal.target < signal.entry && signal.entry < signal.stop;
    EXPECT_TRUE(ordered) << name_of(side);
  }
}

TEST(Strategies, RegistryAndRanking) {
  EXPECT_EQ(make_strategy("ict_smc").value()->name(), "ict_smc");
  EXPECT_EQ(make_strategy("ema_pullback").value()->name(), "ema_pullback");
  const auto unknown = make_strategy("martingale");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("known: ict_smc, ema_pullback"), std::string::npos);
  std::vector<Signal> signals(4);
  const double confidences[] = {0.3, 0.9, 0.5, 0.9};
  const char* symbols[] = {"A", "D", "B", "C"};
  for (int idx = 0; idx < 4; ++idx) signals[idx].confidence = confidences[idx], signals[idx].symbol = symbols[idx];
  const auto ranked = rank_signals(signals, 0.35);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].symbol, "C");  // ties by name
  EXPECT_EQ(ranked[1].symbol, "D");
  EXPECT_EQ(ranked[2].symbol, "B");
}

// On real BTC klines: the decision at T is the same whether or not later bars exist, and
// higher timeframes contribute only closed bars.
TEST(Strategies, RealDataDecisionsAreCausal) {
  WINISWIN_SHARED_FILE(hour_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-1h-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(quarter_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-15m-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(five_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-5m-2025-09_10.csv.gz");
  const KlineSeries hour = load_klines(hour_path).value();
  const KlineSeries quarter = load_klines(quarter_path).value();
  const KlineSeries five = load_klines(five_path).value();
  Instrument instrument = usdt_perpetual("0.1");
  instrument.symbol = "BTCUSDT";
  const Timestamp decision = timestamp_from_ms(1'760'000'000'000 / 300'000 * 300'000);  // 2025-10-09, a 5m close
  const auto decide = [&](bool truncate) {
    KlineSeries h = hour, q = quarter, f = five;
    if (truncate) {
      for (KlineSeries* series : {&h, &q, &f}) {
        std::erase_if(series->bars, [&](const Kline& bar) { return bar.close_time >= decision; });
      }
    }
    SymbolReplay replay = SymbolReplay::create("BTCUSDT", h, q, f).value();
    EXPECT_TRUE(replay.advance_to(decision).ok());
    EXPECT_LT(replay.state().hour.last_bar().close_time, decision);
    EXPECT_EQ(replay.state().five.last_bar().close_time + Milliseconds{1}, decision);
    return IctStrategy().evaluate(snapshot_of(replay.state()), instrument);
  };
  const Evaluation full = decide(false), truncated = decide(true);
  ASSERT_TRUE(full.signal.has_value()) << full.reason;
  ASSERT_TRUE(truncated.signal.has_value());
  EXPECT_EQ(full.signal->confidence, truncated.signal->confidence);
  EXPECT_EQ(full.signal->features, truncated.signal->features);
  EXPECT_EQ(full.signal->stop, truncated.signal->stop);
  EXPECT_GE(full.signal->confidence, 0.0);
  EXPECT_LE(full.signal->confidence, 1.0);
}


// The snapshot's normal ATR (sizing's volatility breaker) is the mean of the last 50 values
// of the 15m ATR(14) at the decision.
TEST(Strategies, NormalAtrIsTheMeanOfTheLastFiftyQuarterHourAtrs) {
  WINISWIN_SHARED_FILE(hour_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-1h-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(quarter_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-15m-2025-09_10.csv.gz");
  WINISWIN_SHARED_FILE(five_path, "data/klines/futures_um_ohlcv_only/BTCUSDT-5m-2025-09_10.csv.gz");
  const KlineSeries quarter = load_klines(quarter_path).value();
  SymbolReplay replay =
      SymbolReplay::create("BTCUSDT", load_klines(hour_path).value(), quarter, load_klines(five_path).value()).value();
  std::vector<double> atrs;
  for (std::size_t idx = 0; idx < 400; ++idx) {
    ASSERT_TRUE(replay.advance_to(quarter.bars[idx].close_time + Milliseconds{1}).ok());
    const double atr = replay.state().quarter.value(indicators::Column::kAtr);
    if (std::isfinite(atr)) atrs.push_back(atr);
  }
  ASSERT_GE(atrs.size(), 50u);
  double sum = 0;
  for (std::size_t idx = atrs.size() - 50; idx < atrs.size(); ++idx) sum += atrs[idx];
  const MarketSnapshot snapshot = snapshot_of(replay.state());
  EXPECT_NEAR(snapshot.normal_atr, sum / 50, 1e-9 * sum / 50);
  EXPECT_GT(snapshot.normal_atr, 0.0);
}

}  // namespace
}  // namespace winiswin::strategy
