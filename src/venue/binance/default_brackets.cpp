#include "venue/binance/default_brackets.h"

#include <algorithm>
#include <string_view>

namespace winiswin::binance {
namespace {

// One bracket as the capture prints it: initialLeverage, notionalFloor, notionalCap,
// maintMarginRatio, cum (decimal text, parsed exactly).
struct Row {
  int initial_leverage;
  std::string_view floor;
  std::string_view cap;
  double maint_margin_ratio;
  std::string_view cum;
};

struct SymbolRow {
  std::string_view symbol;
  Row row;
};

// Source: ../shared/data/rest/freqtrade_binance_leverage_tiers_2024-10.json.gz (ccxt's
// fetch_leverage_tiers of Binance USDⓈ-M, October 2024; each tier's "info" is Binance's own
// GET /fapi/v1/leverageBracket row), copied digit for digit. The majors are 13 large,
// long-listed coins (our pick, not Binance's), each with its own tiers, in order.
constexpr SymbolRow kMajors[] = {
    {"BTCUSDT", 125, "0", "50000", 0.004, "0"},
    {"BTCUSDT", 100, "50000", "600000", 0.005, "50"},
    {"BTCUSDT", 75, "600000", "3000000", 0.0065, "950"},
    {"BTCUSDT", 50, "3000000", "12000000", 0.01, "11450"},
    {"BTCUSDT", 25, "12000000", "70000000", 0.02, "131450"},
    {"BTCUSDT", 20, "70000000", "100000000", 0.025, "481450"},
    {"BTCUSDT", 10, "100000000", "230000000", 0.05, "2981450"},
    {"BTCUSDT", 5, "230000000", "480000000", 0.1, "14481450"},
    {"BTCUSDT", 4, "480000000", "600000000", 0.125, "26481450"},
    {"BTCUSDT", 3, "600000000", "800000000", 0.15, "41481450"},
    {"BTCUSDT", 2, "800000000", "1200000000", 0.25, "121481450"},
    {"BTCUSDT", 1, "1200000000", "1800000000", 0.5, "421481450"},
    {"ETHUSDT", 125, "0", "50000", 0.004, "0"},
    {"ETHUSDT", 100, "50000", "600000", 0.005, "50"},
    {"ETHUSDT", 75, "600000", "3000000", 0.0065, "950"},
    {"ETHUSDT", 50, "3000000", "12000000", 0.01, "11450"},
    {"ETHUSDT", 25, "12000000", "50000000", 0.02, "131450"},
    {"ETHUSDT", 20, "50000000", "65000000", 0.025, "381450"},
    {"ETHUSDT", 10, "65000000", "150000000", 0.05, "2006450"},
    {"ETHUSDT", 5, "150000000", "320000000", 0.1, "9506450"},
    {"ETHUSDT", 4, "320000000", "400000000", 0.125, "17506450"},
    {"ETHUSDT", 3, "400000000", "530000000", 0.15, "27506450"},
    {"ETHUSDT", 2, "530000000", "800000000", 0.25, "80506450"},
    {"ETHUSDT", 1, "800000000", "1200000000", 0.5, "280506450"},
    {"BNBUSDT", 75, "0", "10000", 0.005, "0"},
    {"BNBUSDT", 50, "10000", "50000", 0.006, "10"},
    {"BNBUSDT", 40, "50000", "200000", 0.01, "210"},
    {"BNBUSDT", 25, "200000", "1500000", 0.02, "2210"},
    {"BNBUSDT", 20, "1500000", "3000000", 0.025, "9710"},
    {"BNBUSDT", 10, "3000000", "15000000", 0.05, "84710"},
    {"BNBUSDT", 5, "15000000", "30000000", 0.1, "834710"},
    {"BNBUSDT", 4, "30000000", "37500000", 0.125, "1584710"},
    {"BNBUSDT", 2, "37500000", "75000000", 0.25, "6272210"},
    {"BNBUSDT", 1, "75000000", "150000000", 0.5, "25022210"},
    {"SOLUSDT", 100, "0", "20000", 0.005, "0"},
    {"SOLUSDT", 75, "20000", "100000", 0.0065, "30"},
    {"SOLUSDT", 50, "100000", "800000", 0.01, "380"},
    {"SOLUSDT", 25, "800000", "4000000", 0.02, "8380"},
    {"SOLUSDT", 20, "4000000", "8000000", 0.025, "28380"},
    {"SOLUSDT", 10, "8000000", "40000000", 0.05, "228380"},
    {"SOLUSDT", 5, "40000000", "80000000", 0.1, "2228380"},
    {"SOLUSDT", 4, "80000000", "100000000", 0.125, "4228380"},
    {"SOLUSDT", 2, "100000000", "200000000", 0.25, "16728380"},
    {"SOLUSDT", 1, "200000000", "400000000", 0.5, "66728380"},
    {"XRPUSDT", 75, "0", "10000", 0.005, "0"},
    {"XRPUSDT", 50, "10000", "20000", 0.0065, "15"},
    {"XRPUSDT", 40, "20000", "160000", 0.01, "85"},
    {"XRPUSDT", 25, "160000", "800000", 0.02, "1685"},
    {"XRPUSDT", 20, "800000", "1600000", 0.025, "5685"},
    {"XRPUSDT", 10, "1600000", "8000000", 0.05, "45685"},
    {"XRPUSDT", 5, "8000000", "16000000", 0.1, "445685"},
    {"XRPUSDT", 4, "16000000", "20000000", 0.125, "845685"},
    {"XRPUSDT", 2, "20000000", "40000000", 0.25, "3345685"},
    {"XRPUSDT", 1, "40000000", "80000000", 0.5, "13345685"},
    {"DOGEUSDT", 75, "0", "10000", 0.005, "0"},
    {"DOGEUSDT", 50, "10000", "50000", 0.007, "20"},
    {"DOGEUSDT", 40, "50000", "750000", 0.01, "170"},
    {"DOGEUSDT", 25, "750000", "800000", 0.02, "7670"},
    {"DOGEUSDT", 20, "800000", "1600000", 0.025, "11670"},
    {"DOGEUSDT", 10, "1600000", "8000000", 0.05, "51670"},
    {"DOGEUSDT", 5, "8000000", "16000000", 0.1, "451670"},
    {"DOGEUSDT", 4, "16000000", "20000000", 0.125, "851670"},
    {"DOGEUSDT", 2, "20000000", "40000000", 0.25, "3351670"},
    {"DOGEUSDT", 1, "40000000", "80000000", 0.5, "13351670"},
    {"ADAUSDT", 75, "0", "10000", 0.005, "0"},
    {"ADAUSDT", 50, "10000", "50000", 0.01, "50"},
    {"ADAUSDT", 40, "50000", "100000", 0.015, "300"},
    {"ADAUSDT", 25, "100000", "500000", 0.02, "800"},
    {"ADAUSDT", 20, "500000", "1000000", 0.025, "3300"},
    {"ADAUSDT", 10, "1000000", "5000000", 0.05, "28300"},
    {"ADAUSDT", 5, "5000000", "10000000", 0.1, "278300"},
    {"ADAUSDT", 4, "10000000", "20000000", 0.125, "528300"},
    {"ADAUSDT", 2, "20000000", "30000000", 0.25, "3028300"},
    {"ADAUSDT", 1, "30000000", "50000000", 0.5, "10528300"},
    {"TRXUSDT", 75, "0", "10000", 0.0065, "0"},
    {"TRXUSDT", 50, "10000", "90000", 0.01, "35"},
    {"TRXUSDT", 40, "90000", "120000", 0.015, "485"},
    {"TRXUSDT", 25, "120000", "650000", 0.02, "1085"},
    {"TRXUSDT", 20, "650000", "800000", 0.025, "4335"},
    {"TRXUSDT", 10, "800000", "3000000", 0.05, "24335"},
    {"TRXUSDT", 5, "3000000", "6000000", 0.1, "174335"},
    {"TRXUSDT", 4, "6000000", "12000000", 0.125, "324335"},
    {"TRXUSDT", 2, "12000000", "20000000", 0.25, "1824335"},
    {"TRXUSDT", 1, "20000000", "30000000", 0.5, "6824335"},
    {"LINKUSDT", 75, "0", "10000", 0.005, "0"},
    {"LINKUSDT", 50, "10000", "50000", 0.01, "50"},
    {"LINKUSDT", 40, "50000", "80000", 0.015, "300"},
    {"LINKUSDT", 25, "80000", "400000", 0.02, "700"},
    {"LINKUSDT", 20, "400000", "800000", 0.025, "2700"},
    {"LINKUSDT", 10, "800000", "4000000", 0.05, "22700"},
    {"LINKUSDT", 5, "4000000", "8000000", 0.1, "222700"},
    {"LINKUSDT", 4, "8000000", "20000000", 0.125, "422700"},
    {"LINKUSDT", 2, "20000000", "30000000", 0.25, "2922700"},
    {"LINKUSDT", 1, "30000000", "50000000", 0.5, "10422700"},
    {"AVAXUSDT", 75, "0", "5000", 0.005, "0"},
    {"AVAXUSDT", 50, "5000", "25000", 0.0065, "7.5"},
    {"AVAXUSDT", 40, "25000", "80000", 0.01, "95"},
    {"AVAXUSDT", 25, "80000", "400000", 0.02, "895"},
    {"AVAXUSDT", 20, "400000", "800000", 0.025, "2895"},
    {"AVAXUSDT", 10, "800000", "4000000", 0.05, "22895"},
    {"AVAXUSDT", 5, "4000000", "8000000", 0.1, "222895"},
    {"AVAXUSDT", 4, "8000000", "10000000", 0.125, "422895"},
    {"AVAXUSDT", 2, "10000000", "20000000", 0.25, "1672895"},
    {"AVAXUSDT", 1, "20000000", "50000000", 0.5, "6672895"},
    {"DOTUSDT", 75, "0", "10000", 0.0065, "0"},
    {"DOTUSDT", 50, "10000", "50000", 0.01, "35"},
    {"DOTUSDT", 40, "50000", "100000", 0.015, "285"},
    {"DOTUSDT", 25, "100000", "500000", 0.02, "785"},
    {"DOTUSDT", 20, "500000", "800000", 0.025, "3285"},
    {"DOTUSDT", 10, "800000", "4000000", 0.05, "23285"},
    {"DOTUSDT", 5, "4000000", "8000000", 0.1, "223285"},
    {"DOTUSDT", 4, "8000000", "10000000", 0.125, "423285"},
    {"DOTUSDT", 2, "10000000", "30000000", 0.25, "1673285"},
    {"DOTUSDT", 1, "30000000", "50000000", 0.5, "9173285"},
    {"LTCUSDT", 75, "0", "10000", 0.005, "0"},
    {"LTCUSDT", 50, "10000", "50000", 0.01, "50"},
    {"LTCUSDT", 40, "50000", "100000", 0.015, "300"},
    {"LTCUSDT", 25, "100000", "750000", 0.02, "800"},
    {"LTCUSDT", 20, "750000", "1000000", 0.025, "4550"},
    {"LTCUSDT", 10, "1000000", "5000000", 0.05, "29550"},
    {"LTCUSDT", 5, "5000000", "10000000", 0.1, "279550"},
    {"LTCUSDT", 4, "10000000", "20000000", 0.125, "529550"},
    {"LTCUSDT", 2, "20000000", "30000000", 0.25, "3029550"},
    {"LTCUSDT", 1, "30000000", "50000000", 0.5, "10529550"},
    {"BCHUSDT", 75, "0", "5000", 0.005, "0"},
    {"BCHUSDT", 50, "5000", "10000", 0.0065, "7.5"},
    {"BCHUSDT", 40, "10000", "100000", 0.01, "42.5"},
    {"BCHUSDT", 25, "100000", "500000", 0.02, "1042.5"},
    {"BCHUSDT", 20, "500000", "1000000", 0.025, "3542.5"},
    {"BCHUSDT", 10, "1000000", "5000000", 0.05, "28542.5"},
    {"BCHUSDT", 5, "5000000", "10000000", 0.1, "278542.5"},
    {"BCHUSDT", 4, "10000000", "15000000", 0.125, "528542.5"},
    {"BCHUSDT", 2, "15000000", "25000000", 0.25, "2403542.5"},
    {"BCHUSDT", 1, "25000000", "50000000", 0.5, "8653542.5"},
};

// Every other symbol: the tier set most USDT perpetuals of the capture share (27 of 318:
// ACH, ALICE, ALPHA, ASTR, BAND, BAT, COTI, DASH, … ZRX). It is the conservative pick for
// alts: at any notional from 1 000 to 300 000 USDT its maintenance ratio is at or above
// that of 58–100 % of the 318 (liquidation is modelled no later than most alts' real one),
// and its caps (20x only up to 25 000 USDT) are among the smallest.
constexpr Row kGenericAlt[] = {
    {50, "0", "5000", 0.015, "0"},
    {25, "5000", "20000", 0.02, "25"},
    {20, "20000", "25000", 0.025, "125"},
    {10, "25000", "200000", 0.05, "750"},
    {5, "200000", "400000", 0.1, "10750"},
    {4, "400000", "500000", 0.125, "20750"},
    {2, "500000", "1000000", 0.25, "83250"},
    {1, "1000000", "2000000", 0.5, "333250"},
};

LeverageBracket bracket_of(const Row& row) {
  // The literals above are exact decimals within range: a failure is a typo, which the test
  // comparing this table with the capture catches.
  return LeverageBracket{row.initial_leverage, Notional::parse(row.floor).value(), Notional::parse(row.cap).value(),
                         row.maint_margin_ratio, Notional::parse(row.cum).value()};
}

}  // namespace

const BracketTable& default_bracket_table() {
  static const BracketTable table = [] {
    BracketTable built;
    for (const SymbolRow& major : kMajors) built[std::string(major.symbol)].push_back(bracket_of(major.row));
    return built;
  }();
  return table;
}

const std::vector<LeverageBracket>& generic_alt_brackets() {
  static const std::vector<LeverageBracket> brackets = [] {
    std::vector<LeverageBracket> built;
    for (const Row& row : kGenericAlt) built.push_back(bracket_of(row));
    return built;
  }();
  return brackets;
}

BracketTable with_default_brackets(const std::vector<Instrument>& instruments, BracketTable given) {
  const BracketTable& shipped = default_bracket_table();
  for (const Instrument& instrument : instruments) {
    const auto known = given.find(instrument.symbol);
    if (known != given.end() && !known->second.empty()) continue;  // what was given overrides
    const auto own = shipped.find(instrument.symbol);
    given[instrument.symbol] = own != shipped.end() ? own->second : generic_alt_brackets();
  }
  return given;
}

std::size_t count_without_brackets(const std::vector<Instrument>& instruments, const BracketTable& table) {
  return static_cast<std::size_t>(std::count_if(instruments.begin(), instruments.end(), [&](const Instrument& instrument) {
    const auto found = table.find(instrument.symbol);
    return found == table.end() || found->second.empty();
  }));
}

}  // namespace winiswin::binance
