#include "report/trade_zones.h"

#include <algorithm>

namespace winiswin::report {
namespace {

// [known, end] meets [from, to]; an open zone is known until now, after any window that closed.
bool meets(const DrawnZone& zone, Timestamp from, Timestamp to) { return zone.known <= to && (!zone.end || *zone.end >= from); }

}  // namespace

TradeZones::TradeZones(Milliseconds before, Milliseconds after, Milliseconds horizon) : before_(before), after_(after), horizon_(horizon) {}

void TradeZones::on_changes(const std::string& symbol, std::span<const structure::ZoneChange> changes) {
  Symbol& one = symbols_[symbol];
  for (const structure::ZoneChange& change : changes) {
    switch (change.type) {
      case structure::ZoneChange::Type::kAppeared: appeared(one, change); break;
      case structure::ZoneChange::Type::kEnded: ended(one, change); break;
      case structure::ZoneChange::Type::kAllEnded: end_all(one, change.time); break;
    }
  }
}

void TradeZones::appeared(Symbol& one, const structure::ZoneChange& change) {
  Open& open = one.open[key_of(change.kind, change.direction, change.start)];
  open = Open{DrawnZone{change.kind, change.direction, change.start, change.time, std::nullopt, change.top, change.bottom}, {}};
  if (one.keep_until && change.time <= *one.keep_until) {
    open.kept = one.kept.size();
    one.kept.push_back(open.zone);
  }
}

void TradeZones::ended(Symbol& one, const structure::ZoneChange& change) {
  const auto found = one.open.find(key_of(change.kind, change.direction, change.start));
  if (found == one.open.end()) return;  // appeared before the recording began
  close(one, found->second, change.time);
  one.open.erase(found);
}

void TradeZones::end_all(Symbol& one, Timestamp time) {
  for (auto& [key, open] : one.open) close(one, open, time);
  one.open.clear();
}

void TradeZones::close(Symbol& one, Open& open, Timestamp time) {
  open.zone.end = time;
  if (open.kept) {
    one.kept[*open.kept].end = time;
    return;
  }
  one.ended.push_back(open.zone);
  while (!one.ended.empty() && *one.ended.front().end < time - horizon_) one.ended.pop_front();
}

void TradeZones::on_trade(const journal::TradeRecord& trade) {
  Symbol& one = symbols_[trade.symbol];
  const Timestamp from = trade.entry_time - before_, to = trade.exit_time + after_;
  for (auto& [key, open] : one.open) {
    if (open.kept || !meets(open.zone, from, to)) continue;
    open.kept = one.kept.size();
    one.kept.push_back(open.zone);
  }
  // Ended zones come in end order, not in the order they appeared: kept ones leave the queue.
  const auto stays = std::stable_partition(one.ended.begin(), one.ended.end(), [&](const DrawnZone& zone) { return !meets(zone, from, to); });
  one.kept.insert(one.kept.end(), stays, one.ended.end());
  one.ended.erase(stays, one.ended.end());
  one.keep_until = std::max(one.keep_until.value_or(to), to);
}

std::span<const DrawnZone> TradeZones::zones(const std::string& symbol) const {
  const auto found = symbols_.find(symbol);
  if (found == symbols_.end()) return {};
  return found->second.kept;
}

std::size_t TradeZones::kept() const {
  std::size_t total = 0;
  for (const auto& [symbol, one] : symbols_) total += one.kept.size();
  return total;
}

}  // namespace winiswin::report
