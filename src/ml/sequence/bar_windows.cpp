#include "ml/sequence/bar_windows.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace winiswin::ml::sequence {
namespace {

constexpr std::int64_t kFiveMinutesMs = 5 * 60 * 1000;
enum Channel : std::size_t { kReturn, kRange, kBody, kCloseLocation, kVolume };

}  // namespace

std::string_view describe(WindowMiss miss) {
  switch (miss) {
    case WindowMiss::kNone: return "window";
    case WindowMiss::kUnknownSymbol: return "symbol without bars";
    case WindowMiss::kNoDecisionBar: return "no 5m bar closing at the decision";
    case WindowMiss::kTooFewBars: return "fewer bars before the decision than the window needs";
    case WindowMiss::kHole: return "a missing 5m bar in the window";
  }
  return "?";
}

Result<BarWindows> BarWindows::make(std::size_t length) {
  if (length < 2) return make_error(ErrorCode::kInvalidArgument, fmt::format("sequence window of {} bars: at least 2", length));
  return BarWindows(length);
}

Status BarWindows::add(std::string_view symbol, Interval interval, std::span<const Kline> bars) {
  if (interval != Interval::k1m && interval != Interval::k5m) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {} bars; the sequence windows take 1m or 5m bars", symbol, name_of(interval)));
  }
  auto found = index_.find(symbol);
  if (found == index_.end()) {
    found = index_.emplace(std::string(symbol), static_cast<std::uint32_t>(symbols_.size())).first;
    symbols_.emplace_back();
  }
  SymbolBars& kept = symbols_[found->second];
  for (const Kline& bar : bars) {
    if (interval == Interval::k5m) {
      if (auto status = add_five_minute(kept, bar, symbol); !status) return status;
      continue;
    }
    WINISWIN_TRY(const Kline* five, kept.one_minute.push(bar));
    if (five != nullptr) {
      if (auto status = add_five_minute(kept, *five, symbol); !status) return status;
    }
  }
  return Ok{};
}

// The bar's channels before the side and the window's volume mean (the header's formulas).
Status BarWindows::add_five_minute(SymbolBars& kept, const Kline& bar, std::string_view symbol) {
  const std::int64_t open_ms = to_ms(bar.open_time);
  if (!kept.open_ms.empty() && open_ms <= kept.open_ms.back()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: 5m bar at {} does not follow the one at {}", symbol, format_utc(bar.open_time),
                                                               format_utc(timestamp_from_ms(kept.open_ms.back()))));
  }
  const double open = bar.open.to_double(), high = bar.high.to_double(), low = bar.low.to_double(), close = bar.close.to_double();
  if (!(low > 0.0 && close > 0.0 && high >= low)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: 5m bar at {} has low {} high {} close {}: prices must be positive, high ≥ low", symbol,
                                  format_utc(bar.open_time), low, high, close));
  }
  std::array<float, kChannelCount> channels{};
  channels[kReturn] = kept.open_ms.empty() ? 0.0F : static_cast<float>(std::log(close / kept.previous_close));
  channels[kRange] = static_cast<float>((high - low) / close);
  channels[kBody] = static_cast<float>((close - open) / close);
  channels[kCloseLocation] = high > low ? static_cast<float>((close - low) / (high - low) - 0.5) : 0.0F;
  channels[kVolume] = static_cast<float>(std::log(std::max(bar.volume.to_double(), kMinVolume)));
  kept.open_ms.push_back(open_ms);
  kept.unsigned_channels.push_back(channels);
  kept.previous_close = close;
  return Ok{};
}

std::size_t BarWindows::bars_of(std::string_view symbol) const {
  const auto found = index_.find(symbol);
  return found == index_.end() ? 0 : symbols_[found->second].open_ms.size();
}

WindowLookup BarWindows::locate(std::string_view symbol, Timestamp decided) const {
  const auto found = index_.find(symbol);
  if (found == index_.end()) return {WindowMiss::kUnknownSymbol, {}};
  const SymbolBars& kept = symbols_[found->second];
  const std::int64_t decision_bar = to_ms(decided) - kFiveMinutesMs;
  const auto at = std::lower_bound(kept.open_ms.begin(), kept.open_ms.end(), decision_bar);
  if (at == kept.open_ms.end() || *at != decision_bar) return {WindowMiss::kNoDecisionBar, {}};
  const auto last = static_cast<std::size_t>(at - kept.open_ms.begin());
  if (last < length_) return {WindowMiss::kTooFewBars, {}};
  // N+1 bars (the first return's previous close included) with increasing open times span
  // exactly N · 5m only when none is missing.
  if (kept.open_ms[last] - kept.open_ms[last - length_] != static_cast<std::int64_t>(length_) * kFiveMinutesMs) return {WindowMiss::kHole, {}};
  return {WindowMiss::kNone, {found->second, static_cast<std::uint32_t>(last)}};
}

void BarWindows::fill(WindowRef ref, Side side, std::span<float> out) const {
  if (out.size() != length_ * kChannelCount) {
    throw std::invalid_argument(fmt::format("BarWindows::fill: {} values for a window of {} × {}", out.size(), length_, kChannelCount));
  }
  const SymbolBars& kept = symbols_.at(ref.symbol);
  const std::size_t first = ref.last + 1 - length_;
  const float sign = side == Side::kBuy ? 1.0F : -1.0F;
  double log_volume_sum = 0.0;
  for (std::size_t bar = first; bar <= ref.last; ++bar) log_volume_sum += kept.unsigned_channels[bar][kVolume];
  const auto mean_log_volume = static_cast<float>(log_volume_sum / static_cast<double>(length_));
  for (std::size_t step = 0; step < length_; ++step) {
    const std::array<float, kChannelCount>& bar = kept.unsigned_channels[first + step];
    float* values = out.data() + step * kChannelCount;
    values[kReturn] = sign * bar[kReturn];
    values[kRange] = bar[kRange];
    values[kBody] = sign * bar[kBody];
    values[kCloseLocation] = sign * bar[kCloseLocation];
    values[kVolume] = bar[kVolume] - mean_log_volume;
  }
}

}  // namespace winiswin::ml::sequence
