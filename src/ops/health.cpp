#include "ops/health.h"

#include <algorithm>

#include <fmt/format.h>

#include "net/json_writer.h"

namespace winiswin::ops {
namespace {

HealthCheck recent(std::string name, std::optional<Timestamp> last, Timestamp now, Milliseconds max_age, std::string_view what) {
  if (!last) return {std::move(name), false, fmt::format("no {} yet", what)};
  const auto age = std::chrono::duration_cast<Milliseconds>(now - *last);
  const bool ok = age <= max_age;
  return {std::move(name), ok, fmt::format("last {} {:.1f} s ago (limit {:.0f} s)", what, static_cast<double>(age.count()) / 1000.0,
                                           static_cast<double>(max_age.count()) / 1000.0)};
}

}  // namespace

bool HealthReport::healthy() const {
  return std::all_of(checks.begin(), checks.end(), [](const HealthCheck& check) { return check.ok; });
}

std::string HealthReport::to_json() const {
  net::JsonWriter json;
  json.begin_object().field("status", healthy() ? "ok" : "failing").field("paused", paused).key("failing").begin_array();
  for (const HealthCheck& check : checks) {
    if (!check.ok) json.value(check.name);
  }
  json.end_array().key("checks").begin_object();
  for (const HealthCheck& check : checks) {
    json.key(check.name).begin_object().field("ok", check.ok).field("detail", check.detail).end_object();
  }
  return json.end_object().end_object().take();
}

HealthReport check_health(const StatusBoard& board, Timestamp now, const HealthLimits& limits) {
  HealthReport report;
  report.checks.push_back(recent("decision_loop", board.last_beat(), now, limits.loop_max_age, "loop round"));
  report.checks.push_back(recent("market_data_fresh", board.last_market_data(), now, limits.market_data_max_age, "bar received"));
  const std::shared_ptr<const StatusSnapshot> status = board.latest();
  if (!status) {
    for (const char* name : {"venue_reachable", "reconciliation_done", "breaker", "journal_writable"}) {
      report.checks.push_back({name, false, "no status published yet (starting)"});
    }
    return report;
  }
  report.paused = status->paused;
  report.checks.push_back({"venue_reachable", status->venue_reachable,
                           status->venue_reachable ? "served" : "a venue step failed 3 times in a row"});
  report.checks.push_back({"reconciliation_done", status->reconciliation_done,
                           status->reconciliation_done ? "done" : "start-up reconciliation not done"});
  const bool breaker_ok = status->breaker != risk::BreakerLevel::kEmergency;
  report.checks.push_back({"breaker", breaker_ok, std::string(risk::name_of(status->breaker))});
  report.checks.push_back({"journal_writable", status->journal_writable,
                           status->journal_writable ? "last write succeeded" : "the last journal write failed"});
  return report;
}

}  // namespace winiswin::ops
