// Funding-rate history as `/fapi/v1/fundingRate` reports it, in CSV:
//   funding_time,funding_rate      (ms timestamp, decimal rate per funding period)
// Binance stamps many events a few milliseconds past the hour (e.g. 1758268800005):
// times are kept exactly as reported, never snapped to the 8 h grid.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/fixed_point.h"
#include "core/funding_rate.h"
#include "core/time.h"

namespace winiswin {


Result<std::vector<FundingRate>> parse_funding_csv(std::string_view text, const std::string& source);
Result<std::vector<FundingRate>> load_funding(const std::filesystem::path& path);

// Every "<SYMBOL>-fundingRate-<period>.csv[.gz]" file of a folder, by symbol, periods joined
// in time order (the same event in two files counts once; two rates at one time are an error).
Result<std::map<std::string, std::vector<FundingRate>>> load_funding_directory(const std::filesystem::path& directory);

}  // namespace winiswin
