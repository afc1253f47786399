// Virtual positions: the ranked signals that did not trade for real, followed with the fill
// rules of real trades so that their outcomes are labels a model can learn from — never
// orders, never in the account's books, never in the way of a real trade.
//
//   entry    the next bar's open after the decision, filled as a MARKET order (slippage
//            against the position, fill_model.h)
//   exits    stop and target on each bar's path as the venue fills STOP_MARKET and
//            TAKE_PROFIT_MARKET (gaps at the open, the stop first when a bar touches both)
//   timeout  like a real trade's: at the first 5m close at least `max_holding` after the
//            entry, a MARKET exit at the next bar's open
//   data     where the symbol's data stops: at its last close (as a real close-out)
//   liquidation  none, and none is needed: a real position sized by our rules has its
//            liquidation price beyond the stop by a buffer (sizing refuses it otherwise), and
//            the venue fills a stop nearer than the liquidation price first, even on a gap
//            through both — so a virtual position, which would be sized the same, exits at
//            its stop where a real one would (funding over 24 h moves the isolated
//            liquidation price by far less than the buffer).
// One virtual position per symbol at a time: a second on the same symbol would mostly repeat
// the first one's label. Symbols are indexes fixed by the caller.
#pragma once

#include <optional>
#include <vector>

#include "core/instrument.h"
#include "core/kline.h"
#include "journal/records.h"
#include "venue/fill_model.h"

namespace winiswin::execution {

class VirtualBook {
 public:
  VirtualBook(std::size_t symbols, venue::FillModelConfig fills, Milliseconds max_holding);

  // A position decided at `record.decided`; ignored (false) when the symbol holds one already.
  bool open(std::size_t symbol, journal::TradeRecord record);
  [[nodiscard]] bool holds(std::size_t symbol) const { return positions_[symbol].has_value(); }
  // The positions open now, in symbol order (ops' status), and their count.
  [[nodiscard]] std::vector<journal::TradeRecord> open_positions() const;
  [[nodiscard]] std::size_t open_count() const;
  // The symbol's next bar: the entry fills, a pending timeout exits, stop or target trigger.
  // A closed position is returned.
  std::optional<journal::TradeRecord> on_bar(std::size_t symbol, const Kline& bar, const Instrument& instrument);
  // A 5m close: positions held `max_holding` or longer exit at the next open.
  void on_close(std::size_t symbol, Timestamp close);
  // The symbol's data stopped after `last`: an entered position closes at its close.
  std::optional<journal::TradeRecord> close_at(std::size_t symbol, const Kline& last, journal::ExitReason reason);

 private:
  struct Position {
    journal::TradeRecord record;
    bool entered = false;
    bool exiting = false;  // timed out: exits at the next bar's open
  };
  std::optional<journal::TradeRecord> close(std::size_t symbol, Timestamp time, double price, journal::ExitReason reason);

  std::vector<std::optional<Position>> positions_;
  venue::FillModelConfig fills_;
  Milliseconds max_holding_;
};

}  // namespace winiswin::execution
