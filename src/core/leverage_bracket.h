// One row of Binance's leverage brackets (GET /fapi/v1/leverageBracket): for positions
// whose notional lies in [notional_floor, notional_cap), the highest leverage allowed and
// the maintenance margin: MM = notional · maint_margin_ratio − cum (spec/filters-and-margin.md §2).
#pragma once

#include "core/fixed_point.h"

namespace winiswin {

struct LeverageBracket {
  int initial_leverage = 0;  // the highest leverage allowed in this bracket
  Notional notional_floor;
  Notional notional_cap;
  double maint_margin_ratio = 0.0;
  Notional cum;  // maintenance amount
};

}  // namespace winiswin
