// The account parsers (positions, balances, listen key, leverage) on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "venue/binance/rest_account.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  using namespace winiswin::binance;
  (void)parse_position_risk(json);
  (void)parse_balance(json);
  (void)parse_account_balance(json);
  (void)parse_listen_key(json);
  (void)parse_listen_key_keepalive(json);
  (void)parse_leverage(json);
  return 0;
}
