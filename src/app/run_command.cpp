// `winiswin run --mode paper`: the live decision loop on a venue's live market data with
// simulated fills. The universe and instruments come from the venue (exchangeInfo, 24 h
// tickers), the bars from its 5m kline streams (history first, over REST), the fills from the
// simulator the same bars drive — the backtest's engine (LiveRunner → Trader) in between.
// Every row goes to the SQLite journal.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <ctime>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/discord_run.h"
#include "app/run_status.h"
#include "app/venue_choice.h"
#include "engine/close_tracker.h"
#include "engine/live_runner.h"
#include "journal/sqlite_journal.h"
#include "ml/xgboost_model.h"
#include "net/http_client.h"
#include "strategy/strategy.h"
#include "venue/binance/default_brackets.h"
#include "venue/binance/market_data_client.h"
#include "venue/binance/market_feed.h"
#include "venue/binance/universe.h"
#include "venue/binance/binance_venue.h"
#include "venue/binance/user_stream_client.h"
#include "execution/reconciler.h"
#include "venue/sim/sim_venue.h"

namespace winiswin {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void request_stop(int) { g_stop.store(true); }

// This thread's CPU time, seconds (0 where the clock is missing: the figure is for the operator).
double thread_cpu_seconds() {
  timespec now{};
  if (::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) return 0.0;
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

Timestamp wall_now() { return std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now()); }

// The universe from the venue: the top N by 24 h quote volume, and every symbol that holds a
// position (a trade open from before is managed whatever its volume today).
Result<std::vector<Instrument>> fetch_universe(binance::RestClient& rest, int top, const std::vector<std::string>& must_include) {
  WINISWIN_TRY(const binance::FetchedExchangeInfo info, binance::fetch_exchange_info(rest));
  WINISWIN_TRY(const auto tickers, binance::fetch_tickers(rest));
  const std::vector<Instrument> tradable = info.info.tradable_usdt_perpetuals();
  std::vector<Instrument> universe = binance::select_universe(tradable, tickers, binance::UniverseRule{.top = top});
  for (const std::string& symbol : must_include) {
    const bool listed = std::any_of(universe.begin(), universe.end(), [&](const Instrument& i) { return i.symbol == symbol; });
    const auto instrument = std::find_if(tradable.begin(), tradable.end(), [&](const Instrument& i) { return i.symbol == symbol; });
    if (!listed && instrument != tradable.end()) universe.push_back(*instrument);
  }
  if (universe.empty()) return make_error(ErrorCode::kNotFound, "the venue lists no tradable USDT perpetual with a 24 h ticker");
  return universe;
}

engine::LiveRunnerConfig runner_config(const AppConfig& config, std::string prefix) {
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
  live.client_prefix = std::move(prefix);
  live.trading_enabled = config.trading_enabled;
  return live;
}

std::vector<std::string> names_of(const std::vector<Instrument>& instruments) {
  std::vector<std::string> names;
  for (const Instrument& instrument : instruments) names.push_back(instrument.symbol);
  return names;
}

// The open trades checked against the venue's holdings every `every` (config [live]).
class TradeChecks {
 public:
  explicit TradeChecks(const LiveSettings& live)
      : every_(Milliseconds{std::int64_t{live.check_seconds} * 1000}), grace_(Milliseconds{std::int64_t{live.check_grace_seconds} * 1000}) {}
  [[nodiscard]] bool due(Timestamp now) const { return now >= next_; }
  // Due by the wall clock; the trades checked at `trading_now` (the trading clock: see
  // trade_until_stopped).
  Status run_if_due(engine::LiveRunner& runner, Timestamp now, Timestamp trading_now) {
    if (!due(now)) return Ok{};
    next_ = now + every_;
    return runner.supervise(trading_now, grace_);
  }

 private:
  Milliseconds every_, grace_;
  Timestamp next_ = Timestamp::min();
};

// The universe's symbols checked against exchangeInfo every [live] universe_refresh_minutes:
// one the venue no longer trades (delisted, halted, settling) opens nothing new — its open
// trade is managed until it closes — and one trading again is back. Symbols that enter the
// top N meanwhile wait for a restart (the market feed's subscriptions are fixed at start).
class UniverseRefresh {
 public:
  UniverseRefresh(const LiveSettings& live, std::vector<std::string> symbols, Timestamp now)
      : every_(Milliseconds{std::int64_t{live.universe_refresh_minutes} * 60'000}), next_(now + every_), symbols_(std::move(symbols)) {}
  Status run_if_due(binance::RestClient& rest, engine::LiveRunner& runner, Timestamp now) {
    if (now < next_) return Ok{};
    next_ = now + every_;
    WINISWIN_TRY(const binance::FetchedExchangeInfo info, binance::fetch_exchange_info(rest));
    std::set<std::string, std::less<>> trading;
    for (const Instrument& instrument : info.info.tradable_usdt_perpetuals()) trading.insert(instrument.symbol);
    for (const std::string& symbol : symbols_) {
      const bool tradable = trading.contains(symbol);
      const bool was = !halted_.contains(symbol);
      if (tradable == was) continue;
      spdlog::warn("{}: {}", symbol, tradable ? "trading again at the venue: back in the universe"
                                              : "no longer trading at the venue (delisted or halted): no new entries, its open trade is managed");
      if (tradable) halted_.erase(symbol); else halted_.insert(symbol);
      runner.set_tradable(symbol, tradable);
    }
    return Ok{};
  }

 private:
  Milliseconds every_;
  Timestamp next_;
  std::vector<std::string> symbols_;
  std::set<std::string, std::less<>> halted_;
};

// A step of the loop the venue failed to serve (timeout, 5xx, rate limit, transport:
// venue::is_venue_failure) does not stop trading: the step is skipped and comes round again
// (a decision not made opens nothing; protection is at the venue). Three failures in a row of
// one step raise the alarm. Anything else — a lost journal record, a broken invariant —
// stops the loop.
class LoopHealth {
 public:
  Status absorb(Status status, const std::string& step) {
    int& failures = failures_[step];
    if (status) {
      if (failures >= kAlarm) spdlog::warn("{}: the venue serves it again after {} failures in a row", step, failures);
      failures = 0;
      return Ok{};
    }
    if (!venue::is_venue_failure(status.error())) return status;
    ++failures;
    if (failures == kAlarm) {
      spdlog::error("ALERT: {} failed {} times in a row at the venue ({}); nothing new is opened until it is served again, the stops "
                    "stay at the venue",
                    step, failures, status.error().message);
    } else {
      spdlog::warn("{} failed at the venue ({} in a row): {}", step, failures, status.error().message);
    }
    return Ok{};
  }
  // A step the venue has failed to serve kAlarm times in a row (ops' "venue reachable").
  [[nodiscard]] bool venue_failing() const {
    return std::any_of(failures_.begin(), failures_.end(), [](const auto& step) { return step.second >= kAlarm; });
  }

 private:
  static constexpr int kAlarm = 3;
  std::map<std::string, int> failures_;
};

// The loop both modes run: the feed's bars into the runner (`before_bar` first: paper gives
// them to its simulator), a decision at each 5m close once it is complete, `each_round` after
// every poll (live: the user stream's health), then the operator's control requests
// (run_status.h), the open trades checked against the venue's holdings every [live]
// check_seconds, until a signal or --max-decisions. The operator's status (run_status.h) is
// published after each decision, each trade check and each round with control requests.
//
// The trading clock stamps what the trader does between decisions (trade checks, the
// operator's close). Live: the wall clock, as the venue's. Paper: the market's, the latest fed
// bar's close (the wall clock before the first bar), because its simulated venue fills at bar
// times: on a replay (--as-recorded, a sped-up loopback venue) the wall clock is hours or months
// from the market's, and the journal's times would go back and forth.
enum class TradingClock { kWall, kMarket };
Result<int> trade_until_stopped(binance::RestClient& rest, binance::MarketFeed& feed, engine::LiveRunner& runner,
                                const std::vector<std::string>& symbols, int max_decisions, const LiveSettings& live, TradingClock clock,
                                const std::function<Status(const binance::FeedBar&)>& before_bar,
                                const std::function<Status()>& each_round, RunStatus& shown,
                                const std::function<std::optional<int>()>& user_stream_reconnects) {
  engine::CloseTracker closes(symbols.size());
  TradeChecks checks(live);
  UniverseRefresh universe(live, symbols, wall_now());
  LoopHealth health;
  const auto loop_view = [&] {
    return LoopView{!health.venue_failing(), feed.reconnects(), user_stream_reconnects(), rest.budget().used_weight(wall_now())};
  };
  shown.publish(runner, loop_view(), wall_now());
  Timestamp market_now{};
  const auto trading_now = [&] { return clock == TradingClock::kMarket && market_now != Timestamp{} ? market_now : wall_now(); };
  int decisions = 0;
  while (!g_stop.load() && (max_decisions == 0 || decisions < max_decisions)) {
    Result<std::vector<binance::FeedBar>> polled = feed.poll(wall_now());
    if (auto status = health.absorb(polled ? Status(Ok{}) : Status(polled.error()), "market data"); !status) return status.error();
    const std::vector<binance::FeedBar> bars = polled ? std::move(*polled) : std::vector<binance::FeedBar>{};
    shown.beat(wall_now(), !bars.empty());
    for (const binance::FeedBar& fed : bars) {
      if (auto status = before_bar(fed); !status) return status.error();
      if (auto status = runner.on_venue_events(); !status) return status.error();
      if (auto status = runner.on_bar(fed.symbol, fed.bar); !status) return status.error();
      closes.on_bar(fed.bar.close_time + Milliseconds{1}, fed.from_rest);
      market_now = std::max(market_now, fed.bar.close_time + Milliseconds{1});
    }
    if (auto status = health.absorb(each_round(), "user-data stream"); !status) return status.error();
    if (auto status = shown.apply_controls(runner, loop_view(), wall_now(), trading_now()); !status) return status.error();
    if (auto status = runner.on_venue_events(); !status) return status.error();
    const bool check_due = checks.due(wall_now());
    if (auto status = health.absorb(checks.run_if_due(runner, wall_now(), trading_now()), "trade check"); !status) return status.error();
    if (check_due) shown.publish(runner, loop_view(), wall_now());
    if (auto status = health.absorb(universe.run_if_due(rest, runner, wall_now()), "universe refresh"); !status) return status.error();
    for (const Timestamp close : closes.take_ready()) {
      if (max_decisions != 0 && decisions >= max_decisions) break;
      const auto started = std::chrono::steady_clock::now();
      const double cpu_started = thread_cpu_seconds();
      if (auto status = health.absorb(runner.decide(close), "decision"); !status) return status.error();
      ++decisions;  // made or skipped: a close is decided once
      shown.after_decision(runner, loop_view(), close, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                           thread_cpu_seconds() - cpu_started, wall_now());
    }
    if (bars.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return decisions;
}

void stop_on_signals() {
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
}

// The model that ranks the signals: --model's XGBoost file, else the strategy's confidence.
struct Ranking {
  std::unique_ptr<ml::XgboostModel> xgboost;
  [[nodiscard]] const ml::Model& model() const { return xgboost ? static_cast<const ml::Model&>(*xgboost) : ml::pass_through_model(); }
};
Result<Ranking> ranking_of(const RunOptions& options) {
  Ranking ranking;
  if (options.model.empty()) return ranking;
  WINISWIN_TRY(ranking.xgboost, ml::XgboostModel::load(options.model, options.model_weight));
  return ranking;
}

// The account's key pair, from the environment only (never from a file that may be logged).
Result<binance::Credentials> credentials_from_environment() {
  const char* key = std::getenv("BINANCE_API_KEY");
  const char* secret = std::getenv("BINANCE_API_SECRET");
  if (!key || !secret || !*key || !*secret) {
    return make_error(ErrorCode::kConfig, "live trading needs BINANCE_API_KEY and BINANCE_API_SECRET in the environment");
  }
  return binance::Credentials{binance::ApiKey(key), binance::Secret(secret), binance::KeyType::kHmacSha256};
}

}  // namespace

Status run_paper(const RunOptions& options, const AppConfig& config) {
  WINISWIN_TRY(const Ranking ranking, ranking_of(options));  // a model that does not load stops the run before it starts
  WINISWIN_TRY(const auto discord, DiscordRun::from_environment("paper", ranking.xgboost != nullptr, !options.http.empty()));
  RunStatus shown("paper");
  if (auto serving = shown.serve(options, discord->interactions_routes(shown.board()), discord->notification_source()); !serving) return serving;
  WINISWIN_TRY(const auto urls, venue_urls(options.venue));
  WINISWIN_TRY(const net::Url base, net::parse_url(urls.rest));
  net::HttpClient http;
  binance::RestClient rest(http, base.endpoint, std::nullopt, binance::system_clock());
  if (auto synced = rest.sync_time(); !synced) return synced.error();
  WINISWIN_TRY(const std::vector<Instrument> universe, fetch_universe(rest, options.symbols, {}));
  const std::vector<std::string> names = names_of(universe);
  spdlog::info("paper: {} symbols, the first {}", names.size(), names.front());

  // Paper fills: the simulator, driven by the same bars.
  const auto brackets = binance::with_default_brackets(universe, {});
  const std::map<std::string, std::vector<LeverageBracket>> bracket_map(brackets.begin(), brackets.end());
  sim::SimVenue venue(universe, bracket_map, config.sim);
  WINISWIN_TRY(const std::unique_ptr<journal::SqliteJournal> journal, journal::SqliteJournal::open(options.journal));
  WINISWIN_TRY(const auto strategy, strategy::make_strategy(config.strategy.name, strategy::StrategyParameters{config.strategy.ict}));
  WINISWIN_TRY(const venue::BalanceReport starting, venue.balance());
  engine::LiveRunner runner(universe, bracket_map, *strategy, ranking.model(), venue, discord->record_into(shown.record_into(*journal)),
                            runner_config(config, "paper"), starting.wallet_balance, rest.server_now());
  shown.set_symbols(names.size());
  shown.set_reconciled(true);  // paper starts from no position: nothing to reconcile
  if (auto restored = shown.restore_pause(*journal, runner, wall_now()); !restored) return restored;

  binance::MarketFeedConfig feed_config;
  feed_config.catch_up.warmup_bars = options.warmup_bars;
  feed_config.streams.silence = Milliseconds{std::int64_t{config.live.stream_silence_seconds} * 1000};
  binance::MarketFeed feed(rest, urls.market_stream, names, {Interval::k5m}, feed_config);
  if (auto started = feed.start(wall_now()); !started) return started.error();
  stop_on_signals();
  fmt::print("paper: trading {} symbols; journal {}\n", names.size(), options.journal.string());
  discord->started(names.size());
  std::fflush(stdout);
  WINISWIN_TRY(const int decisions,
               trade_until_stopped(rest, feed, runner, names, options.max_decisions, config.live, TradingClock::kMarket,
                                   [&](const binance::FeedBar& fed) { return venue.on_bar(fed.symbol, fed.bar); },
                                   [&] {
                                     discord->after_round(runner, rest.server_now());
                                     return Status(Ok{});
                                   },
                                   shown, [] { return std::optional<int>(); }));
  discord->stopped(decisions);
  feed.stop();
  if (auto flushed = journal->flush(); !flushed) return flushed;
  fmt::print("paper: stopped after {} decisions\n", decisions);
  return Ok{};
}

namespace {

// Every symbol to isolated margin (the engine sizes for it); one that is already isolated, or
// that holds a position or orders (Binance refuses the change then: -4046 / -4047 / -4048), is
// left as it is and said.
void isolate_margin(binance::BinanceVenue& venue, const std::vector<std::string>& symbols) {
  for (const std::string& symbol : symbols) {
    const Status set = venue.set_margin_type(symbol, venue::MarginType::kIsolated);
    if (!set && set.error().venue_code != -4046) spdlog::warn("{}: margin type left as it is: {}", symbol, set.error().message);
  }
}

// One pass of the start-up reconciliation: read, plan, act, check.
struct ReconcilePass {
  std::int64_t next = 1;                          // the first trade number the plan left free
  std::vector<execution::JournaledTrade> open;    // the journal's open trades and the plan's adopted ones
  std::size_t adopted = 0;
};
// Reads the journal; writes its orders through `record` (the tap: ops counts them).
Result<ReconcilePass> reconcile_once(binance::BinanceVenue& venue, journal::SqliteJournal& journal, journal::Recorder& record,
                                     const std::vector<Instrument>& universe, const execution::ClientIds& ids) {
  const std::vector<std::string> names = names_of(universe);
  WINISWIN_TRY(const execution::VenueHoldings holdings, execution::read_holdings(venue, names));
  WINISWIN_TRY(const std::vector<journal::OrderRecord> orders, journal.orders());
  WINISWIN_TRY(const std::vector<journal::FillRecord> fills, journal.fills());
  ReconcilePass pass;
  pass.next = execution::next_trade_number(orders, ids);
  std::map<std::string, Instrument, std::less<>> instruments;
  for (const Instrument& instrument : universe) instruments.emplace(instrument.symbol, instrument);
  pass.open = execution::open_trades(orders, fills, ids);
  const execution::ReconcilePlan plan = execution::plan_reconciliation(holdings, pass.open, instruments, ids, pass.next);
  for (const std::string& note : plan.notes) spdlog::warn("reconciliation: {}", note);
  for (const auto& action : plan.actions) spdlog::warn("reconciliation: {}: {}", action.symbol, action.reason);
  if (auto applied = execution::apply_reconciliation(venue, plan, names, &record, wall_now()); !applied) return applied.error();
  pass.open.insert(pass.open.end(), plan.adopted.begin(), plan.adopted.end());
  pass.adopted = plan.adopted.size();
  return pass;
}

// Start-up reconciliation (execution/reconciler.h): the venue's holdings against the
// journal, protection put back, and the runner given the open trades. The venue moves while
// it runs — an entry sent just before a crash can fill between the read and the cancel of
// what looked like a stale order — so a pass whose check fails is run again on a fresh read
// (three passes, a second apart); trading does not start when the last one fails.
Status reconcile_and_adopt(binance::BinanceVenue& venue, journal::SqliteJournal& journal, journal::Recorder& recorder,
                           const std::vector<Instrument>& universe, const execution::ClientIds& ids, engine::LiveRunner* runner) {
  constexpr int kPasses = 3;
  Result<ReconcilePass> pass = reconcile_once(venue, journal, recorder, universe, ids);
  for (int done = 1; !pass && done < kPasses; ++done) {
    spdlog::warn("reconciliation pass {} of {}: {}; reading the venue again", done, kPasses, pass.error().message);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    pass = reconcile_once(venue, journal, recorder, universe, ids);
  }
  if (!pass) return pass.error().with_context(fmt::format("start-up reconciliation, {} passes (trading does not start)", kPasses));
  const std::vector<std::string> names = names_of(universe);
  const std::int64_t next = pass->next;
  const std::vector<execution::JournaledTrade>& open = pass->open;
  if (!runner) return Ok{};
  runner->continue_numbering(next + static_cast<std::int64_t>(pass->adopted));
  // The positions as they are now (an entry may have filled while reconciling).
  WINISWIN_TRY(const execution::VenueHoldings now, execution::read_holdings(venue, names));
  for (const venue::PositionReport& position : now.positions) {
    const auto trade = std::find_if(open.begin(), open.end(), [&](const execution::JournaledTrade& t) { return t.symbol == position.symbol; });
    if (trade == open.end()) continue;
    journal::TradeRecord record;
    record.symbol = trade->symbol;
    record.side = trade->side;
    record.stop = trade->stop;
    record.target = trade->target;
    record.entry_price = position.entry_price.to_double();
    // Its holding time runs from its entry (unknown: from now), not from the restart's epoch —
    // else the first close after a restart would time it out at once.
    record.entry_time = trade->entered != Timestamp{} ? trade->entered : wall_now();
    const Quantity quantity = position.quantity.is_negative() ? -position.quantity : position.quantity;
    if (auto adopted = runner->adopt(trade->trade, record, quantity, notional_of(position.entry_price, quantity, Rounding::kUp)); !adopted) {
      return adopted;
    }
  }
  return Ok{};
}

}  // namespace

Status run_live(const RunOptions& options, const AppConfig& config) {
  WINISWIN_TRY(const Ranking ranking, ranking_of(options));
  WINISWIN_TRY(const binance::Credentials credentials, credentials_from_environment());
  WINISWIN_TRY(const auto discord, DiscordRun::from_environment("live", ranking.xgboost != nullptr, !options.http.empty()));
  RunStatus shown("live");
  if (auto serving = shown.serve(options, discord->interactions_routes(shown.board()), discord->notification_source()); !serving) return serving;
  WINISWIN_TRY(const auto urls, venue_urls(options.venue));
  WINISWIN_TRY(const net::Url base, net::parse_url(urls.rest));
  WINISWIN_TRY(binance::RequestSigner signer, binance::RequestSigner::create(credentials));
  net::HttpClient http;
  binance::RestClient rest(http, base.endpoint, std::move(signer), binance::system_clock());
  if (auto synced = rest.sync_time(); !synced) return synced.error();
  binance::BinanceVenue venue(rest);
  WINISWIN_TRY(const std::vector<venue::PositionReport> positions, venue.positions());
  std::vector<std::string> held;
  for (const venue::PositionReport& position : positions) held.push_back(position.symbol);
  WINISWIN_TRY(const std::vector<Instrument> universe, fetch_universe(rest, options.symbols, held));
  const std::vector<std::string> names = names_of(universe);
  WINISWIN_TRY(const std::unique_ptr<journal::SqliteJournal> journal, journal::SqliteJournal::open(options.journal));
  const execution::ClientIds ids = execution::ClientIds::make("live").value();
  isolate_margin(venue, names);

  const auto brackets = binance::with_default_brackets(universe, {});
  const std::map<std::string, std::vector<LeverageBracket>> bracket_map(brackets.begin(), brackets.end());
  WINISWIN_TRY(const auto strategy, strategy::make_strategy(config.strategy.name, strategy::StrategyParameters{config.strategy.ict}));
  WINISWIN_TRY(const venue::BalanceReport starting, venue.balance());
  journal::Recorder& recorder = discord->record_into(shown.record_into(*journal));  // every row through ops' tap, the reconciliation's orders too
  engine::LiveRunner runner(universe, bracket_map, *strategy, ranking.model(), venue, recorder, runner_config(config, "live"),
                            starting.wallet_balance, rest.server_now());
  shown.set_symbols(names.size());
  if (auto reconciled = reconcile_and_adopt(venue, *journal, recorder, universe, ids, &runner); !reconciled) return reconciled;
  shown.set_reconciled(true);
  if (auto restored = shown.restore_pause(*journal, runner, wall_now()); !restored) return restored;

  binance::UserStream stream(rest, urls.user_stream, venue);
  if (auto started = stream.start(wall_now()); !started) return started.error();
  binance::MarketFeedConfig feed_config;
  feed_config.catch_up.warmup_bars = options.warmup_bars;
  feed_config.streams.silence = Milliseconds{std::int64_t{config.live.stream_silence_seconds} * 1000};
  binance::MarketFeed feed(rest, urls.market_stream, names, {Interval::k5m}, feed_config);
  if (auto started = feed.start(wall_now()); !started) return started.error();
  stop_on_signals();
  fmt::print("live: trading {} symbols on {}; journal {}\n", names.size(), urls.rest, options.journal.string());
  discord->started(names.size());
  std::fflush(stdout);
  WINISWIN_TRY(const int decisions,
               trade_until_stopped(rest, feed, runner, names, options.max_decisions, config.live, TradingClock::kWall,
                                   [](const binance::FeedBar&) { return Status(Ok{}); },
                                   [&]() -> Status {
                                     discord->after_round(runner, rest.server_now());
                                     // Events may have been missed: protection checked again over REST.
                                     WINISWIN_TRY(const bool missed, stream.poll(wall_now()));
                                     if (!missed) return Ok{};
                                     spdlog::warn("user-data stream: events may have been missed; reconciling");
                                     // What it cannot settle now (a stop placed but not yet listed: Binance's
                                     // algo lists lag) the trade checks settle after their grace.
                                     const Status reconciled = reconcile_and_adopt(venue, *journal, recorder, universe, ids, nullptr);
                                     if (!reconciled && !venue::is_venue_failure(reconciled.error())) {
                                       spdlog::warn("{} (the trade checks take it from here)", reconciled.error().message);
                                       return Ok{};
                                     }
                                     return reconciled;
                                   },
                                   shown, [&] { return std::optional<int>(stream.reconnects()); }));
  discord->stopped(decisions);
  feed.stop();
  stream.stop();
  if (auto flushed = journal->flush(); !flushed) return flushed;
  fmt::print("live: stopped after {} decisions; open positions keep their stops at the venue\n", decisions);
  return Ok{};
}

}  // namespace winiswin
