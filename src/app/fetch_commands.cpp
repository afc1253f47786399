// The commands that read market data from an exchange over REST and save it: klines into the
// data layer's monthly files (incremental), and exchangeInfo.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/config.h"
#include "app/venue_choice.h"
#include "data/file_bytes.h"
#include "data/kline_csv.h"
#include "data/kline_file.h"
#include "net/http_client.h"
#include "venue/binance/market_data_client.h"

namespace winiswin {
namespace {

// A public (market data) REST client for the chosen venue.
struct PublicClient {
  net::HttpClient http;
  std::unique_ptr<binance::RestClient> rest;
};
Result<std::unique_ptr<PublicClient>> public_client(const VenueChoice& venue) {
  WINISWIN_TRY(const binance::BinanceUrls urls, venue_urls(venue));
  WINISWIN_TRY(const net::Url base, net::parse_url(urls.rest));
  auto client = std::make_unique<PublicClient>();
  client->rest = std::make_unique<binance::RestClient>(client->http, base.endpoint, std::nullopt, binance::system_clock());
  return client;
}

// The first instant of the month after the one holding `time`.
Timestamp next_month(Timestamp time) {
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date(day);
  const auto next = date.year() / date.month() / 1 + std::chrono::months{1};
  return std::chrono::time_point_cast<Milliseconds>(std::chrono::sys_days(next));
}

std::filesystem::path month_file(const std::filesystem::path& out, const std::string& symbol, Interval interval, Timestamp month) {
  return out / fmt::format("{}-{}-{}.csv", symbol, name_of(interval), format_utc(month).substr(0, 7));
}

// One symbol-month: the bars the file lacks within [from, to), appended; the file rewritten.
Status fetch_month(binance::RestClient& rest, const std::string& symbol, Interval interval, Timestamp from, Timestamp to,
                   const std::filesystem::path& file) {
  KlineSeries series;
  series.symbol = symbol;
  series.interval = interval;
  if (std::filesystem::exists(file)) {
    WINISWIN_TRY(series, load_klines(file));
    if (!series.bars.empty()) from = std::max(from, series.bars.back().open_time + duration_of(interval));
  }
  if (from >= to) return Ok{};  // already held
  const std::size_t held = series.bars.size();
  WINISWIN_TRY(const std::vector<Kline> bars,
               binance::fetch_klines(rest, symbol, interval, from, to, [&](std::size_t count) {
                 fmt::print(stderr, "\r{} {}: {} bars", symbol, file.filename().string(), held + count);
               }));
  fmt::print(stderr, "\r{} {}: {} bars ({} new)\n", symbol, file.filename().string(), held + bars.size(), bars.size());
  if (bars.empty()) return Ok{};
  series.bars.insert(series.bars.end(), bars.begin(), bars.end());
  return write_file_bytes(file, format_kline_csv(series));
}

}  // namespace

Status run_data_fetch(const FetchOptions& options) {
  WINISWIN_TRY(const Interval interval, parse_interval(options.interval));
  WINISWIN_TRY(const Timestamp from, parse_decision_time(options.from));
  WINISWIN_TRY(const Timestamp requested_to, parse_decision_time(options.to));
  if (options.symbols.empty() || from >= requested_to) {
    return make_error(ErrorCode::kInvalidArgument, "data fetch needs --symbols and --from before --to");
  }
  WINISWIN_TRY(auto client, public_client(options.venue));
  // Only closed bars: the venue's clock says which (the loopback venue replays another time).
  if (auto synced = client->rest->sync_time(); !synced) return synced.error();
  const Timestamp server_now = binance::system_clock().now() + client->rest->time_offset();
  const Timestamp to = std::min(requested_to, bar_open_time(server_now, interval));
  std::error_code made;
  std::filesystem::create_directories(options.out, made);
  if (made) return make_error(ErrorCode::kIo, fmt::format("{}: cannot create: {}", options.out.string(), made.message()));
  for (const std::string& symbol : options.symbols) {
    for (Timestamp month = from; month < to; month = next_month(month)) {
      const Timestamp month_end = std::min(to, next_month(month));
      const std::filesystem::path file = month_file(options.out, symbol, interval, month);
      if (auto status = fetch_month(*client->rest, symbol, interval, month, month_end, file); !status) {
        return status.error().with_context(fmt::format("{} {}", symbol, format_utc(month).substr(0, 7)));
      }
    }
  }
  return Ok{};
}

Status run_exchange_info(const VenueChoice& venue, const std::filesystem::path& out) {
  WINISWIN_TRY(auto client, public_client(venue));
  WINISWIN_TRY(const binance::FetchedExchangeInfo fetched, binance::fetch_exchange_info(*client->rest));
  if (auto status = write_file_bytes(out, fetched.json); !status) return status;
  fmt::print("{}: {} symbols, {} tradable USDT perpetuals\n", out.string(), fetched.info.instruments.size(),
             fetched.info.tradable_usdt_perpetuals().size());
  return Ok{};
}

}  // namespace winiswin
