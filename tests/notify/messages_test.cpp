// What the engine's rows become on Discord: the NotifyingRecorder forwards every row to the
// journal unchanged and posts trades closed, state changes, breaker trips, drawdown warnings
// and daily reports; the OpenTradeWatch announces fills of new trades.
#include <gtest/gtest.h>

#include "notify/notifying_recorder.h"
#include "notify/open_trade_watch.h"
#include "support/failing_recorder.h"

namespace winiswin::notify {
namespace {

constexpr Timestamp kDay = timestamp_from_ms(1'767'225'600'000);  // 2026-01-01 00:00 UTC
constexpr Milliseconds kHour{3'600'000};

struct ListSink final : MessageSink {
  bool post(Importance importance, std::string text) override {
    messages.push_back(Message{importance, std::move(text)});
    return true;
  }
  std::vector<Message> messages;
};

journal::TradeRecord trade(std::string symbol, double pnl, Timestamp exit) {
  journal::TradeRecord record;
  record.symbol = std::move(symbol);
  record.side = Side::kBuy;
  record.decided = exit - kHour;
  record.entry_time = record.decided;
  record.exit_time = exit;
  record.planned_entry = Price::parse("100").value();
  record.stop = Price::parse("98").value();
  record.target = Price::parse("105").value();
  record.entry_price = 100.0;
  record.exit_price = pnl > 0 ? 105.0 : 98.0;
  record.quantity = 1.0;
  record.pnl = pnl;
  record.confidence = 0.73;
  record.exit_reason = pnl > 0 ? journal::ExitReason::kTarget : journal::ExitReason::kStop;
  return record;
}

journal::EquityPoint mark(Timestamp time, double equity) { return journal::EquityPoint{time, equity, risk::TradingState::kNormal}; }

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(NotifyingRecorder, AClosedTradeIsForwardedAndAnnounced) {
  journal::MemoryRecorder journal;
  ListSink sink;
  NotifyingRecorder recorder(journal, sink);
  ASSERT_TRUE(recorder.trade(trade("BTCUSDT", 12.5, kDay + kHour)).ok());
  ASSERT_EQ(journal.trades.size(), 1u);
  ASSERT_EQ(sink.messages.size(), 1u);
  const Message& message = sink.messages[0];
  EXPECT_EQ(message.importance, Importance::kMatters);
  EXPECT_TRUE(contains(message.text, "Closed LONG BTCUSDT")) << message.text;
  EXPECT_TRUE(contains(message.text, "(target)")) << message.text;
  EXPECT_TRUE(contains(message.text, "result +12.50 USDT (+2.50 R)")) << message.text;  // (105 − 100) / (100 − 98)
  EXPECT_TRUE(contains(message.text, "confidence 0.73")) << message.text;
  EXPECT_TRUE(contains(message.text, "reward:risk 2.50")) << message.text;
}

TEST(NotifyingRecorder, TheJournalsFailureIsWhatTheEngineSees) {
  testing::FailingRecorder journal({.trades = true});
  ListSink sink;
  NotifyingRecorder recorder(journal, sink);
  const Status written = recorder.trade(trade("ETHUSDT", -4.0, kDay + kHour));
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().message, "disk full");
}

TEST(NotifyingRecorder, StateChangesAndBreakerTripsMatter) {
  journal::MemoryRecorder journal;
  ListSink sink;
  NotifyingRecorder recorder(journal, sink);
  ASSERT_TRUE(recorder.transition(risk::StateTransition{risk::TradingState::kNormal, risk::TradingState::kCautious, kDay, "drawdown 6 %"}).ok());
  ASSERT_TRUE(recorder.breaker(journal::BreakerEvent{kDay, risk::BreakerLevel::kNormal, risk::BreakerLevel::kCritical, "5 rejects"}).ok());
  ASSERT_TRUE(recorder.breaker(journal::BreakerEvent{kDay, risk::BreakerLevel::kCritical, risk::BreakerLevel::kNormal, "calm"}).ok());
  EXPECT_EQ(journal.transitions.size(), 1u);
  EXPECT_EQ(journal.breaker_events.size(), 2u);
  ASSERT_EQ(sink.messages.size(), 3u);
  for (const Message& message : sink.messages) EXPECT_EQ(message.importance, Importance::kMatters);
  EXPECT_TRUE(contains(sink.messages[0].text, "NORMAL → CAUTIOUS**: drawdown 6 %")) << sink.messages[0].text;
  EXPECT_TRUE(contains(sink.messages[1].text, "tripped: NORMAL → CRITICAL")) << sink.messages[1].text;
  EXPECT_TRUE(contains(sink.messages[2].text, "eased: CRITICAL → NORMAL")) << sink.messages[2].text;
}

TEST(NotifyingRecorder, WarnsOnceWhenTheDrawdownPassesFivePercentAndAgainAfterARecovery) {
  journal::MemoryRecorder journal;
  ListSink sink;
  NotifyingRecorder recorder(journal, sink);
  int minute = 0;
  for (double equity : {10'000.0, 9'600.0, 9'400.0, 9'300.0, 9'700.0, 9'400.0}) {
    ASSERT_TRUE(recorder.equity(mark(kDay + Milliseconds{60'000 * ++minute}, equity)).ok());
  }
  EXPECT_EQ(journal.equity_points.size(), 6u);
  ASSERT_EQ(sink.messages.size(), 2u);  // at 6 %; not at 7 %; re-armed at 3 %; again at 6 %
  EXPECT_TRUE(contains(sink.messages[0].text, "Drawdown 6.0 %")) << sink.messages[0].text;
  EXPECT_TRUE(contains(sink.messages[0].text, "peak 10000.00 USDT")) << sink.messages[0].text;
  EXPECT_EQ(sink.messages[0].importance, Importance::kMatters);
}

TEST(NotifyingRecorder, ReportsEachDayWhenTheNextBegins) {
  journal::MemoryRecorder journal;
  ListSink sink;
  NotifyingRecorder recorder(journal, sink, NotifyingRecorderOptions{.drawdown_warning = 0.05, .model_loaded = true});
  ASSERT_TRUE(recorder.equity(mark(kDay + kHour, 10'000.0)).ok());
  journal::TradeRecord win = trade("BTCUSDT", 30.0, kDay + 2 * kHour);
  win.ml_probability = 0.8;
  journal::TradeRecord loss = trade("ETHUSDT", -10.0, kDay + 3 * kHour);
  loss.ml_probability = 0.6;
  ASSERT_TRUE(recorder.trade(win).ok());
  ASSERT_TRUE(recorder.trade(loss).ok());
  ASSERT_TRUE(recorder.equity(mark(kDay + 4 * kHour, 9'800.0)).ok());
  ASSERT_TRUE(recorder.equity(mark(kDay + 5 * kHour, 10'020.0)).ok());
  EXPECT_EQ(sink.messages.size(), 2u);  // the two trades; no report while the day runs
  ASSERT_TRUE(recorder.equity(mark(kDay + 24 * kHour, 10'020.0)).ok());
  ASSERT_EQ(sink.messages.size(), 3u);
  const Message& report = sink.messages.back();
  EXPECT_EQ(report.importance, Importance::kRoutine);
  EXPECT_TRUE(contains(report.text, "Daily report 2026-01-01")) << report.text;
  EXPECT_TRUE(contains(report.text, "trades 2 · win rate 50.0 % · PnL +20.00 USDT · max drawdown 2.00 % · equity 10020.00")) << report.text;
  // mean p 0.70 vs realised 0.50; Brier ((0.8 − 1)² + (0.6 − 0)²) / 2 = 0.2
  EXPECT_TRUE(contains(report.text, "model: 2 trades scored · mean p(win) 0.70 vs realised 0.50 · Brier 0.200")) << report.text;
}

// No bar after midnight (a stalled feed): the exchange's clock sends the report, once.
TEST(NotifyingRecorder, TheDailyReportGoesOutOnTheClockWhenNoMarkComes) {
  journal::MemoryRecorder journal;
  ListSink sink;
  NotifyingRecorder recorder(journal, sink);
  recorder.on_clock(kDay + 30 * kHour);  // before any row: no day to report
  ASSERT_TRUE(recorder.equity(mark(kDay + kHour, 10'000.0)).ok());
  ASSERT_TRUE(recorder.trade(trade("BTCUSDT", 25.0, kDay + 2 * kHour)).ok());
  ASSERT_TRUE(recorder.equity(mark(kDay + 23 * kHour, 10'025.0)).ok());
  ASSERT_EQ(sink.messages.size(), 1u);  // the trade
  recorder.on_clock(kDay + 24 * kHour + NotifyingRecorder::kLateReport - Milliseconds{1});
  EXPECT_EQ(sink.messages.size(), 1u) << "within the grace the 00:00 close may still come";
  recorder.on_clock(kDay + 24 * kHour + NotifyingRecorder::kLateReport);
  ASSERT_EQ(sink.messages.size(), 2u);
  EXPECT_TRUE(contains(sink.messages[1].text, "Daily report 2026-01-01")) << sink.messages[1].text;
  EXPECT_TRUE(contains(sink.messages[1].text, "trades 1 · win rate 100.0 % · PnL +25.00 USDT")) << sink.messages[1].text;
  // The bars come back the same day: no second report of the day before; the next day's at its end.
  recorder.on_clock(kDay + 24 * kHour + 2 * NotifyingRecorder::kLateReport);
  ASSERT_TRUE(recorder.equity(mark(kDay + 25 * kHour, 10'025.0)).ok());
  EXPECT_EQ(sink.messages.size(), 2u);
  ASSERT_TRUE(recorder.equity(mark(kDay + 48 * kHour, 10'025.0)).ok());
  ASSERT_EQ(sink.messages.size(), 3u);
  EXPECT_TRUE(contains(sink.messages[2].text, "Daily report 2026-01-02**")) << sink.messages[2].text;
  EXPECT_TRUE(contains(sink.messages[2].text, "trades 0")) << sink.messages[2].text;
}

TEST(NotifyingRecorder, TheDailyReportLeavesTheModelOutWhenNoneIsLoaded) {
  journal::MemoryRecorder journal;
  ListSink sink;
  NotifyingRecorder recorder(journal, sink);
  ASSERT_TRUE(recorder.equity(mark(kDay, 10'000.0)).ok());
  ASSERT_TRUE(recorder.equity(mark(kDay + 24 * kHour, 10'000.0)).ok());
  ASSERT_EQ(sink.messages.size(), 1u);
  EXPECT_TRUE(contains(sink.messages[0].text, "trades 0")) << sink.messages[0].text;
  EXPECT_FALSE(contains(sink.messages[0].text, "model")) << sink.messages[0].text;
}

TEST(OpenTradeWatch, AnnouncesEachNewFillOnce) {
  OpenTradeWatch watch;
  OpenTradeSeen adopted{trade("XRPUSDT", 0.0, kDay), 100.0, true};
  EXPECT_TRUE(watch.observe({adopted}).empty());  // the first look: already open at start
  OpenTradeSeen pending{trade("BTCUSDT", 0.0, kDay + kHour), 0.0, false};
  EXPECT_TRUE(watch.observe({adopted, pending}).empty());
  OpenTradeSeen filled = pending;
  filled.filled = true;
  filled.quantity = 0.25;
  filled.record.entry_price = 100.1;
  const auto texts = watch.observe({adopted, filled});
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_TRUE(contains(texts[0], "Opened LONG BTCUSDT** at 100.1 · qty 0.25")) << texts[0];
  EXPECT_TRUE(contains(texts[0], "stop 98 · target 105 · confidence 0.73 · reward:risk 2.50")) << texts[0];
  EXPECT_TRUE(watch.observe({adopted, filled}).empty());
  EXPECT_TRUE(watch.observe({}).empty());
  OpenTradeSeen next = filled;
  next.record.decided += kHour;  // a new trade on the same symbol
  EXPECT_EQ(watch.observe({next}).size(), 1u);
}

}  // namespace
}  // namespace winiswin::notify
