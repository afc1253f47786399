// Order and position sides.
#pragma once

#include <string_view>

namespace winiswin {

enum class Side { kBuy, kSell };

constexpr Side opposite(Side side) { return side == Side::kBuy ? Side::kSell : Side::kBuy; }
constexpr std::string_view name_of(Side side) { return side == Side::kBuy ? "BUY" : "SELL"; }

}  // namespace winiswin
