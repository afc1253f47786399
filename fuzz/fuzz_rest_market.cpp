// Every public-market REST parser on arbitrary bytes: an Error or a value, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "venue/binance/rest_market.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  using namespace winiswin::binance;
  (void)parse_server_time(json);
  (void)parse_klines(json);
  (void)parse_premium_index(json);
  (void)parse_ticker_24h(json);
  (void)parse_funding_info(json);
  (void)parse_funding_rates(json);
  return 0;
}
