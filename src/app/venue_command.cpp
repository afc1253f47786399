#include <csignal>
#include <cstdlib>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "data/kline_file.h"
#include "data/synthetic_market.h"
#include "venue/binance/default_brackets.h"
#include "venue/binance/exchange_info.h"
#include "venue/loopback/fault_control.h"
#include "venue/loopback/loopback_server.h"

namespace winiswin {
namespace {

struct Market {
  std::vector<Instrument> instruments;
  std::vector<KlineSeries> minutes;
};

Result<Market> load_market(const VenueOptions& options, const AppConfig& config) {
  Market market;
  if (options.data.empty()) {
    const SyntheticMarket synthetic(config.synthetic);
    market.instruments = synthetic.instruments();
    for (std::size_t idx = 0; idx < market.instruments.size(); ++idx) market.minutes.push_back(synthetic.generate(idx));
    return market;
  }
  const std::string info_path = options.exchange_info.empty() ? (options.data / "exchangeInfo.json").string() : options.exchange_info;
  WINISWIN_TRY(const auto info, binance::load_exchange_info(info_path));
  std::map<std::string, Instrument, std::less<>> listed;
  for (const Instrument& instrument : info.tradable_usdt_perpetuals()) listed.emplace(instrument.symbol, instrument);
  WINISWIN_TRY(market.minutes, load_finest_klines(options.data, [&](const std::string& symbol) { return listed.contains(symbol); },
                                                  FinestOf::kAllSymbols));
  if (market.minutes.empty() || market.minutes.front().interval != Interval::k1m) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: the venue replays 1m kline files of listed symbols", options.data.string()));
  }
  for (const KlineSeries& series : market.minutes) market.instruments.push_back(listed.at(series.symbol));
  return market;
}

// The key pair clients sign with, from the same variables the live client reads.
Result<loopback::ApiCredentials> credentials_from_environment() {
  const char* key = std::getenv("BINANCE_API_KEY");
  const char* secret = std::getenv("BINANCE_API_SECRET");
  if (!key || !secret || !*key || !*secret) {
    return make_error(ErrorCode::kConfig, "the venue needs BINANCE_API_KEY and BINANCE_API_SECRET in its environment: the key pair clients sign with");
  }
  return loopback::ApiCredentials{key, secret};
}

// Moves every bar by `shift` (whole minutes: bars stay on the minute).
void shift_times(std::vector<KlineSeries>& minutes, Milliseconds shift) {
  for (KlineSeries& series : minutes) {
    for (Kline& bar : series.bars) {
      bar.open_time += shift;
      bar.close_time += shift;
    }
  }
}

Timestamp first_open(const std::vector<KlineSeries>& minutes) {
  Timestamp first = Timestamp::max();
  for (const KlineSeries& series : minutes) {
    if (!series.bars.empty()) first = std::min(first, series.bars.front().open_time);
  }
  return first;
}

}  // namespace

Status run_venue(const VenueOptions& options, const AppConfig& config) {
  if (options.speed <= 0 || options.history_days < 0) return make_error(ErrorCode::kInvalidArgument, "--speed must be > 0 and --history-days ≥ 0");
  WINISWIN_TRY(const loopback::ApiCredentials credentials, credentials_from_environment());
  WINISWIN_TRY(Market market, load_market(options, config));
  loopback::LoopbackConfig exchange_config;
  exchange_config.credentials = {credentials};
  exchange_config.venue = config.sim;
  exchange_config.venue.margin_type = venue::MarginType::kCrossed;  // as a Binance account starts
  const Milliseconds history{static_cast<std::int64_t>(options.history_days * 86'400'000.0) / 60'000 * 60'000};
  if (options.as_recorded) {
    // The bars' own times, on the replay clock: clients on wall-clock time are not checked.
    exchange_config.timestamp_check = loopback::TimestampCheck::kOff;
  } else {
    // The replay moved so that its clock starts now: server time is this machine's, and
    // timestamps are checked against it as Binance checks them.
    const Timestamp now_minute = std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now());
    shift_times(market.minutes, now_minute - (first_open(market.minutes) + history));
    exchange_config.server_clock = loopback::ServerClock::kWall;
  }
  exchange_config.start = first_open(market.minutes) + history;
  exchange_config.enforce_weight_limit = true;  // 429 past the minute's weight, 418 for a client that keeps going
  if (!options.faults.empty()) {
    WINISWIN_TRY(const loopback::FaultActions ignored, loopback::apply_fault_json(options.faults, exchange_config.faults));
    (void)ignored;  // actions need connections: they mean something only through POST /control/faults
  }
  Timestamp last_open = Timestamp::min();
  for (const KlineSeries& series : market.minutes) {
    if (!series.bars.empty()) last_open = std::max(last_open, series.bars.back().open_time);
  }
  if (exchange_config.start > last_open) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("--history-days {} leaves nothing to replay: the data holds less (more --days, or fewer history days)",
                                                               options.history_days));
  }
  const std::size_t symbols = market.instruments.size();
  // Liquidation needs brackets: Binance's published tiers for every symbol.
  auto brackets = binance::with_default_brackets(market.instruments, {});
  WINISWIN_TRY(auto exchange, loopback::LoopbackExchange::create(std::move(market.instruments),
                                                                 loopback::BracketMap(brackets.begin(), brackets.end()),
                                                                 std::move(market.minutes), exchange_config));
  loopback::LoopbackServerConfig server_config;
  server_config.http.port = options.port;
  server_config.speed = options.speed;
  loopback::LoopbackServer server(std::move(exchange), server_config);
  // Block the stop signals before the server's threads start, so only sigwait receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  if (auto status = server.start(); !status) return status;
  fmt::print("listening on http://127.0.0.1:{}\n", server.port());
  std::fflush(stdout);
  spdlog::info("loopback venue: {} symbols from {}, {}× real time", symbols, format_utc(server.exchange().now()), options.speed);
  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("loopback venue: signal {}, stopping", received);
  server.stop();
  return Ok{};
}

}  // namespace winiswin
