#include "report/benchmark.h"

#include <gtest/gtest.h>

#include <vector>

namespace winiswin::report {
namespace {

TEST(Benchmark, EqualPartsOfEachSymbolHeldFromTheFirstOpenToTheLastClose) {
  const std::vector<HeldSymbol> held{{100.0, 110.0}, {50.0, 45.0}, {2.0, 3.0}};
  EXPECT_DOUBLE_EQ(*equal_weight_return(held), (0.10 - 0.10 + 0.50) / 3.0);
  EXPECT_FALSE(equal_weight_return({}).has_value());
  const std::vector<HeldSymbol> broken{{0.0, 1.0}};
  EXPECT_FALSE(equal_weight_return(broken).has_value());
}

}  // namespace
}  // namespace winiswin::report
