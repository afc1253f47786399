// A journal whose writes of the chosen kinds fail ("disk full") and whose other writes succeed
// without keeping anything: what the engine, the ops tap and the notifier must do when the
// journal cannot record.
#pragma once

#include <string_view>

#include "core/error.h"
#include "journal/recorder.h"

namespace winiswin::testing {

class FailingRecorder final : public journal::Recorder {
 public:
  struct Failing {
    bool trades = false;
    bool orders = false;
  };
  static constexpr std::string_view kMessage = "disk full";

  explicit FailingRecorder(Failing failing) : failing_(failing) {}

  Status trade(const journal::TradeRecord&) override { return written(failing_.trades); }
  Status virtual_position(const journal::TradeRecord&) override { return Ok{}; }
  Status equity(const journal::EquityPoint&) override { return Ok{}; }
  Status refusal(const journal::RefusalRecord&) override { return Ok{}; }
  Status transition(const risk::StateTransition&) override { return Ok{}; }
  Status order(const journal::OrderRecord&) override { return written(failing_.orders); }
  Status fill(const journal::FillRecord&) override { return Ok{}; }

 private:
  static Status written(bool fails) { return fails ? Status(make_error(ErrorCode::kIo, std::string(kMessage))) : Status(Ok{}); }

  Failing failing_;
};

}  // namespace winiswin::testing
