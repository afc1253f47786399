#include <gtest/gtest.h>

#include <simdjson.h>

#include "ops/health.h"

namespace winiswin::ops {
namespace {

constexpr Timestamp kNow = timestamp_from_ms(10'000'000);

StatusSnapshot healthy_snapshot() {
  StatusSnapshot status;
  status.reconciliation_done = true;
  return status;
}

StatusBoard& warm(StatusBoard& board, StatusSnapshot status) {
  board.publish(std::move(status));
  board.beat(kNow - Milliseconds{500});
  board.market_data_received(kNow - Milliseconds{60'000});
  return board;
}

std::vector<std::string> failing(const HealthReport& report) {
  std::vector<std::string> names;
  for (const HealthCheck& check : report.checks) {
    if (!check.ok) names.push_back(check.name);
  }
  return names;
}

TEST(Health, WarmAndServedIsHealthy) {
  StatusBoard board;
  const HealthReport report = check_health(warm(board, healthy_snapshot()), kNow, HealthLimits{});
  EXPECT_TRUE(report.healthy()) << report.to_json();
  EXPECT_EQ(report.checks.size(), 6u);
}

TEST(Health, StartingFailsEveryCheck) {
  StatusBoard board;
  const HealthReport report = check_health(board, kNow, HealthLimits{});
  EXPECT_FALSE(report.healthy());
  EXPECT_EQ(failing(report).size(), 6u);
}

TEST(Health, EachConditionFailsItsOwnCheck) {
  struct Case {
    std::string check;
    std::function<void(StatusSnapshot&)> spoil;
  };
  const std::vector<Case> cases{
      {"venue_reachable", [](StatusSnapshot& s) { s.venue_reachable = false; }},
      {"reconciliation_done", [](StatusSnapshot& s) { s.reconciliation_done = false; }},
      {"breaker", [](StatusSnapshot& s) { s.breaker = risk::BreakerLevel::kEmergency; }},
      {"journal_writable", [](StatusSnapshot& s) { s.journal_writable = false; }},
  };
  for (const Case& spoiled : cases) {
    StatusSnapshot status = healthy_snapshot();
    spoiled.spoil(status);
    StatusBoard board;
    const HealthReport report = check_health(warm(board, status), kNow, HealthLimits{});
    EXPECT_EQ(failing(report), std::vector<std::string>{spoiled.check});
  }
  StatusSnapshot critical = healthy_snapshot();
  critical.breaker = risk::BreakerLevel::kCritical;
  StatusBoard board;
  EXPECT_TRUE(check_health(warm(board, critical), kNow, HealthLimits{}).healthy()) << "only EMERGENCY fails the breaker check";
}

TEST(Health, StaleMarketDataAndAStalledLoopFailWithTheirAge) {
  StatusBoard board;
  warm(board, healthy_snapshot());
  HealthLimits limits;
  limits.market_data_max_age = Milliseconds{30'000};
  limits.loop_max_age = Milliseconds{200};
  const HealthReport report = check_health(board, kNow, limits);
  EXPECT_EQ(failing(report), (std::vector<std::string>{"decision_loop", "market_data_fresh"}));
  simdjson::dom::parser parser;
  const simdjson::dom::element json = parser.parse(report.to_json()).value();
  EXPECT_EQ(std::string_view(json["status"].get_string().value()), "failing");
  EXPECT_EQ(json["failing"].get_array().size(), 2u);
  EXPECT_EQ(std::string_view(json["checks"]["market_data_fresh"]["detail"].get_string().value()), "last bar received 60.0 s ago (limit 30 s)");
  EXPECT_TRUE(json["checks"]["breaker"]["ok"].get_bool().value());
}

}  // namespace
}  // namespace winiswin::ops
