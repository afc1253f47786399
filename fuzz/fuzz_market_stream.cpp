// The market-stream parser on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "venue/binance/market_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  (void)winiswin::binance::parse_market_message(json, winiswin::timestamp_from_ms(1));
  return 0;
}
