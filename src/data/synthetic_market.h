// A synthetic USDⓈ-M market: lets the whole system run with no exchange access.
//
// Model, per 1-minute step t (log returns):
//   market   r_m(t) = μ_m(t) + σ_m(t)·z_m(t) + J_m(t)
//   symbol i r_i(t) = β_i·r_m(t) + μ_i(t) + σ_i(t)·z_i(t) + J_i(t)
// - z ~ Student-t(ν = 5), scaled to unit variance: fat tails.
// - σ(t) = σ̄ · √g(t) · v(t) · s(hour): GARCH(1,1) g(t) = ω + a·z²(t−1)·g(t−1) + b·g(t−1)
//   (fast clustering, normalised to mean 1), a slow log-volatility AR(1) v(t) with a
//   half-life of a day (slow decay of |r| autocorrelation), and an intraday profile s.
// - μ(t) from a two-state regime chain: TRENDING (a drift of random sign) or RANGING
//   (mean reversion to an anchor price); mean durations in the config.
// - J(t): rare jumps (normal size), market-wide and idiosyncratic.
// - β_i uniform in [β_min, β_max]; the idiosyncratic σ̄_i is a fraction of β_i·σ̄_m, so
//   symbols correlate with the market like real USDT perpetuals do (≈0.6–0.9).
// - Prices live on each instrument's tick grid (bid–ask bounce comes for free); volume
//   follows the intraday profile and |r|, is stepped to the lot size, and rounds to zero
//   in quiet minutes of thin symbols, producing Binance's flat zero-volume bars.
// Symbol 0 is "BTCUSDT" and *is* the market factor (β = 1, no idiosyncratic part).
//
// Deterministic: the same config gives the same bars on every run and thread count. Each
// symbol draws from its own generator, seeded from (seed, symbol index) with splitmix64;
// normals come from Marsaglia's polar method on mt19937_64's standard-specified output
// (Student-t from a normal over a Gamma by Marsaglia–Tsang), not from
// std::normal_distribution, whose algorithm differs between standard libraries.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/instrument.h"
#include "core/kline.h"

namespace winiswin {

struct SyntheticMarketConfig {
  int symbols = 200;
  int days = 30;
  std::uint64_t seed = 42;
  Timestamp start = timestamp_from_ms(1'767'225'600'000);  // 2026-01-01 00:00 UTC

  double market_sigma_1m = 0.0008;     // σ̄_m: 8 bp per minute
  double beta_min = 0.5;
  double beta_max = 1.5;
  double idiosyncratic_ratio_min = 0.5;  // σ̄_i / (β_i σ̄_m)
  double idiosyncratic_ratio_max = 0.9;
  double student_t_dof = 5.0;
  double garch_alpha = 0.06;
  double garch_beta = 0.92;
  double slow_vol_half_life_minutes = 1440.0;
  double slow_vol_sigma = 0.35;          // stationary sd of log v
  double trend_mean_minutes = 1440.0;    // mean duration of a trending regime
  double range_mean_minutes = 2880.0;    // mean duration of a ranging regime
  double trend_drift_sigmas = 0.03;      // |μ| in trending regime, in units of σ̄ per minute
  double range_reversion_per_minute = 0.002;
  double jump_probability = 2.0e-4;      // per symbol-minute
  double jump_sigma = 0.012;
  double market_jump_probability = 5.0e-5;
  double market_jump_sigma = 0.01;
};

class SyntheticMarket {
 public:
  explicit SyntheticMarket(SyntheticMarketConfig config);

  [[nodiscard]] const SyntheticMarketConfig& config() const { return config_; }
  [[nodiscard]] const std::vector<Instrument>& instruments() const { return instruments_; }
  [[nodiscard]] double beta(std::size_t symbol_idx) const { return symbols_[symbol_idx].beta; }
  [[nodiscard]] std::size_t minutes() const { return market_returns_.size(); }

  // The 1m bars of one symbol. Pure: the same index always gives the same series.
  [[nodiscard]] KlineSeries generate(std::size_t symbol_idx) const;

 private:
  friend class SyntheticSymbolStream;
  struct SymbolParameters {
    double beta = 1.0;
    double idiosyncratic_sigma = 0.0;
    double start_price = 1.0;
    double quote_volume_per_minute = 0.0;  // mean USDT traded per minute
    double average_trade_usdt = 0.0;
  };

  SyntheticMarketConfig config_;
  std::vector<Instrument> instruments_;
  std::vector<SymbolParameters> symbols_;
  std::vector<double> market_returns_;  // r_m per minute, shared by every symbol
  std::vector<double> market_sigma_;    // σ_m(t), drives volume of every symbol
};

// One symbol's bars a span at a time, identical to generate()'s: a long backtest holds one
// span per symbol, not the whole history. The market must outlive the stream.
class SyntheticSymbolStream {
 public:
  SyntheticSymbolStream(const SyntheticMarket& market, std::size_t symbol_idx);
  ~SyntheticSymbolStream();
  SyntheticSymbolStream(SyntheticSymbolStream&&) noexcept;
  SyntheticSymbolStream& operator=(SyntheticSymbolStream&&) noexcept;

  // Minutes generated so far (the index of the next bar).
  [[nodiscard]] std::size_t position() const;
  // Appends the next `count` bars to `out` (fewer at the end of the market, none after).
  void next(std::size_t count, std::vector<Kline>& out);

 private:
  struct State;  // the generator's processes live in the .cpp
  std::unique_ptr<State> state_;
};

}  // namespace winiswin
