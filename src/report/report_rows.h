// The rows the HTML report reads, kept as the run records them: the real trades (the trade
// list and its tables need each one), the equity curve, downsampled as it comes (see
// equity_curve.h), and the 15m zones the strategy saw around the trades (trade_zones.h; the
// backtest hands them to `add_zones` through BacktestConfig::on_zones) — not the equity points,
// virtual positions, refusals or every zone, which grow with the run's length.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "journal/recorder.h"
#include "report/candle_chart.h"
#include "report/equity_curve.h"
#include "report/trade_zones.h"

namespace winiswin::report {

class ReportRows final : public journal::Recorder {
 public:
  // `max_holding`: the longest a trade is held (the zones ended are kept that long, and the
  // chart's window before an entry and the hour the zones come ahead, to wait for a trade).
  explicit ReportRows(double starting_equity, Milliseconds max_holding = std::chrono::hours{24})
      : curve_(starting_equity),
        zones_(kBarsBefore * kFiveMinutes, kBarsAfter * kFiveMinutes, max_holding + kBarsBefore * kFiveMinutes + std::chrono::hours{2}) {}
  Status trade(const journal::TradeRecord& trade) override {
    trades_.push_back(trade);
    zones_.on_trade(trade);
    return Ok{};
  }
  void add_zones(const std::string& symbol, std::span<const structure::ZoneChange> changes) { zones_.on_changes(symbol, changes); }
  Status equity(const journal::EquityPoint& point) override {
    curve_.add(point);
    return Ok{};
  }
  Status virtual_position(const journal::TradeRecord&) override { return Ok{}; }
  Status refusal(const journal::RefusalRecord&) override { return Ok{}; }
  Status transition(const risk::StateTransition&) override { return Ok{}; }
  Status order(const journal::OrderRecord&) override { return Ok{}; }
  Status fill(const journal::FillRecord&) override { return Ok{}; }

  [[nodiscard]] const std::vector<journal::TradeRecord>& trades() const { return trades_; }
  [[nodiscard]] const EquityCurve& curve() const { return curve_; }
  [[nodiscard]] const TradeZones& zones() const { return zones_; }

 private:
  static constexpr Milliseconds kFiveMinutes{300'000};
  std::vector<journal::TradeRecord> trades_;
  EquityCurve curve_;
  TradeZones zones_;
};

}  // namespace winiswin::report
