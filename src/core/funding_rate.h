// One funding event of a perpetual, as /fapi/v1/fundingRate reports it. Binance stamps
// many a few milliseconds past the hour (1758268800005): times stay exactly as reported.
#pragma once

#include "core/fixed_point.h"
#include "core/time.h"

namespace winiswin {

struct FundingRate {
  Timestamp time;
  Ratio rate;  // e.g. 0.0001 = 0.01 % of position notional; longs pay shorts when positive
  bool operator==(const FundingRate&) const = default;
};

}  // namespace winiswin
