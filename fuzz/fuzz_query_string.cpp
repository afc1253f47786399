// Percent-encoding round-trips any bytes, its output uses only the characters a URL query
// may carry unescaped, and decoding arbitrary text never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "venue/binance/query_string.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  using namespace winiswin::binance;
  const std::string encoded = percent_encode(bytes);
  for (const char character : encoded) {
    const bool allowed = (character >= 'A' && character <= 'Z') || (character >= 'a' && character <= 'z') ||
                         (character >= '0' && character <= '9') ||
                         std::string_view("-_.!~*'()%").find(character) != std::string_view::npos;
    if (!allowed) std::abort();
  }
  auto decoded = percent_decode(encoded);
  if (!decoded || *decoded != bytes) std::abort();
  (void)percent_decode(bytes);
  return 0;
}
