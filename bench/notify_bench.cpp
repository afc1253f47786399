// What Discord costs the decision thread: a post() into the notifier's queue while its sending
// thread keeps failing against a Discord that is down (connection refused, retried every few
// ms — worse than the real back-off), and a closed trade through the NotifyingRecorder (the
// message's formatting included).
#include <benchmark/benchmark.h>

#include <map>

#include "notify/notifier.h"
#include "notify/notifying_recorder.h"

namespace {

using namespace winiswin;

notify::DiscordDelivery dead_webhook() {
  // Port 1 on loopback: nothing listens, so every attempt is refused at once.
  const std::map<std::string, std::string> values{{"DISCORD_WEBHOOK_URL", "http://127.0.0.1:1/api/webhooks/1/bench-token"}};
  return **notify::delivery_from_environment([&](const char* name) -> const char* {
    const auto found = values.find(name);
    return found == values.end() ? nullptr : found->second.c_str();
  });
}

notify::NotifierOptions hammering() {
  notify::NotifierOptions options;
  options.first_backoff = Milliseconds{1};
  options.max_backoff = Milliseconds{2};
  options.drain_on_stop = Milliseconds{0};
  return options;
}

void BM_NotifierPostWhileDiscordIsDown(benchmark::State& state) {
  notify::Notifier notifier(dead_webhook(), hammering());
  notifier.start();
  const std::string text(120, 'x');
  for (auto _ : state) benchmark::DoNotOptimize(notifier.post(notify::Importance::kRoutine, text));
  notifier.stop();
}
BENCHMARK(BM_NotifierPostWhileDiscordIsDown);

void BM_ClosedTradeThroughTheNotifyingRecorder(benchmark::State& state) {
  notify::Notifier notifier(dead_webhook(), hammering());
  notifier.start();
  journal::MemoryRecorder journal(journal::MemoryRecorder::Kinds{.trades = false});
  notify::NotifyingRecorder recorder(journal, notifier);
  journal::TradeRecord trade;
  trade.symbol = "BTCUSDT";
  trade.planned_entry = Price::parse("88679.1").value();
  trade.stop = Price::parse("89226.1").value();
  trade.target = Price::parse("87840.8").value();
  trade.entry_price = 88679.1;
  trade.exit_price = 87866.1;
  trade.pnl = 31.54;
  trade.confidence = 0.65;
  for (auto _ : state) benchmark::DoNotOptimize(recorder.trade(trade));
  notifier.stop();
}
BENCHMARK(BM_ClosedTradeThroughTheNotifyingRecorder);

}  // namespace
