#include "app/data_instruments.h"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "data/shipped_exchange_info.h"
#include "venue/binance/exchange_info.h"

namespace winiswin {

Result<DataInstruments> load_data_instruments(const std::filesystem::path& data, const std::string& exchange_info) {
  if (!exchange_info.empty()) {
    Result<binance::ExchangeInfo> info = binance::load_exchange_info(exchange_info);
    if (!info) return info.error().with_context("--exchange-info");
    return DataInstruments{info->instruments, "--exchange-info " + exchange_info};
  }
  const std::filesystem::path beside = data / "exchangeInfo.json";
  if (std::filesystem::exists(beside)) {
    WINISWIN_TRY(const auto info, binance::load_exchange_info(beside.string()));
    return DataInstruments{info.instruments, beside.string()};
  }
  const std::string name(shipped_exchange_info_name());
  WINISWIN_TRY(const auto info, binance::parse_exchange_info(shipped_exchange_info(), name));
  const std::string day = format_utc(info.server_time).substr(0, std::string_view("2025-12-24").size());
  spdlog::warn("no exchangeInfo for --data ({} does not exist): using the copy shipped with winiswin, Binance's of {} "
               "({} USDT perpetuals); tick, step and minimum notional may differ from the data's period — pass "
               "--exchange-info FILE (winiswin exchange-info --out FILE saves Binance's current one)",
               beside.string(), day, info.instruments.size());
  return DataInstruments{info.instruments, fmt::format("the exchangeInfo shipped with winiswin ({}, {})", day, name)};
}

Status check_listed(const DataInstruments& listed, const std::vector<std::string>& symbols) {
  for (const std::string& symbol : symbols) {
    const bool found = std::any_of(listed.instruments.begin(), listed.instruments.end(),
                                   [&](const Instrument& instrument) { return instrument.symbol == symbol; });
    if (!found) {
      return make_error(ErrorCode::kNotFound, fmt::format("{}: not in {}; pass --exchange-info FILE listing it "
                                                          "(winiswin exchange-info --out FILE saves Binance's current one)",
                                                          symbol, listed.source));
    }
  }
  return Ok{};
}

}  // namespace winiswin
