#include "venue/binance/default_brackets.h"

#include <gtest/gtest.h>

#include "support/shared_data.h"
#include "venue/binance/exchange_info.h"

namespace winiswin::binance {
namespace {

void expect_same(const std::vector<LeverageBracket>& actual, const std::vector<LeverageBracket>& expected,
                 const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t idx = 0; idx < actual.size(); ++idx) {
    EXPECT_EQ(actual[idx].initial_leverage, expected[idx].initial_leverage) << what << " bracket " << idx;
    EXPECT_EQ(actual[idx].notional_floor, expected[idx].notional_floor) << what << " bracket " << idx;
    EXPECT_EQ(actual[idx].notional_cap, expected[idx].notional_cap) << what << " bracket " << idx;
    EXPECT_EQ(actual[idx].maint_margin_ratio, expected[idx].maint_margin_ratio) << what << " bracket " << idx;
    EXPECT_EQ(actual[idx].cum, expected[idx].cum) << what << " bracket " << idx;
  }
}

Instrument named(const char* symbol) {
  Instrument instrument;
  instrument.symbol = symbol;
  return instrument;
}

// The shipped numbers are the capture's, digit for digit: every major's own tiers, and the
// generic set is the one 27 alts share (ACHUSDT … ZRXUSDT).
TEST(DefaultBrackets, TheShippedTableIsTheCapturesTiers) {
  WINISWIN_SHARED_FILE(path, "data/rest/freqtrade_binance_leverage_tiers_2024-10.json.gz");
  const BracketTable capture = load_leverage_brackets(path.string()).value();
  ASSERT_EQ(default_bracket_table().size(), 13u);
  for (const auto& [symbol, brackets] : default_bracket_table()) expect_same(brackets, capture.at(symbol), symbol);
  std::size_t sharing = 0;
  for (const auto& [symbol, brackets] : capture) {
    if (symbol.ends_with("USDT") && brackets.size() == generic_alt_brackets().size() &&
        std::equal(brackets.begin(), brackets.end(), generic_alt_brackets().begin(), [](const auto& a, const auto& b) {
          return a.initial_leverage == b.initial_leverage && a.notional_cap == b.notional_cap &&
                 a.maint_margin_ratio == b.maint_margin_ratio && a.cum == b.cum;
        })) {
      ++sharing;
    }
  }
  EXPECT_EQ(sharing, 27u);
  expect_same(generic_alt_brackets(), capture.at("ACHUSDT"), "generic = ACHUSDT");
}

TEST(DefaultBrackets, TheGenericAltSetStartsAt50xAndIsContiguous) {
  const auto& alt = generic_alt_brackets();
  ASSERT_EQ(alt.size(), 8u);
  EXPECT_EQ(alt.front().initial_leverage, 50);
  EXPECT_DOUBLE_EQ(alt.front().maint_margin_ratio, 0.015);
  EXPECT_EQ(alt.front().notional_cap, Notional::from_units(5'000));
  EXPECT_EQ(alt.back().initial_leverage, 1);
  EXPECT_EQ(alt.back().notional_cap, Notional::from_units(2'000'000));
  // Binance's cum makes MM continuous at each floor: N·mmr_prev − cum_prev = N·mmr − cum.
  for (std::size_t idx = 1; idx < alt.size(); ++idx) {
    EXPECT_EQ(alt[idx].notional_floor, alt[idx - 1].notional_cap);
    const double floor = alt[idx].notional_floor.to_double();
    EXPECT_NEAR(floor * alt[idx - 1].maint_margin_ratio - alt[idx - 1].cum.to_double(),
                floor * alt[idx].maint_margin_ratio - alt[idx].cum.to_double(), 1e-6)
        << idx;
  }
}

TEST(DefaultBrackets, FillsWhatIsMissingAndKeepsWhatWasGiven) {
  const std::vector<Instrument> instruments = {named("BTCUSDT"), named("ETHUSDT"), named("NEWCOINUSDT"), named("EMPTYUSDT")};
  BracketTable given;
  given["ETHUSDT"] = {LeverageBracket{10, Notional{}, Notional::from_units(1'000), 0.1, Notional{}}};
  given["EMPTYUSDT"] = {};                                                                               // empty: filled
  given["ELSEWHEREUSDT"] = {LeverageBracket{5, Notional{}, Notional::from_units(1'000), 0.2, Notional{}}};  // kept
  EXPECT_EQ(count_without_brackets(instruments, given), 3u);  // BTC, NEWCOIN, EMPTY
  const BracketTable filled = with_default_brackets(instruments, given);
  EXPECT_EQ(count_without_brackets(instruments, filled), 0u);
  expect_same(filled.at("ETHUSDT"), given.at("ETHUSDT"), "given ETHUSDT");         // a given table overrides
  expect_same(filled.at("BTCUSDT"), default_bracket_table().at("BTCUSDT"), "BTC");  // a major: its own tiers
  EXPECT_EQ(filled.at("BTCUSDT").front().initial_leverage, 125);
  expect_same(filled.at("NEWCOINUSDT"), generic_alt_brackets(), "NEWCOIN");  // anything else: the alt set
  expect_same(filled.at("EMPTYUSDT"), generic_alt_brackets(), "EMPTY");
  expect_same(filled.at("ELSEWHEREUSDT"), given.at("ELSEWHEREUSDT"), "ELSEWHERE");
  EXPECT_EQ(filled.size(), 5u);
}

// With the real files: a symbol listed after October 2024 (absent from the tier capture)
// gets the shipped default, every symbol of the capture keeps the capture's own tiers.
TEST(DefaultBrackets, ARealBracketFileOverridesAndNewSymbolsGetTheDefault) {
  WINISWIN_SHARED_FILE(tiers_path, "data/rest/freqtrade_binance_leverage_tiers_2024-10.json.gz");
  WINISWIN_SHARED_FILE(info_path, "data/rest/fapi_v1_exchangeInfo_2025-12-24.json.gz");
  const BracketTable capture = load_leverage_brackets(tiers_path.string()).value();
  const std::vector<Instrument> instruments = load_exchange_info(info_path.string()).value().tradable_usdt_perpetuals();
  const std::size_t absent = count_without_brackets(instruments, capture);
  EXPECT_GT(absent, 100u);  // 516 tradable in 2025-12, about 318 USDT perpetuals in 2024-10
  const BracketTable filled = with_default_brackets(instruments, capture);
  std::size_t defaulted = 0;
  for (const Instrument& instrument : instruments) {
    if (const auto found = capture.find(instrument.symbol); found != capture.end()) {
      expect_same(filled.at(instrument.symbol), found->second, instrument.symbol);
    } else {
      expect_same(filled.at(instrument.symbol), generic_alt_brackets(), instrument.symbol);
      ++defaulted;
    }
  }
  EXPECT_EQ(defaulted, absent);
  // ETHUSDT's tiers come from the file here (which equals the shipped ones for a major).
  expect_same(filled.at("ETHUSDT"), capture.at("ETHUSDT"), "ETHUSDT");
}

}  // namespace
}  // namespace winiswin::binance
