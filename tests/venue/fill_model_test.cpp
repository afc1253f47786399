#include "venue/fill_model.h"

#include <gtest/gtest.h>

#include "support/instruments.h"

namespace winiswin::venue {
namespace {

using testing::P;

Instrument tick_01() {
  return testing::instrument_with("TESTUSDT", {"0.1", "1000000", "0.1", "0.001", "1000", "0.001", "1000", "5"});
}

Kline bar(const char* open, const char* high, const char* low, const char* close) {
  Kline k;
  k.open = P(open), k.high = P(high), k.low = P(low), k.close = P(close);
  return k;
}

const FillModelConfig kNoSlippage{true, 0.0, 0.0};

TEST(FillModel, LongStopAndTargetEachAlone) {
  const Instrument instrument = tick_01();
  const auto stopped = first_exit(bar("100", "101", "97", "98"), Side::kBuy, P("98"), P("105"), instrument, kNoSlippage);
  ASSERT_TRUE(stopped.has_value());
  EXPECT_EQ(stopped->kind, ExitKind::kStop);
  EXPECT_EQ(stopped->price, P("98"));
  EXPECT_FALSE(stopped->gapped);
  const auto won = first_exit(bar("100", "106", "99", "105.5"), Side::kBuy, P("98"), P("105"), instrument, kNoSlippage);
  ASSERT_TRUE(won.has_value());
  EXPECT_EQ(won->kind, ExitKind::kTarget);
  EXPECT_EQ(won->price, P("105"));
  EXPECT_FALSE(first_exit(bar("100", "104", "99", "103"), Side::kBuy, P("98"), P("105"), instrument, kNoSlippage));
}

TEST(FillModel, ShortsMirrorLongs) {
  const Instrument instrument = tick_01();
  const auto stopped = first_exit(bar("100", "103", "99", "102"), Side::kSell, P("102"), P("95"), instrument, kNoSlippage);
  ASSERT_TRUE(stopped.has_value());
  EXPECT_EQ(stopped->kind, ExitKind::kStop);
  EXPECT_EQ(stopped->price, P("102"));
  const auto won = first_exit(bar("100", "101", "94", "96"), Side::kSell, P("102"), P("95"), instrument, kNoSlippage);
  EXPECT_EQ(won->kind, ExitKind::kTarget);
}

TEST(FillModel, BothTouchedCountsAsTheStopUnlessThePathDecides) {
  const Instrument instrument = tick_01();
  // Opens near the high: the path visits the high (target) first.
  const Kline both = bar("104.5", "106", "97", "100");
  EXPECT_EQ(first_exit(both, Side::kBuy, P("98"), P("105"), instrument, kNoSlippage)->kind, ExitKind::kStop);
  FillModelConfig path = kNoSlippage;
  path.both_touched_is_stop = false;
  EXPECT_EQ(first_exit(both, Side::kBuy, P("98"), P("105"), instrument, path)->kind, ExitKind::kTarget);
  // Opens near the low: the stop comes first either way.
  EXPECT_EQ(first_exit(bar("98.5", "106", "97", "100"), Side::kBuy, P("98"), P("105"), instrument, path)->kind,
            ExitKind::kStop);
}

TEST(FillModel, AGapThroughTheStopFillsAtTheOpen) {
  const Instrument instrument = tick_01();
  const auto gapped = first_exit(bar("95", "96", "94", "95.5"), Side::kBuy, P("98"), P("105"), instrument, kNoSlippage);
  ASSERT_TRUE(gapped.has_value());
  EXPECT_TRUE(gapped->gapped);
  EXPECT_EQ(gapped->price, P("95"));  // worse than the stop
  const auto gift = first_exit(bar("107", "108", "106", "107"), Side::kBuy, P("98"), P("105"), instrument, kNoSlippage);
  EXPECT_EQ(gift->kind, ExitKind::kTarget);
  EXPECT_EQ(gift->price, P("107"));  // a target gapped through fills better
}

TEST(FillModel, SlippageIsAlwaysAgainstThePositionAndStaysInTheBar) {
  const Instrument instrument = tick_01();
  const FillModelConfig config{true, 10.0, 0.1};  // 0.1 % + 10 % of the range
  // Long stop at 98 in a 101–97 bar: 98 − (0.098 + 0.4) = 97.502 → rounded down 97.5.
  const auto stopped = first_exit(bar("100", "101", "97", "98"), Side::kBuy, P("98"), std::nullopt, instrument, config);
  EXPECT_EQ(stopped->price, P("97.5"));
  // Short stop at 102 in a 103–99 bar: 102 + 0.102 + 0.4 = 102.502 → rounded up 102.6.
  const auto short_stop = first_exit(bar("100", "103", "99", "102"), Side::kSell, P("102"), std::nullopt, instrument, config);
  EXPECT_EQ(short_stop->price, P("102.6"));
  // Never beyond the bar: a stop at the low cannot fill below it.
  const auto floor = first_exit(bar("100", "101", "97", "98"), Side::kBuy, P("97"), std::nullopt, instrument, config);
  EXPECT_EQ(floor->price, P("97"));
  EXPECT_EQ(market_fill(P("100"), Side::kBuy, bar("100", "101", "97", "98"), instrument, config), P("100.5"));  // + 0.1 + 0.4
}

}  // namespace
}  // namespace winiswin::venue
