#include "data/synthetic_market.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

namespace winiswin {
namespace {

constexpr int kMinutesPerDay = 1440;
constexpr std::uint64_t kMarketStream = 0xFFFF'FFFF;  // generator id of the market factor

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E37'79B9'7F4A'7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58'476D'1CE4'E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D0'49BB'1331'11EBULL;
  return x ^ (x >> 31);
}

// Portable draws on top of mt19937_64 (whose output the standard fixes).
class Random {
 public:
  Random(std::uint64_t seed, std::uint64_t stream) : engine_(splitmix64(seed ^ splitmix64(stream))) {}

  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  bool chance(double probability) { return uniform() < probability; }
  // Marsaglia's polar method: two normals per accepted pair, no sine or cosine (it was the
  // costliest part of generating a bar).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0.0, v = 0.0, s = 0.0;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double scale = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * scale;
    has_spare_ = true;
    return u * scale;
  }
  // Gamma(shape, 1), shape ≥ 1: Marsaglia and Tsang's squeeze method (exact).
  double gamma(double shape) {
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    while (true) {
      const double x = normal();
      double v = 1.0 + c * x;
      if (v <= 0.0) continue;
      v = v * v * v;
      const double u = uniform();
      if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
      if (u > 0.0 && std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
  }
  // Student-t with ν degrees of freedom, scaled to unit variance (ν > 2):
  // z / √(χ²_ν / ν) · √((ν − 2) / ν), with χ²_ν = 2·Gamma(ν/2).
  double student_t(double dof) {
    const double chi_square = 2.0 * gamma(0.5 * dof);
    return normal() / std::sqrt(chi_square / dof) * std::sqrt((dof - 2.0) / dof);
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// Intraday activity by UTC hour: busiest around the US open (14:00), quietest ~02:00;
// the max/min ratio ≈ 2.6, like the real 1m files (2.4–3.0).
double intraday_activity_at(std::int64_t minute_of_day) {
  const double hour = static_cast<double>(minute_of_day) / 60.0;
  return 1.0 + 0.45 * std::cos(2.0 * std::numbers::pi * (hour - 14.0) / 24.0);
}

// The profile and its square root by minute of the day, computed once: a cosine and a root
// twice per generated bar were a sixth of its cost.
struct IntradayProfile {
  std::array<double, kMinutesPerDay> activity{};
  std::array<double, kMinutesPerDay> root{};
};

const IntradayProfile& intraday_profile() {
  static const IntradayProfile profile = [] {
    IntradayProfile table;
    for (std::int64_t minute = 0; minute < kMinutesPerDay; ++minute) {
      table.activity[static_cast<std::size_t>(minute)] = intraday_activity_at(minute);
      table.root[static_cast<std::size_t>(minute)] = std::sqrt(intraday_activity_at(minute));
    }
    return table;
  }();
  return profile;
}

std::size_t profile_index(std::int64_t minute_of_day) {  // floored: times before 1970 too
  return static_cast<std::size_t>((minute_of_day % kMinutesPerDay + kMinutesPerDay) % kMinutesPerDay);
}
double intraday_activity(std::int64_t minute_of_day) { return intraday_profile().activity[profile_index(minute_of_day)]; }

// Volatility state shared by the market and the symbols' idiosyncratic parts.
class VolatilityProcess {
 public:
  VolatilityProcess(const SyntheticMarketConfig& config)
      : alpha_(config.garch_alpha),
        beta_(config.garch_beta),
        omega_(1.0 - config.garch_alpha - config.garch_beta),
        slow_decay_(std::exp(-std::numbers::ln2 / config.slow_vol_half_life_minutes)),
        slow_shock_(config.slow_vol_sigma * std::sqrt(1.0 - slow_decay_ * slow_decay_)) {}

  // The multiplier for this minute: √g · v · √activity.
  double next(Random& random, std::int64_t minute_of_day) {
    log_slow_ = slow_decay_ * log_slow_ + slow_shock_ * random.normal();
    return std::sqrt(garch_) * std::exp(log_slow_ - 0.5 * slow_variance()) * intraday_profile().root[profile_index(minute_of_day)];
  }
  // Feeds back the standardised shock z that was drawn at this minute.
  void observe(double z) { garch_ = omega_ + alpha_ * z * z * garch_ + beta_ * garch_; }

 private:
  [[nodiscard]] double slow_variance() const { return slow_shock_ * slow_shock_ / (1.0 - slow_decay_ * slow_decay_); }
  double alpha_, beta_, omega_;
  double slow_decay_, slow_shock_;
  double garch_ = 1.0;
  double log_slow_ = 0.0;
};

// Two-state regime chain giving the drift μ(t) of one log-price path.
class RegimeProcess {
 public:
  RegimeProcess(const SyntheticMarketConfig& config, double sigma, double start_log_price)
      : leave_trend_(1.0 / config.trend_mean_minutes),
        leave_range_(1.0 / config.range_mean_minutes),
        trend_drift_(config.trend_drift_sigmas * sigma),
        reversion_(config.range_reversion_per_minute),
        anchor_(start_log_price) {}

  double drift(Random& random, double log_price) {
    if (trending_ ? random.chance(leave_trend_) : random.chance(leave_range_)) {
      trending_ = !trending_;
      direction_ = random.chance(0.5) ? 1.0 : -1.0;
      anchor_ = log_price;
    }
    return trending_ ? direction_ * trend_drift_ : -reversion_ * (log_price - anchor_);
  }

 private:
  double leave_trend_, leave_range_, trend_drift_, reversion_;
  bool trending_ = false;
  double direction_ = 1.0;
  double anchor_;
};

Price price_from_double(double value) { return Price::from_double(value).value(); }

double power_of_ten(int exponent) { return std::pow(10.0, exponent); }

// Tick ≈ 10^(⌊log10 p⌋ − k), k ∈ {3, 4}: 4–5 significant digits, like Binance's choices
// (ALGO 0.1 → 0.0001, FIL 1.05 → 0.001, BTC 90 000 → 0.1); never finer than 1e-7.
// Step ≈ 10^⌊log10(0.1 / p)⌋ within [0.001, 1000]: min notional is tens of steps.
Instrument make_instrument(const std::string& base, double price, Random& random, bool is_btc) {
  Instrument instrument;
  instrument.symbol = base + "USDT";
  instrument.base_asset = base;
  instrument.quote_asset = "USDT";
  instrument.margin_asset = "USDT";
  const int magnitude = static_cast<int>(std::floor(std::log10(price)));
  const int tick_exponent = std::max(-7, magnitude - (is_btc ? 5 : (random.chance(0.5) ? 3 : 4)));
  const int step_exponent = std::clamp(static_cast<int>(std::floor(std::log10(0.1 / price))), -3, 3);
  instrument.price_filter.tick_size = price_from_double(power_of_ten(tick_exponent));
  instrument.price_filter.min_price = instrument.price_filter.tick_size;
  instrument.price_filter.max_price = price_from_double(power_of_ten(magnitude + 2));
  const Quantity step = Quantity::from_double(power_of_ten(step_exponent)).value();
  instrument.lot_size = LotFilter{step, Quantity::from_double(1.0e7 / price * 10.0).value(), step};
  instrument.lot_size.max_quantity = instrument.round_quantity_down(instrument.lot_size.max_quantity, OrderKind::kLimit);
  instrument.market_lot_size = instrument.lot_size;
  instrument.market_lot_size.max_quantity =
      instrument.round_quantity_down(Quantity::from_double(1.0e6 / price).value(), OrderKind::kMarket);
  instrument.min_notional = Notional::from_units(is_btc ? 100 : 5);
  instrument.price_precision = std::max(0, -tick_exponent);
  instrument.quantity_precision = std::max(0, -step_exponent);
  instrument.percent_price_up = Ratio::parse("1.05").value();
  instrument.percent_price_down = Ratio::parse("0.95").value();
  return instrument;
}

}  // namespace

SyntheticMarket::SyntheticMarket(SyntheticMarketConfig config) : config_(config) {
  if (config_.symbols < 1 || config_.days < 1) {
    throw std::invalid_argument("synthetic market needs at least one symbol and one day");
  }
  if (config_.student_t_dof <= 2.0 || config_.garch_alpha + config_.garch_beta >= 1.0) {
    throw std::invalid_argument("synthetic market: need t dof > 2 and GARCH alpha + beta < 1");
  }
  Random setup(config_.seed, 0);
  instruments_.reserve(static_cast<std::size_t>(config_.symbols));
  symbols_.reserve(static_cast<std::size_t>(config_.symbols));
  for (int symbol_idx = 0; symbol_idx < config_.symbols; ++symbol_idx) {
    const bool is_btc = symbol_idx == 0;
    SymbolParameters parameters;
    // Price levels log-uniform from 0.002 to 2000 USDT; BTC near 90 000.
    parameters.start_price = is_btc ? 90'000.0 : std::exp(setup.uniform(std::log(0.002), std::log(2000.0)));
    parameters.beta = is_btc ? 1.0 : setup.uniform(config_.beta_min, config_.beta_max);
    parameters.idiosyncratic_sigma =
        is_btc ? 0.0
               : parameters.beta * config_.market_sigma_1m *
                     setup.uniform(config_.idiosyncratic_ratio_min, config_.idiosyncratic_ratio_max);
    // Liquidity spread over three orders of magnitude: 5 M USDT/min for BTC, 3 k–3 M for the rest.
    parameters.quote_volume_per_minute = is_btc ? 5.0e6 : std::exp(setup.uniform(std::log(3.0e3), std::log(3.0e6)));
    parameters.average_trade_usdt = is_btc ? 3000.0 : setup.uniform(150.0, 1500.0);
    const std::string base = is_btc ? "BTC" : fmt::format("SYN{:03d}", symbol_idx);
    instruments_.push_back(make_instrument(base, parameters.start_price, setup, is_btc));
    symbols_.push_back(parameters);
  }

  const std::size_t minutes = static_cast<std::size_t>(config_.days) * kMinutesPerDay;
  market_returns_.resize(minutes);
  market_sigma_.resize(minutes);
  Random random(config_.seed, kMarketStream);
  VolatilityProcess volatility(config_);
  double log_price = std::log(symbols_[0].start_price);
  RegimeProcess regime(config_, config_.market_sigma_1m, log_price);
  const std::int64_t start_minute = to_ms(config_.start) / 60'000;
  for (std::size_t minute = 0; minute < minutes; ++minute) {
    const auto minute_of_day = static_cast<std::int64_t>((start_minute + static_cast<std::int64_t>(minute)) % kMinutesPerDay);
    const double sigma = config_.market_sigma_1m * volatility.next(random, minute_of_day);
    const double z = random.student_t(config_.student_t_dof);
    volatility.observe(z);
    double r = regime.drift(random, log_price) + sigma * z;
    if (random.chance(config_.market_jump_probability)) r += config_.market_jump_sigma * random.normal();
    market_returns_[minute] = r;
    market_sigma_[minute] = sigma;
    log_price += r;
  }
}

struct SyntheticSymbolStream::State {
  State(const SyntheticMarket& market_ref, std::size_t symbol_idx)
      : market(&market_ref),
        index(symbol_idx),
        random(market_ref.config_.seed, symbol_idx + 1),
        volatility(market_ref.config_),
        regime(market_ref.config_,
               std::max(market_ref.symbols_.at(symbol_idx).idiosyncratic_sigma, market_ref.config_.market_sigma_1m),
               std::log(market_ref.symbols_[symbol_idx].start_price)),
        log_price(std::log(market_ref.symbols_[symbol_idx].start_price)),
        previous_close(market_ref.instruments_[symbol_idx].round_price_down(
            price_from_double(market_ref.symbols_[symbol_idx].start_price))) {}

  const SyntheticMarket* market;
  std::size_t index;
  Random random;
  VolatilityProcess volatility;
  RegimeProcess regime;
  double log_price;
  Price previous_close;
  std::size_t minute = 0;  // the next minute to generate
};

SyntheticSymbolStream::SyntheticSymbolStream(const SyntheticMarket& market, std::size_t symbol_idx)
    : state_(std::make_unique<State>(market, symbol_idx)) {}
SyntheticSymbolStream::~SyntheticSymbolStream() = default;
SyntheticSymbolStream::SyntheticSymbolStream(SyntheticSymbolStream&&) noexcept = default;
SyntheticSymbolStream& SyntheticSymbolStream::operator=(SyntheticSymbolStream&&) noexcept = default;

std::size_t SyntheticSymbolStream::position() const { return state_->minute; }

KlineSeries SyntheticMarket::generate(std::size_t symbol_idx) const {
  KlineSeries series;
  series.symbol = instruments_.at(symbol_idx).symbol;
  series.interval = Interval::k1m;
  series.fields = KlineFields::kFull;
  SyntheticSymbolStream stream(*this, symbol_idx);
  stream.next(minutes(), series.bars);
  return series;
}

void SyntheticSymbolStream::next(std::size_t count, std::vector<Kline>& out) {
  State& s = *state_;
  const SyntheticMarket& market = *s.market;
  const SyntheticMarketConfig& config = market.config_;
  const std::vector<double>& market_returns = market.market_returns_;
  const std::vector<double>& market_sigma = market.market_sigma_;
  const SyntheticMarket::SymbolParameters& parameters = market.symbols_[s.index];
  const Instrument& instrument = market.instruments_[s.index];
  const bool is_market = s.index == 0;
  Random& random = s.random;
  VolatilityProcess& volatility = s.volatility;
  RegimeProcess& regime = s.regime;
  double& log_price = s.log_price;
  Price& previous_close = s.previous_close;

  const std::size_t end = std::min(market_returns.size(), s.minute + count);
  const std::size_t first_out = out.size();
  const std::size_t first_minute = s.minute;
  out.resize(first_out + (end - s.minute));
  const double tick = instrument.price_filter.tick_size.to_double();
  const std::int64_t start_ms = to_ms(config.start);
  for (; s.minute < end; ++s.minute) {
    const std::size_t minute = s.minute;
    const std::int64_t open_ms = start_ms + static_cast<std::int64_t>(minute) * 60'000;
    const std::int64_t minute_of_day = (open_ms / 60'000) % kMinutesPerDay;
    double r = parameters.beta * market_returns[minute];
    double own_sigma = 0.0;
    if (!is_market) {
      own_sigma = parameters.idiosyncratic_sigma * volatility.next(random, minute_of_day);
      const double z = random.student_t(config.student_t_dof);
      volatility.observe(z);
      r += regime.drift(random, log_price) + own_sigma * z;
      if (random.chance(config.jump_probability)) r += config.jump_sigma * random.normal();
    }
    log_price += r;
    const double total_sigma = std::hypot(parameters.beta * market_sigma[minute], own_sigma);

    Kline& bar = out[first_out + (minute - first_minute)];
    bar.open_time = timestamp_from_ms(open_ms);
    bar.close_time = timestamp_from_ms(open_ms + 59'999);

    // Volume: intraday profile × (quiet floor + |r|/σ) × lognormal noise, on the lot step.
    const double activity = intraday_activity(minute_of_day) * (0.4 + 0.6 * std::fabs(r) / total_sigma) *
                            std::exp(0.5 * random.normal() - 0.125);
    const double price_now = std::exp(log_price);
    const double base_volume = parameters.quote_volume_per_minute * activity / price_now;
    const Quantity volume = instrument.round_quantity_down(
        Quantity::from_double(std::min(base_volume, 1.0e9)).value(), OrderKind::kLimit);
    if (!volume.is_positive()) {
      // No trade this minute: Binance still emits a flat bar at the previous close.
      bar.open = bar.high = bar.low = bar.close = previous_close;
      continue;
    }

    // Prices: close on the tick grid; the excursions beyond open/close are half-normal.
    const Price close = std::max(instrument.price_filter.tick_size,
                                 instrument.round_price(price_from_double(price_now),
                                                        random.chance(0.5) ? Rounding::kUp : Rounding::kDown));
    const double upper = std::max(previous_close, close).to_double();
    const double lower = std::min(previous_close, close).to_double();
    const double wick_high = std::fabs(random.normal()) * 0.5 * total_sigma * upper;
    const double wick_low = std::fabs(random.normal()) * 0.5 * total_sigma * lower;
    bar.open = previous_close;
    bar.close = close;
    bar.high = std::max(std::max(previous_close, close), instrument.round_price_up(price_from_double(upper + wick_high)));
    bar.low = std::min(std::min(previous_close, close),
                       std::max(instrument.price_filter.tick_size,
                                instrument.round_price_down(price_from_double(std::max(lower - wick_low, tick)))));
    bar.volume = volume;

    // Quote volume at a VWAP inside [low, high]; taker share leans with the move.
    const Price vwap = instrument.round_price_down(Price::from_raw((bar.open.raw() + bar.high.raw() + bar.low.raw() +
                                                                    bar.close.raw()) / 4));
    bar.quote_volume = notional_of(std::max(vwap, bar.low), volume, Rounding::kDown);
    const double taker_share = std::clamp(0.5 + 0.3 * r / total_sigma + 0.05 * random.normal(), 0.05, 0.95);
    bar.taker_buy_volume = instrument.round_quantity_down(
        Quantity::from_raw(static_cast<std::int64_t>(static_cast<double>(volume.raw()) * taker_share)), OrderKind::kLimit);
    if (bar.taker_buy_volume.is_negative()) bar.taker_buy_volume = Quantity{};
    bar.taker_buy_quote_volume = notional_of(std::max(vwap, bar.low), bar.taker_buy_volume, Rounding::kDown);
    bar.trades = std::max<std::int64_t>(1, static_cast<std::int64_t>(bar.quote_volume.to_double() /
                                                                     parameters.average_trade_usdt));
    previous_close = close;
  }
}

}  // namespace winiswin
