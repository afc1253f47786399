// The instruments of a --data folder, for backtest, check causality and signals: --exchange-info
// FILE, else DIR/exchangeInfo.json, else the copy shipped with winiswin (data/shipped_exchange_info.h)
// with a warning — a symbol's filters in the data's period may differ from that day's.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/instrument.h"

namespace winiswin {

struct DataInstruments {
  std::vector<Instrument> instruments;
  std::string source;  // for messages: "--exchange-info FILE", "DIR/exchangeInfo.json" or the shipped copy and its day
};

// `exchange_info` is the --exchange-info flag's value (empty: not given).
Result<DataInstruments> load_data_instruments(const std::filesystem::path& data, const std::string& exchange_info);

// Every symbol of the run has an instrument, or an error naming the first missing one, where
// the instruments came from and the flag that gives others.
Status check_listed(const DataInstruments& listed, const std::vector<std::string>& symbols);

}  // namespace winiswin
