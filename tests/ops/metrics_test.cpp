#include <gtest/gtest.h>

#include <simdjson.h>

#include "ops/prometheus.h"
#include "support/prometheus_parser.h"

namespace winiswin::ops {
namespace {

StatusSnapshot busy_snapshot() {
  StatusSnapshot status;
  status.mode = "paper";
  status.state = risk::TradingState::kCautious;
  status.reconciliation_done = true;
  status.breaker = risk::BreakerLevel::kWarning;
  status.equity = 10'123.25;
  status.drawdown = 0.0625;
  status.positions.resize(2);
  status.virtuals.resize(5);
  status.decisions = 42;
  status.signals_ranked = 130;
  status.activity.orders_sent = 9;
  status.activity.orders_accepted = 7;
  status.activity.fills = 6;
  status.activity.rejects_by_code = {{-2019, 2}, {-4164, 1}};
  status.market_reconnects = 3;
  status.user_stream_reconnects = 2;
  for (const double seconds : {0.0004, 0.003, 0.003, 0.2, 9.0}) status.cycle_latency.observe(seconds);
  for (const double seconds : {0.00003, 0.00007, 0.0002, 0.0002, 0.02}) status.activity.journal_latency.observe(seconds);
  status.request_weight_used = 37;
  status.paused = true;
  return status;
}

// The value of the sample of `family` whose labels hold `label`=`value` (or the unlabelled one).
std::string sample_value(simdjson::dom::element families, std::string_view family, std::string_view label = {}, std::string_view value = {}) {
  for (simdjson::dom::element entry : families.get_array()) {
    if (std::string_view(entry["name"].get_string().value()) != family) continue;
    for (simdjson::dom::element sample : entry["metrics"].get_array()) {
      if (label.empty()) return std::string(sample["value"].get_string().value());
      simdjson::dom::element labels;
      if (sample["labels"].get(labels) != simdjson::SUCCESS) continue;
      std::string_view found;
      if (labels[label].get(found) == simdjson::SUCCESS && found == value) return std::string(sample["value"].get_string().value());
    }
  }
  return "<absent>";
}

TEST(PrometheusMetrics, ParsedByAThirdPartyParserWithTheSnapshotsValues) {
  WINISWIN_REQUIRE_PROMETHEUS_PARSER();
  StatusBoard board;
  board.publish(busy_snapshot());
  board.market_data_received(timestamp_from_ms(1'000'000));
  board.beat(timestamp_from_ms(1'000'000));
  const HealthReport health = check_health(board, timestamp_from_ms(1'030'000), HealthLimits{});
  const ProcessStats process{12.5, 64.0 * 1024 * 1024, 512.0 * 1024 * 1024, 1.7e9, 17};
  NotificationCounters sent;
  sent.queued = 12;
  sent.delivered = 9;
  sent.dropped_routine = 4;
  sent.dropped_matters = 1;
  sent.retries = 6;
  sent.rate_limited = 2;
  sent.queue_depth = 3;
  sent.last_delivered = timestamp_from_ms(1'029'500);
  const std::string text = render_metrics(board, health, timestamp_from_ms(1'030'000), process, sent);
  const auto parsed = testing::parse_exposition(text);
  ASSERT_EQ(parsed.exit_code, 0) << parsed.errors << "\n" << text;
  simdjson::dom::parser parser;
  const simdjson::dom::element families = parser.parse(parsed.json).value();
  EXPECT_EQ(sample_value(families, "winiswin_equity_usdt"), "10123.25");
  EXPECT_EQ(sample_value(families, "winiswin_drawdown_ratio"), "0.0625");
  EXPECT_EQ(sample_value(families, "winiswin_open_positions"), "2");
  EXPECT_EQ(sample_value(families, "winiswin_virtual_positions"), "5");
  EXPECT_EQ(sample_value(families, "winiswin_order_rejects_total", "code", "-2019"), "2");
  EXPECT_EQ(sample_value(families, "winiswin_order_rejects_total", "code", "-4164"), "1");
  EXPECT_EQ(sample_value(families, "winiswin_breaker_level"), "1");
  EXPECT_EQ(sample_value(families, "winiswin_breaker", "level", "WARNING"), "1");
  EXPECT_EQ(sample_value(families, "winiswin_breaker", "level", "NORMAL"), "0");
  EXPECT_EQ(sample_value(families, "winiswin_trading_state", "state", "CAUTIOUS"), "1");
  EXPECT_EQ(sample_value(families, "winiswin_market_stream_reconnects_total"), "3");
  EXPECT_EQ(sample_value(families, "winiswin_market_data_age_seconds"), "30");
  EXPECT_EQ(sample_value(families, "process_resident_memory_bytes"), "67108864");
  EXPECT_EQ(sample_value(families, "process_cpu_seconds_total"), "12.5");
  EXPECT_EQ(sample_value(families, "winiswin_check_ok", "check", "market_data_fresh"), "1");
  EXPECT_EQ(sample_value(families, "winiswin_healthy"), "1");
  EXPECT_EQ(sample_value(families, "winiswin_request_weight_used"), "37");
  EXPECT_EQ(sample_value(families, "winiswin_paused"), "1");
  EXPECT_EQ(sample_value(families, "winiswin_user_stream_reconnects_total"), "2");
  EXPECT_EQ(sample_value(families, "winiswin_notifications_queued_total"), "12");
  EXPECT_EQ(sample_value(families, "winiswin_notifications_delivered_total"), "9");
  EXPECT_EQ(sample_value(families, "winiswin_notifications_dropped_total", "importance", "routine"), "4");
  EXPECT_EQ(sample_value(families, "winiswin_notifications_dropped_total", "importance", "matters"), "1");
  EXPECT_EQ(sample_value(families, "winiswin_notification_retries_total"), "6");
  EXPECT_EQ(sample_value(families, "winiswin_notification_rate_limited_total"), "2");
  EXPECT_EQ(sample_value(families, "winiswin_notification_queue_depth"), "3");
  EXPECT_EQ(sample_value(families, "winiswin_notification_last_delivered_timestamp_seconds"), "1029.5");
  // The journal's write latency on its own, finer bounds: 5 writes, 2 within 100 µs, 4 within 250 µs.
  bool journal_seen = false;
  for (simdjson::dom::element entry : families.get_array()) {
    if (std::string_view(entry["name"].get_string().value()) != "winiswin_journal_write_latency_seconds") continue;
    journal_seen = true;
    const simdjson::dom::element only = entry["metrics"].at(0).value();
    EXPECT_EQ(std::string_view(only["count"].get_string().value()), "5");
    EXPECT_EQ(std::string_view(only["buckets"]["5e-05"].get_string().value()), "1") << simdjson::to_string(only["buckets"]);
    EXPECT_EQ(std::string_view(only["buckets"]["0.0001"].get_string().value()), "2");
    EXPECT_EQ(std::string_view(only["buckets"]["0.00025"].get_string().value()), "4");
    EXPECT_EQ(std::string_view(only["buckets"]["+Inf"].get_string().value()), "5");
  }
  EXPECT_TRUE(journal_seen);
  // The histogram: the parser groups its buckets; 5 cycles, 4 of them within 5 s.
  bool histogram_seen = false;
  for (simdjson::dom::element entry : families.get_array()) {
    if (std::string_view(entry["name"].get_string().value()) != "winiswin_decision_cycle_seconds") continue;
    histogram_seen = true;
    EXPECT_EQ(std::string_view(entry["type"].get_string().value()), "HISTOGRAM");
    const simdjson::dom::element only = entry["metrics"].at(0).value();
    EXPECT_EQ(std::string_view(only["count"].get_string().value()), "5");
    EXPECT_EQ(std::string_view(only["buckets"]["0.001"].get_string().value()), "1");
    EXPECT_EQ(std::string_view(only["buckets"]["0.005"].get_string().value()), "3");
    EXPECT_EQ(std::string_view(only["buckets"]["0.25"].get_string().value()), "4");
    EXPECT_EQ(std::string_view(only["buckets"]["5"].get_string().value()), "4");
    EXPECT_EQ(std::string_view(only["buckets"]["+Inf"].get_string().value()), "5");
  }
  EXPECT_TRUE(histogram_seen);
}

TEST(PrometheusMetrics, BeforeTheFirstSnapshotOnlyLivenessAndTheFailingChecks) {
  WINISWIN_REQUIRE_PROMETHEUS_PARSER();
  StatusBoard board;
  const HealthReport health = check_health(board, timestamp_from_ms(0), HealthLimits{});
  const std::string text = render_metrics(board, health, timestamp_from_ms(0), std::nullopt);
  const auto parsed = testing::parse_exposition(text);
  ASSERT_EQ(parsed.exit_code, 0) << parsed.errors << "\n" << text;
  simdjson::dom::parser parser;
  const simdjson::dom::element families = parser.parse(parsed.json).value();
  EXPECT_EQ(sample_value(families, "winiswin_up"), "1");
  EXPECT_EQ(sample_value(families, "winiswin_healthy"), "0");
  EXPECT_EQ(sample_value(families, "winiswin_equity_usdt"), "<absent>");
  EXPECT_EQ(sample_value(families, "winiswin_notifications_queued_total"), "<absent>") << "no notifier, no notification metrics";
}

// The checker itself refuses what the format forbids (so a pass above means something).
TEST(PrometheusMetrics, TheCheckerRefusesBrokenExpositions) {
  WINISWIN_REQUIRE_PROMETHEUS_PARSER();
  EXPECT_NE(testing::parse_exposition("x 1\n").exit_code, 0) << "a sample without HELP and TYPE";
  EXPECT_NE(testing::parse_exposition("# HELP x a\n# TYPE x gauge\nx one\n").exit_code, 0) << "a value that is no float";
  EXPECT_NE(testing::parse_exposition("# HELP h a\n# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n").exit_code, 0)
      << "buckets not cumulative";
  EXPECT_NE(testing::parse_exposition("# HELP x a\n# TYPE x gauge\nx{l=\"a} 1\n").exit_code, 0) << "an unterminated label value";
}

TEST(PrometheusMetrics, LabelValuesAreEscaped) {
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(escape_label_value("-2019"), "-2019");
}

}  // namespace
}  // namespace winiswin::ops
