#include "core/instrument.h"

#include <gtest/gtest.h>

#include "support/instruments.h"

namespace winiswin {
namespace {

using testing::P;
using testing::Q;

Instrument btc() { return testing::btcusdt(); }

// Grids that do not start at zero: price minPrice 0.00013, tick 0.00005 (valid: 0.00013,
// 0.00018, …); quantity minQty 3, step 2 (valid: 3, 5, 7, …).
Instrument offset_grid() {
  return testing::instrument_with("ODDUSDT", {"0.00013", "2", "0.00005", "3", "1000000", "2", "1000000", "5"});
}

TEST(InstrumentRounding, PriceRoundsDownAndUpToTheTick) {
  const Instrument instrument = btc();
  EXPECT_EQ(instrument.round_price_down(P("117043.47")), P("117043.4"));
  EXPECT_EQ(instrument.round_price_up(P("117043.47")), P("117043.5"));
  EXPECT_EQ(instrument.round_price_down(P("117043.40000001")), P("117043.4"));
  EXPECT_EQ(instrument.round_price_up(P("117043.40000001")), P("117043.5"));
}

TEST(InstrumentRounding, PriceAlreadyOnTheTickIsUnchangedEitherWay) {
  const Instrument instrument = btc();
  for (const char* text : {"261.1", "117043.4", "809484", "1000.0"}) {
    EXPECT_EQ(instrument.round_price_down(P(text)), P(text)) << text;
    EXPECT_EQ(instrument.round_price_up(P(text)), P(text)) << text;
    EXPECT_TRUE(instrument.check_price(P(text)).accepted()) << text;
  }
}

TEST(InstrumentRounding, GridIsAnchoredAtMinPriceLikeBinance) {
  const Instrument instrument = offset_grid();
  EXPECT_EQ(instrument.round_price_down(P("0.0002")), P("0.00018"));
  EXPECT_EQ(instrument.round_price_up(P("0.0002")), P("0.00023"));
  EXPECT_TRUE(instrument.check_price(P("0.00023")).accepted());
  const FilterCheck off_grid = instrument.check_price(P("0.0002"));
  EXPECT_EQ(off_grid.violation, FilterViolation::kPriceNotOnTick);
  EXPECT_NE(off_grid.reason.find("ODDUSDT"), std::string::npos);
  EXPECT_NE(off_grid.reason.find("0.00005"), std::string::npos);
}

TEST(InstrumentRounding, TinyAndHugeValues) {
  Instrument tiny;
  tiny.symbol = "1000XUSDT";
  tiny.price_filter = PriceFilter{P("0.0000001"), P("200"), P("0.0000001")};  // the finest tick Binance lists
  EXPECT_EQ(tiny.round_price_down(P("0.00000019")), P("0.0000001"));
  EXPECT_EQ(tiny.round_price_up(P("0.00000011")), P("0.0000002"));
  EXPECT_EQ(tiny.round_price_down(P("0.00000001")), P("0"));  // below the first tick: 0, which check_price rejects
  EXPECT_FALSE(tiny.check_price(tiny.round_price_down(P("0.00000001"))).accepted());
  const Instrument instrument = btc();
  EXPECT_EQ(instrument.round_price_down(P("90000000000.05")), P("90000000000"));
  EXPECT_EQ(instrument.round_price_up(P("90000000000.05")), P("90000000000.1"));
}

TEST(InstrumentRounding, ZeroTickDisablesTheTickRule) {
  Instrument instrument = btc();
  instrument.price_filter.tick_size = Price{};
  EXPECT_EQ(instrument.round_price_down(P("117043.47")), P("117043.47"));
  EXPECT_TRUE(instrument.check_price(P("117043.47")).accepted());
}

TEST(InstrumentRounding, QuantityOnlyRoundsDownOnItsOwnStep) {
  const Instrument instrument = btc();
  EXPECT_EQ(instrument.round_quantity_down(Q("0.0019999"), OrderKind::kLimit), Q("0.001"));
  EXPECT_EQ(instrument.round_quantity_down(Q("0.002"), OrderKind::kLimit), Q("0.002"));
  EXPECT_EQ(instrument.round_quantity_down(Q("0.0009"), OrderKind::kLimit), Q("0"));
  const Instrument odd = offset_grid();
  EXPECT_EQ(odd.round_quantity_down(Q("6.9"), OrderKind::kLimit), Q("5"));
  EXPECT_EQ(odd.round_quantity_down(Q("7"), OrderKind::kMarket), Q("7"));
}

TEST(InstrumentFilters, QuantityLimitsFollowTheOrderKind) {
  const Instrument instrument = btc();
  EXPECT_TRUE(instrument.check_quantity(Q("500"), OrderKind::kLimit).accepted());
  EXPECT_EQ(instrument.check_quantity(Q("500"), OrderKind::kMarket).violation, FilterViolation::kQuantityAboveMax);
  EXPECT_EQ(instrument.check_quantity(Q("0.0005"), OrderKind::kLimit).violation, FilterViolation::kQuantityBelowMin);
  EXPECT_EQ(instrument.check_quantity(Q("0"), OrderKind::kLimit).violation, FilterViolation::kQuantityBelowMin);
  EXPECT_EQ(instrument.check_quantity(Q("0.0015"), OrderKind::kLimit).violation, FilterViolation::kQuantityNotOnStep);
  EXPECT_EQ(offset_grid().check_quantity(Q("4"), OrderKind::kLimit).violation, FilterViolation::kQuantityNotOnStep);
}

TEST(InstrumentFilters, PriceLimits) {
  const Instrument instrument = btc();
  EXPECT_EQ(instrument.check_price(P("261.0")).violation, FilterViolation::kPriceBelowMin);
  EXPECT_EQ(instrument.check_price(P("809484.1")).violation, FilterViolation::kPriceAboveMax);
  EXPECT_EQ(instrument.check_price(P("-1")).violation, FilterViolation::kPriceBelowMin);
}

TEST(InstrumentFilters, MinNotionalAtTheEdge) {
  const Instrument instrument = btc();
  EXPECT_TRUE(instrument.check_min_notional(P("100000"), Q("0.001")).accepted());   // exactly 100
  EXPECT_FALSE(instrument.check_min_notional(P("99999.9"), Q("0.001")).accepted());  // 99.9999
  const FilterCheck rejected = instrument.check_min_notional(P("50000"), Q("0.001"));
  EXPECT_EQ(rejected.violation, FilterViolation::kNotionalBelowMin);
  EXPECT_NE(rejected.reason.find("MIN_NOTIONAL 100"), std::string::npos);
}

TEST(InstrumentFilters, MinTradableQuantityMeetsEveryFilter) {
  const Instrument instrument = btc();
  // 100 / 117043.4 = 0.000854… → the first step at or above it is 0.001 (minQty).
  EXPECT_EQ(instrument.min_tradable_quantity(P("117043.4"), OrderKind::kLimit).value(), Q("0.001"));
  // 100 / 30000 = 0.00333… → 0.004.
  const Quantity quantity = instrument.min_tradable_quantity(P("30000"), OrderKind::kLimit).value();
  EXPECT_EQ(quantity, Q("0.004"));
  EXPECT_TRUE(instrument.check_min_notional(P("30000"), quantity).accepted());
  EXPECT_FALSE(instrument.check_min_notional(P("30000"), quantity - Q("0.001")).accepted());
  // A price so low that min notional needs more than maxQty.
  EXPECT_FALSE(instrument.min_tradable_quantity(P("0.5"), OrderKind::kMarket).ok());  // 200 > maxQty 120
  const Instrument odd = offset_grid();
  const Quantity odd_quantity = odd.min_tradable_quantity(P("1"), OrderKind::kLimit).value();  // 5 → on grid 3,5,…
  EXPECT_EQ(odd_quantity, Q("5"));
  EXPECT_TRUE(odd.check_quantity(odd_quantity, OrderKind::kLimit).accepted());
}

TEST(Instrument, TradableMeansTradingUsdtPerpetual) {
  Instrument instrument = btc();
  instrument.quote_asset = "USDT";
  EXPECT_TRUE(instrument.is_tradable_usdt_perpetual());
  instrument.status = parse_instrument_status("SETTLING");
  EXPECT_FALSE(instrument.is_tradable_usdt_perpetual());
  instrument.status = InstrumentStatus::kTrading;
  instrument.contract_type = parse_contract_type("CURRENT_QUARTER");
  EXPECT_FALSE(instrument.is_tradable_usdt_perpetual());
  EXPECT_EQ(parse_contract_type(""), ContractType::kOther);
  EXPECT_EQ(name_of(parse_instrument_status("PENDING_TRADING")), "PENDING_TRADING");
}

}  // namespace
}  // namespace winiswin
