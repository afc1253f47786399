#include "core/fixed_point.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace winiswin {
namespace {

TEST(FixedPoint, ParsesDecimalTextExactly) {
  EXPECT_EQ(Price::parse("117100.0").value().raw(), 11'710'000'000'000);
  EXPECT_EQ(Price::parse("0.0001").value().raw(), 10'000);
  EXPECT_EQ(Price::parse("0.00000010").value().raw(), 10);  // trailing zeros past the 8th decimal
  EXPECT_EQ(Price::parse("110608.42346014").value().raw(), 11'060'842'346'014);
  EXPECT_EQ(Ratio::parse("-0.00000231").value().raw(), -231);
  EXPECT_EQ(Price::parse("9").value().raw(), 900'000'000);  // integer prices in Binance dumps
  EXPECT_EQ(Quantity::parse("1e-05").value().raw(), 1000);
  EXPECT_EQ(Quantity::parse("2.5E3").value().raw(), 250'000'000'000);
  EXPECT_EQ(Price::parse("+1.5").value().raw(), 150'000'000);
  EXPECT_EQ(Price::parse(".5").value().raw(), 50'000'000);
}

TEST(FixedPoint, RejectsWhatItCannotRepresent) {
  for (const char* text : {"", "-", ".", "nan", "NaN", "inf", "1.2.3", "1,5", "12a", "1e", "0x10", " 1"}) {
    EXPECT_FALSE(Price::parse(text).ok()) << text;
  }
  const auto too_fine = Price::parse("0.000000001");
  ASSERT_FALSE(too_fine.ok());
  EXPECT_NE(too_fine.error().message.find("more than 8 decimals"), std::string::npos);
  EXPECT_FALSE(Notional::parse("92233720368.54775808").ok());  // one raw unit past int64
  EXPECT_TRUE(Notional::parse("92233720368.54775807").ok());
  EXPECT_FALSE(Price::parse("1e30").ok());
}

TEST(FixedPoint, FormatsShortestExactDecimal) {
  EXPECT_EQ(Price::from_raw(11'710'000'000'000).to_string(), "117100");
  EXPECT_EQ(Price::from_raw(10'000).to_string(), "0.0001");
  EXPECT_EQ(Price::from_raw(-231).to_string(), "-0.00000231");
  EXPECT_EQ(Price::from_raw(std::numeric_limits<std::int64_t>::min()).to_string(), "-92233720368.54775808");
  EXPECT_EQ(Price::parse("0.1").value().to_string(2), "0.10");
  EXPECT_EQ(Price::parse("5").value().to_string(4), "5.0000");
  EXPECT_THROW((void)Price::parse("0.123").value().to_string(2), std::invalid_argument);
}

TEST(FixedPoint, TextRoundTripsForRandomValues) {
  std::mt19937_64 random(7);
  for (int trial = 0; trial < 20'000; ++trial) {
    const auto raw = static_cast<std::int64_t>(random());
    const Price price = Price::from_raw(raw);
    EXPECT_EQ(Price::parse(price.to_string()).value(), price) << raw;
  }
}

TEST(FixedPoint, FromDoubleRoundsToNearestInsteadOfTruncating) {
  // 0.29 * 1e8 = 28999999.999999996 in binary: truncation would lose a unit.
  EXPECT_EQ(Price::from_double(0.29).value().raw(), 29'000'000);
  EXPECT_EQ(Price::from_double(1.005).value().raw(), 100'500'000);
  EXPECT_EQ(Price::from_double(-0.00000001).value().raw(), -1);
  EXPECT_FALSE(Price::from_double(std::numeric_limits<double>::quiet_NaN()).ok());
  EXPECT_FALSE(Price::from_double(std::numeric_limits<double>::infinity()).ok());
  EXPECT_FALSE(Price::from_double(1e11).ok());
}

// from_double rounds half away from zero, as std::round does, on every kind of value:
// exact halves, just below them, negatives, and magnitudes where doubles are integers.
TEST(FixedPoint, FromDoubleMatchesStdRoundEverywhere) {
  std::mt19937_64 random(11);
  std::vector<double> values;
  for (const double scaled : {0.5, 1.5, 2.5, -0.5, -1.5, 0.49999999999999994, -0.49999999999999994, 4503599627370495.5,
                              4503599627370497.0, 9007199254740993.0, 9.1e18, -9.1e18}) {
    values.push_back(scaled / 1e8);
    values.push_back(std::nextafter(scaled / 1e8, 0.0));
  }
  for (int idx = 0; idx < 200'000; ++idx) {
    const double magnitude = std::pow(10.0, static_cast<double>(random() % 19) - 8.0);  // 1e-8 … 1e10
    const double sign = random() % 2 ? 1.0 : -1.0;
    values.push_back(sign * magnitude * static_cast<double>(random() % 1'000'000) / 1e5);
    values.push_back(sign * (static_cast<double>(random() % 100'000'000) + 0.5) / 1e8);  // halves of a unit
  }
  for (const double value : values) {
    const double expected = std::round(value * 1e8);
    if (std::fabs(expected) >= 9.2e18) continue;
    ASSERT_EQ(Price::from_double(value).value().raw(), static_cast<std::int64_t>(expected)) << value;
  }
}

TEST(FixedPoint, ArithmeticIsExactAndOverflowIsLoud) {
  const Price a = Price::parse("0.1").value();
  const Price b = Price::parse("0.2").value();
  EXPECT_EQ(a + b, Price::parse("0.3").value());  // the classic double failure
  EXPECT_EQ(b - a, a);
  EXPECT_EQ(a * 3, Price::parse("0.3").value());
  const Price huge = Price::from_raw(std::numeric_limits<std::int64_t>::max());
  EXPECT_THROW((void)(huge + Price::from_raw(1)), std::overflow_error);
  EXPECT_FALSE(huge.checked_add(Price::from_raw(1)).ok());
  EXPECT_TRUE(huge.checked_add(Price::from_raw(-1)).ok());
}

TEST(FixedPoint, NotionalRoundsInTheNamedDirection) {
  const Price price = Price::parse("0.1234567").value();
  const Quantity quantity = Quantity::parse("0.001").value();
  // Exact product 0.0001234567 has 10 decimals.
  EXPECT_EQ(notional_of(price, quantity, Rounding::kDown), Notional::parse("0.00012345").value());
  EXPECT_EQ(notional_of(price, quantity, Rounding::kUp), Notional::parse("0.00012346").value());
  EXPECT_EQ(notional_of(Price::parse("117100.5").value(), Quantity::parse("1000").value(), Rounding::kDown),
            Notional::parse("117100500").value());
  // Huge but in range: 1e6 price × 4e4 quantity = 4e10 via the 128-bit intermediate.
  EXPECT_EQ(notional_of(Price::from_units(1'000'000), Quantity::from_units(40'000), Rounding::kDown),
            Notional::from_units(40'000'000'000));
}

TEST(FixedPoint, NotionalComparisonIsExact) {
  const Notional five = Notional::from_units(5);
  EXPECT_TRUE(notional_at_least(Price::parse("0.5").value(), Quantity::from_units(10), five));
  EXPECT_FALSE(notional_at_least(Price::parse("0.49999999").value(), Quantity::from_units(10), five));
  // 0.1234567 × 40.5 = 4.99999635: rounding up to 8 decimals would still say < 5, but
  // 0.1234568 × 40.5 = 5.0000004 passes.
  EXPECT_FALSE(notional_at_least(Price::parse("0.1234567").value(), Quantity::parse("40.5").value(), five));
  EXPECT_TRUE(notional_at_least(Price::parse("0.1234568").value(), Quantity::parse("40.5").value(), five));
}

}  // namespace
}  // namespace winiswin
