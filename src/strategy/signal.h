// What a strategy says about one symbol at one decision time.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "core/fixed_point.h"
#include "core/side.h"
#include "core/time.h"

namespace winiswin::strategy {

// The ML feature vector. Order and meaning are a contract with trained models: change
// them only together with kFeatureVersion. Every value is computed from closed bars only.
// v2 replaced v1's entry_log10 (the price level, which told symbols and periods apart rather
// than trades) by range_position_7d (strategy.cpp says what it is and why).
inline constexpr int kFeatureVersion = 2;
inline constexpr std::size_t kFeatureCount = 28;
inline constexpr std::array<std::string_view, kFeatureCount> kFeatureNames = {
    // trend one-hots: close above/below EMA20 on each timeframe
    "trend_1h_up", "trend_1h_down", "trend_15m_up", "trend_15m_down", "trend_5m_up", "trend_5m_down",
    // technical (5m unless named)
    "rsi_5m", "macd_5m_pct", "macd_hist_5m_pct", "natr_15m", "bb_width_5m", "bb_width_rank_5m",
    // price: the trade as proposed (range_position_7d over the 1h bars)
    "range_position_7d", "stop_distance_pct", "target_distance_pct", "confidence",
    // structure (15m), signed so +1 favours the signal's side
    "order_block_distance_atr", "order_block_strength", "liquidity_distance_atr", "structure_break", "swing_structure",
    // enhanced
    "atr_change_5m", "atr_change_15m", "adx_1h", "trend_strength", "momentum_5m_pct", "momentum_1h_pct",
    "market_session"};
using FeatureVector = std::array<double, kFeatureCount>;

// The five confidence components, each in [0, 1] before weighting.
struct ScoreComponents {
  double trend = 0.0;
  double structure = 0.0;
  double position = 0.0;
  double momentum = 0.0;
  double volatility = 0.0;
};

struct Signal {
  std::string symbol;
  std::string strategy;
  Timestamp time;  // the 5m close it was decided at
  Side side = Side::kBuy;
  double confidence = 0.0;  // in [0, 1]
  ScoreComponents components;
  Price entry;
  Price stop;
  Price target;
  FeatureVector features{};
  std::string notes;  // what shaped the score (penalties, missing inputs)
};

}  // namespace winiswin::strategy
