// `winiswin run --mode paper`: the live decision loop on a venue's live market data with
// simulated fills. The universe and instruments come from the venue (exchangeInfo, 24 h
// tickers), the bars from its 5m kline streams (history first, over REST), the fills from the
// simulator the same bars drive — the backtest's engine (LiveRunner → Trader) in between.
// Every row goes to the SQLite journal.
#include <atomic>
#include <csignal>
#include <map>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/venue_choice.h"
#include "engine/live_runner.h"
#include "journal/sqlite_journal.h"
#include "net/http_client.h"
#include "strategy/strategy.h"
#include "venue/binance/default_brackets.h"
#include "venue/binance/market_data_client.h"
#include "venue/binance/market_feed.h"
#include "venue/binance/universe.h"
#include "venue/sim/sim_venue.h"

namespace winiswin {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void request_stop(int) { g_stop.store(true); }

// Which 5m closes every symbol has delivered (or the market has moved past): those are decided.
class CloseTracker {
 public:
  explicit CloseTracker(std::size_t symbols) : symbols_(symbols) {}
  void on_bar(Timestamp close) {
    ++arrived_[close];
    latest_ = std::max(latest_, close);
  }
  // The closes ready for a decision, oldest first (and forgotten).
  std::vector<Timestamp> take_ready() {
    std::vector<Timestamp> ready;
    while (!arrived_.empty()) {
      const auto& [close, count] = *arrived_.begin();
      if (count < symbols_ && close >= latest_) break;  // still coming in
      ready.push_back(close);
      arrived_.erase(arrived_.begin());
    }
    return ready;
  }

 private:
  std::size_t symbols_;
  std::map<Timestamp, std::size_t> arrived_;
  Timestamp latest_ = Timestamp::min();
};

Timestamp wall_now() { return std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now()); }

}  // namespace

Status run_paper(const RunOptions& options, const AppConfig& config) {
  if (options.mode != "paper") return make_error(ErrorCode::kInvalidArgument, "--mode live is not built yet: run --mode paper");
  WINISWIN_TRY(const auto urls, venue_urls(options.venue));
  WINISWIN_TRY(const net::Url base, net::parse_url(urls.rest));
  net::HttpClient http;
  binance::RestClient rest(http, base.endpoint, std::nullopt, binance::system_clock());
  if (auto synced = rest.sync_time(); !synced) return synced.error();

  // The universe, from the venue.
  WINISWIN_TRY(const binance::FetchedExchangeInfo info, binance::fetch_exchange_info(rest));
  WINISWIN_TRY(const auto tickers, binance::fetch_tickers(rest));
  const std::vector<Instrument> universe =
      binance::select_universe(info.info.tradable_usdt_perpetuals(), tickers, binance::UniverseRule{.top = options.symbols});
  if (universe.empty()) return make_error(ErrorCode::kNotFound, "the venue lists no tradable USDT perpetual with a 24 h ticker");
  std::vector<std::string> names;
  for (const Instrument& instrument : universe) names.push_back(instrument.symbol);
  spdlog::info("paper: {} symbols, the first {}", names.size(), names.front());

  // Paper fills: the simulator, driven by the same bars.
  const auto brackets = binance::with_default_brackets(universe, {});
  const std::map<std::string, std::vector<LeverageBracket>> bracket_map(brackets.begin(), brackets.end());
  sim::SimVenue venue(universe, bracket_map, config.sim);
  WINISWIN_TRY(const std::unique_ptr<journal::SqliteJournal> journal, journal::SqliteJournal::open(options.journal));
  engine::LiveRunnerConfig live;
  live.cycle.min_confidence = config.strategy.min_confidence;
  live.cycle.sizing = config.risk.sizing;
  live.cycle.limits = config.risk.limits;
  live.cycle.top_k = config.risk.limits.max_open_positions;
  live.cycle.rank_depth = config.backtest.rank_depth;
  live.cycle.virtual_through = config.backtest.virtual_through;
  live.cycle.taker_fee = config.sim.taker_fee;
  live.portfolio = risk::PortfolioConfig{config.risk.state, config.risk.breaker};
  live.max_holding_minutes = config.backtest.max_holding_minutes;
  live.fills = config.sim.fills;
  live.client_prefix = "paper";
  WINISWIN_TRY(const auto strategy, strategy::make_strategy(config.strategy.name, strategy::StrategyParameters{config.strategy.ict}));
  WINISWIN_TRY(const venue::BalanceReport starting, venue.balance());
  engine::LiveRunner runner(universe, bracket_map, *strategy, ml::pass_through_model(), venue, *journal, live, starting.wallet_balance,
                            rest.server_now());

  binance::MarketFeedConfig feed_config;
  feed_config.catch_up.warmup_bars = options.warmup_bars;
  binance::MarketFeed feed(rest, urls.market_stream, names, {Interval::k5m}, feed_config);
  if (auto started = feed.start(wall_now()); !started) return started.error();
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  fmt::print("paper: trading {} symbols; journal {}\n", names.size(), options.journal.string());
  std::fflush(stdout);

  CloseTracker closes(names.size());
  int decisions = 0;
  while (!g_stop.load() && (options.max_decisions == 0 || decisions < options.max_decisions)) {
    WINISWIN_TRY(const std::vector<binance::FeedBar> bars, feed.poll(wall_now()));
    for (const binance::FeedBar& fed : bars) {
      if (auto status = venue.on_bar(fed.symbol, fed.bar); !status) return status;
      if (auto status = runner.on_venue_events(); !status) return status;
      if (auto status = runner.on_bar(fed.symbol, fed.bar); !status) return status;
      if (!fed.from_rest) closes.on_bar(fed.bar.close_time + Milliseconds{1});
    }
    for (const Timestamp close : closes.take_ready()) {
      if (auto status = runner.decide(close); !status) return status;
      ++decisions;
    }
    if (bars.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  feed.stop();
  if (auto flushed = journal->flush(); !flushed) return flushed;
  fmt::print("paper: stopped after {} decisions\n", decisions);
  return Ok{};
}

}  // namespace winiswin
