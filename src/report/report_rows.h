// The rows the HTML report reads, kept as the run records them: the real trades (the trade
// list and its tables need each one) and the equity curve, downsampled as it comes (see
// equity_curve.h) — not the equity points, virtual positions or refusals, which grow with the
// run's length.
#pragma once

#include <vector>

#include "journal/recorder.h"
#include "report/equity_curve.h"

namespace winiswin::report {

class ReportRows final : public journal::Recorder {
 public:
  explicit ReportRows(double starting_equity) : curve_(starting_equity) {}
  Status trade(const journal::TradeRecord& trade) override {
    trades_.push_back(trade);
    return Ok{};
  }
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

 private:
  std::vector<journal::TradeRecord> trades_;
  EquityCurve curve_;
};

}  // namespace winiswin::report
