// Funding-rate history in CSV, in either of Binance's two forms:
//   funding_time,funding_rate                               /fapi/v1/fundingRate, as saved
//   calc_time,funding_interval_hours,last_funding_rate      data.binance.vision's monthly
//                                                           <SYMBOL>-fundingRate-YYYY-MM.zip
// A header is matched by name (any order; an unknown or missing name is an error); without
// one, two columns are the first form and three the second. Times are ms; rates decimal per
// funding period. Binance stamps many events a few milliseconds past the hour (e.g.
// 1758268800005): times are kept exactly as reported, never snapped to the 8 h grid.
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

// Every "<SYMBOL>-fundingRate-<period>.csv", ".csv.gz" or ".zip" file of a folder, by symbol, periods joined
// in time order (the same event in two files counts once; two rates at one time are an error).
Result<std::map<std::string, std::vector<FundingRate>>> load_funding_directory(const std::filesystem::path& directory);

}  // namespace winiswin
