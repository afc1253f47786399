// Causal windows of 5m bars for the sequence models: for a decision at `decided` (the 5m close
// it was taken at) on a symbol, the last N 5m bars closed by then, as scale-free channels.
//
// Storage: per symbol, one array of open times and one of per-bar channel values (5 floats a
// bar), built once from the symbol's finest bars (1m aggregated to 5m by KlineAggregator,
// which skips a bucket with a missing minute, so a hole in the 1m data is a hole here). A
// window is an index into them: nothing is copied per row until a batch is filled.
//
// Channels per bar t of a window, each free of the price and volume scale (comparable across
// symbols and years):
//   return          s · ln(close_t / close_{t−1})             (needs bar t−1: N+1 bars per window)
//   range           (high_t − low_t) / close_t                (unsigned)
//   body            s · (close_t − open_t) / close_t
//   close_location  s · ((close_t − low_t) / (high_t − low_t) − ½)   (0 when high = low)
//   volume          ln(volume_t) − mean over the window of ln(volume)  (ln of the volume relative
//                   to the window's geometric mean; a zero volume counts as kMinVolume)
// with s = +1 for a long signal and −1 for a short: "+" favours the signal (a rising close,
// a close near the high, for a long; the mirror for a short). Range and volume carry no side.
//
// A window needs N+1 consecutive 5m bars ending with the one that closes at `decided`
// (open = decided − 5m); a symbol with fewer before it, or a hole among them (a missing 5m
// bar: a data gap or an incomplete bucket), has no window — locate() says which, and callers
// count and exclude those rows (never pad silently).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/interval.h"
#include "core/kline.h"
#include "core/side.h"
#include "core/time.h"
#include "data/resample.h"

namespace winiswin::ml::sequence {

inline constexpr std::size_t kChannelCount = 5;
inline constexpr std::array<std::string_view, kChannelCount> kChannelNames = {"return", "range", "body", "close_location", "volume"};
inline constexpr double kMinVolume = 1e-8;  // base units: a zero-volume bar's stand-in inside ln()

// Where a window lives: the symbol's index and the index of its last bar (the decision's).
struct WindowRef {
  std::uint32_t symbol = 0;
  std::uint32_t last = 0;
};

enum class WindowMiss { kNone, kUnknownSymbol, kNoDecisionBar, kTooFewBars, kHole };
std::string_view describe(WindowMiss miss);

struct WindowLookup {
  WindowMiss miss = WindowMiss::kNone;
  WindowRef ref;  // when miss == kNone
};

class BarWindows {
 public:
  // N, the window's length in bars (at least 2).
  static Result<BarWindows> make(std::size_t length);

  // Appends a symbol's bars in time order: 1m or 5m, any number of calls per symbol (a
  // month at a time); a bar at or before the symbol's previous one is an error.
  Status add(std::string_view symbol, Interval interval, std::span<const Kline> bars);

  [[nodiscard]] std::size_t length() const { return length_; }
  [[nodiscard]] std::size_t bars_of(std::string_view symbol) const;
  [[nodiscard]] WindowLookup locate(std::string_view symbol, Timestamp decided) const;
  // The window's N × kChannelCount values, time-major (oldest bar first), signed by `side`.
  void fill(WindowRef ref, Side side, std::span<float> out) const;

 private:
  struct SymbolBars {
    std::vector<std::int64_t> open_ms;         // 5m open times, increasing
    std::vector<std::array<float, kChannelCount>> unsigned_channels;  // per bar, before signing and the window's volume mean
    KlineAggregator one_minute{Interval::k1m, Interval::k5m};
    double previous_close = 0.0;  // of the latest bar kept: bar t−1 of the next bar's return
  };
  explicit BarWindows(std::size_t length) : length_(length) {}
  Status add_five_minute(SymbolBars& bars, const Kline& bar, std::string_view symbol);

  std::size_t length_ = 0;
  std::vector<SymbolBars> symbols_;
  std::map<std::string, std::uint32_t, std::less<>> index_;
};

}  // namespace winiswin::ml::sequence
