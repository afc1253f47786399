// The JSON bodies of /api/*: the engine's status (from a StatusSnapshot) and the journal's
// rows (trades, equity). Times are UTC milliseconds with an ISO copy beside them ("…_utc");
// prices and money are numbers (the snapshot's doubles: display, not accounting).
#pragma once

#include <span>
#include <string>

#include "journal/records.h"
#include "ops/status_snapshot.h"

namespace winiswin::ops {

std::string state_json(const StatusSnapshot& status);
std::string positions_json(const StatusSnapshot& status);
std::string signals_json(const StatusSnapshot& status);
std::string virtual_json(const StatusSnapshot& status);
// GET /api/control: paused or not, and the latest control actions (newest last).
std::string controls_json(const StatusSnapshot& status);
// The answer to POST /api/control/…: {"action","symbol"?,"ok","result"}.
std::string control_answer_json(std::string_view action, std::string_view symbol, bool ok, std::string_view result);
// GET /api/events: the journal's newest transitions, breaker level changes and refusals.
std::string events_json(std::span<const risk::StateTransition> transitions, std::span<const journal::BreakerEvent> breaker,
                        std::span<const journal::RefusalRecord> refusals);
std::string trades_json(std::span<const journal::TradeRecord> trades);
std::string equity_json(std::span<const journal::EquityPoint> points);

}  // namespace winiswin::ops
