#include "execution/virtual_book.h"

#include <algorithm>

namespace winiswin::execution {

VirtualBook::VirtualBook(std::size_t symbols, venue::FillModelConfig fills, Milliseconds max_holding)
    : positions_(symbols), fills_(fills), max_holding_(max_holding) {}

std::vector<journal::TradeRecord> VirtualBook::open_positions() const {
  std::vector<journal::TradeRecord> open;
  for (const auto& position : positions_) {
    if (position) open.push_back(position->record);
  }
  return open;
}

std::size_t VirtualBook::open_count() const {
  return static_cast<std::size_t>(std::count_if(positions_.begin(), positions_.end(), [](const auto& p) { return p.has_value(); }));
}

bool VirtualBook::open(std::size_t symbol, journal::TradeRecord record) {
  if (positions_[symbol]) return false;
  record.is_virtual = true;
  positions_[symbol] = Position{std::move(record), false, false};
  return true;
}

std::optional<journal::TradeRecord> VirtualBook::close(std::size_t symbol, Timestamp time, double price, journal::ExitReason reason) {
  journal::TradeRecord record = std::move(positions_[symbol]->record);
  positions_[symbol].reset();
  record.exit_time = time;
  record.exit_price = price;
  record.exit_reason = reason;
  record.r_multiple = journal::r_multiple(record);
  return record;
}

std::optional<journal::TradeRecord> VirtualBook::on_bar(std::size_t symbol, const Kline& bar, const Instrument& instrument) {
  std::optional<Position>& slot = positions_[symbol];
  if (!slot) return std::nullopt;
  journal::TradeRecord& record = slot->record;
  if (!slot->entered) {
    slot->entered = true;
    record.entry_time = bar.open_time;
    record.entry_price = venue::market_fill(bar.open, record.side, bar, instrument, fills_).to_double();
  } else if (slot->exiting) {  // the timeout's MARKET exit, at this open
    return close(symbol, bar.open_time, venue::market_fill(bar.open, opposite(record.side), bar, instrument, fills_).to_double(),
                 journal::ExitReason::kTimeout);
  }
  if (!venue::exit_touched(bar, record.side, record.stop, record.target)) return std::nullopt;  // most minutes: inline, no fill made
  const auto exit = venue::first_exit(bar, record.side, record.stop, record.target, instrument, fills_);
  if (!exit) return std::nullopt;
  return close(symbol, bar.open_time, exit->price.to_double(),
               exit->kind == venue::ExitKind::kStop ? journal::ExitReason::kStop : journal::ExitReason::kTarget);
}

void VirtualBook::on_close(std::size_t symbol, Timestamp close) {
  std::optional<Position>& slot = positions_[symbol];
  if (slot && slot->entered && close - slot->record.entry_time >= max_holding_) slot->exiting = true;
}

std::optional<journal::TradeRecord> VirtualBook::close_at(std::size_t symbol, const Kline& last, journal::ExitReason reason) {
  std::optional<Position>& slot = positions_[symbol];
  if (!slot) return std::nullopt;
  if (!slot->entered) {  // never entered: no label
    slot.reset();
    return std::nullopt;
  }
  return close(symbol, last.close_time + Milliseconds{1}, last.close.to_double(), reason);
}

}  // namespace winiswin::execution
