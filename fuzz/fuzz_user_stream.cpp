// The user-data-stream parser on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "venue/binance/user_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  (void)winiswin::binance::parse_user_data_message(json, winiswin::timestamp_from_ms(1));
  return 0;
}
