// The 15m order blocks and fair value gaps the run's strategy saw (structure/zones.h, recorded
// by the backtest as they appeared and ended), kept only around the real trades — as the
// candles are — so that a long run's report holds the zones near its trades, not every zone
// of every symbol.
//
// A zone is kept when the part of its life in which it was known, [appeared, ended], meets a
// trade's window [entry − before, exit + after] of its symbol. The changes come an hour of data
// ahead of the trades that close in it, so both orders are handled: a zone that appears within
// a closed trade's window is kept at once; a trade that closes keeps the zones open then and
// those that ended within its window. Ended zones are held for `horizon` (at least the longest
// a trade is held plus `before` and the hour of lead) to wait for such a trade, then dropped.
// Memory: per symbol, the zones open now and those ended within the horizon, plus the kept ones.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "core/time.h"
#include "journal/records.h"
#include "structure/zones.h"

namespace winiswin::report {

// One zone as drawn: from its bar (`start`) to `end` (none: still open when the run ended).
struct DrawnZone {
  structure::ZoneKind kind = structure::ZoneKind::kOrderBlock;
  int direction = 0;
  Timestamp start;
  Timestamp known;  // the open of the bar it appeared with
  std::optional<Timestamp> end;
  Price top;
  Price bottom;
};

class TradeZones {
 public:
  TradeZones(Milliseconds before, Milliseconds after, Milliseconds horizon);

  void on_changes(const std::string& symbol, std::span<const structure::ZoneChange> changes);
  void on_trade(const journal::TradeRecord& trade);

  // The symbol's kept zones, in the order they were kept (deterministic for a run).
  [[nodiscard]] std::span<const DrawnZone> zones(const std::string& symbol) const;
  // Zones kept over every symbol.
  [[nodiscard]] std::size_t kept() const;

 private:
  struct Open {
    DrawnZone zone;
    std::optional<std::size_t> kept;  // its index in Symbol::kept once kept
  };
  // A zone's name while it lives (structure/zones.h): its bar, kind and direction.
  using Key = std::tuple<std::int64_t, int, int>;
  static Key key_of(structure::ZoneKind kind, int direction, Timestamp start) {
    return {to_ms(start), static_cast<int>(kind), direction};
  }
  struct Symbol {
    std::map<Key, Open> open;  // a trending market leaves many gaps open: found by name, not by a scan
    std::deque<DrawnZone> ended;  // not (yet) kept, by end time
    std::vector<DrawnZone> kept;
    std::optional<Timestamp> keep_until;  // the latest end of a closed trade's window
  };
  void appeared(Symbol& one, const structure::ZoneChange& change);
  void ended(Symbol& one, const structure::ZoneChange& change);
  void end_all(Symbol& one, Timestamp time);
  void close(Symbol& one, Open& open, Timestamp time);

  Milliseconds before_, after_, horizon_;
  std::map<std::string, Symbol, std::less<>> symbols_;
};

}  // namespace winiswin::report
