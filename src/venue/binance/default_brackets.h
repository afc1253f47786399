// The leverage brackets winiswin ships, so liquidation is always modelled: a user's clone
// has no ../shared and may pass no --brackets file.
//
// Contract:
// - default_bracket_table(): the majors (BTCUSDT, ETHUSDT, BNBUSDT, SOLUSDT, XRPUSDT,
//   DOGEUSDT, ADAUSDT, TRXUSDT, LINKUSDT, AVAXUSDT, DOTUSDT, LTCUSDT, BCHUSDT), each with its
//   own Binance tiers as captured in October 2024 (source and pick in default_brackets.cpp).
// - generic_alt_brackets(): the tier set every other symbol gets, the alts' most common one
//   (50x to 5 000 USDT at 1.5 % maintenance … 1x to 2 000 000 USDT at 50 %).
// - with_default_brackets(instruments, given): `given` (e.g. a --brackets file) with every
//   instrument that has no (or empty) brackets in it filled: its own shipped tiers when it
//   is a major, else the generic alt set. Brackets in `given` always win; symbols in `given`
//   but not in `instruments` are kept.
// Tiers change over time (Binance revises them); a file given with --brackets is the way to
// use the current ones.
#pragma once

#include <cstddef>
#include <vector>

#include "core/instrument.h"
#include "venue/binance/leverage_brackets.h"

namespace winiswin::binance {

const BracketTable& default_bracket_table();
const std::vector<LeverageBracket>& generic_alt_brackets();

BracketTable with_default_brackets(const std::vector<Instrument>& instruments, BracketTable given);

// How many of `instruments` have no brackets in `table` (what with_default_brackets fills).
std::size_t count_without_brackets(const std::vector<Instrument>& instruments, const BracketTable& table);

}  // namespace winiswin::binance
