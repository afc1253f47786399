#include "venue/binance/universe.h"

#include <gtest/gtest.h>

#include "support/instruments.h"

namespace winiswin::binance {
namespace {

using testing::P;

Ticker24h ticker(const char* symbol, const char* quote_volume, const char* last, const char* high, const char* low) {
  Ticker24h t;
  t.symbol = symbol;
  t.quote_volume = Notional::parse(quote_volume).value();
  t.last_price = P(last);
  t.high_price = P(high);
  t.low_price = P(low);
  return t;
}

std::vector<std::string> symbols_of(const std::vector<Instrument>& instruments) {
  std::vector<std::string> out;
  for (const Instrument& instrument : instruments) out.push_back(instrument.symbol);
  return out;
}

TEST(Universe, TopByQuoteVolumeOrByRangeAmongWhatTrades) {
  const Instrument base = testing::btcusdt();
  std::vector<Instrument> tradable;
  for (const char* symbol : {"AUSDT", "BUSDT", "CUSDT", "DUSDT"}) {
    Instrument instrument = base;
    instrument.symbol = symbol;
    tradable.push_back(instrument);
  }
  const std::vector<Ticker24h> tickers{
      ticker("AUSDT", "5000000", "10", "11", "9"),   // range 20 %
      ticker("BUSDT", "9000000", "100", "101", "99"),  // 2 %
      ticker("CUSDT", "9000000", "1", "1.5", "0.9"),   // 60 %, ties B on volume
      ticker("XUSDT", "99000000", "1", "2", "0.5"),    // not tradable (a TradFi or halted symbol)
      // DUSDT: no ticker — not trading now
  };
  EXPECT_EQ(symbols_of(select_universe(tradable, tickers, UniverseRule{.top = 2})), (std::vector<std::string>{"BUSDT", "CUSDT"}));
  EXPECT_EQ(symbols_of(select_universe(tradable, tickers, UniverseRule{.top = 3, .rank = UniverseRank::kVolatility})),
            (std::vector<std::string>{"CUSDT", "AUSDT", "BUSDT"}));
  const UniverseRule liquid{.top = 10, .rank = UniverseRank::kVolatility, .min_quote_volume = Notional::parse("6000000").value()};
  EXPECT_EQ(symbols_of(select_universe(tradable, tickers, liquid)), (std::vector<std::string>{"CUSDT", "BUSDT"}));
}

}  // namespace
}  // namespace winiswin::binance
